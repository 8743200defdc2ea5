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
    ImGui::PushStyleColor(ImGuiCol_ChildBg, dark ? ImVec4(0.35f, 0.22f, 0.05f, 1) : ImVec4(1, 0.92f, 0.6f, 1));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(pal.text.r, pal.text.g, pal.text.b, 1));
    const float lines = 3.3f;
    ImGui::BeginChild("##banner", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * lines), true);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted("Frame numbers are hidden, so no arrows to physical frames are drawn.");
    ImGui::TextUnformatted(snap.pfnHiddenReason.c_str());
    ImGui::TextUnformatted("Still true: present bits, virtual addresses and the kernel's attach counts.");
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
}

} // namespace shmviz::ui
