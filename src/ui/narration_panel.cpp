#include "ui/narration_panel.h"

#include "render/palette.h"
#include "ui/theme.h"

#include <imgui.h>

namespace shmviz::ui {
namespace {
constexpr std::size_t kMaxEntries = 500;
}

void NarrationPanel::add(const core::StepReply& reply) {
    Entry e;
    e.number = reply.number;
    e.cmd = reply.cmd;
    e.ok = reply.ok;
    if (!reply.ok && reply.error)
        e.text = reply.error->message;
    if (!reply.explain.empty())
        e.text += (e.text.empty() ? "" : " ") + reply.explain;
    m_entries.push_back(std::move(e));
    if (m_entries.size() > kMaxEntries)
        m_entries.pop_front();
    m_scrollToEnd = true;
}

void NarrationPanel::annotate(int number, const std::string& text) {
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it)
        if (it->number == number && !it->cmd.empty()) {
            it->notes.push_back(text);
            m_scrollToEnd = true;
            return;
        }
}

void NarrationPanel::note(const std::string& text) {
    m_entries.push_back({0, "", true, text, {}});
    m_scrollToEnd = true;
}

void NarrationPanel::draw(const UiState& state) {
    const render::Palette& pal = render::paletteFor(state.theme);
    ImGui::BeginChild("##narration", ImVec2(0, 0), false);
    if (m_entries.empty())
        ImGui::TextDisabled("Each step's explanation appears here.");
    ImGui::PushTextWrapPos(0);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const Entry& e = m_entries[i];
        const bool last = i + 1 == m_entries.size();
        const bool say = e.cmd.rfind("say ", 0) == 0;
        if (say) {
            // The lesson's own words: shown once, as the headline of what comes next.
            ImGui::TextDisabled("%d", e.number);
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(pal.text.r, pal.text.g, pal.text.b, 1));
            ImGui::TextUnformatted(e.text.c_str());
            ImGui::PopStyleColor();
            ImGui::Spacing();
            continue;
        }
        if (!e.cmd.empty()) {
            ImGui::TextDisabled("%d", e.number);
            ImGui::SameLine();
            ImGui::TextUnformatted(e.cmd.c_str());
            if (ImGui::IsItemClicked())
                m_click = Click{e.number, ImGui::GetIO().KeyShift};
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(
                    "Click: see the state after this step. Shift+click: compare it with the step viewed.");
            if (!e.ok) {
                ImGui::SameLine();
                ImGui::TextColored(ImVec4(pal.destroyed.r, pal.destroyed.g, pal.destroyed.b, 1), "failed");
            }
        }
        if (!e.ok)
            ImGui::TextColored(ImVec4(pal.destroyed.r, pal.destroyed.g, pal.destroyed.b, 1), "%s",
                               e.text.c_str());
        else if (last)
            ImGui::TextUnformatted(e.text.c_str());
        else
            ImGui::TextDisabled("%s", e.text.c_str());
        for (const std::string& n : e.notes)
            ImGui::TextColored(ImVec4(pal.selection.r, pal.selection.g, pal.selection.b, 1), "%s", n.c_str());
        ImGui::Spacing();
    }
    ImGui::PopTextWrapPos();
    if (m_scrollToEnd) {
        ImGui::SetScrollHereY(1.0f);
        m_scrollToEnd = false;
    }
    ImGui::EndChild();
}

} // namespace shmviz::ui
