#pragma once
// "What changed": outlines the pages whose arrows appeared or went and the frames that appeared,
// over the diagram as drawn, fading out over a few seconds. Reads the layout; changes nothing in it.
#include "core/session/snapshot_diff.h"
#include "render/diagram_layout.h"
#include "render/palette.h"

namespace shmviz::ui {

inline constexpr double kHighlightSeconds = 4;

// `strength` 1 at the change, falling to 0. `snapshot` is the one the layout was made from.
void drawChangeHighlight(const render::DiagramLayout& layout, const core::Snapshot& snapshot,
                         const core::SnapshotDiff& diff, const render::Palette& palette, float strength,
                         float lineWidth);

} // namespace shmviz::ui
