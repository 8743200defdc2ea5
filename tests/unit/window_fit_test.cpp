// The window fits the monitor's work area: the remembered size when it fits, else the work area.
#include "app/window_fit.h"

#include <gtest/gtest.h>

namespace shmviz::app {
namespace {

bool inside(const WindowRect& r, const WindowRect& area, const FrameExtents& f = {}) {
    return r.x - f.left >= area.x && r.y - f.top >= area.y &&
           r.x + r.width + f.right <= area.x + area.width &&
           r.y + r.height + f.bottom <= area.y + area.height;
}

TEST(WindowFit, TheDefaultWindowShrinksOntoAProjector) {
    const WindowRect area{0, 0, 1280, 720};
    const WindowRect r = fitWindow(1600, 900, area);
    EXPECT_EQ(r.width, 1280);
    EXPECT_EQ(r.height, 720);
    EXPECT_TRUE(inside(r, area));
}

TEST(WindowFit, ARememberedSizeThatFitsIsKeptAndCentred) {
    const WindowRect area{0, 27, 1920, 1053}; // a panel at the top
    const WindowRect r = fitWindow(1600, 900, area);
    EXPECT_EQ(r.width, 1600);
    EXPECT_EQ(r.height, 900);
    EXPECT_EQ(r.x, 160);
    EXPECT_EQ(r.y, 27 + 76);
    EXPECT_TRUE(inside(r, area));
}

TEST(WindowFit, TheTitleBarAndBordersStayOnScreenToo) {
    const WindowRect area{0, 0, 1280, 1024};
    const FrameExtents frame{1, 30, 1, 1};
    const WindowRect r = fitWindow(1600, 900, area, frame);
    EXPECT_EQ(r.width, 1278);
    EXPECT_TRUE(inside(r, area, frame));
}

TEST(WindowFit, ASecondMonitorsOffsetIsKept) {
    const WindowRect area{1920, 0, 1280, 720};
    const WindowRect r = fitWindow(1600, 900, area);
    EXPECT_EQ(r.x, 1920);
    EXPECT_TRUE(inside(r, area));
}

} // namespace
} // namespace shmviz::app
