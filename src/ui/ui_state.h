#pragma once
// UI-only state shared by the panels: selection, theme, zoom. Never part of a snapshot.
#include "core/session/session_runner.h"
#include "render/palette.h"
#include "ui/step_commands.h"

#include <cstdint>
#include <functional>
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
    bool wantQuit = false;
    bool fitDiagram = false;
    bool animate = true;        // off for screenshots: a figure shows the state, not a transition
    bool forceRelayout = false; // fps measurement: lay the diagram out again every frame
};

// Everything a panel may read in one frame, and the one way it may act: submit a step line.
struct FrameContext {
    const core::Snapshot& snapshot;
    double now = 0; // seconds, monotonic
    bool busy = false;
    std::string runningLine;
    std::function<void(const std::string&)> submit;
    // The lab panels drive the runner themselves (progress, cancel); may be null.
    core::SessionRunner* runner = nullptr;
    const std::vector<core::StepReply>* newReplies = nullptr; // taken since the last drawn frame
};

} // namespace shmviz::ui
