#include "ui/widget_places.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <utility>

namespace shmviz::ui {

void WidgetPlaces::noteLastItem(const char* name) {
    if (!ImGui::IsItemVisible()) // scrolled out of its window: nothing there to click
        return;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    note(name, {min.x, min.y, max.x, max.y});
}

void WidgetPlaces::noteWindowReach(const std::string& name) {
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 min = ImGui::GetWindowContentRegionMin();
    const ImVec2 max = ImGui::GetWindowContentRegionMax();
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float x0 = pos.x + min.x;
    const float y0 = pos.y + min.y;
    note(name + ":room", {x0, y0, pos.x + max.x, pos.y + max.y});
    note(name + ":reach", {x0, y0, x0 + window->ContentSize.x, y0 + window->ContentSize.y});
}

void WidgetPlaces::note(const std::string& name, const Rect& rect) {
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
