#pragma once
// The whole window: menu bar, controls on the left, the diagram in the middle with the kernel
// panel under it, the script and the narration on the right; and the keyboard shortcuts.
#include "ui/change_highlight.h"
#include "ui/controls_panel.h"
#include "ui/diagram_panel.h"
#include "ui/ipc_lab_panel.h"
#include "ui/kernel_panel.h"
#include "ui/memory_panel.h"
#include "ui/narration_panel.h"
#include "ui/privilege_banner.h"
#include "ui/race_lab_panel.h"
#include "ui/script_panel.h"
#include "ui/timeline.h"
#include "ui/walk_panel.h"

#include <nlohmann/json.hpp>

namespace shmviz::ui {

class MainView {
  public:
    void draw(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    bool animating(double now) const {
        return m_diagram.animating(now) || now < m_change.at + kHighlightSeconds;
    }
    // What the diagram showed when that changed (a step of the timeline or live), for --trace; once.
    std::optional<nlohmann::json> takeViewChange() { return std::exchange(m_viewChange, std::nullopt); }

    ScriptPanel& script() { return m_script; }
    NarrationPanel& narration() { return m_narration; }
    const DiagramPanel& diagram() const { return m_diagram; }

    // Ends the current workers and segments and starts a fresh session with this script loaded at its
    // first line (File -> New session, and choosing a lesson).
    void startFresh(const FrameContext& ctx, UiState& state, const std::string& name, std::string_view text);

  private:
    void drawMenu(const FrameContext& ctx, UiState& state);
    void drawDiagramOnly(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawHelp();
    // [SECTION] keyboard shortcuts (main_view_keys.cpp)
    void handleShortcuts(const FrameContext& ctx, UiState& state);
    void handleWindowKeys(const FrameContext& ctx, UiState& state); // zoom, quit, save, F5, F12
    void handleBrowseKeys(const FrameContext& ctx, UiState& state); // timeline, worker and page selection
    void handleStepKeys(const FrameContext& ctx, UiState& state);   // the keys that submit a step
    void drawLabs(const FrameContext& ctx);
    void drawPanels(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawPresenter(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawDiagramWindow(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void takeReplies(const FrameContext& ctx);
    void noteOutsideChanges(const FrameContext& ctx);
    void drawTimelineBanner(const FrameContext& ctx, const UiState& state);
    void drawQuestion(const FrameContext& ctx);
    void noteView(const core::Snapshot& shown);
    void drawAccounting(const FrameContext& ctx, UiState& state);

    ControlsPanel m_controls;
    DiagramPanel m_diagram;
    KernelPanel m_kernel;
    NarrationPanel m_narration;
    ScriptPanel m_script;
    PrivilegeBanner m_banner;
    RaceLabPanel m_raceLab;
    IpcLabPanel m_ipcLab;
    Timeline m_timeline;
    std::shared_ptr<const core::Snapshot> m_lastSnapshot; // after the newest reply, or what others did since
    struct Change {
        core::SnapshotDiff diff;
        double at = -1e9; // when the step that made it was shown
    } m_change;
    struct Question {
        std::string kind, text;
        std::vector<std::string> choices;
        std::string predicted; // empty: skipped
        int number = 0;
    };
    std::optional<Question> m_question;      // asked, not yet answered
    std::optional<std::string> m_prediction; // chosen for the question the next reply answers
    std::optional<nlohmann::json> m_viewChange;
    std::optional<std::size_t> m_lastViewed = std::size_t(-2);
    std::uint64_t m_lastViewedGeneration = 0;
    MemoryPanel m_memory;
    WalkPanel m_walk;
    bool m_showHelp = false;
    bool m_showRaceLab = false;
    bool m_showIpcLab = false;
};

} // namespace shmviz::ui
