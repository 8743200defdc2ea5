#include "session_fixture.h"

#include <csignal>
#include <fstream>
#include <poll.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace shmviz;
using shmviz::testing::SessionTest;

namespace {

// This process's address space now, as the kernel counts it against RLIMIT_AS.
rlim_t vmSizeBytes() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmSize:"))
            return static_cast<rlim_t>(std::stoull(line.substr(7))) * 1024;
    return RLIM_INFINITY;
}

} // namespace

TEST_F(SessionTest, SamePageSameFrameDifferentAddresses) {
    ok("shmget 16K");
    ok("spawn 2");
    ok("shmat all");
    ok("touch all 0");
    auto s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    EXPECT_NE(attachment(*s, 0).va, attachment(*s, 1).va) << "exec'd workers get their own layout";
    core::PageEntry a = page(*s, 0, 0), b = page(*s, 1, 0);
    ASSERT_TRUE(a.present && b.present);
    EXPECT_NE(a.pfnBits, 0u);
    EXPECT_EQ(a.pfnBits, b.pfnBits);
    ASSERT_EQ(s->frames.size(), 1u);
    EXPECT_EQ(s->frames[0].mappedBy.size(), 2u);
    if (s->mapcountVisible) {
        EXPECT_EQ(s->frames[0].mapcount.value_or(0), 2u);
    }
}

TEST_F(SessionTest, PageIsNotPresentUntilThatWorkerTouchesOrReadsIt) {
    ok("shmget 16K");
    ok("spawn 2");
    ok("shmat all");
    auto s = snap();
    for (int w : {0, 1})
        for (std::size_t p = 0; p < 4; ++p)
            EXPECT_FALSE(page(*s, w, p).present) << "worker " << w << " page " << p;
    ok("touch 0 1");
    s = snap();
    EXPECT_TRUE(page(*s, 0, 1).present);
    EXPECT_FALSE(page(*s, 1, 1).present) << "worker 1's page table is its own";
    EXPECT_FALSE(page(*s, 0, 0).present);
    ok("read 1 1");
    s = snap();
    EXPECT_TRUE(page(*s, 1, 1).present) << "a read fault maps the page too";
}

TEST_F(SessionTest, AttachCountFollowsShmatShmdtAndKill) {
    ok("shmget 8K");
    ok("spawn 3");
    EXPECT_EQ(segment(*snap()).nattch, 0u);
    ok("shmat all");
    EXPECT_EQ(segment(*snap()).nattch, 3u);
    ok("shmdt 0");
    EXPECT_EQ(segment(*snap()).nattch, 2u);
    ok("shmat 0");
    ok("shmat 0");
    EXPECT_EQ(segment(*snap()).nattch, 4u) << "a second attach in one process counts too";
    ok("kill 1");
    auto s = snap();
    EXPECT_EQ(segment(*s).nattch, 3u) << "the kernel detaches a dead process";
    EXPECT_FALSE(s->workers[1].alive);
    EXPECT_EQ(s->workers[1].endedHow, "killed by SIGKILL");
}

TEST_F(SessionTest, RmidWithWorkersAttachedWaitsForTheLastDetach) {
    ok("shmget 8K key=0x5356a001");
    ok("spawn 2");
    ok("shmat all");
    auto s = snap();
    EXPECT_EQ(segment(*s).key, 0x5356a001u);
    EXPECT_FALSE(segment(*s).dest);
    ok("rmid");
    s = snap();
    EXPECT_EQ(segment(*s).key, 0u) << "IPC_RMID makes the key IPC_PRIVATE";
    EXPECT_TRUE(segment(*s).dest);
    EXPECT_TRUE(segment(*s).exists);
    bool listed = false;
    for (const auto& row : s->machineSegments)
        if (row.shmid == segment(*s).shmid)
            listed = row.dest() && row.key == 0;
    EXPECT_TRUE(listed) << "/proc/sysvipc/shm agrees";
    ok("write 0 1 after rmid");
    EXPECT_EQ(ok("read 1 1").data["text"], "after rmid") << "the segment still works";
    ok("shmdt 0");
    EXPECT_TRUE(segment(*snap()).exists);
    ok("shmdt 1");
    EXPECT_FALSE(segment(*snap()).exists) << "gone after the last detach";
    EXPECT_EQ(shmget(0x5356a001, 0, 0), -1);
}

TEST_F(SessionTest, TwoAttachmentsInOneWorkerShareFrames) {
    ok("shmget 8K");
    ok("spawn 1");
    ok("shmat 0");
    ok("shmat 0");
    ok("touch 0 0 at=0");
    ok("touch 0 0 at=1");
    auto s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    ASSERT_EQ(s->workers[0].attachments.size(), 2u);
    EXPECT_NE(attachment(*s, 0, 0).va, attachment(*s, 0, 1).va);
    EXPECT_EQ(page(*s, 0, 0, 0).pfnBits, page(*s, 0, 0, 1).pfnBits);
    ASSERT_EQ(s->frames.size(), 1u);
    EXPECT_EQ(s->frames[0].mappedBy.size(), 2u);
}

TEST_F(SessionTest, DataWrittenByOneWorkerIsReadByAnother) {
    ok("shmget 16K");
    ok("spawn 2");
    ok("shmat all");
    ok("write 0 3 hello   from worker 0");
    auto r = ok("read 1 3");
    EXPECT_EQ(r.data["text"], "hello   from worker 0");
    EXPECT_NE(r.explain.find("nothing was copied"), std::string::npos);
}

TEST_F(SessionTest, SnapshotShowsTheKernelsView) {
    ok("shmget 16K mode=0640");
    ok("spawn 1");
    ok("shmat 0 rdonly");
    auto s = snap();
    const auto& seg = segment(*s);
    EXPECT_EQ(seg.mode, 0640u);
    EXPECT_EQ(seg.size, 16384u);
    EXPECT_TRUE(seg.created);
    EXPECT_EQ(seg.cpid, getpid());
    const auto& a = attachment(*s, 0);
    EXPECT_TRUE(a.rdonly);
    EXPECT_EQ(a.entries.size(), 4u);
    EXPECT_NE(a.maps.find("r--s"), std::string::npos) << a.maps;
    EXPECT_NE(a.maps.find("/SYSV"), std::string::npos) << a.maps;
}

// With nothing changed, a quick snapshot after a full one shows the segments the same way; else
// each would replace the other's picture every second, and an idle window would redraw all the time.
TEST_F(SessionTest, QuickAndFullSnapshotsShowAnUnchangedSegmentAlike) {
    ok("shmget 16K");
    ok("spawn 1");
    ok("shmat all");
    ok("touch all all");
    auto full = snap();
    auto quick = m_session->quickRefresh();
    EXPECT_EQ(quick->segments, full->segments);
    EXPECT_FALSE(segment(*quick).residency.empty());
}

// The runner publishes quickRefresh() when its cheap checks fire; it must see what others did
// (an outside shmat, a worker killed from outside) without asking the workers for page tables.
TEST_F(SessionTest, QuickRefreshSeesAnOutsideAttachAndAKilledWorker) {
    ok("shmget 16K");
    ok("spawn 2");
    ok("shmat all");
    ok("touch all all");
    auto before = snap();
    void* outside = ::shmat(segment(*before).shmid, nullptr, SHM_RDONLY);
    ASSERT_NE(outside, reinterpret_cast<void*>(-1));
    auto quick = m_session->quickRefresh();
    EXPECT_EQ(segment(*quick).nattch, 3u) << "the outside attach counts";
    EXPECT_GT(quick->generation, before->generation);
    EXPECT_EQ(quick->frames, before->frames) << "page tables are not reread";
    EXPECT_EQ(quick->pagesGeneration, before->pagesGeneration) << "the window keeps its index of the pages";
    EXPECT_FALSE(m_session->pagesStale());
    ASSERT_EQ(::shmdt(outside), 0);

    ASSERT_EQ(::kill(before->workers[1].pid, SIGKILL), 0);
    for (int i = 0; i < 200 && m_session->quickRefresh()->workers[1].alive; ++i)
        ::usleep(10'000);
    quick = m_session->quickRefresh();
    EXPECT_FALSE(quick->workers[1].alive);
    EXPECT_TRUE(quick->workers[1].attachments.empty());
    EXPECT_EQ(segment(*quick).nattch, 1u);
    for (const core::FrameView& f : quick->frames)
        EXPECT_EQ(f.mappedBy.size(), 1u) << "the dead worker maps nothing";
    EXPECT_EQ(quick->pagesGeneration, quick->generation) << "the pages changed with the end";
    EXPECT_TRUE(m_session->pagesStale()) << "the survivors' page tables are still to be read";
    auto full = snap();
    EXPECT_FALSE(m_session->pagesStale());
    ASSERT_EQ(full->frames.size(), quick->frames.size());
    for (std::size_t i = 0; i < full->frames.size(); ++i) {
        // kpageflags are read anew each time, and the kernel moves a page between LRU lists at will.
        core::FrameView f = full->frames[i];
        f.kpageflags = quick->frames[i].kpageflags;
        EXPECT_EQ(f, quick->frames[i]) << "a full refresh agrees with the quick one";
    }
    // The survivor's entries may differ: pagemap bit 56 (exclusively mapped) turns on when the
    // other mapper is gone, which only the full refresh reads.
}

// From 2^18 page entries on, the session copies its latest snapshot ahead of time while idle (4 x
// 65536 here); the snapshot showing a worker's end is that copy, edited.
class LargeSessionTest : public SessionTest {
  protected:
    std::shared_ptr<const core::Snapshot> fourWorkersOnQuarterGiB() {
        ok("shmget 256M");
        ok("spawn 4");
        ok("shmat all");
        ok("touch all all");
        return snap();
    }
};

// The end shown from the prepared copy must be exactly the end: the worker's attachments and
// references gone, everything else as before, and which pages it was made of.
TEST_F(LargeSessionTest, AWorkersEndShownFromThePreparedCopyChangesNothingElse) {
    auto before = fourWorkersOnQuarterGiB();
    SKIP_WITHOUT_FRAMES(*before);
    m_session->prepareSpare(); // notes the latest snapshot
    ::usleep(600'000);
    m_session->prepareSpare(); // it has stayed the latest for a while: copies it
    const pid_t victim = before->workers[3].pid;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, victim, 0));
    ASSERT_GE(pidfd, 0);
    ASSERT_EQ(::kill(victim, SIGKILL), 0);
    pollfd ended{pidfd, POLLIN, 0};
    ASSERT_EQ(::poll(&ended, 1, 10'000), 1);
    ::close(pidfd);
    auto quick = m_session->quickRefresh();
    ASSERT_FALSE(quick->workers[3].alive);
    EXPECT_TRUE(quick->workers[3].attachments.empty());
    EXPECT_EQ(quick->pagesLessEnded, before->pagesStamp());
    for (int w = 0; w < 3; ++w)
        EXPECT_EQ(quick->workers[w].attachments, before->workers[w].attachments) << "worker " << w;
    ASSERT_EQ(quick->frames.size(), before->frames.size());
    for (std::size_t i = 0; i < quick->frames.size(); ++i) {
        std::vector<core::FrameRef> kept = before->frames[i].mappedBy;
        std::erase_if(kept, [](const core::FrameRef& r) { return r.worker == 3; });
        ASSERT_EQ(quick->frames[i].pfn, before->frames[i].pfn);
        ASSERT_EQ(quick->frames[i].mappedBy, kept) << "frame " << i;
    }
}

// The copy made ahead of time is made on the session thread while idle; memory running out there
// must leave it out, not end the app, and the end of a worker is then shown from a copy made after.
TEST_F(LargeSessionTest, APreparedCopyThatDoesNotFitIsLeftOut) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer's allocator ends the process when memory runs out instead of "
                    "throwing std::bad_alloc.";
#endif
    auto before = fourWorkersOnQuarterGiB();
    SKIP_WITHOUT_FRAMES(*before);
    m_session->prepareSpare(); // notes the latest snapshot
    ::usleep(400'000);
    rlimit old{};
    ASSERT_EQ(::getrlimit(RLIMIT_AS, &old), 0);
    const rlimit low{vmSizeBytes(), old.rlim_max}; // no address space beyond what the test has now
    ASSERT_EQ(::setrlimit(RLIMIT_AS, &low), 0);
    EXPECT_NO_THROW(m_session->prepareSpare());
    ASSERT_EQ(::setrlimit(RLIMIT_AS, &old), 0);
    const pid_t victim = before->workers[3].pid;
    ASSERT_EQ(::kill(victim, SIGKILL), 0);
    for (int i = 0; i < 500 && m_session->quickRefresh()->workers[3].alive; ++i)
        ::usleep(10'000);
    auto quick = m_session->latest();
    ASSERT_FALSE(quick->workers[3].alive);
    ASSERT_EQ(quick->frames.size(), before->frames.size());
    for (const core::FrameView& f : quick->frames)
        ASSERT_EQ(f.mappedBy.size(), 3u);
}
