// Narration from before/after snapshots: each sentence says what the snapshots show (fault-around
// counts, a page already present, zero bytes never written, the key that changed), never what the
// step usually does.
#include "core/session/narration.h"
#include "core/session/page_facts.h"
#include "core/session/snapshot_diff.h"

#include <gtest/gtest.h>

namespace shmviz::core {
namespace {

constexpr std::uint64_t kPresent = std::uint64_t{1} << 63;

// One worker with one mapping of `pages` pages, `present` of them (from page 0) present on frames 100...
Snapshot oneMapping(std::uint64_t pages, std::vector<std::uint64_t> present, std::uint32_t key = 0x5eed) {
    Snapshot s;
    s.pfnVisible = true;
    SegmentView seg;
    seg.key = key;
    seg.nattch = 1;
    seg.size = pages * 4096;
    s.segments.push_back(seg);
    WorkerView w;
    w.id = 1;
    AttachmentView a;
    a.id = 7;
    a.segment = 0;
    a.va = 0x7f0000000000;
    a.size = pages * 4096;
    a.entries.assign(pages, 0);
    for (std::uint64_t p : present) {
        a.entries[p] = kPresent | (100 + p);
        s.frames.push_back({100 + p, 0, p, std::nullopt, {{1, 0, a.pageVa(p)}}, std::nullopt});
    }
    w.attachments.push_back(a);
    s.workers.push_back(w);
    return s;
}

TEST(NarrationFacts, AShmemReadThatFaultedInItsNeighboursSaysSoWithTheCount) {
    const Snapshot before = oneMapping(16, {});
    std::vector<std::uint64_t> all(16);
    for (std::uint64_t i = 0; i < 16; ++i)
        all[i] = i;
    const Snapshot after = oneMapping(16, all);
    const PresenceChange c = presenceChange(&before, after, 1, 7);
    EXPECT_EQ(c.became, 16u);
    const std::string s = accessPresenceSentence("read", 0, false, c);
    EXPECT_NE(s.find("15 pages next to it became present"), std::string::npos) << s;
    EXPECT_NE(s.find("fault-around"), std::string::npos) << s;
    EXPECT_NE(s.find("16 of the mapping's 16 pages"), std::string::npos) << s;
}

TEST(NarrationFacts, ASystemVReadOfOnePageSaysOnlyThatPage) {
    const Snapshot before = oneMapping(16, {});
    const Snapshot after = oneMapping(16, {3});
    const std::string s = accessPresenceSentence("read", 3, false, presenceChange(&before, after, 1, 7));
    EXPECT_NE(s.find("faulted page 3 in"), std::string::npos) << s;
    EXPECT_NE(s.find("no other page"), std::string::npos) << s;
    EXPECT_EQ(s.find("fault-around"), std::string::npos) << s;
}

TEST(NarrationFacts, ATouchAfterFaultAroundSaysNoPageFaulted) {
    std::vector<std::uint64_t> all(16);
    for (std::uint64_t i = 0; i < 16; ++i)
        all[i] = i;
    const Snapshot before = oneMapping(16, all);
    const std::string s = touchAllSentence(1, presenceChange(&before, before, 1, 7));
    EXPECT_NE(s.find("already present"), std::string::npos) << s;
    EXPECT_NE(s.find("none needed a new frame"), std::string::npos) << s;
    EXPECT_EQ(s.find("each first write faulted"), std::string::npos) << s;

    const Snapshot half = oneMapping(16, {0, 1, 2, 3});
    const std::string t = touchAllSentence(1, presenceChange(&half, before, 1, 7));
    EXPECT_NE(t.find("12 of them faulted in now"), std::string::npos) << t;
    EXPECT_NE(t.find("other 4 were already present"), std::string::npos) << t;

    const Snapshot none = oneMapping(16, {});
    EXPECT_NE(
        touchAllSentence(1, presenceChange(&none, before, 1, 7)).find("filled in 16 page table entries"),
        std::string::npos);
}

TEST(NarrationFacts, AReadOfAPageAlreadyPresentNeededNoFault) {
    const Snapshot before = oneMapping(4, {2});
    const std::string s = accessPresenceSentence("read", 2, true, presenceChange(&before, before, 1, 7));
    EXPECT_NE(s.find("already present"), std::string::npos) << s;
    EXPECT_NE(s.find("no page fault"), std::string::npos) << s;
    EXPECT_EQ(s.find("faulted page"), std::string::npos) << s;
    EXPECT_TRUE(pagePresent(before, 1, 7, 2));
    EXPECT_FALSE(pagePresent(before, 1, 7, 1));
}

TEST(NarrationFacts, ZeroBytesAreNeverCalledAFreshPageWhenAnEarlierAccessFaultedItIn) {
    const std::string touched = emptyReadSentence(true, false);
    EXPECT_NE(touched.find("already present"), std::string::npos) << touched;
    EXPECT_NE(touched.find("no process has stored text"), std::string::npos) << touched;
    EXPECT_EQ(touched.find("fresh"), std::string::npos) << touched;
    const std::string fresh = emptyReadSentence(false, false);
    EXPECT_EQ(fresh.find("already present"), std::string::npos) << fresh;
    EXPECT_NE(fresh.find("zeroes every page"), std::string::npos) << fresh;
}

// fault-around, System V half: worker 0 touched every page, then worker 1's read of page 0 found zero
// bytes. Its page was not present, but the frame was in memory: it is no fresh page.
TEST(NarrationFacts, AnEmptyReadOfAFrameAnotherWorkerFaultedInIsNoNewPage) {
    const std::string s = emptyReadSentence(false, false, {0});
    EXPECT_NE(s.find("no process has stored text"), std::string::npos) << s;
    EXPECT_NE(s.find("already in memory, mapped by worker 0"), std::string::npos) << s;
    EXPECT_NE(s.find("no new page"), std::string::npos) << s;
    EXPECT_EQ(s.find("already present"), std::string::npos) << s;
    Snapshot before = oneMapping(4, {0});
    EXPECT_TRUE(frameMapped(before, 100));
    EXPECT_FALSE(frameMapped(before, 101));
}

// cow-private: after worker 1 copied page 0 into its private mapping, a write through a shared
// mapping of the POSIX object reaches every shared mapping, not the private copy.
TEST(NarrationFacts, AWriteReachesTheMappingsThatShareItsFrame) {
    const std::string posix = writeReachSentence(false, true);
    EXPECT_NE(posix.find("every shared mapping of the object"), std::string::npos) << posix;
    EXPECT_EQ(posix.find("private"), std::string::npos) << "no private copy, none mentioned: " << posix;
    EXPECT_EQ(posix.find("attached the segment"), std::string::npos) << posix;
    // Worker 1's private mapping (attachment 9) holds its own copy of page 0 on frame 500; worker 1's
    // shared mapping (attachment 7) and the write's frame are 100.
    Snapshot snap = oneMapping(4, {0});
    AttachmentView priv = snap.workers[0].attachments[0];
    priv.id = 9;
    priv.privateMapping = true;
    priv.entries[0] = kPresent | 500;
    snap.workers[0].attachments.push_back(priv);
    EXPECT_EQ(privateCopiesOf(snap, 0, 0, 100), std::vector<int>{1});
    EXPECT_TRUE(privateCopiesOf(snap, 0, 0, 500).empty()) << "a private mapping on the written frame sees it";
    EXPECT_TRUE(privateCopiesOf(snap, 0, 1, 101).empty()) << "page 1 is not present in the private mapping";
    const std::string copied = writeReachSentence(false, true, {1});
    EXPECT_NE(copied.find("but not the MAP_PRIVATE mapping of worker 1"), std::string::npos) << copied;
    EXPECT_NE(writeReachSentence(false, false).find("every process that attached the segment"),
              std::string::npos);
    EXPECT_NE(writeReachSentence(true, true).find("private page"), std::string::npos);
}

// lifecycle: worker 0 detaches after IPC_RMID while worker 1 stays attached. No process can find
// the segment by key to attach later: it lives on only for the one still attached.
TEST(NarrationFacts, ADetachAfterIpcRmidSaysOnlyTheAttachedKeepTheSegment) {
    SegmentView seg;
    seg.dest = true;
    seg.nattch = 1;
    const std::string s = afterDetachSentence(seg);
    EXPECT_NE(s.find("marked for destruction"), std::string::npos) << s;
    EXPECT_NE(s.find("only for the 1 attachment still in place (nattch is now 1)"), std::string::npos) << s;
    EXPECT_EQ(s.find("attach later"), std::string::npos) << s;
    seg.exists = false;
    seg.nattch = 0;
    EXPECT_NE(afterDetachSentence(seg).find("freed it"), std::string::npos);
    // double-attach: the second shmdt leaves nattch 0 without IPC_RMID; the segment stays.
    SegmentView kept;
    kept.nattch = 0;
    const std::string k = afterDetachSentence(kept);
    EXPECT_NE(k.find("Nobody is attached now (nattch 0)"), std::string::npos) << k;
    EXPECT_NE(k.find("until IPC_RMID"), std::string::npos) << k;
    EXPECT_NE(k.find("shmid (its key is IPC_PRIVATE)"), std::string::npos) << k;
    kept.key = 0x5348560a;
    EXPECT_NE(afterDetachSentence(kept).find("its key 0x5348560a"), std::string::npos);
    // double-attach: the first shmdt leaves the process's other attachment: nattch counts those.
    kept.nattch = 1;
    EXPECT_NE(afterDetachSentence(kept).find("for the 1 attachment still in place"), std::string::npos);
}

// posix-lifecycle: `touch 1 3` past the end of a shrunk object fails because SIGBUS killed worker 1,
// which took its mappings with it. That failed step changed the picture; it must not say otherwise.
TEST(NarrationFacts, AFailedStepThatStillChangedTheStateSaysWhat) {
    const Snapshot before = oneMapping(4, {0, 1});
    Snapshot after = before;
    after.workers[0].alive = false; // dead, its mappings gone with it
    after.workers[0].attachments.clear();
    after.frames.clear();
    const std::string s = failedStepSentence(&before, &after);
    EXPECT_EQ(s.find("Nothing was changed"), std::string::npos) << s;
    EXPECT_NE(s.find("still changed"), std::string::npos) << s;
    EXPECT_NE(s.find("1 worker ended"), std::string::npos) << s;
    EXPECT_NE(s.find("2 arrows removed"), std::string::npos) << s;
    EXPECT_EQ(failedStepSentence(&before, &before), "Nothing was changed by this step; the session goes on.");
    EXPECT_EQ(failedStepSentence(nullptr, &before), "The session goes on.");
}

// huge-pages and page-table-cost: a hugetlb mapping of one 2 MiB page. One touch makes all 512 slots
// present with one fault and one entry; that is no fault-around, and no 512 page table entries.
Snapshot hugeMapping(std::uint64_t slotsPresent, int workers = 1) {
    Snapshot s;
    s.pfnVisible = true;
    SegmentView seg;
    seg.hugetlb = true;
    seg.hugePageSize = 2 << 20;
    seg.size = 2 << 20;
    seg.nattch = 1;
    s.segments.push_back(seg);
    for (int id = 0; id < workers; ++id) {
        WorkerView w;
        w.id = id;
        AttachmentView a;
        a.id = 1;
        a.segment = 0;
        a.va = 0x7f0000000000 + (std::uint64_t(id) << 30);
        a.size = 2 << 20;
        a.entries.assign(512, 0);
        for (std::uint64_t p = 0; p < slotsPresent; ++p)
            a.entries[p] = kPresent | (0x10000 + p);
        w.attachments.push_back(a);
        s.workers.push_back(w);
    }
    for (std::uint64_t p = 0; p < slotsPresent; ++p)
        s.frames.push_back({0x10000 + p, 0, p, std::nullopt, {}, std::nullopt});
    return s;
}

TEST(NarrationFacts, AHugePageTouchIsOneFaultAndOneEntryNotFaultAround) {
    const Snapshot before = hugeMapping(0);
    const Snapshot after = hugeMapping(512);
    EXPECT_EQ(slotsPerPage(after, 0), 512u);
    const PresenceChange c = presenceChange(&before, after, 0, 1);
    const std::string one = accessPresenceSentence("write", 0, false, c, 512);
    EXPECT_EQ(one.find("fault-around (mm"), std::string::npos) << one;
    EXPECT_EQ(one.find("read fault"), std::string::npos) << one;
    EXPECT_NE(one.find("whole huge page"), std::string::npos) << one;
    EXPECT_NE(one.find("512 of the mapping's 512 slots"), std::string::npos) << one;
    const std::string all = touchAllSentence(0, c, 512);
    EXPECT_EQ(all.find("512 page table entries"), std::string::npos) << all;
    EXPECT_NE(all.find("1 fault filled in 1 page table entry"), std::string::npos) << all;
    // The snapshot step counts huge pages as one entry and one frame each.
    const std::string summary = snapshotSummary(hugeMapping(512, 2));
    EXPECT_NE(summary.find("2 present huge page entries (covering 1024 4 KiB slots) pointing at 1 huge page"),
              std::string::npos)
        << summary;
    EXPECT_EQ(summary.find("512 frames"), std::string::npos) << summary;
    // The one-line diff under the narration: one entry and one huge page, not 512 arrows and frames.
    const std::string diff = diffSummary(diffSnapshots(before, after));
    EXPECT_EQ(diff,
              "1 huge page entry added (512 slots of 4 KiB), 1 huge page appeared (512 slots of 4 KiB)");
}

// huge-pages, POSIX half: an object on hugetlbfs has no fault-around, so mmap must not promise it.
TEST(NarrationFacts, AHugetlbfsMappingPromisesNoFaultAround) {
    EXPECT_EQ(newMappingSentence(true).find("fault-around"), std::string::npos) << newMappingSentence(true);
    EXPECT_NE(newMappingSentence(false).find("fault-around"), std::string::npos);
}

// cow-private and posix-lifecycle map a POSIX object, fault-around both kinds: the snapshot step
// names what exists by kind, not every object a "segment".
TEST(NarrationFacts, TheSnapshotStepNamesSegmentsAndObjectsByKind) {
    Snapshot s = oneMapping(4, {0});
    EXPECT_NE(snapshotSummary(s).find("1 System V segment of this session"), std::string::npos)
        << snapshotSummary(s);
    s.segments[0].kind = SegmentKind::Posix;
    EXPECT_NE(snapshotSummary(s).find("1 POSIX object of this session"), std::string::npos)
        << snapshotSummary(s);
    SegmentView sysv;
    sysv.id = 1;
    s.segments.push_back(sysv);
    EXPECT_NE(snapshotSummary(s).find("1 System V segment and 1 POSIX object of this session"),
              std::string::npos)
        << snapshotSummary(s);
    s.segments.clear();
    EXPECT_NE(snapshotSummary(s).find("0 segments of this session"), std::string::npos) << snapshotSummary(s);
}

TEST(NarrationFacts, TheKeyChangeIsTheOneTheSnapshotsShow) {
    EXPECT_EQ(keyChangeSentence(0x5eed, 0x5eed), "");
    const std::string s = keyChangeSentence(0x5eed, 0);
    EXPECT_NE(s.find("0x00005eed to 0x00000000"), std::string::npos) << s;
    const Snapshot before = oneMapping(4, {0}, 0x5eed);
    Snapshot after = oneMapping(4, {0}, 0);
    after.segments[0].dest = true;
    EXPECT_NE(diffSummary(diffSnapshots(before, after)).find("seg 0 key 0x00005eed -> 0x00000000"),
              std::string::npos);
    // IPC_PRIVATE is already 0: IPC_RMID changes no key, and the summary says none changed.
    EXPECT_EQ(diffSummary(diffSnapshots(oneMapping(4, {0}, 0), oneMapping(4, {0}, 0))), "nothing changed");
}

TEST(SnapshotDiff, ArrowsAndFramesThatAppearedOrWentAreCounted) {
    const Snapshot before = oneMapping(4, {0});
    const Snapshot after = oneMapping(4, {1, 2});
    const SnapshotDiff d = diffSnapshots(before, after);
    EXPECT_EQ(d.arrowsAdded, (std::vector<PageRef>{{1, 7, 1}, {1, 7, 2}}));
    EXPECT_EQ(d.arrowsRemoved, (std::vector<PageRef>{{1, 7, 0}}));
    EXPECT_EQ(d.framesAppeared, (std::vector<std::uint64_t>{101, 102}));
    EXPECT_EQ(d.framesFreed, (std::vector<std::uint64_t>{100}));
    EXPECT_EQ(diffSummary(d), "2 arrows added, 1 arrow removed, 2 frames appeared, 1 frame no longer mapped");
    Snapshot detached = after;
    detached.workers[0].attachments.clear();
    detached.frames.clear();
    detached.segments[0].nattch = 0;
    EXPECT_NE(diffSummary(diffSnapshots(after, detached)).find("seg 0 nattch 1 -> 0"), std::string::npos);
    EXPECT_NE(snapshotSummary(after).find("2 present page table entries pointing at 2 frames"),
              std::string::npos)
        << snapshotSummary(after);
}

// spawn promises different addresses only where the kernel randomises them, and speaks of one worker
// as one.
TEST(NarrationFacts, SpawnSaysWhatAddressRandomisationDoesHere) {
    const std::string two = spawnedSentence(2, "0 (pid 10), 1 (pid 11)", 2);
    EXPECT_NE(two.find("different virtual addresses in each"), std::string::npos) << two;
    const std::string one = spawnedSentence(1, "0 (pid 10)", 2);
    EXPECT_EQ(one.find("in each"), std::string::npos) << one;
    EXPECT_NE(one.find("Started worker 0 (pid 10)"), std::string::npos) << one;
    const std::string off = spawnedSentence(2, "0 (pid 10), 1 (pid 11)", 0);
    EXPECT_EQ(off.find("different virtual addresses"), std::string::npos) << off;
    EXPECT_NE(off.find("randomize_va_space = 0"), std::string::npos) << off;
    EXPECT_NE(spawnedSentence(2, "0 (pid 10), 1 (pid 11)", std::nullopt).find("randomised"),
              std::string::npos);
}

} // namespace
} // namespace shmviz::core
