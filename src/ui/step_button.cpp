#include "ui/step_button.h"

#include "render/panel_flow.h"

#include <imgui.h>

#include <algorithm>
#include <string>

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

namespace {

float contentRoom() {
    return ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
}

} // namespace

void flowSameLine(float width) {
    const float left = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMin().x;
    if (render::fitsOnLine(ImGui::GetItemRectMax().x - left, width, contentRoom(),
                           ImGui::GetStyle().ItemSpacing.x))
        ImGui::SameLine();
}

std::string fittedLabel(const std::string& label) {
    const float room = contentRoom() - 2 * ImGui::GetStyle().FramePadding.x;
    std::string out;
    std::string line;
    std::size_t at = 0;
    while (at <= label.size()) {
        const std::size_t space = std::min(label.find(' ', at), label.size());
        const std::string word = label.substr(at, space - at);
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && ImGui::CalcTextSize(longer.c_str()).x > room) {
            out += (out.empty() ? "" : "\n") + line;
            line = word;
        } else {
            line = longer;
        }
        at = space + 1;
    }
    return out + (out.empty() ? "" : "\n") + line;
}

void flowButton(const char* label) {
    flowSameLine(ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x);
}

bool fitNextField(float wantedFonts, const char* label) {
    const float font = ImGui::GetFontSize();
    const float labelWidth = ImGui::CalcTextSize(label, nullptr, true).x;
    const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
    if (labelWidth > 0 && !render::labelFits(labelWidth, inner, contentRoom(), 2 * font)) {
        ImGui::TextUnformatted(label);
        ImGui::SetNextItemWidth(-FLT_MIN);
        return false;
    }
    ImGui::SetNextItemWidth(
        render::fieldWidth(wantedFonts * font, labelWidth, inner, contentRoom(), 2 * font));
    return true;
}

void stepButtons(const FrameContext& ctx, const std::vector<StepButton>& buttons) {
    for (std::size_t i = 0; i < buttons.size(); ++i) {
        const StepButton& b = buttons[i];
        if (i > 0 && !b.newRow)
            flowButton(b.label);
        if (stepButton(b.label, b.allowed, b.tooltip, b.shortcut))
            ctx.submit(b.line);
    }
}

} // namespace shmviz::ui
