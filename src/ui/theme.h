#pragma once
// ImGui styling for the dark theme and the light high-contrast projector theme, and the fonts.
#include "render/palette.h"

struct ImFont;

namespace shmviz::ui {

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* mono = nullptr;  // addresses and raw entries, so digits line up
    ImFont* large = nullptr; // column titles
    // The same three at twice the size: the diagram's text, enlarged by its zoom, is drawn from
    // these (scaled down, so it stays sharp).
    ImFont* bigRegular = nullptr;
    ImFont* bigMono = nullptr;
    ImFont* bigLarge = nullptr;
    ImFont* presenter = nullptr; // the narration in presenter mode: 28 px at scale 1
};

// Resets the style to the theme and scales every size.
void applyTheme(render::ThemeKind theme, float scale);

// Rebuilds the font atlas at `scale`: DejaVu from fonts-dejavu-core when installed, else the
// built-in font. The caller re-uploads the atlas texture.
Fonts loadFonts(float scale);

// ImGui colour (ImU32) from a palette colour.
unsigned toImColor(render::Rgba color);

} // namespace shmviz::ui
