#include "app/window_fit.h"

#include <algorithm>

namespace shmviz::app {

WindowRect fitWindow(int width, int height, const WindowRect& workArea, const FrameExtents& frame) {
    const int roomW = workArea.width - frame.left - frame.right;
    const int roomH = workArea.height - frame.top - frame.bottom;
    WindowRect r;
    r.width = std::max(std::min(width, roomW), std::min(kMinWindowWidth, roomW));
    r.height = std::max(std::min(height, roomH), std::min(kMinWindowHeight, roomH));
    r.x = workArea.x + frame.left + std::max(0, (roomW - r.width) / 2);
    r.y = workArea.y + frame.top + std::max(0, (roomH - r.height) / 2);
    return r;
}

} // namespace shmviz::app
