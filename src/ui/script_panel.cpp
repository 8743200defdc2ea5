#include "ui/script_panel.h"

#include "core/steps/lessons.h"
#include "core/steps/step.h"
#include "ui/step_button.h"

#include <imgui.h>

namespace shmviz::ui {

void ScriptPanel::load(std::string name, std::string_view text) {
    m_name = std::move(name);
    m_text = std::string(text);
    text = m_text; // `text` may have been the old m_text
    m_lines.clear();
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        m_lines.emplace_back(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    }
    m_preDone.assign(m_lines.size(), false);
    m_next = 0;
    m_lastSubmitted = static_cast<std::size_t>(-1);
    m_stopReason.clear();
    skipComments();
}

void ScriptPanel::stop(std::string reason) {
    m_stopReason = std::move(reason);
}

void ScriptPanel::markDone(std::string_view line) {
    for (std::size_t i = 0; i < m_lines.size(); ++i)
        if (!m_preDone[i] && m_lines[i] == line) {
            m_preDone[i] = true;
            break;
        }
    skipComments();
}

void ScriptPanel::skipComments() {
    while (m_next < m_lines.size() && (core::isSkippableLine(m_lines[m_next]) || m_preDone[m_next]))
        ++m_next;
}

bool ScriptPanel::next(const FrameContext& ctx) {
    skipComments();
    if (done())
        return false;
    ctx.submit(m_lines[m_next]);
    m_lastSubmitted = m_next++;
    skipComments();
    m_scrollToCurrent = true;
    return true;
}

void ScriptPanel::runAll(const FrameContext& ctx) {
    while (next(ctx)) {
    }
}

void ScriptPanel::draw(const FrameContext& ctx) {
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool listOpen = ImGui::BeginCombo("##lesson", m_name.empty() ? "choose a lesson" : m_name.c_str());
    if (!listOpen) // while open, the last item is the list's popup window
        ctx.name("lesson-list");
    if (listOpen) {
        for (const core::Lesson& lesson : core::builtinLessons()) {
            if (ImGui::Selectable((lesson.name + ": " + lesson.title).c_str(), lesson.name == m_name))
                m_chosen = lesson.name;
            ctx.name(("list:" + lesson.name).c_str());
        }
        ImGui::EndCombo();
    }
    const Allowed more = m_lines.empty() ? refused("no script loaded: choose a lesson above")
                         : stopped() ? refused("the script stopped at a require this machine does not meet")
                         : done()    ? refused("the script is at its end")
                                     : allowed();
    if (stepButton("Next step", more, "Run the next line of the script.", "Space, PageDown or Right"))
        next(ctx);
    flowButton("Run all");
    if (stepButton("Run all", more, "Run every remaining line, one after another.", nullptr))
        runAll(ctx);
    // The state after the buttons, on their line when it fits the panel, else wrapped below them.
    const std::string status = ctx.busy                     ? "running: " + ctx.runningLine
                               : stopped()                  ? "script stopped"
                               : done() && !m_lines.empty() ? "end of script"
                                                            : "";
    if (status.empty()) {
        ImGui::NewLine();
    } else {
        flowSameLine(ImGui::CalcTextSize(status.c_str()).x);
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", status.c_str());
        ImGui::PopTextWrapPos();
    }
    if (stopped()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(m_stopReason.c_str());
        ImGui::PopTextWrapPos();
    }

    ImGui::BeginChild("##lines", ImVec2(0, 0), true);
    ImGui::PushTextWrapPos(0);
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const std::string& line = m_lines[i];
        const bool comment = core::isSkippableLine(line);
        const bool current = i == m_next;
        if (current) {
            ImGui::TextUnformatted(">");
            if (m_scrollToCurrent) {
                ImGui::SetScrollHereY(0.3f);
                m_scrollToCurrent = false;
            }
        } else {
            ImGui::TextDisabled(i == m_lastSubmitted ? "*" : " ");
        }
        ImGui::SameLine();
        if (m_preDone[i])
            ImGui::TextDisabled("%s   (done at start)", line.c_str());
        else if (comment || i < m_next)
            ImGui::TextDisabled("%s", line.c_str());
        else
            ImGui::TextUnformatted(line.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
}

} // namespace shmviz::ui
