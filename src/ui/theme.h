#pragma once
// ImGui styling for the dark theme and the light high-contrast projector theme, and the fonts.
#include "render/palette.h"

struct ImFont;

namespace shmviz::ui {

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* mono = nullptr;  // addresses and raw entries, so digits line up
    ImFont* large = nullptr; // column titles
};

// Resets the style to the theme and scales every size.
void applyTheme(render::ThemeKind theme, float scale);

// Rebuilds the font atlas at `scale`: DejaVu from fonts-dejavu-core when installed, else the
// built-in font. The caller re-uploads the atlas texture.
Fonts loadFonts(float scale);

// ImGui colour (ImU32) from a palette colour.
unsigned toImColor(render::Rgba color);

} // namespace shmviz::ui
