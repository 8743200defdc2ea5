// The session thread while idle, with full refreshes a minute apart: what others do (unlink a
// POSIX name, attach or remove a System V segment, kill a worker) must still reach the published
// snapshot within moments, through the cheap watches (a stat of each POSIX name, IPC_STAT of each
// System V segment, pidfd).
#include "core/session/session.h"
#include "core/session/session_runner.h"
#include "core/session/snapshot.h"
#include "posix_names.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <thread>
#include <unistd.h>

namespace shmviz::testing {
namespace {

using namespace std::chrono_literals;
using Check = std::function<bool(const core::Snapshot&)>;

class SessionRunnerIdle : public ::testing::Test {
  protected:
    void SetUp() override {
        core::SessionOptions options;
        options.workerPath = SHMVIZ_WORKER_PATH;
        m_runner = std::make_unique<core::SessionRunner>(
            options, [] {}, 60s);
    }
    void TearDown() override { m_runner.reset(); }

    void run(const std::vector<std::string>& lines) {
        for (const std::string& line : lines)
            m_runner->submit(line);
        for (int i = 0; i < 3000 && m_runner->busy(); ++i)
            std::this_thread::sleep_for(10ms);
        ASSERT_FALSE(m_runner->busy());
        for (const core::StepReply& r : m_runner->takeReplies())
            ASSERT_TRUE(r.ok) << r.cmd << ": " << (r.error ? r.error->message : "");
    }
    // The first published snapshot for which `check` holds, waiting at most 3 s (the full refresh
    // is a minute away).
    std::shared_ptr<const core::Snapshot> seen(const Check& check) {
        for (auto start = std::chrono::steady_clock::now(); std::chrono::steady_clock::now() - start < 3s;) {
            auto snap = m_runner->snapshot();
            if (snap && check(*snap))
                return snap;
            std::this_thread::sleep_for(5ms);
        }
        return nullptr;
    }

    std::unique_ptr<core::SessionRunner> m_runner;
};

TEST_F(SessionRunnerIdle, AnOutsideUnlinkOfAPosixNameIsSeenAtOnce) {
    const std::string name = uniqueShmName("runner-unlink");
    ::shm_unlink(name.c_str());
    run({"shm_open " + name + " size=16K", "spawn 1", "mmap all", "touch all all"});
    ASSERT_TRUE(seen([](const core::Snapshot& s) { return !s.segments.empty() && s.segments[0].linked; }));
    ASSERT_EQ(::shm_unlink(name.c_str()), 0);
    EXPECT_TRUE(seen([](const core::Snapshot& s) { return !s.segments[0].linked && s.segments[0].exists; }))
        << "the name's removal was not published";
    m_runner.reset();
    EXPECT_FALSE(inDevShm(name));
}

TEST_F(SessionRunnerIdle, AnOutsideAttachAndAKilledWorkerAreSeenAtOnce) {
    run({"shmget 16K", "spawn 2", "shmat all", "touch all all"});
    auto before =
        seen([](const core::Snapshot& s) { return !s.segments.empty() && s.segments[0].nattch == 2; });
    ASSERT_TRUE(before);
    void* outside = ::shmat(before->segments[0].shmid, nullptr, SHM_RDONLY);
    ASSERT_NE(outside, reinterpret_cast<void*>(-1));
    EXPECT_TRUE(seen([](const core::Snapshot& s) { return s.segments[0].nattch == 3; }))
        << "the outside shmat was not published";
    ASSERT_EQ(::shmdt(outside), 0);
    EXPECT_TRUE(seen([](const core::Snapshot& s) { return s.segments[0].nattch == 2; }));

    ASSERT_EQ(::kill(before->workers[1].pid, SIGKILL), 0);
    auto after = seen([](const core::Snapshot& s) { return !s.workers[1].alive; });
    ASSERT_TRUE(after) << "the worker's end was not published";
    EXPECT_TRUE(after->workers[1].attachments.empty());
    for (const core::FrameView& f : after->frames)
        for (const core::FrameRef& r : f.mappedBy)
            EXPECT_NE(r.worker, 1) << "a frame still names the dead worker";
}

// The checks say "changed" once per change to what the session shows, and nothing for names that
// are not the session's: a check that kept answering yes (or answered for every name another user
// creates) would make the idle session thread take a quick snapshot on every turn and spin a core.
TEST(SessionWatch, ChangesToTheSessionsOwnNameAreReportedOnceOthersNamesNotAtAll) {
    core::SessionOptions options;
    options.workerPath = SHMVIZ_WORKER_PATH;
    core::Session session(options);
    const std::string name = uniqueShmName("watch-once");
    ASSERT_TRUE(session.execute("shm_open " + name + " size=16K").ok);
    session.outsideChanged(); // the baseline
    EXPECT_FALSE(session.outsideChanged()) << "nothing changed, yet the check says it did";

    const std::string other = uniqueShmName("watch-other");
    const int fd = ::shm_open(other.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ASSERT_EQ(::shm_unlink(other.c_str()), 0);
    EXPECT_FALSE(session.outsideChanged()) << "another program's name is not the session's business";

    ASSERT_EQ(::truncate(("/dev/shm" + name).c_str(), 32 * 1024), 0);
    EXPECT_TRUE(session.outsideChanged()) << "an outside ftruncate of the session's name went unseen";
    EXPECT_FALSE(session.outsideChanged());
    ASSERT_EQ(::shm_unlink(name.c_str()), 0);
    EXPECT_TRUE(session.outsideChanged()) << "an outside unlink of the session's name went unseen";
    EXPECT_FALSE(session.outsideChanged());
    const int again = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(again, 0);
    ::close(again);
    EXPECT_TRUE(session.outsideChanged()) << "a new object under the session's name went unseen";
    EXPECT_FALSE(session.outsideChanged());
    ::shm_unlink(name.c_str());
}

TEST(SessionWatch, AnOutsideAttachDetachOrRemovalOfTheSessionsSegmentIsReportedOnce) {
    core::SessionOptions options;
    options.workerPath = SHMVIZ_WORKER_PATH;
    core::Session session(options);
    ASSERT_TRUE(session.execute("shmget 16K").ok);
    const int shmid = session.latest()->segments.at(0).shmid;
    session.outsideChanged(); // the baseline
    EXPECT_FALSE(session.outsideChanged());

    const int other = ::shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    ASSERT_GE(other, 0);
    void* otherAt = ::shmat(other, nullptr, 0);
    ASSERT_NE(otherAt, reinterpret_cast<void*>(-1));
    ::shmdt(otherAt);
    ::shmctl(other, IPC_RMID, nullptr);
    EXPECT_FALSE(session.outsideChanged()) << "another program's segment is not the session's business";

    void* at = ::shmat(shmid, nullptr, SHM_RDONLY);
    ASSERT_NE(at, reinterpret_cast<void*>(-1));
    EXPECT_TRUE(session.outsideChanged()) << "an outside shmat went unseen";
    EXPECT_FALSE(session.outsideChanged());
    ASSERT_EQ(::shmctl(shmid, IPC_RMID, nullptr), 0);
    EXPECT_TRUE(session.outsideChanged()) << "an outside IPC_RMID went unseen";
    EXPECT_FALSE(session.outsideChanged());
    ASSERT_EQ(::shmdt(at), 0); // the last detach: the segment goes
    EXPECT_TRUE(session.outsideChanged()) << "the segment's end went unseen";
    EXPECT_FALSE(session.outsideChanged());
}

} // namespace
} // namespace shmviz::testing
