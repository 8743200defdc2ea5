#include "ui/privilege_banner.h"

#include "render/palette.h"
#include "ui/theme.h"

#include <imgui.h>

namespace shmviz::ui {

void PrivilegeBanner::draw(const FrameContext& ctx, const UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    if (snap.pfnVisible || snap.generation == 0)
        return;
    const render::Palette& pal = render::paletteFor(state.theme);
    const bool dark = state.theme == render::ThemeKind::Dark;
    ImGui::PushStyleColor(ImGuiCol_ChildBg,
                          dark ? ImVec4(0.35f, 0.22f, 0.05f, 1) : ImVec4(1, 0.92f, 0.6f, 1));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(pal.text.r, pal.text.g, pal.text.b, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * state.scale(), 6 * state.scale()));
    const char* headline = "No arrows to physical frames: the kernel is hiding frame numbers from us.";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * style.WindowPadding.x;
    const float height = ImGui::CalcTextSize(headline, nullptr, false, wrap).y +
                         ImGui::CalcTextSize(snap.pfnHiddenReason.c_str(), nullptr, false, wrap).y +
                         style.ItemSpacing.y + 2 * style.WindowPadding.y + 2;
    ImGui::BeginChild("##banner", ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(headline);
    ImGui::TextUnformatted(snap.pfnHiddenReason.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
}

} // namespace shmviz::ui
