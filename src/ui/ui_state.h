#pragma once
// UI-only state shared by the panels: selection, theme, zoom. Never part of a snapshot.
#include "core/session/snapshot.h"
#include "core/session/step_reply.h"
#include "render/palette.h"
#include "ui/session_actions.h"
#include "ui/step_commands.h"
#include "ui/widget_places.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shmviz::ui {

// A key press as GLFW reported it. Kept in a queue by the app because ImGui 1.86 samples key
// state once per frame and loses a press and release that arrive between two frames.
struct KeyPress {
    int key = 0;  // GLFW_KEY_*
    int mods = 0; // GLFW_MOD_*
    bool repeat = false;
};

struct UiState {
    render::ThemeKind theme = render::ThemeKind::Dark;
    float zoom = 1;         // the user's zoom (Ctrl+= / Ctrl+-)
    float contentScale = 1; // the monitor's
    float scale() const { return zoom * contentScale; }

    int selectedWorker = 0;
    std::uint64_t selectedPage = 0;
    int selectedSegment = -1; // -1: the newest
    PageTarget pageTarget;    // which of the selected worker's mappings page steps act on
    std::string posixName = "/shmviz-demo";
    SegmentRequest request;
    std::string writeText = "hello";

    std::vector<KeyPress> keys; // pressed since the last frame

    bool wantScreenshot = false;
    bool wantSaveSteps = false;
    bool wantExportSvg = false;
    bool wantQuit = false;
    bool sessionRestarted = false; // set by the view when it started a fresh session; the app clears it
    bool fitDiagram = false;
    bool presenter = false;  // the diagram fills the window; a step bar shows the narration in large type
    bool showMemory = false; // the memory accounting window
    bool showWalk = false;   // the page-table walk window
    // Set during a frame by a panel showing readings the kernel changes on its own (a frame's page
    // flags in a tooltip); the app clears it before each frame.
    bool readingsShown = false;
    bool animate = true;        // off for screenshots: a figure shows the state, not a transition
    bool forceRelayout = false; // fps measurement: lay the diagram out again every frame
    bool diagramOnly = false;   // a figure: only the diagram, its legend and `caption`
    std::string caption;        // which script and step the diagram shows
};

// Everything a panel may read in one frame, and the one way it may act: through `session`.
struct FrameContext {
    const core::Snapshot& snapshot;
    double now = 0; // seconds, monotonic
    bool busy = false;
    std::string runningLine;
    SessionActions& session;
    const std::vector<core::StepReply>& newReplies; // taken since the last drawn frame

    WidgetPlaces* places = nullptr; // set while --trace writes them
    // `snapshot` itself, for a panel that keeps what it drew from (null for a placeholder).
    std::shared_ptr<const core::Snapshot> shared = nullptr;

    void submit(const std::string& line) const { session.submit(line); }
    // Names the item just drawn, for a script that clicks it.
    void name(const char* widget) const {
        if (places)
            places->noteLastItem(widget);
    }
    // Names the current window's content region and its widgets' reach (NAME:room, NAME:reach).
    void nameWindow(const char* window) const {
        if (places)
            places->noteWindowReach(window);
    }
};

} // namespace shmviz::ui
