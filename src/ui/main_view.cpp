#include "ui/main_view.h"

#include "core/session/outside_facts.h"
#include "core/steps/lessons.h"
#include "ui/step_button.h"

#include <imgui.h>

#include <algorithm>

namespace shmviz::ui {
namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus;
// Side panels re-flow to their width (buttons wrap, fields narrow: ui/step_button.h), so they
// never scroll sideways.
constexpr ImGuiWindowFlags kSidePanelFlags = kPanelFlags;

void place(float x, float y, float w, float h) {
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(w, 1.0f), std::max(h, 1.0f)), ImGuiCond_Always);
}

constexpr struct {
    const char* keys;
    const char* what;
} kShortcuts[] = {
    {"G", "shmget a new segment (size, key, mode from the controls)"},
    {"N", "spawn a worker process"},
    {"0 .. 9", "select worker 0 .. 9 (the number its label shows)"},
    {"Up / Down", "select the previous / next page"},
    {"A", "shmat: the selected worker attaches the segment"},
    {"T", "touch the selected page in the selected worker"},
    {"W / R", "write the text to / read it from the selected page"},
    {"D", "shmdt: the selected worker detaches"},
    {"K", "kill the selected worker (SIGKILL)"},
    {"X", "IPC_RMID the segment"},
    {"O", "shm_open a new POSIX object (name and size from the controls)"},
    {"M / Shift+M", "mmap the POSIX object: shared / private (copy-on-write)"},
    {"U", "shm_unlink the POSIX object"},
    {"F", "fork the selected worker"},
    {"P", "keep the segment after shmviz ends"},
    {"Space, PageDown, Right", "next line of the script (or one step toward live when looking back)"},
    {"PageUp, Left, Backspace", "look back one step (read-only: the kernel cannot be rewound)"},
    {"Ctrl+N", "new session: end the workers and segments, start the script again"},
    {"Home", "fit the diagram into the window (enlarges a small one)"},
    {"F5 / Esc", "presenter mode: the diagram fills the window, the narration in large type / leave it"},
    {"Ctrl+= / Ctrl+- / Ctrl+0", "zoom the whole interface in / out / back"},
    {"F12", "save a PNG screenshot (into Pictures)"},
    {"Shift+F12", "export the diagram as SVG, for notes (into Pictures)"},
    {"Ctrl+S", "save the steps so far as a script"},
};

} // namespace

// A figure for notes: the caption line, then the diagram with its legend over the whole window.
// No window background: the diagram's quads are drawn under ImGui on the canvas colour.
void MainView::drawDiagramOnly(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float s = state.scale();
    place(0, 0, display.x, display.y);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12 * s, 8 * s));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    if (ImGui::Begin("##figure", nullptr,
                     kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoBackground |
                         ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
        ImGui::PushStyleColor(ImGuiCol_Text, toImColor(render::paletteFor(state.theme).text));
        ImGui::PushFont(fonts.large);
        ImGui::TextUnformatted(state.caption.c_str());
        ImGui::PopFont();
        ImGui::PopStyleColor();
        if (!ctx.snapshot.pfnVisible && !ctx.snapshot.workers.empty()) { // else no frame would be explained
            ImGui::PushTextWrapPos(0);
            ImGui::TextDisabled("%s", ctx.snapshot.pfnHiddenReason.c_str());
            ImGui::PopTextWrapPos();
        }
        m_diagram.draw(ctx, state, fonts);
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
}

void MainView::takeReplies(const FrameContext& ctx) {
    for (const core::StepReply& reply : ctx.newReplies) {
        if (reply.endsScript) // before the keys: Space must not run past a failed require
            m_script.stop(reply.explain);
        m_timeline.add(reply);
        if (reply.snapshot && m_lastSnapshot && !reply.cmd.starts_with("snapshot")) {
            core::SnapshotDiff diff = core::diffSnapshots(*m_lastSnapshot, *reply.snapshot);
            if (!diff.empty()) {
                m_narration.annotate(reply.number, "Changed: " + core::diffSummary(diff) + ".");
                m_change = {std::move(diff), ctx.now};
            }
        }
        if (reply.snapshot)
            m_lastSnapshot = reply.snapshot;
        if (reply.ok && reply.data.contains("ask")) {
            const nlohmann::json& ask = reply.data["ask"];
            Question q{ask.value("kind", ""), ask.value("question", ""), {}, "", reply.number};
            for (const nlohmann::json& c : ask["choices"])
                q.choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
            m_question = std::move(q);
            m_prediction.reset();
        } else if (reply.data.contains("answer")) {
            const nlohmann::json& answer = reply.data["answer"];
            const nlohmann::json& value = answer["value"];
            const std::string truth = value.is_string() ? value.get<std::string>() : value.dump();
            if (m_prediction)
                m_narration.annotate(reply.number, "You predicted: " + *m_prediction +
                                                       ". The kernel: " + truth +
                                                       (*m_prediction == truth ? " (right)." : " (not so)."));
            m_question.reset();
            m_prediction.reset();
        }
    }
}

// A snapshot published while no step ran shows what others did (a kill, an outside shmat or
// ipcrm): it is narrated, and the next step's "Changed:" starts from it instead of claiming it.
void MainView::noteOutsideChanges(const FrameContext& ctx) {
    if (!ctx.newReplies.empty() || ctx.busy || !ctx.shared || !m_lastSnapshot ||
        ctx.shared->generation <= m_lastSnapshot->generation)
        return;
    if (const std::string text = core::outsideChangeSentence(*m_lastSnapshot, *ctx.shared); !text.empty())
        m_narration.note(text);
    m_lastSnapshot = ctx.shared;
}

void MainView::draw(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    takeReplies(ctx);
    noteOutsideChanges(ctx);
    if (state.diagramOnly) {
        drawDiagramOnly(ctx, state, fonts);
        return;
    }
    handleShortcuts(ctx, state);
    drawMenu(ctx, state);
    if (auto chosen = m_script.takeChosenLesson())
        if (auto lesson = core::findLesson(*chosen))
            startFresh(ctx, state, lesson->name, lesson->text);
    if (state.presenter)
        drawPresenter(ctx, state, fonts);
    else
        drawPanels(ctx, state, fonts);
    if (auto click = m_narration.takeClick())
        for (std::size_t i = 0; i < m_timeline.size(); ++i)
            if (m_timeline.at(i).number == click->number) {
                const std::size_t current = m_timeline.viewing().value_or(m_timeline.size() - 1);
                if (click->shift)
                    m_timeline.compare(current, i);
                else
                    m_timeline.view(i);
            }
    drawLabs(ctx);
    drawAccounting(ctx, state);
    if (m_showHelp)
        drawHelp();
}

void MainView::drawDiagramWindow(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    const std::string title =
        "Page tables and physical memory" + (ctx.busy ? "   (running: " + ctx.runningLine + ")" : "");
    if (ImGui::Begin((title + "###diagram").c_str(), nullptr,
                     kPanelFlags | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar |
                         ImGuiWindowFlags_NoScrollWithMouse)) {
        m_banner.draw(ctx, state);
        drawTimelineBanner(ctx, state);
        // A step of the timeline is drawn read-only from its own snapshot; the controls act on live only.
        const auto viewing = m_timeline.viewing();
        const core::Snapshot& shown = viewing ? *m_timeline.at(*viewing).snapshot : ctx.snapshot;
        const FrameContext shownCtx{
            shown,       ctx.now,        ctx.busy,   ctx.runningLine,
            ctx.session, ctx.newReplies, ctx.places, viewing ? m_timeline.at(*viewing).snapshot : ctx.shared};
        m_diagram.draw(shownCtx, state, fonts);
        // What changed: the newest step's diff for a few seconds while live; the viewed step's (or the
        // comparison's) while looking back.
        const render::Palette& pal = render::paletteFor(state.theme);
        const float s = state.scale();
        if (viewing) {
            const std::size_t from =
                m_timeline.compareFrom().value_or(*viewing > 0 ? *viewing - 1 : *viewing);
            drawChangeHighlight(m_diagram.layout(), shown,
                                core::diffSnapshots(*m_timeline.at(from).snapshot, shown), pal, 1, 2 * s);
        } else {
            // A figure (--screenshot) shows the state, not the fading mark of a transition.
            const float strength =
                state.animate ? static_cast<float>(1 - (ctx.now - m_change.at) / kHighlightSeconds) : 0;
            drawChangeHighlight(m_diagram.layout(), shown, m_change.diff, pal, strength, 2 * s);
        }
        noteView(shown);
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

void MainView::drawPanels(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float s = state.scale();
    const float top = ImGui::GetFrameHeight();
    const float height = display.y - top;
    const float left = std::min(300 * s, display.x * 0.25f);
    const float right = std::min(360 * s, display.x * 0.27f);
    const float middle = display.x - left - right;
    const float kernel = std::min(190 * s, height * 0.3f);

    const bool viewing = m_timeline.viewing().has_value();
    place(0, top, left, height);
    if (ImGui::Begin("Controls", nullptr, kSidePanelFlags)) {
        if (viewing)
            ImGui::TextWrapped(
                "Viewing the past: the buttons act on the live session. Press PageDown to return.");
        ImGui::BeginDisabled(viewing);
        ImGui::PushTextWrapPos(0); // every line of text wraps at the panel's edge
        m_controls.draw(ctx, state);
        ImGui::PopTextWrapPos();
        ImGui::EndDisabled();
        ctx.nameWindow("panel:controls");
    }
    ImGui::End();

    place(left, top, middle, height - kernel);
    drawDiagramWindow(ctx, state, fonts);

    place(left, top + height - kernel, middle, kernel);
    const bool posix =
        std::any_of(ctx.snapshot.segments.begin(), ctx.snapshot.segments.end(),
                    [](const core::SegmentView& s) { return s.kind == core::SegmentKind::Posix; });
    if (ImGui::Begin(posix
                         ? "Kernel: System V segments on this machine, and POSIX objects in /dev/shm###kernel"
                         : "Kernel: System V segments on this machine###kernel",
                     nullptr, kPanelFlags)) {
        const auto at = m_timeline.viewing();
        const FrameContext shownCtx{at ? *m_timeline.at(*at).snapshot : ctx.snapshot,
                                    ctx.now,
                                    ctx.busy,
                                    ctx.runningLine,
                                    ctx.session,
                                    ctx.newReplies,
                                    ctx.places};
        m_kernel.draw(shownCtx, state);
    }
    ImGui::End();

    const float scriptHeight = height * 0.45f;
    place(left + middle, top, right, scriptHeight);
    const std::string scriptTitle =
        "Script: " + (m_script.name().empty() ? std::string("none") : m_script.name());
    if (ImGui::Begin((scriptTitle + "###script").c_str(), nullptr, kSidePanelFlags)) {
        ImGui::PushTextWrapPos(0);
        drawQuestion(ctx);
        m_script.draw(ctx);
        ImGui::PopTextWrapPos();
        ctx.nameWindow("panel:script");
    }
    ImGui::End();

    place(left + middle, top + scriptHeight, right, height - scriptHeight);
    if (ImGui::Begin("What the kernel did", nullptr, kPanelFlags))
        m_narration.draw(state);
    ImGui::End();
}

// Presenter mode: the diagram fills the window above a narrow step bar that shows the newest
// step and what the kernel did, in type the back of a room can read.
void MainView::drawPresenter(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float top = ImGui::GetFrameHeight();
    ImFont* big = fonts.presenter ? fonts.presenter : ImGui::GetFont();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float pad = style.WindowPadding.x;
    const NarrationPanel::Entry* entry = m_narration.latest();
    const std::string said =
        entry ? (entry->cmd.empty() || entry->cmd.starts_with("say ") ? "" : entry->cmd + ":  ") + entry->text
              : std::string("Space or Right: next step.  F5: leave presenter mode.");
    // As many lines as the narration needs, up to a third of the window.
    const float buttonWidth = 170 * state.scale();
    const float wrap = display.x - 3 * pad - buttonWidth;
    const float textHeight = big->CalcTextSizeA(big->FontSize, FLT_MAX, wrap, said.c_str()).y;
    const float bar =
        std::min(display.y / 3, std::max(big->FontSize * 2, textHeight) + 2 * style.WindowPadding.y);

    place(0, top, display.x, display.y - top - bar);
    drawDiagramWindow(ctx, state, fonts);

    place(0, display.y - bar, display.x, bar);
    if (ImGui::Begin("##stepbar", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
        const std::string next = m_script.nextLine();
        ImGui::BeginDisabled(next.empty());
        ImGui::PushFont(big);
        if (ImGui::Button("Next", ImVec2(buttonWidth, 0)))
            m_script.next(ctx);
        ImGui::PopFont();
        ImGui::EndDisabled();
        if (!next.empty()) {
            ImGui::PushTextWrapPos(pad + buttonWidth);
            ImGui::TextDisabled("next: %s", next.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::SetCursorPos(ImVec2(2 * pad + buttonWidth, style.WindowPadding.y));
        ImGui::PushFont(big);
        ImGui::PushTextWrapPos(display.x - pad);
        if (entry && !entry->ok)
            ImGui::TextColored(
                ImGui::ColorConvertU32ToFloat4(toImColor(render::paletteFor(state.theme).destroyed)), "%s",
                said.c_str());
        else
            ImGui::TextUnformatted(said.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
    }
    ImGui::End();
}

void MainView::startFresh(const FrameContext& ctx, UiState& state, const std::string& name,
                          std::string_view text) {
    ctx.session.newSession();
    const std::string keep = name; // `name` may be the script's own, which load() replaces
    m_script.load(keep, text);
    m_narration.clear();
    m_timeline.clear();
    m_lastSnapshot.reset();
    m_change = {};
    m_question.reset();
    m_prediction.reset();
    m_narration.note("New session: the workers and segments of the last one were stopped and removed "
                     "(except any kept on purpose)." +
                     (keep.empty() ? std::string() : " Script " + keep + " starts again at its first line."));
    state.selectedWorker = 0;
    state.selectedPage = 0;
    state.selectedSegment = -1;
    state.pageTarget = {};
    state.sessionRestarted = true;
}

void MainView::drawTimelineBanner(const FrameContext& ctx, const UiState& state) {
    if (m_timeline.size() < 2)
        return;
    const auto viewing = m_timeline.viewing();
    const std::size_t last = m_timeline.size() - 1;
    int at = static_cast<int>(viewing.value_or(last));
    ImGui::SetCursorPosX(ImGui::GetStyle().ItemSpacing.x);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.35f);
    const std::string label = "step " + std::to_string(m_timeline.at(static_cast<std::size_t>(at)).number);
    if (ImGui::SliderInt("##timeline", &at, 0, static_cast<int>(last), label.c_str()))
        m_timeline.view(static_cast<std::size_t>(at));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The timeline: drag back to see an earlier step (PageUp, Left or Backspace);\n"
                          "PageDown, Right or Space come back. Shift+click a narration entry to compare it.");
    ImGui::SameLine();
    if (!viewing) {
        ImGui::TextDisabled("live");
        return;
    }
    const TimelineEntry& e = m_timeline.at(*viewing);
    const bool differs = !e.snapshot->sameContent(ctx.snapshot);
    const render::Rgba c = render::paletteFor(state.theme).destroyed;
    std::string text = "Viewing step " + std::to_string(e.number) + " of " +
                       std::to_string(m_timeline.at(last).number) + " (" + e.cmd + "), read-only: " +
                       (differs ? "the live state differs. " : "the same as the live state. ") +
                       "The kernel cannot be rewound; PageDown returns.";
    if (auto from = m_timeline.compareFrom())
        text += " Compared with step " + std::to_string(m_timeline.at(*from).number) + ": " +
                core::diffSummary(core::diffSnapshots(*m_timeline.at(*from).snapshot, *e.snapshot)) + ".";
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(c.r, c.g, c.b, 1), "%s", text.c_str());
    ImGui::PopTextWrapPos();
}

void MainView::noteView(const core::Snapshot& shown) {
    const auto viewing = m_timeline.viewing();
    if (viewing == m_lastViewed && shown.generation == m_lastViewedGeneration)
        return;
    m_lastViewed = viewing;
    m_lastViewedGeneration = shown.generation;
    std::size_t attachments = 0;
    for (const core::WorkerView& w : shown.workers)
        attachments += w.attachments.size();
    const std::size_t present = m_diagram.presentPages(); // the diagram just drew `shown`
    nlohmann::json view = {{"live", !viewing},
                           {"of", m_timeline.size() ? m_timeline.at(m_timeline.size() - 1).number : 0},
                           {"arrows", m_diagram.layout().arrows.size()},
                           {"attachments", attachments},
                           {"present", present},
                           {"segments", shown.segments.size()}};
    if (viewing)
        view["step"] = m_timeline.at(*viewing).number;
    m_viewChange = nlohmann::json::object({{"timeline", view}});
}

void MainView::drawQuestion(const FrameContext& ctx) {
    if (!m_question)
        return;
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(("Predict: " + m_question->text).c_str());
    ImGui::PopTextWrapPos();
    if (m_prediction) {
        ImGui::TextDisabled("You predicted: %s. Running the step...", m_prediction->c_str());
    } else {
        // The choices wrap to the panel's width like every row of buttons (ui/step_button.h).
        for (std::size_t i = 0; i < m_question->choices.size(); ++i) {
            const std::string& choice = m_question->choices[i];
            const std::string label = fittedLabel(choice) + "##choice" + std::to_string(i);
            if (i > 0)
                flowButton(label.c_str());
            if (ImGui::Button(label.c_str())) {
                m_prediction = choice;
                m_script.next(ctx);
            }
        }
        if (!m_question->choices.empty())
            flowSameLine(ImGui::CalcTextSize("(Space skips)").x);
        ImGui::TextDisabled("(Space skips)");
    }
    ImGui::Separator();
}

void MainView::drawLabs(const FrameContext& ctx) {
    const std::vector<core::StepReply>& replies = ctx.newReplies;
    // A lab step from a script or the prompt opens its panel, so its result is seen where it is explained.
    for (const core::StepReply& reply : replies) {
        if (reply.cmd.starts_with("race") || reply.cmd.starts_with("torn"))
            m_showRaceLab = true;
        if (reply.cmd.starts_with("ipcbench"))
            m_showIpcLab = true;
    }
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const auto lab = [&](const char* title, bool& open, auto& panel) {
        if (!open) {
            panel.take(replies); // keep every result, even while the window is closed
            return;
        }
        ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing,
                                ImVec2(0.5f, 0.5f));
        ImGui::SetNextWindowSize(ImVec2(display.x * 0.5f, display.y * 0.7f), ImGuiCond_Appearing);
        if (ImGui::Begin(title, &open, ImGuiWindowFlags_NoSavedSettings))
            panel.draw(ctx);
        else
            panel.take(replies);
        ImGui::End();
    };
    lab("Synchronisation lab: races and torn reads", m_showRaceLab, m_raceLab);
    lab("Zero-copy lab: the same bytes through pipes, sockets, queues and shared memory", m_showIpcLab,
        m_ipcLab);
}

// Opened from View or --show. Wide enough for two walks or seven columns side by side, anchored to
// the bottom so the workers and their arrows at the top of the diagram stay in sight.
void MainView::drawAccounting(const FrameContext& ctx, UiState& state) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float s = state.scale();
    const float top = ImGui::GetFrameHeight();
    const float margin = 8 * s;
    const float width = std::min(display.x - 2 * margin, 1180 * s);
    const auto window = [&](const char* title, bool& open, float height, bool atBottom, auto& panel) {
        if (!open)
            return;
        height = std::min(height, display.y - top - 2 * margin);
        const float y = atBottom ? display.y - height - margin : top + margin;
        ImGui::SetNextWindowPos(ImVec2((display.x - width) / 2, y), ImGuiCond_Appearing);
        ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Appearing);
        if (ImGui::Begin(title, &open, ImGuiWindowFlags_NoSavedSettings))
            panel.draw(ctx, state);
        ImGui::End();
    };
    window("Memory accounting: what each process is charged, and what the memory really is", state.showMemory,
           600 * s, true, m_memory);
    window("Page-table walk: how the MMU finds the selected page's frame", state.showWalk, 440 * s,
           !state.showMemory, m_walk);
}

void MainView::drawMenu(const FrameContext& ctx, UiState& state) {
    if (!ImGui::BeginMainMenuBar())
        return;
    const bool fileOpen = ImGui::BeginMenu("File");
    if (!fileOpen)
        ctx.name("menu:File");
    if (fileOpen) {
        const bool fresh = ImGui::MenuItem("New session", "Ctrl+N");
        ctx.name("file:new-session");
        if (fresh)
            startFresh(ctx, state, m_script.name(), m_script.text());
        ImGui::Separator();
        if (ImGui::MenuItem("Save screenshot (PNG)", "F12"))
            state.wantScreenshot = true;
        if (ImGui::MenuItem("Export SVG (the diagram, for notes)", "Shift+F12"))
            state.wantExportSvg = true;
        if (ImGui::MenuItem("Save steps as a script", "Ctrl+S"))
            state.wantSaveSteps = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q"))
            state.wantQuit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, state.theme == render::ThemeKind::Dark))
            state.theme = render::ThemeKind::Dark;
        if (ImGui::MenuItem("Projector theme (light, high contrast)", nullptr,
                            state.theme == render::ThemeKind::Light))
            state.theme = render::ThemeKind::Light;
        ImGui::Separator();
        if (ImGui::MenuItem("Zoom in", "Ctrl+="))
            state.zoom = std::min(3.0f, state.zoom * 1.1f);
        if (ImGui::MenuItem("Zoom out", "Ctrl+-"))
            state.zoom = std::max(0.5f, state.zoom / 1.1f);
        if (ImGui::MenuItem("Actual size", "Ctrl+0"))
            state.zoom = 1;
        if (ImGui::MenuItem("Fit diagram", "Home"))
            state.fitDiagram = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Presenter mode", "F5", state.presenter)) {
            state.presenter = !state.presenter;
            state.fitDiagram = true;
        }
        ImGui::MenuItem("Memory accounting (Rss, Pss, page tables)", nullptr, &state.showMemory);
        ImGui::MenuItem("Page-table walk of the selected page", nullptr, &state.showWalk);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Labs")) {
        ImGui::MenuItem("Synchronisation: races and torn reads", nullptr, &m_showRaceLab);
        ImGui::MenuItem("Zero-copy: pipe, socket, queue, shared memory", nullptr, &m_showIpcLab);
        ImGui::EndMenu();
    }
    const bool lessonsOpen = ImGui::BeginMenu("Lessons");
    if (!lessonsOpen) // while open, the last item is the menu's popup window, not its header
        ctx.name("menu:Lessons");
    if (lessonsOpen) {
        for (const core::Lesson& lesson : core::builtinLessons()) {
            const bool chosen = ImGui::MenuItem((lesson.name + ": " + lesson.title).c_str());
            ctx.name(("lesson:" + lesson.name).c_str());
            if (chosen)
                startFresh(ctx, state, lesson.name, lesson.text);
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Keyboard shortcuts"))
            m_showHelp = true;
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void MainView::drawHelp() {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard shortcuts", &m_showHelp,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
            for (const auto& k : kShortcuts) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.what);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

} // namespace shmviz::ui
