// A worker's end is drawn from the index before it: the derived index must be the one indexing
// the new snapshot afresh would give, and anything else that changed must make it index afresh.
#include "render/index_after_end.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

namespace shmviz::render {
namespace {

void expectSameRuns(const std::vector<RowRun>& a, const std::vector<RowRun>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].first, b[i].first);
        EXPECT_EQ(a[i].count, b[i].count);
        EXPECT_EQ(a[i].present, b[i].present);
    }
}

void expectSameIndex(const LayoutIndex& a, const LayoutIndex& b) {
    ASSERT_EQ(a.pageRuns.size(), b.pageRuns.size());
    for (std::size_t w = 0; w < a.pageRuns.size(); ++w) {
        ASSERT_EQ(a.pageRuns[w].size(), b.pageRuns[w].size()) << "worker " << w;
        for (std::size_t i = 0; i < a.pageRuns[w].size(); ++i)
            expectSameRuns(a.pageRuns[w][i], b.pageRuns[w][i]);
    }
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
        EXPECT_EQ(a.groups[g].segment, b.groups[g].segment);
        EXPECT_EQ(a.groups[g].firstFrame, b.groups[g].firstFrame);
        EXPECT_EQ(a.groups[g].count, b.groups[g].count);
        expectSameRuns(a.groups[g].runs, b.groups[g].runs);
        expectSameRuns(a.groups[g].hugeRuns, b.groups[g].hugeRuns);
    }
    const LayoutIndex::Map& x = a.map;
    const LayoutIndex::Map& y = b.map;
    EXPECT_EQ(x.shown, y.shown);
    EXPECT_EQ(x.pfnFirst, y.pfnFirst);
    EXPECT_EQ(x.pfnLast, y.pfnLast);
    EXPECT_EQ(x.bucketPfns, y.bucketPfns);
    EXPECT_EQ(x.frames, y.frames);
    EXPECT_EQ(x.runs, y.runs);
    EXPECT_EQ(x.rowWorkers, y.rowWorkers);
    EXPECT_EQ(x.byPfn, y.byPfn);
    ASSERT_EQ(x.rows.size(), y.rows.size());
    for (std::size_t r = 0; r < x.rows.size(); ++r) {
        ASSERT_EQ(x.rows[r].size(), y.rows[r].size());
        for (std::size_t i = 0; i < x.rows[r].size(); ++i) {
            EXPECT_EQ(x.rows[r][i].index, y.rows[r][i].index);
            EXPECT_EQ(x.rows[r][i].frames, y.rows[r][i].frames);
            EXPECT_EQ(x.rows[r][i].segment, y.rows[r][i].segment);
        }
    }
    ASSERT_EQ(x.rowRuns.size(), y.rowRuns.size());
    for (std::size_t r = 0; r < x.rowRuns.size(); ++r) {
        ASSERT_EQ(x.rowRuns[r].size(), y.rowRuns[r].size());
        for (std::size_t i = 0; i < x.rowRuns[r].size(); ++i) {
            EXPECT_EQ(x.rowRuns[r][i].pfn, y.rowRuns[r][i].pfn);
            EXPECT_EQ(x.rowRuns[r][i].count, y.rowRuns[r][i].count);
        }
    }
}

// Three workers share 128 pages on scattered frames (enough for the physical map).
core::Snapshot sharedByThree() {
    core::Snapshot s = test::makeSnapshot(3, 128);
    for (int w = 0; w < 3; ++w)
        for (std::uint64_t p = 0; p < 128; ++p)
            test::touch(s, w, p, 5000 + p * 3 + (p % 5 == 0 ? 1000 : 0));
    return s;
}

// What the session publishes when `worker` is found dead (Session::dropEnded).
core::Snapshot afterEnd(core::Snapshot s, int worker) {
    s.generation += 1;
    s.pagesGeneration = s.generation;
    core::WorkerView& w = s.workers[static_cast<std::size_t>(worker)];
    w.alive = false;
    w.endedHow = "killed by SIGKILL";
    w.attachments.clear();
    for (core::FrameView& f : s.frames)
        std::erase_if(f.mappedBy, [&](const core::FrameRef& r) { return r.worker == worker; });
    std::erase_if(s.frames, [](const core::FrameView& f) { return f.mappedBy.empty(); });
    return s;
}

TEST(IndexAfterEnd, DerivedIndexIsTheFreshOne) {
    const core::Snapshot before = sharedByThree();
    const LayoutIndex index = indexSnapshot(before);
    ASSERT_TRUE(index.map.shown);
    ASSERT_EQ(index.map.rowWorkers.size(), 3u);
    const core::Snapshot after = afterEnd(before, 1);
    const auto derived = indexAfterWorkersEnded(index, before.pagesStamp(), before, after);
    ASSERT_TRUE(derived.has_value());
    expectSameIndex(*derived, indexSnapshot(after));
    EXPECT_EQ(derived->map.rowWorkers, (std::vector<int>{0, 2}));
}

TEST(IndexAfterEnd, VouchedByTheSessionItIsTheSame) {
    const core::Snapshot before = sharedByThree();
    const LayoutIndex index = indexSnapshot(before);
    core::Snapshot after = afterEnd(before, 2);
    after.pagesLessEnded = before.pagesStamp();
    const auto derived = indexAfterWorkersEnded(index, before.pagesStamp(), before, after);
    ASSERT_TRUE(derived.has_value());
    expectSameIndex(*derived, indexSnapshot(after));
}

TEST(IndexAfterEnd, AFrameOnlyTheEndedWorkerMappedMeansIndexingAfresh) {
    core::Snapshot before = test::makeSnapshot(3, 128);
    for (int w = 0; w < 3; ++w)
        for (std::uint64_t p = 0; p < 127; ++p)
            test::touch(before, w, p, 5000 + p);
    test::touch(before, 2, 127, 9000); // only worker 2 has touched the last page
    const LayoutIndex index = indexSnapshot(before);
    core::Snapshot after = afterEnd(before, 2);
    EXPECT_FALSE(indexAfterWorkersEnded(index, before.pagesStamp(), before, after).has_value());
}

TEST(IndexAfterEnd, AnyOtherChangeMeansIndexingAfresh) {
    const core::Snapshot before = sharedByThree();
    const LayoutIndex index = indexSnapshot(before);
    core::Snapshot moved = afterEnd(before, 1);
    moved.workers[0].attachments[0].entries[3] = 0; // worker 0's page 3 is no longer present
    EXPECT_FALSE(indexAfterWorkersEnded(index, before.pagesStamp(), before, moved).has_value());
    core::Snapshot nobodyEnded = before;
    nobodyEnded.generation += 1;
    EXPECT_FALSE(indexAfterWorkersEnded(index, before.pagesStamp(), before, nobodyEnded).has_value());
    core::Snapshot otherStamp = afterEnd(before, 1);
    otherStamp.pagesLessEnded = before.pagesStamp() + 7; // vouches for pages this index was not made of
    otherStamp.frames[0].pfn = 1;                        // and a frame moved
    EXPECT_FALSE(indexAfterWorkersEnded(index, before.pagesStamp(), before, otherStamp).has_value());
}

} // namespace
} // namespace shmviz::render
