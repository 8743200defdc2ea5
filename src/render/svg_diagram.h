#pragma once
// The diagram as SVG: a second painter over the one layout (render/diagram_layout.h), in the
// theme's colours, with the labels as real text and structure a reader can use:
//   <g class="worker" data-worker data-pid>        one per worker column, its pages inside
//   <g class="frame" data-pfn data-segment data-page>   one per physical frame
//   <path class="arrow" data-worker data-page data-pfn>  one per arrow; dashed for a private mapping
// Pure: no GL and no ImGui, so the window's File > Export SVG, --svg and the tests share it.
#include "render/diagram_labels.h"
#include "render/diagram_layout.h"
#include "render/palette.h"

#include <string>
#include <vector>

namespace shmviz::render {

inline constexpr float kUiFontPx = 15; // the interface's line height at zoom 1 (ui/theme.cpp)

struct SvgOptions {
    ThemeKind theme = ThemeKind::Dark;
    float scale = 1;        // interface scale: line widths, the caption and the legend grow with it
    float diagramScale = 1; // the diagram's own text scale on top (DiagramPanel::textScale)
    std::string caption;    // the line above the diagram: which script and step; may be empty
    std::string idPrefix;   // before every id, so that several SVGs can sit inline in one HTML page
};

// `layout` and `labels` came from `snapshot` with `view`. The picture covers the view's canvas,
// with the caption line above it and the legend below it.
std::string diagramSvg(const core::Snapshot& snapshot, const DiagramLayout& layout,
                       const std::vector<Label>& labels, const ViewParams& view, const SvgOptions& options);

// A figure without a window: the diagram laid out as the window's diagram panel lays it out
// (fitted, text enlarged as far as the canvas allows), for a picture width x height pixels.
struct FigureOptions {
    int width = 1200;
    int height = 800;
    float zoom = 1;
    ThemeKind theme = ThemeKind::Light;
    std::string caption;
    std::string idPrefix;
    float textScale = 0; // the diagram's text scale; 0 fits it to the picture (at most 3)
};

struct FigureLayout {
    ViewParams view;
    DiagramLayout layout;
    std::vector<Label> labels;
    SvgOptions svg;
};

FigureLayout layoutFigure(const core::Snapshot& snapshot, const FigureOptions& options);
// The text scale layoutFigure fits to the picture: a series of figures (a handout) takes the
// smallest of its figures' so that its text keeps one size from step to step.
float fittedTextScale(const core::Snapshot& snapshot, const FigureOptions& options);
std::string figureSvg(const core::Snapshot& snapshot, const FigureOptions& options);

} // namespace shmviz::render
