// What is not shared, next to what is: MAP_PRIVATE copy-on-write, fork, anonymous memory,
// and two mappings in one process.
#include "posix_names.h"
#include "session_fixture.h"

#include <sys/mman.h>
#include <thread>

using namespace shmviz;
using shmviz::testing::PosixSessionTest;

namespace {

class CowTest : public PosixSessionTest {
  protected:
    std::uint64_t pfn(const core::Snapshot& s, int worker, std::size_t pageIndex, std::size_t at = 0) {
        core::PageEntry e = page(s, worker, pageIndex, at);
        EXPECT_TRUE(e.present) << "worker " << worker << " page " << pageIndex << " at " << at;
        return e.pfnBits;
    }
};

} // namespace

TEST_F(CowTest, PrivateMappingSharesTheFrameUntilItsFirstWrite) {
    ok("shm_open " + name("private") + " size=8K");
    ok("spawn 2");
    ok("mmap all");
    ok("touch all 0");
    ok("mmap 1 private");
    ok("read 1 0 at=1");
    auto s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    const auto& priv = attachment(*s, 1, 1);
    EXPECT_TRUE(priv.privateMapping);
    EXPECT_FALSE(attachment(*s, 1, 0).privateMapping);
    const std::uint64_t shared = pfn(*s, 0, 0);
    EXPECT_EQ(pfn(*s, 1, 0, 0), shared);
    EXPECT_EQ(pfn(*s, 1, 0, 1), shared)
        << "before its first write a private mapping reads the object's frame";
    auto w = ok("touch 1 0 at=1");
    EXPECT_NE(w.explain.find("Copy-on-write"), std::string::npos) << w.explain;
    s = snap();
    const std::uint64_t copy = pfn(*s, 1, 0, 1);
    EXPECT_NE(copy, shared) << "the first write gave the private mapping a frame of its own";
    EXPECT_EQ(pfn(*s, 0, 0), shared) << "shared mappings keep the original";
    EXPECT_EQ(pfn(*s, 1, 0, 0), shared) << "even in the same process";
    ok("write 0 0 seen by the shared mappings only");
    EXPECT_EQ(ok("read 1 0 at=0").data["text"], "seen by the shared mappings only");
    EXPECT_EQ(ok("read 1 0 at=1").data["text"], "") << "the private copy was taken before that write";
}

TEST_F(CowTest, PrivateWriteToAnUnreadPageCopiesAtOnce) {
    ok("shm_open " + name("private-unread") + " size=8K");
    ok("spawn 2");
    ok("mmap 0");
    ok("write 0 1 original");
    ok("mmap 1 private");
    auto w = ok("write 1 1 changed privately");
    EXPECT_EQ(ok("read 0 1").data["text"], "original");
    EXPECT_EQ(ok("read 1 1").data["text"], "changed privately");
    auto s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    EXPECT_NE(pfn(*s, 0, 1), pfn(*s, 1, 1));
    EXPECT_NE(w.explain.find("MAP_PRIVATE"), std::string::npos) << w.explain;
}

TEST_F(CowTest, ForkedChildHasItsParentsAddressesAndSharedFrames) {
    ok("shmget 16K");
    ok("shm_open " + name("fork") + " size=8K");
    ok("spawn 1");
    ok("shmat 0 seg=0");
    ok("mmap 0");
    ok("touch 0 all seg=0");
    ok("touch 0 all seg=1");
    auto forked = ok("fork 0");
    EXPECT_EQ(forked.data["worker"]["parent"], 0);
    auto s = snap();
    ASSERT_EQ(s->workers.size(), 2u);
    const core::WorkerView& parent = s->workers[0];
    const core::WorkerView& child = s->workers[1];
    EXPECT_EQ(child.parent, 0);
    EXPECT_NE(child.pid, parent.pid);
    EXPECT_TRUE(child.alive);
    ASSERT_EQ(child.attachments.size(), parent.attachments.size());
    for (std::size_t i = 0; i < child.attachments.size(); ++i) {
        EXPECT_EQ(child.attachments[i].va, parent.attachments[i].va) << "fork keeps the parent's layout";
        EXPECT_EQ(child.attachments[i].segment, parent.attachments[i].segment);
        EXPECT_TRUE(child.attachments[i].inherited);
        EXPECT_FALSE(parent.attachments[i].inherited);
    }
    EXPECT_EQ(segment(*s, 0).nattch, 2u) << "the kernel counts the child's inherited attach";
    // fork does not copy page table entries of shared mappings (mm/memory.c, vma_needs_copy): the
    // child's first access faults them in, onto its parent's frames.
    for (std::size_t at = 0; at < 2; ++at)
        EXPECT_FALSE(page(*s, 1, 0, at).present) << "attachment " << at;
    ok("touch 1 all seg=0");
    ok("touch 1 all seg=1");
    s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    for (std::size_t at = 0; at < 2; ++at)
        for (std::size_t p = 0; p < s->workers[1].attachments[at].entries.size(); ++p)
            EXPECT_EQ(pfn(*s, 1, p, at), pfn(*s, 0, p, at)) << "attachment " << at << " page " << p;
    ok("write 1 0 from the child seg=1");
    EXPECT_EQ(ok("read 0 0 seg=1").data["text"], "from the child")
        << "shared memory stays shared across fork";
    s = snap();
    EXPECT_EQ(pfn(*s, 1, 0, 1), pfn(*s, 0, 0, 1));
}

TEST_F(CowTest, AnonymousPageIsSharedAfterForkAndSplitAfterAWrite) {
    ok("spawn 1");
    ok("anon 0 2");
    ok("write 0 0 parent data seg=anon");
    ok("fork 0");
    auto s = snap();
    const core::AttachmentView& a = attachment(*s, 1);
    EXPECT_TRUE(a.anonymous);
    EXPECT_EQ(a.segment, -1);
    EXPECT_TRUE(a.inherited);
    EXPECT_EQ(a.va, attachment(*s, 0).va);
    EXPECT_EQ(ok("read 1 0 seg=anon").data["text"], "parent data") << "the child inherited the contents";
    s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    const std::uint64_t before = pfn(*s, 0, 0);
    EXPECT_EQ(pfn(*s, 1, 0), before) << "after fork both page tables point at one frame";
    EXPECT_FALSE(page(*s, 0, 0).exclusive) << "pagemap bit 56: no longer mapped by one process only";
    auto split = ok("touch 1 0 seg=anon");
    EXPECT_NE(split.explain.find("Copy-on-write"), std::string::npos) << split.explain;
    s = snap();
    EXPECT_EQ(pfn(*s, 0, 0), before) << "the parent keeps the original frame";
    EXPECT_NE(pfn(*s, 1, 0), before) << "the child's write gave it a copy";
    if (s->mapcountVisible) {
        for (const core::FrameView& f : s->frames) {
            if (f.pfn == before) {
                EXPECT_EQ(f.mapcount.value_or(0), 1u);
            }
        }
    }
    ok("write 1 0 child data seg=anon");
    EXPECT_EQ(ok("read 0 0 seg=anon").data["text"], "parent data") << "private memory is private again";
}

TEST_F(CowTest, TwoMappingsInOneProcessAreTwoAddressesForOneFrame) {
    ok("shm_open " + name("twice") + " size=8K");
    ok("spawn 1");
    ok("mmap 0");
    ok("mmap 0");
    ok("write 0 0 through the first at=0");
    EXPECT_EQ(ok("read 0 0 at=1").data["text"], "through the first");
    auto s = snap();
    EXPECT_NE(attachment(*s, 0, 0).va, attachment(*s, 0, 1).va);
    EXPECT_EQ(segment(*s).nattch, 2u);
    SKIP_WITHOUT_FRAMES(*s);
    EXPECT_EQ(pfn(*s, 0, 0, 0), pfn(*s, 0, 0, 1));
    ASSERT_EQ(s->frames.size(), 1u);
    ASSERT_EQ(s->frames[0].mappedBy.size(), 2u);
    EXPECT_EQ(s->frames[0].mappedBy[0].worker, s->frames[0].mappedBy[1].worker);
    EXPECT_NE(s->frames[0].mappedBy[0].va, s->frames[0].mappedBy[1].va);
    ok("munmap 0 at=0");
    ok("munmap 0");
}

TEST_F(CowTest, KillingAParentEndsItsForkedChild) {
    ok("spawn 1");
    ok("fork 0");
    ok("kill 0");
    auto s = snap();
    for (int i = 0; i < 50 && s->workers[1].alive; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        s = snap();
    }
    EXPECT_FALSE(s->workers[1].alive) << "PR_SET_PDEATHSIG ends the child with its parent";
    fails("touch 1 0 seg=anon", ESRCH);
}

TEST_F(CowTest, AForkedChildCanForkAgainAndEachGetsItsOwnPageTables) {
    ok("spawn 1");
    ok("anon 0 1");
    ok("touch 0 0 seg=anon");
    ok("fork 0");
    ok("fork 1");
    auto s = snap();
    ASSERT_EQ(s->workers.size(), 3u);
    EXPECT_EQ(s->workers[2].parent, 1);
    EXPECT_EQ(attachment(*s, 2).va, attachment(*s, 0).va);
    SKIP_WITHOUT_FRAMES(*s);
    EXPECT_EQ(pfn(*s, 2, 0), pfn(*s, 0, 0)) << "three page tables, one frame, until someone writes";
    ok("touch 2 0 seg=anon");
    s = snap();
    EXPECT_NE(pfn(*s, 2, 0), pfn(*s, 0, 0));
    EXPECT_EQ(pfn(*s, 1, 0), pfn(*s, 0, 0)) << "the middle process still shares with the first";
}
