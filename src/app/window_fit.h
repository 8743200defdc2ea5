#pragma once
// Where a window of the remembered size goes on a monitor: unchanged when it fits the work area
// (the screen less panels and docks, glfwGetMonitorWorkarea), otherwise shrunk to fit, and centred
// in the work area either way. Pure, so a unit test can check every case.

namespace shmviz::app {

struct WindowRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};

// `frame` is what the window manager adds around the client area (left, top, right, bottom).
struct FrameExtents {
    int left = 0;
    int top = 0;
    int right = 0;
    int bottom = 0;
};

inline constexpr int kMinWindowWidth = 640;
inline constexpr int kMinWindowHeight = 400;

WindowRect fitWindow(int width, int height, const WindowRect& workArea, const FrameExtents& frame = {});

} // namespace shmviz::app
