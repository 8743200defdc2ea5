#pragma once
// Figures without a window: runs a script or lesson with the core session, then writes the
// diagram as SVG (--svg FILE) and/or a handout (--handout DIR). Reproducible: theme, zoom and
// size come from the command line only, never from saved settings.
#include "core/session/step_reply.h"
#include "render/palette.h"

#include <optional>
#include <string>

namespace shmviz::app {

struct FigureRequest {
    std::string title;       // the lesson's title or the script's file name
    std::string source;      // "Lesson lifecycle", "Script demo.steps"
    std::string captionName; // names the script in captions: "lifecycle"
    std::string scriptText;
    int atStep = 0; // stop after this step (0: run the whole script)
    std::optional<std::string> svgPath;
    std::optional<std::string> handoutDir;
    render::ThemeKind svgTheme = render::ThemeKind::Dark;
    render::ThemeKind handoutTheme = render::ThemeKind::Light;
    float zoom = 1;
    int width = 1600; // the SVG's size in pixels
    int height = 900;
};

// Returns 0 when every step succeeded and every file was written, 1 otherwise.
int runFigures(const FigureRequest& request);

// The line over a figure: "lifecycle, after step 5: touch 0 0".
std::string figureCaption(const std::string& scriptName, const core::StepReply& reply);

} // namespace shmviz::app
