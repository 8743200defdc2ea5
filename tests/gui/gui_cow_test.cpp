// Copy-on-write, seen in the real window: a MAP_PRIVATE mapping that only read a page points at
// the same frame as the MAP_SHARED one; after its first write its arrow lands on a frame of its
// own, drawn as a private copy, while the shared mapping keeps the original.
#include "gui_harness.h"
#include "render/diagram_layout.h"
#include "render/frame_roles.h"
#include "render/palette.h"
#include "window_run.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

namespace shmviz::test {
namespace {

// The object exists before the workers so both map the same one; worker 1 maps it private.
constexpr const char* kBefore = "# copy-on-write, before the private write\n"
                                "shm_open /shmviz-cow-test size=8K\n"
                                "spawn 2\n"
                                "mmap 0\n"
                                "mmap 1 private\n"
                                "touch 0 0\n"
                                "read 1 0\n"
                                "snapshot\n";
constexpr const char* kWrite = "write 1 0 x\nsnapshot\n";

bool near(Image::Pixel p, render::Rgba want, int tolerance = 14) {
    return std::abs(p.r - static_cast<int>(std::lround(want.r * 255))) <= tolerance &&
           std::abs(p.g - static_cast<int>(std::lround(want.g * 255))) <= tolerance &&
           std::abs(p.b - static_cast<int>(std::lround(want.b * 255))) <= tolerance;
}

std::string describe(Image::Pixel p) {
    return "(" + std::to_string(p.r) + "," + std::to_string(p.g) + "," + std::to_string(p.b) + ")";
}

const core::AttachmentView& mapping(const core::Snapshot& s, int worker) {
    return s.workers.at(static_cast<std::size_t>(worker)).attachments.at(0);
}

std::uint64_t pfnOf(const core::Snapshot& s, int worker, std::size_t page) {
    return mapping(s, worker).entries.at(page) & core::kPagemapPfnMask;
}

// The arrow from page 0 of the worker, and the frame band its head lands on.
struct Landing {
    const render::Arrow* arrow = nullptr;
    std::optional<std::size_t> frame; // index into layout.frames
};

Landing landing(const render::DiagramLayout& layout, int worker) {
    Landing l;
    for (const render::Arrow& a : layout.arrows) {
        const render::PageBand& page = layout.pages[a.pageBand];
        if (page.worker == worker && page.firstPage == 0 && page.count == 1)
            l.arrow = &a;
    }
    if (!l.arrow)
        return l;
    for (std::size_t i = 0; i < layout.frames.size(); ++i) {
        const render::Rect& r = layout.frames[i].rect;
        if (l.arrow->toTop.y >= r.y0 && l.arrow->toTop.y <= r.y1 &&
            (std::abs(l.arrow->toTop.x - r.x0) < 1 || std::abs(l.arrow->toTop.x - r.x1) < 1))
            l.frame = i;
    }
    return l;
}

// A pixel of the arrow head, just short of the tip: solid even where the shaft is dashed.
Image::Pixel headPixel(const Image& png, const render::Arrow& a) {
    const float dx = a.toTop.x - a.fromTop.x;
    const float dy = a.toTop.y - a.fromTop.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    return png.at(a.toTop.x - dx / len * 4, a.toTop.y - dy / len * 4);
}

// Some pixel inside the frame shows the segment's colour (a private copy is hatched over).
bool frameShows(const Image& png, const render::Rect& r, render::Rgba color) {
    for (float t = 0.1f; t < 0.95f; t += 0.05f)
        if (near(png.at(r.x0 + r.width() * t, r.y0 + r.height() * 0.5f), color))
            return true;
    return false;
}

TEST(GuiCopyOnWrite, APrivateWriteMovesOnlyThePrivateArrowToAFrameOfItsOwn) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    const render::ThemeKind theme = render::ThemeKind::Dark;
    const render::Rgba segment = render::segmentColor(theme, 0, 0);
    const render::Rgba arrow = render::arrowColor(theme, 0);

    // Before the write: the private mapping only read page 0, so it shares worker 0's frame.
    const WindowRun before = runScript(dir, "before", kBefore);
    ASSERT_TRUE(before.ok);
    if (!before.snapshot.pfnVisible)
        GTEST_SKIP() << "frame numbers are hidden here (pagemap needs CAP_SYS_ADMIN): nothing to compare";
    ASSERT_EQ(before.snapshot.workers.size(), 2u);
    EXPECT_FALSE(mapping(before.snapshot, 0).privateMapping);
    EXPECT_TRUE(mapping(before.snapshot, 1).privateMapping);
    EXPECT_EQ(pfnOf(before.snapshot, 0, 0), pfnOf(before.snapshot, 1, 0));
    ASSERT_EQ(before.layout.frames.size(), 1u);
    const Landing shared0 = landing(before.layout, 0);
    const Landing private0 = landing(before.layout, 1);
    ASSERT_TRUE(shared0.arrow && private0.arrow);
    EXPECT_TRUE(private0.arrow->privateMapping);
    ASSERT_TRUE(shared0.frame && private0.frame);
    EXPECT_EQ(*shared0.frame, *private0.frame) << "both arrows land on the one frame";
    EXPECT_TRUE(frameShows(before.png, before.layout.frames[0].rect, segment));
    EXPECT_TRUE(near(headPixel(before.png, *shared0.arrow), arrow))
        << "worker 0's arrow head " << describe(headPixel(before.png, *shared0.arrow));
    EXPECT_TRUE(near(headPixel(before.png, *private0.arrow), arrow))
        << "worker 1's arrow head " << describe(headPixel(before.png, *private0.arrow));

    // After the write: worker 1 has a copy in a new frame; worker 0 keeps the original.
    const WindowRun after = runScript(dir, "after", std::string(kBefore) + kWrite);
    ASSERT_TRUE(after.ok);
    const std::uint64_t shared = pfnOf(after.snapshot, 0, 0);
    const std::uint64_t copy = pfnOf(after.snapshot, 1, 0);
    EXPECT_NE(shared, copy) << "the private write did not get a frame of its own";
    ASSERT_EQ(after.layout.frames.size(), 2u);
    const Landing shared1 = landing(after.layout, 0);
    const Landing private1 = landing(after.layout, 1);
    ASSERT_TRUE(shared1.arrow && private1.arrow);
    ASSERT_TRUE(shared1.frame && private1.frame);
    EXPECT_NE(*shared1.frame, *private1.frame) << "the private arrow must land on a different frame";
    const core::FrameView& sharedFrame =
        after.snapshot.frames[after.layout.frames[*shared1.frame].firstFrame];
    const core::FrameView& copyFrame = after.snapshot.frames[after.layout.frames[*private1.frame].firstFrame];
    EXPECT_EQ(sharedFrame.pfn, shared);
    EXPECT_EQ(copyFrame.pfn, copy);
    EXPECT_EQ(render::frameRole(after.snapshot, sharedFrame), render::FrameRole::Shared);
    EXPECT_EQ(render::frameRole(after.snapshot, copyFrame), render::FrameRole::PrivateCopy);
    ASSERT_EQ(copyFrame.mappedBy.size(), 1u);
    EXPECT_EQ(copyFrame.mappedBy[0].worker, 1);

    EXPECT_TRUE(frameShows(after.png, after.layout.frames[*shared1.frame].rect, segment));
    EXPECT_TRUE(frameShows(after.png, after.layout.frames[*private1.frame].rect, segment));
    EXPECT_TRUE(near(headPixel(after.png, *shared1.arrow), arrow))
        << "worker 0's arrow head " << describe(headPixel(after.png, *shared1.arrow));
    EXPECT_TRUE(near(headPixel(after.png, *private1.arrow), arrow))
        << "worker 1's arrow head " << describe(headPixel(after.png, *private1.arrow));
    // Worker 1's lane at the height of worker 0's frame: its arrow left there, nothing remains.
    const render::Rect& left = after.layout.frames[*shared1.frame].rect;
    const render::Rect& right = after.layout.frames[*private1.frame].rect;
    if (left.y1 <= right.y0 || right.y1 <= left.y0) {
        EXPECT_FALSE(near(after.png.at(left.x1 + 4, left.center().y), arrow))
            << "no arrow should reach the shared frame from worker 1's side any more";
    }
}

} // namespace
} // namespace shmviz::test
