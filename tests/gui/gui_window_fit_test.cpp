// On a 1280x720 screen (a common projector) the default window, with fresh settings and no
// --size, lies entirely on the screen: it is fitted to the monitor's work area.
#include "gui_harness.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace shmviz::test {
namespace {

TEST(GuiWindowFit, TheDefaultWindowFitsA1280x720Screen) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run and xdotool are needed (Debian packages xvfb, xdotool)";
    TempDir dir;
    dir.write("one.steps", "spawn 1\n");
    const std::string command = "cd " + quoted(dir.path()) +
                                " && ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -s '-screen 0 1280x720x24' " +
                                quoted(SHMVIZ_WINDOW_GEOMETRY) + " " + quoted(SHMVIZ_APP_PATH) +
                                " one.steps trace.jsonl " + quoted(dir.file("config")) +
                                " >geometry 2>stderr";
    ASSERT_EQ(runShell(command), 0) << command;
    std::ifstream in(dir.file("geometry"));
    int x = -1, y = -1, w = 0, h = 0;
    ASSERT_TRUE(in >> x >> y >> w >> h) << "no geometry from xwininfo";
    EXPECT_GE(x, 0);
    EXPECT_GE(y, 0);
    EXPECT_LE(x + w, 1280) << "the window runs off the right edge: " << x << "+" << w;
    EXPECT_LE(y + h, 720) << "the window runs off the bottom edge: " << y << "+" << h;
    EXPECT_GE(w, 640);
    EXPECT_GE(h, 400);
}

} // namespace
} // namespace shmviz::test
