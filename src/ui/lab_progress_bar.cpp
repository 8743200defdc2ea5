#include "ui/lab_progress_bar.h"

#include <imgui.h>

namespace shmviz::ui {

void drawLabProgress(const FrameContext& ctx, const char* verb,
                     const std::function<std::string(const core::labs::LabProgress&)>& liveText) {
    const bool mine = ctx.runningLine.starts_with(verb);
    const core::labs::LabProgress& p = ctx.session.progress();
    std::string text = "idle";
    if (mine && p.active())
        text = liveText ? liveText(p) : ctx.runningLine;
    else if (mine)
        text = "starting workers...";
    ImGui::PushID(verb);
    ImGui::ProgressBar(mine ? p.fraction() : 0.0f, ImVec2(-ImGui::GetFontSize() * 6, 0), text.c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(!mine);
    if (ImGui::Button("Cancel"))
        ctx.session.cancel();
    ImGui::EndDisabled();
    ImGui::PopID();
}

} // namespace shmviz::ui
