// POSIX shared memory with real workers: shm_open, ftruncate, mmap, munmap, shm_unlink.
#include "posix_names.h"
#include "session_fixture.h"

#include "core/kernel/proc_maps.h"
#include "written_json.h"

#include <sys/mman.h>

using namespace shmviz;
using shmviz::testing::inDevShm;
using shmviz::testing::PosixSessionTest;
using shmviz::testing::uniqueShmName;

namespace {

class PosixTest : public PosixSessionTest {};

} // namespace

TEST_F(PosixTest, SharedObjectHasEqualFramesAtDifferentAddresses) {
    const std::string n = name("shared");
    auto created = ok("shm_open " + n + " size=16K");
    EXPECT_TRUE(created.data["segment"]["created"].get<bool>());
    EXPECT_TRUE(inDevShm(n));
    ok("spawn 2");
    ok("mmap all");
    ok("touch all 0");
    ok("touch all 2");
    auto s = snap();
    const core::SegmentView& seg = segment(*s);
    EXPECT_EQ(seg.kind, core::SegmentKind::Posix);
    EXPECT_EQ(seg.name, n);
    EXPECT_TRUE(seg.linked);
    EXPECT_NE(seg.inode, 0u);
    EXPECT_EQ(seg.size, 16384u);
    EXPECT_EQ(seg.nattch, 2u);
    EXPECT_NE(attachment(*s, 0).va, attachment(*s, 1).va) << "exec'd workers get their own layout";
    EXPECT_NE(attachment(*s, 0).maps.find("/dev/shm" + n), std::string::npos) << attachment(*s, 0).maps;
    SKIP_WITHOUT_FRAMES(*s);
    for (std::size_t p : {0u, 2u}) {
        core::PageEntry a = page(*s, 0, p), b = page(*s, 1, p);
        ASSERT_TRUE(a.present && b.present) << "page " << p;
        EXPECT_NE(a.pfnBits, 0u);
        EXPECT_EQ(a.pfnBits, b.pfnBits) << "page " << p;
    }
    EXPECT_FALSE(page(*s, 0, 1).present) << "untouched pages have no frame";
    EXPECT_EQ(s->frames.size(), 2u);
}

TEST_F(PosixTest, AfterUnlinkTheNameIsGoneButMappingsWorkUntilTheLastMunmap) {
    const std::string n = name("unlink");
    ok("shm_open " + n + " size=16K");
    ok("spawn 2");
    ok("mmap all");
    ok("write 0 0 before unlink");
    auto before = snap();
    ok("shm_unlink");
    EXPECT_FALSE(inDevShm(n)) << "shm_unlink removes the /dev/shm entry at once";
    auto s = snap();
    EXPECT_FALSE(segment(*s).linked);
    EXPECT_TRUE(segment(*s).exists) << "the mappings keep the memory";
    EXPECT_EQ(segment(*s).nattch, 2u);
    EXPECT_EQ(ok("read 1 0").data["text"], "before unlink");
    ok("write 1 1 after unlink");
    EXPECT_EQ(ok("read 0 1").data["text"], "after unlink");
    if (before->pfnVisible) {
        s = snap();
        EXPECT_EQ(page(*s, 0, 0).pfnBits, page(*before, 0, 0).pfnBits) << "the same frame after unlink";
        EXPECT_EQ(page(*s, 1, 1).pfnBits, page(*s, 0, 1).pfnBits);
    }
    auto refused = fails("mmap 0", ENOENT);
    EXPECT_NE(refused.error->message.find("unlinked"), std::string::npos) << refused.error->message;
    fails("shm_unlink", ENOENT);
    ok("munmap 0");
    EXPECT_TRUE(segment(*snap()).exists);
    EXPECT_EQ(ok("read 1 0").data["text"], "before unlink");
    auto last = ok("munmap 1");
    EXPECT_NE(last.explain.find("freed"), std::string::npos) << last.explain;
    EXPECT_FALSE(segment(*snap()).exists);
}

TEST_F(PosixTest, BadNamesAndSizesGiveClearErrors) {
    fails("shm_open demo", EINVAL);
    fails("shm_open /a/b", EINVAL);
    fails("shm_open /", EINVAL);
    fails("shm_open /" + std::string(300, 'x'), ENAMETOOLONG);
    fails("shm_open " + uniqueShmName("zero") + " size=0", EINVAL);
    auto huge = fails("shm_open " + uniqueShmName("huge") + " size=4096G", ENOSPC);
    EXPECT_NE(huge.error->message.find("/dev/shm"), std::string::npos) << huge.error->message;
    EXPECT_FALSE(inDevShm(uniqueShmName("huge"))) << "nothing created on failure";
    fails("ftruncate 4K", ENOENT); // no segment yet
    const std::string n = name("bad");
    ok("shm_open " + n);
    ok("spawn 1");
    auto empty = fails("mmap 0", EINVAL);
    EXPECT_NE(empty.error->message.find("ftruncate"), std::string::npos) << empty.error->message;
    fails("ftruncate 4096G", ENOSPC);
    fails("shm_open " + n + " excl", EEXIST);
    fails("shmat 0", EINVAL); // a POSIX object is mapped, not attached
    fails("rmid", EINVAL);
    ok("ftruncate 8K");
    ok("mmap 0");
    fails("touch 0 2", ERANGE);
    fails("touch 0 0 seg=anon", EINVAL); // no anonymous memory yet
    fails("anon 0 0", EINVAL);
    fails("fork 3", ESRCH);
    fails("shmdt 0", EINVAL); // unmapped with munmap
    ok("shmget 8K");
    fails("mmap 0", EINVAL); // a System V segment is attached, not mapped
    fails("ftruncate 4K", EINVAL);
    fails("shm_unlink", EINVAL);
    fails("munmap 0", EINVAL);
    auto s = snap();
    EXPECT_EQ(segment(*s, 0).nattch, 1u) << "nothing was lost";
    EXPECT_EQ(ok("read 0 1 seg=0").data["text"], "");
}

TEST_F(PosixTest, SigbusPastAShrunkObjectIsReportedAndTheSessionGoesOn) {
    const std::string n = name("sigbus");
    ok("shm_open " + n + " size=16K");
    ok("spawn 2");
    ok("mmap all");
    ok("touch all");
    auto shrunk = ok("ftruncate 4K");
    EXPECT_NE(shrunk.explain.find("SIGBUS"), std::string::npos) << shrunk.explain;
    auto s = snap();
    EXPECT_TRUE(page(*s, 0, 0).present);
    EXPECT_FALSE(page(*s, 0, 3).present) << "truncation removed the pages past the end from every page table";
    auto bus = fails("touch 1 3", EFAULT);
    EXPECT_NE(bus.error->message.find("SIGBUS"), std::string::npos) << bus.error->message;
    EXPECT_NE(bus.error->message.find("ftruncate"), std::string::npos) << bus.error->message;
    s = snap();
    EXPECT_FALSE(s->workers[1].alive);
    EXPECT_EQ(s->workers[1].endedHow, "killed by SIGBUS");
    EXPECT_EQ(segment(*s).nattch, 1u) << "the dead worker's mapping is gone";
    ok("write 0 0 still here");
    EXPECT_EQ(ok("read 0 0").data["text"], "still here");
    fails("touch 1 0", ESRCH);
    ok("spawn 1");
    ok("mmap 2");
    EXPECT_EQ(ok("read 2 0").data["text"], "still here");
}

TEST_F(PosixTest, SigbusInAForkedChildIsReportedToo) {
    const std::string n = name("sigbus-child");
    ok("shm_open " + n + " size=8K");
    ok("spawn 1");
    ok("mmap 0");
    ok("fork 0");
    ok("ftruncate 0");
    auto bus = fails("touch 1 0", EFAULT);
    EXPECT_NE(bus.error->message.find("SIGBUS"), std::string::npos) << bus.error->message;
    auto s = snap();
    EXPECT_FALSE(s->workers[1].alive);
    EXPECT_EQ(s->workers[1].endedHow, "killed by SIGBUS") << "read from the zombie's /proc/PID/stat";
    EXPECT_TRUE(s->workers[0].alive);
    ok("ftruncate 8K");
    ok("touch 0 1");
}

TEST_F(PosixTest, ExistingObjectIsOpenedNotRecreatedAndKeptOnesSurvive) {
    const std::string n = name("keep");
    ok("shm_open " + n + " size=8K mode=0640");
    auto again = ok("shm_open " + n + " size=64K");
    EXPECT_FALSE(again.data["segment"]["created"].get<bool>());
    EXPECT_EQ(again.data["segment"]["size"], 8192) << "size= applies only on creation";
    auto s = snap();
    EXPECT_EQ(segment(*s, 0).inode, segment(*s, 1).inode);
    EXPECT_EQ(segment(*s, 0).mode, 0640u) << "the asked mode, whatever the umask";
    ok("keep seg=0");
    m_session->end();
    EXPECT_TRUE(inDevShm(n)) << "a kept object outlives the session";
    shm_unlink(n.c_str());
}

TEST_F(PosixTest, AfterUnlinkTheObjectKeepsTheInodeItsMappingsShow) {
    const std::string n = name("inode");
    ok("shm_open " + n + " size=16K");
    ok("spawn 1");
    ok("mmap all");
    ok("touch 0 0");
    const std::uint64_t linkedInode = segment(*snap()).inode;
    ASSERT_NE(linkedInode, 0u);
    ok("shm_unlink");
    auto s = snap();
    EXPECT_FALSE(segment(*s).linked);
    // /proc/PID/maps still names the inode, with " (deleted)" after the path.
    const std::string& maps = attachment(*s, 0).maps;
    EXPECT_NE(maps.find("(deleted)"), std::string::npos) << maps;
    auto line = core::parseMapsLine(maps);
    ASSERT_TRUE(line) << maps;
    EXPECT_EQ(segment(*s).inode, line->inode);
    EXPECT_EQ(segment(*s).inode, linkedInode);
    EXPECT_TRUE(segment(*s).inodeFromMaps);
    EXPECT_EQ(shmviz::testing::writtenSnapshot(*s)["segments"][0]["inode"], linkedInode);
}

TEST_F(PosixTest, AnObjectSaysHowMuchOfItIsInMemory) {
    const std::string n = name("resident");
    ok("shm_open " + n + " size=16K");
    ok("spawn 1");
    ok("mmap all");
    ok("touch 0 0");
    ok("touch 0 2");
    auto s = snap();
    ASSERT_TRUE(segment(*s).residentKnown);
    EXPECT_EQ(segment(*s).residentBytes, 2 * s->pageSize) << "two pages touched, two in memory";
    ok("munmap 0");
    s = snap();
    EXPECT_EQ(segment(*s).residentBytes, 2 * s->pageSize)
        << "the object keeps its pages after the last munmap";
}
