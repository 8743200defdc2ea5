#pragma once
// Where the named buttons were drawn, in window pixels. With --trace the app writes each place
// when it changes, so a script driving the window (tests/gui/drive_keys.sh `click:NAME`) clicks a
// button by its name rather than by pixel positions that move whenever a panel is laid out anew.
#include <array>
#include <map>
#include <string>

namespace shmviz::ui {

class WidgetPlaces {
  public:
    using Rect = std::array<float, 4>; // x0, y0, x1, y1

    // Records the last drawn ImGui item under `name`.
    void noteLastItem(const char* name);
    // Records the current window's content region under NAME:room and how far its widgets reach
    // (from the last frame's layout) under NAME:reach, so a test sees whether anything passes the
    // window's edge.
    void noteWindowReach(const std::string& name);
    // The places that moved or appeared since the last call.
    std::map<std::string, Rect> takeChanged();

  private:
    void note(const std::string& name, const Rect& rect);

    std::map<std::string, Rect> m_places;
    std::map<std::string, Rect> m_changed;
};

} // namespace shmviz::ui
