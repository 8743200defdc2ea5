#include "ui/step_button.h"

#include <imgui.h>

namespace shmviz::ui {

bool stepButton(const char* label, bool enabled, const char* tooltip, const char* shortcut) {
    ImGui::BeginDisabled(!enabled);
    const bool clicked = ImGui::Button(label);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(tooltip);
        if (shortcut)
            ImGui::TextDisabled("Shortcut: %s", shortcut);
        if (!enabled)
            ImGui::TextDisabled("Not possible right now.");
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    return clicked && enabled;
}

} // namespace shmviz::ui
