#pragma once
// shmviz's command line.
#include <optional>
#include <string>
#include <vector>

namespace shmviz::app {

struct CommandLine {
    bool headless = false;
    bool text = false; // human-readable narration instead of JSON lines
    bool listLessons = false;
    std::optional<std::string> script; // a file of steps
    std::optional<std::string> lesson; // a built-in lesson name
    std::optional<std::string> screenshot;
    std::optional<std::string> trace;     // GUI: one JSON line per reply and per saved PNG
    std::optional<std::string> configDir; // GUI: where settings.ini lives
    std::optional<double> measureFps;     // GUI: seconds of redrawing without pause after the script
    bool measureNoRelayout = false;
    std::vector<std::string> show; // GUI: windows to open at start ("memory", "walk")
    int width = 1600;
    int height = 900;
    bool sizeGiven = false;
    // Figures: the same script gives the same picture whatever the last session saved.
    std::optional<std::string> theme; // "dark" or "light"
    std::optional<float> zoom;
    bool diagramOnly = false;
    std::optional<int> atStep;          // stop after this step (1..)
    std::optional<std::string> svg;     // write the diagram as SVG to FILE
    std::optional<std::string> handout; // write DIR/index.html, DIR/steps.md, DIR/step-NN.svg
    bool present = false;               // start in presenter mode
};

// Parses argv. On --help or a usage error, prints and sets exitCode (0 or 2).
std::optional<CommandLine> parseCommandLine(int argc, char** argv, int& exitCode);

} // namespace shmviz::app
