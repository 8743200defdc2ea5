// Three workers, and only workers 0 and 2 map a frame: in the real window, no pixel of worker 1's
// column has the arrows' colour, so nothing reads as "worker 1 maps this frame".
#include "render/palette.h"
#include "window_run.h"

#include <gtest/gtest.h>

#include <cmath>

namespace shmviz::test {
namespace {

bool arrowColoured(Image::Pixel p, render::Rgba want) {
    return std::abs(p.r - static_cast<int>(std::lround(want.r * 255))) <= 14 &&
           std::abs(p.g - static_cast<int>(std::lround(want.g * 255))) <= 14 &&
           std::abs(p.b - static_cast<int>(std::lround(want.b * 255))) <= 14;
}

TEST(GuiRouting, NoArrowColourInsideTheColumnOfAWorkerThatMapsNothing) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    const WindowRun run = runScript(dir, "three",
                                    "shmget 16K\nspawn 3\nshmat all\ntouch 0 0\ntouch 2 0\ntouch 0 3\n"
                                    "touch 2 2\nsnapshot\n",
                                    1280, 720);
    ASSERT_TRUE(run.ok);
    if (!run.snapshot.pfnVisible)
        GTEST_SKIP() << "frame numbers are hidden here (no pagemap helper): no arrows are drawn";
    ASSERT_EQ(run.layout.arrows.size(), 4u);
    const render::Rgba arrow = render::arrowColor(render::ThemeKind::Dark, 0);
    // The arrows are really drawn: the middle of each shows the colour.
    for (const render::Arrow& a : run.layout.arrows) {
        const float mx = (a.path.front().x + a.path.back().x) * 0.5f;
        const float my = (a.path.front().y + a.path.back().y) * 0.5f;
        EXPECT_TRUE(arrowColoured(run.png.at(mx, my), arrow)) << "arrow middle at " << mx << "," << my;
    }
    const render::ColumnBox* worker1 = nullptr;
    for (const render::ColumnBox& c : run.layout.columns)
        if (c.worker == 1)
            worker1 = &c;
    ASSERT_NE(worker1, nullptr);
    // Its page rows and a strip either side: an arrow passing under the column shows in the
    // borders between pages and beside the column. (The header's colour bar is the segment's.)
    const render::AttachmentBox& box = run.layout.attachments.at(1);
    ASSERT_EQ(box.worker, 1);
    int checked = 0;
    for (float y = box.body.y0 + 2; y < box.body.y1; y += 1)
        for (float x = worker1->rect.x0 - 3; x < worker1->rect.x1 + 3; x += 1) {
            EXPECT_FALSE(arrowColoured(run.png.at(x, y), arrow))
                << "arrow colour in worker 1's column at " << x << "," << y;
            ++checked;
        }
    EXPECT_GT(checked, 1000);
}

} // namespace
} // namespace shmviz::test
