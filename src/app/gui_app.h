#pragma once
// The GUI face: a window that draws the session's snapshots and turns clicks into steps.
#include "render/palette.h"

#include <optional>
#include <string>

namespace shmviz::app {

struct GuiOptions {
    std::string scriptName; // shown in the title and the script panel ("lifecycle", "demo.steps")
    std::string scriptText; // lines of the step language; may be empty
    bool autoSpawn = false; // true for the embedded default: spawn 2 workers, nothing else
    std::optional<std::string> screenshotPath; // run the whole script, save a PNG, exit
    std::optional<std::string> tracePath;      // --trace FILE: one JSON line per reply and per saved PNG
    std::optional<std::string> configDir;      // --config-dir DIR: where settings.ini lives
    std::optional<double> measureFpsSeconds;   // run the script, redraw for this long, print the frame rate
    bool measureNoRelayout = false;            // while measuring, keep the layout (time drawing alone)
    int width = 1600;
    int height = 900;
    bool sizeGiven = false;
    // Given on the command line; unattended runs use the defaults, never saved settings.
    std::optional<render::ThemeKind> theme;
    std::optional<float> zoom;
    bool diagramOnly = false;           // the diagram, its legend and a caption naming the step; no panels
    int atStep = 0;                     // unattended: run only the script's first atStep steps (0: all)
    std::optional<std::string> svgPath; // with screenshotPath: also the window's diagram as SVG
    bool present = false;               // start in presenter mode
    bool showMemory = false;            // --show memory: open the memory accounting window
    bool showWalk = false;              // --show walk: open the page-table walk window
};

// Returns the process exit status. Returns kNoDisplay when no window can be opened, so the
// caller can fall back to the headless face.
inline constexpr int kNoDisplay = 100;
int runGui(const GuiOptions& options);

} // namespace shmviz::app
