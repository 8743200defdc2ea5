#include "ui/step_button.h"

#include <imgui.h>

namespace shmviz::ui {

bool stepButton(const char* label, const Allowed& allowed, const char* tooltip, const char* shortcut) {
    const bool enabled = allowed.ok;
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
            ImGui::TextDisabled("Not possible now: %s.", allowed.why.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    return clicked && enabled;
}

} // namespace shmviz::ui
