#pragma once
// Colours of the two themes. A segment keeps its hue everywhere: its pages, its frames and the
// arrows between them; neighbouring pages alternate in lightness so single pages stay apart.
#include "render/geometry.h"

#include <cstdint>

namespace shmviz::render {

enum class ThemeKind { Dark, Light };

struct Palette {
    Rgba background;
    Rgba canvas;
    Rgba columnFill;
    Rgba outline;        // page and frame borders
    Rgba notPresentFill; // a page with no frame behind it
    Rgba text;
    Rgba mutedText;
    Rgba destroyed; // IPC_RMID given: marks the segment's headers
    Rgba selection;
};

const Palette& paletteFor(ThemeKind theme);

// segment -1 is anonymous memory (grey).
Rgba segmentColor(ThemeKind theme, int segment, std::uint64_t page);
Rgba arrowColor(ThemeKind theme, int segment);

Rgba withAlpha(Rgba color, float alpha);

} // namespace shmviz::render
