#pragma once
// Turns a diagram layout into coloured quads: columns, pages, frames, arrows. Pure; the GL
// renderer draws the result and ImGui writes the labels on top.
#include "render/diagram_animation.h"
#include "render/diagram_layout.h"
#include "render/palette.h"
#include "render/quad_list.h"

#include <optional>

namespace shmviz::render {

struct PaintOptions {
    ThemeKind theme = ThemeKind::Dark;
    float scale = 1;                        // UI scale: line widths grow with it
    std::optional<std::size_t> hoveredPage; // index into DiagramLayout::pages
    int selectedWorker = -1;
    std::optional<std::uint64_t> selectedPage;
};

inline constexpr float kArrowWidth = 3.0f; // pixels at scale 1

void paintDiagram(const DiagramLayout& layout, const core::Snapshot& snapshot, const PaintOptions& options,
                  const DiagramAnimation& animation, double now, QuadList& out);

// Where a single-page arrow's shaft runs at the given growth, for drawing and for tests.
struct ArrowShaft {
    Vec2 from;
    Vec2 to;
};
ArrowShaft arrowShaft(const Arrow& arrow, float progress);

} // namespace shmviz::render
