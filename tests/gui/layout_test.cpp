// Where the diagram puts pages, frames and arrows, for hand-made snapshots.
#include "render/diagram_layout.h"
#include "render/frame_roles.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

namespace shmviz::render {
namespace {

ViewParams canvas(float w = 1000, float h = 600) {
    ViewParams v;
    v.canvas = {100, 50, 100 + w, 50 + h};
    v.lineHeight = 18;
    v.maxPagePx = 30;
    return v;
}

const ColumnBox& column(const DiagramLayout& l, int worker) {
    for (const ColumnBox& c : l.columns)
        if (c.worker == worker)
            return c;
    throw std::runtime_error("no such column");
}

TEST(DiagramLayout, PhysicalFramesSitBetweenTwoWorkers) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    const DiagramLayout l = layoutDiagram(s, canvas());
    ASSERT_EQ(l.columns.size(), 3u);
    EXPECT_LT(column(l, 0).rect.x1, column(l, -1).rect.x0);
    EXPECT_LT(column(l, -1).rect.x1, column(l, 1).rect.x0);
    EXPECT_TRUE(column(l, 0).leftOfFrames);
    EXPECT_FALSE(column(l, 1).leftOfFrames);
    for (const ColumnBox& c : l.columns) {
        EXPECT_GE(c.rect.x0, 100);
        EXPECT_LE(c.rect.x1, 1100);
    }
}

TEST(DiagramLayout, AfterShmatEveryPageIsDrawnAndNothingPointsAnywhere) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    const DiagramLayout l = layoutDiagram(s, canvas());
    EXPECT_TRUE(l.singlePages);
    ASSERT_EQ(l.pages.size(), 8u);
    for (const PageBand& p : l.pages) {
        EXPECT_EQ(p.count, 1u);
        EXPECT_EQ(p.present, 0u);
    }
    EXPECT_TRUE(l.frames.empty());
    EXPECT_TRUE(l.arrows.empty());
}

TEST(DiagramLayout, OneTouchDrawsOneArrowFromThePageToItsFrame) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 2, 0x1234);
    const DiagramLayout l = layoutDiagram(s, canvas());
    ASSERT_EQ(l.frames.size(), 1u);
    ASSERT_EQ(l.arrows.size(), 1u);
    const Arrow& a = l.arrows[0];
    const PageBand& page = l.pages[a.pageBand];
    EXPECT_EQ(page.worker, 0);
    EXPECT_EQ(page.firstPage, 2u);
    EXPECT_TRUE(a.single);
    // Worker 0 is left of the frames: from the page's right edge to the frame's left edge.
    EXPECT_FLOAT_EQ(a.fromTop.x, page.rect.x1);
    EXPECT_FLOAT_EQ(a.fromTop.y, page.rect.center().y);
    EXPECT_FLOAT_EQ(a.toTop.x, l.frames[0].rect.x0);
    EXPECT_FLOAT_EQ(a.toTop.y, l.frames[0].rect.center().y);
}

TEST(DiagramLayout, TwoWorkersSharingAPagePointAtTheSameFrameFromBothSides) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 0, 0x99);
    test::touch(s, 1, 0, 0x99);
    const DiagramLayout l = layoutDiagram(s, canvas());
    ASSERT_EQ(l.frames.size(), 1u);
    ASSERT_EQ(l.arrows.size(), 2u);
    const Rect frame = l.frames[0].rect;
    EXPECT_FLOAT_EQ(l.arrows[0].toTop.x, frame.x0);
    EXPECT_FLOAT_EQ(l.arrows[1].toTop.x, frame.x1);
    EXPECT_FLOAT_EQ(l.arrows[0].toTop.y, l.arrows[1].toTop.y);
}

TEST(DiagramLayout, HiddenFrameNumbersDrawNoFramesAndNoArrows) {
    core::Snapshot s = test::makeSnapshot(2, 4, false);
    test::touch(s, 0, 0, 0x99);
    const DiagramLayout l = layoutDiagram(s, canvas());
    EXPECT_TRUE(l.frames.empty());
    EXPECT_TRUE(l.arrows.empty());
    std::uint64_t present = 0;
    for (const PageBand& p : l.pages)
        present += p.present;
    EXPECT_EQ(present, 1u); // the present bit is still shown
}

TEST(DiagramLayout, FittingKeepsTheTallestColumnInsideTheCanvas) {
    core::Snapshot s = test::makeSnapshot(3, 200);
    const ViewParams v = canvas(900, 500);
    const DiagramLayout l = layoutDiagram(s, v);
    EXPECT_LE(l.contentHeight, v.canvas.height() + 0.5f);
    for (const PageBand& p : l.pages)
        EXPECT_LE(p.rect.y1, v.canvas.y1 + 0.5f);
}

TEST(DiagramLayout, SmallSegmentsAreCappedAtTheMaximumPageHeight) {
    core::Snapshot s = test::makeSnapshot(2, 2);
    EXPECT_FLOAT_EQ(fitPagePx(s, canvas()), 30);
}

TEST(DiagramLayout, AGibibyteInEightWorkersBecomesAFewBands) {
    constexpr std::uint64_t kPages = 262144;
    core::Snapshot s = test::makeSnapshot(8, kPages);
    for (int w = 0; w < 8; ++w)
        for (std::uint64_t p = 0; p < kPages; ++p)
            s.workers[w].attachments[0].entries[p] = test::kPresent | (0x100000 + p);
    for (std::uint64_t p = 0; p < kPages; ++p) {
        core::FrameView f;
        f.pfn = 0x100000 + p;
        f.segment = 0;
        f.page = p;
        s.frames.push_back(f);
    }
    const DiagramLayout l = layoutDiagram(s, canvas(1400, 800));
    EXPECT_FALSE(l.singlePages);
    EXPECT_EQ(l.pages.size(), 8u);
    EXPECT_EQ(l.frames.size(), 1u);
    ASSERT_EQ(l.arrows.size(), 8u);
    for (const Arrow& a : l.arrows) {
        EXPECT_FALSE(a.single);
        EXPECT_FLOAT_EQ(a.weight, 1);
    }
}

TEST(DiagramLayout, ThinAlternatingRunsMergeIntoMixedBands) {
    constexpr std::uint64_t kPages = 100000;
    core::Snapshot s = test::makeSnapshot(1, kPages, false);
    for (std::uint64_t p = 0; p < kPages; p += 2)
        s.workers[0].attachments[0].entries[p] = test::kPresent;
    const ViewParams v = canvas(800, 600);
    const DiagramLayout l = layoutDiagram(s, v);
    EXPECT_LE(l.pages.size(), static_cast<std::size_t>(v.canvas.height() / v.minBandPx) + 2);
    std::uint64_t covered = 0;
    for (const PageBand& p : l.pages)
        covered += p.count;
    EXPECT_EQ(covered, kPages);
}

TEST(DiagramLayout, ZoomingInShowsSinglePagesAndOnlyTheVisibleOnes) {
    core::Snapshot s = test::makeSnapshot(2, 10000);
    ViewParams v = canvas(1000, 600);
    v.pagePx = 20;
    v.scrollY = 2000;
    const DiagramLayout l = layoutDiagram(s, v);
    EXPECT_TRUE(l.singlePages);
    EXPECT_LT(l.pages.size(), 2u * (600 / 20 + 3));
    for (const PageBand& p : l.pages)
        EXPECT_TRUE(p.rect.overlapsRows(v.canvas.y0, v.canvas.y1));
}

TEST(DiagramLayout, HitTestFindsPagesAndFrames) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 1, 3, 0x77);
    const DiagramLayout l = layoutDiagram(s, canvas());
    for (std::size_t i = 0; i < l.pages.size(); ++i) {
        const Hit h = hitTest(l, l.pages[i].rect.center());
        EXPECT_EQ(h.kind, Hit::Kind::Page);
        EXPECT_EQ(h.index, i);
    }
    const Hit f = hitTest(l, l.frames[0].rect.center());
    EXPECT_EQ(f.kind, Hit::Kind::Frame);
    EXPECT_EQ(hitTest(l, {0, 0}).kind, Hit::Kind::None);
}

TEST(DiagramLayout, EverySnapshotWorkerGetsAColumnEvenWithoutAttachments) {
    core::Snapshot s = test::makeSnapshot(5, 4);
    s.workers[4].attachments.clear();
    s.workers[4].alive = false;
    const DiagramLayout l = layoutDiagram(s, canvas());
    EXPECT_EQ(l.columns.size(), 6u);
    EXPECT_EQ(l.attachments.size(), 4u);
}

// A private copy: worker 1's page 0 left the shared frame for one of its own (same segment page).
core::Snapshot copyOnWrite() {
    core::Snapshot s = test::makeSnapshot(2, 2);
    s.workers[1].attachments[0].privateMapping = true;
    test::touch(s, 0, 0, 0x50);
    test::touch(s, 1, 0, 0x90);
    return s;
}

TEST(DiagramLayout, APrivateCopyIsItsOwnFrameAndItsArrowGoesThere) {
    const core::Snapshot s = copyOnWrite();
    const DiagramLayout l = layoutDiagram(s, canvas());
    ASSERT_EQ(l.frames.size(), 2u);
    ASSERT_EQ(l.arrows.size(), 2u);
    EXPECT_FALSE(l.arrows[0].privateMapping);
    EXPECT_TRUE(l.arrows[1].privateMapping);
    EXPECT_EQ(l.arrows[0].target, 0x50u);
    EXPECT_EQ(l.arrows[1].target, 0x90u);
    EXPECT_FLOAT_EQ(l.arrows[0].toTop.y, l.frames[0].rect.center().y);
    EXPECT_FLOAT_EQ(l.arrows[1].toTop.y, l.frames[1].rect.center().y);
    // pagemap: the copy is an anonymous page (bit 61 clear); the shared frame is a shmem page.
    EXPECT_EQ(frameRole(s, s.frames[1]), FrameRole::PrivateCopy);
    core::Snapshot shmem = s;
    shmem.workers[1].attachments[0].entries[0] |= std::uint64_t{1} << 61;
    EXPECT_EQ(frameRole(shmem, shmem.frames[1]), FrameRole::Shared);
    EXPECT_EQ(frameRole(s, s.frames[0]), FrameRole::Shared);
}

TEST(DiagramLayout, AnonymousFramesComeAfterTheSegmentsAndGetTheirArrows) {
    core::Snapshot s = test::makeSnapshot(2, 2);
    for (core::WorkerView& w : s.workers) {
        core::AttachmentView anon;
        anon.id = 2;
        anon.segment = -1;
        anon.anonymous = true;
        anon.va = 0x7e0000000000ULL;
        anon.size = 2 * 4096;
        anon.entries.assign(2, 0);
        w.attachments.push_back(anon);
    }
    test::touch(s, 0, 0, 0x10);
    // Both workers' anonymous page 0 on one frame, as right after fork.
    for (int w = 0; w < 2; ++w) {
        s.workers[w].attachments[1].entries[0] = test::kPresent | 0x20;
    }
    core::FrameView f;
    f.pfn = 0x20;
    f.segment = -1;
    f.mappedBy = {{0, 1, 0x7e0000000000ULL}, {1, 1, 0x7e0000000000ULL}};
    s.frames.push_back(f);
    const DiagramLayout l = layoutDiagram(s, canvas());
    ASSERT_EQ(l.arrows.size(), 3u);
    ASSERT_EQ(l.segments.size(), 2u);
    EXPECT_EQ(l.segments[1].segment, -1);
    EXPECT_FLOAT_EQ(l.arrows[1].toTop.y, l.arrows[2].toTop.y);
}

TEST(DiagramLayout, AHugePageIsOneFrameCoveringAllItsSlots) {
    core::Snapshot s = test::makeSnapshot(1, 512);
    s.segments[0].hugetlb = true;
    s.segments[0].hugePageSize = 2 << 20;
    for (std::uint64_t p = 0; p < 512; ++p)
        test::touch(s, 0, p, 0x40000 + p);
    ViewParams v = canvas();
    v.pagePx = 12; // zoomed in: single pages, yet the frame stays one
    const DiagramLayout l = layoutDiagram(s, v);
    ASSERT_EQ(l.frames.size(), 1u);
    EXPECT_TRUE(l.frames[0].huge);
    EXPECT_EQ(l.frames[0].count, 512u);
    for (const Arrow& a : l.arrows) {
        EXPECT_GE(a.toTop.y, l.frames[0].rect.y0);
        EXPECT_LE(a.toTop.y, l.frames[0].rect.y1);
    }
}

TEST(DiagramLayout, AForkedChildFacesItsParentAcrossTheFrames) {
    core::Snapshot s = test::makeSnapshot(4, 2);
    s.workers[3].parent = 0; // W3 was forked from W0: tier 0 is W0 | frames | W3, tier 1 W1 | W2
    const DiagramLayout l = layoutDiagram(s, canvas(1400, 600));
    EXPECT_TRUE(column(l, 0).leftOfFrames);
    EXPECT_FALSE(column(l, 3).leftOfFrames);
    EXPECT_TRUE(column(l, 1).leftOfFrames);
    EXPECT_FALSE(column(l, 2).leftOfFrames);
    EXPECT_EQ(column(l, 0).tier, 0);
    EXPECT_EQ(column(l, 3).tier, 0);
    EXPECT_EQ(column(l, 1).tier, 1);
    EXPECT_FLOAT_EQ(column(l, 0).rect.y0, column(l, 3).rect.y0);
    EXPECT_LT(column(l, 0).rect.y1, column(l, 1).rect.y0);
    EXPECT_LT(column(l, 0).rect.x1, column(l, -1).rect.x0);
    EXPECT_LT(column(l, -1).rect.x1, column(l, 3).rect.x0);
}

TEST(DiagramLayout, TitlesAndHeadersStayAtTheTopWhileTheirColumnScrolls) {
    core::Snapshot s = test::makeSnapshot(2, 200);
    ViewParams v = canvas(1000, 600);
    v.pagePx = 20;
    v.scrollY = 1000;
    const DiagramLayout l = layoutDiagram(s, v);
    for (const ColumnBox& c : l.columns) {
        if (c.worker < 0)
            continue;
        EXPECT_LT(c.title.y0, v.canvas.y0);
        EXPECT_FLOAT_EQ(c.stickyTitle.y0, v.canvas.y0);
    }
    for (const AttachmentBox& a : l.attachments)
        EXPECT_FLOAT_EQ(a.stickyHeader.y0, column(l, a.worker).stickyTitle.y1);
}

TEST(DiagramLayout, HomeEnlargesASmallDiagramUntilItFillsTheCanvas) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    const LayoutIndex index = indexSnapshot(s);
    ViewParams v = canvas(1800, 950);
    const float scale = fitScale(s, index, v);
    EXPECT_GT(scale, 1.3f);
    v.lineHeight *= scale;
    v.maxPagePx *= scale;
    const DiagramLayout l = layoutDiagram(s, index, v);
    EXPECT_LE(l.contentHeight, v.canvas.height());
    EXPECT_GT(l.contentHeight, v.canvas.height() * 0.4f);
}

} // namespace
} // namespace shmviz::render
