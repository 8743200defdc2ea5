#include "ui/widget_places.h"

#include <imgui.h>

#include <utility>

namespace shmviz::ui {

void WidgetPlaces::noteLastItem(const char* name) {
    if (!ImGui::IsItemVisible()) // scrolled out of its window: nothing there to click
        return;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const Rect rect{min.x, min.y, max.x, max.y};
    auto [it, added] = m_places.try_emplace(name, rect);
    if (added || it->second != rect) {
        it->second = rect;
        m_changed[name] = rect;
    }
}

std::map<std::string, WidgetPlaces::Rect> WidgetPlaces::takeChanged() {
    return std::exchange(m_changed, {});
}

} // namespace shmviz::ui
