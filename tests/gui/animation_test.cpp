// Changes between snapshots animate: arrows grow in, frames fade out where they were.
#include "render/diagram_animation.h"
#include "render/diagram_painter.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

#include <cmath>

namespace shmviz::render {
namespace {

ViewParams view() {
    ViewParams v;
    v.canvas = {0, 0, 1000, 600};
    return v;
}

TEST(DiagramAnimation, ANewArrowGrowsFromItsPage) {
    core::Snapshot before = test::makeSnapshot(2, 4);
    core::Snapshot after = before;
    test::touch(after, 0, 0, 0x10);
    const DiagramLayout a = layoutDiagram(before, view());
    const DiagramLayout b = layoutDiagram(after, view());
    DiagramAnimation anim;
    anim.onSnapshotChanged(a, b, 100.0);
    ASSERT_EQ(b.arrows.size(), 1u);
    EXPECT_FLOAT_EQ(anim.arrowProgress(b.arrows[0].key, 100.0), 0);
    EXPECT_FLOAT_EQ(anim.arrowProgress(b.arrows[0].key, 100.0 + kGrowSeconds), 1);
    EXPECT_TRUE(anim.running(100.1));
    EXPECT_FALSE(anim.running(100.0 + kFadeSeconds + 0.01));
    const ArrowShaft start = arrowShaft(b.arrows[0], 0);
    EXPECT_FLOAT_EQ(start.to.x, start.from.x);
}

TEST(DiagramAnimation, AFreedFrameFadesOutWhereItWas) {
    core::Snapshot before = test::makeSnapshot(1, 4);
    test::touch(before, 0, 1, 0x10);
    core::Snapshot after = test::makeSnapshot(1, 4);
    after.workers[0].attachments.clear();
    const DiagramLayout a = layoutDiagram(before, view());
    const DiagramLayout b = layoutDiagram(after, view());
    DiagramAnimation anim;
    anim.onSnapshotChanged(a, b, 5.0);
    ASSERT_EQ(anim.fadingFrames().size(), 1u);
    EXPECT_FLOAT_EQ(anim.fadingFrames()[0].frame.rect.y0, a.frames[0].rect.y0);
    EXPECT_EQ(anim.fadingArrows().size(), 1u);
    EXPECT_GT(DiagramAnimation::fadeOpacity(5.0, 5.1), 0);
    EXPECT_FLOAT_EQ(DiagramAnimation::fadeOpacity(5.0, 5.0 + kFadeSeconds), 0);
}

TEST(DiagramAnimation, UnchangedSnapshotsDoNotAnimate) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 0, 0x10);
    const DiagramLayout a = layoutDiagram(s, view());
    DiagramAnimation anim;
    anim.onSnapshotChanged(a, a, 1.0);
    EXPECT_FALSE(anim.running(1.0));
}

TEST(DiagramPainter, PagesFramesAndArrowsUseTheSegmentColour) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 0, 0x10);
    const DiagramLayout l = layoutDiagram(s, view());
    QuadList quads;
    paintDiagram(l, s, {}, DiagramAnimation{}, 0, quads);
    const Rgba seg = segmentColor(ThemeKind::Dark, 0, 0);
    int matching = 0;
    for (const QuadInstance& q : quads.quads())
        matching += q.color.r == seg.r && q.color.g == seg.g && q.color.b == seg.b && q.color.a == 1;
    // The page, its frame, the arrow's shaft, head and tail, and the header stripes.
    EXPECT_GE(matching, 5);
}

TEST(DiagramAnimation, ACopyOnWriteArrowSwingsFromTheSharedFrameToTheCopy) {
    core::Snapshot before = test::makeSnapshot(2, 2);
    before.workers[1].attachments[0].privateMapping = true;
    test::touch(before, 0, 0, 0x50);
    test::touch(before, 1, 0, 0x50);
    core::Snapshot after = test::makeSnapshot(2, 2);
    after.workers[1].attachments[0].privateMapping = true;
    test::touch(after, 0, 0, 0x50);
    test::touch(after, 1, 0, 0x90);
    const DiagramLayout a = layoutDiagram(before, view());
    const DiagramLayout b = layoutDiagram(after, view());
    DiagramAnimation anim;
    anim.onSnapshotChanged(a, b, 10.0);
    ASSERT_EQ(b.arrows.size(), 2u);
    const Arrow& moved = b.arrows[1];
    EXPECT_FLOAT_EQ(anim.arrowProgress(moved.key, 10.0), 1); // it does not grow again: it moves
    EXPECT_FLOAT_EQ(anim.arrowTarget(moved, 10.0).first.y, a.arrows[1].toTop.y);
    EXPECT_FLOAT_EQ(anim.arrowTarget(moved, 10.0 + kMoveSeconds).first.y, moved.toTop.y);
    const float mid = anim.arrowTarget(moved, 10.0 + kMoveSeconds / 2).first.y;
    EXPECT_GT(std::abs(mid - a.arrows[1].toTop.y), 0.1f);
    EXPECT_GT(std::abs(mid - moved.toTop.y), 0.1f);
    EXPECT_TRUE(anim.running(10.0 + kMoveSeconds - 0.01));
    // The shared mapping's arrow stays put.
    EXPECT_FLOAT_EQ(anim.arrowTarget(b.arrows[0], 10.0).first.y, b.arrows[0].toTop.y);
}

} // namespace
} // namespace shmviz::render
