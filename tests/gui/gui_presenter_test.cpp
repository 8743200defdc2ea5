// Presenter mode at 1920x1080, read from the back of a room: in the real window's PNG, the letters
// of the legend and of the help line under the diagram are at least 24 px from ascender to
// descender, like the diagram's own text, not the interface's 15 px.
#include "window_run.h"

#include <gtest/gtest.h>

namespace shmviz::test {
namespace {

// Rows between y0 and y1 with a letter's pixel (brighter than the dark canvas) in [x0, x1): from
// the first to the last, inclusive.
int inkHeight(const Image& png, float x0, float x1, float y0, float y1) {
    int first = -1;
    int last = -1;
    for (int y = static_cast<int>(y0); y < static_cast<int>(y1); ++y)
        for (float x = x0; x < x1; x += 1) {
            const Image::Pixel p = png.at(x, static_cast<float>(y));
            if ((p.r + p.g + p.b) / 3 > 60) {
                first = first < 0 ? y : first;
                last = y;
                break;
            }
        }
    return first < 0 ? 0 : last - first + 1;
}

TEST(GuiPresenter, TheLegendAndHelpLineAreAsLargeAsTheDiagramsText) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    const WindowRun run = runScript(dir, "present", "shmget 16K\nspawn 2\nshmat all\ntouch 0 0\nsnapshot\n",
                                    1920, 1080, "--present");
    ASSERT_TRUE(run.ok);
    ASSERT_EQ(run.png.width, 1920);
    // The legend's line lies under the canvas, above the step bar. "present: points at a frame"
    // starts after its colour square; the help line ends at the canvas' right edge.
    const float y0 = run.view.canvas.y1 + 1;
    const float y1 = y0 + 50;
    const int key = inkHeight(run.png, run.view.canvas.x0 + 60, run.view.canvas.x0 + 200, y0, y1);
    const int help = inkHeight(run.png, run.view.canvas.x1 - 360, run.view.canvas.x1 - 12, y0, y1);
    EXPECT_GE(key, 24) << "the legend's letters";
    EXPECT_GE(help, 24) << "the help line's letters";
    EXPECT_LE(key, 45) << "one line of text, not the step bar";
}

} // namespace
} // namespace shmviz::test
