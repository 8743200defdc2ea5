#pragma once
// Widths of text in the fonts the window uses (DejaVu from fonts-dejavu-core), measured from the
// font files the way Dear ImGui 1.86 measures them (advance widths at a pixel height, no kerning),
// so a figure written without a window fits its labels as the window does. Without the font
// files every character counts 0.6 of the pixel height, which is wider than DejaVu's letters.
#include "render/diagram_labels.h"

#include <memory>
#include <string_view>

namespace shmviz::render {

// The family and weight a vector figure names for a label font.
struct FontSpec {
    const char* family; // CSS font-family list
    const char* weight; // CSS font-weight
};
FontSpec fontSpec(LabelFont font);

class TextMetrics {
  public:
    // Loaded once; thread-safe after the first call.
    static const TextMetrics& dejaVu();

    // Width in pixels of `text` (UTF-8) in `font` whose line is `pixelHeight` tall (ImGui's FontSize).
    float width(LabelFont font, std::string_view text, float pixelHeight) const;
    // CSS font-size (the em) that gives a line `pixelHeight` tall, and the baseline below the top.
    float emSize(float pixelHeight) const { return pixelHeight * m_emPerHeight; }
    float baseline(float pixelHeight) const { return pixelHeight * m_ascentPerHeight; }

    struct Face;
    TextMetrics();
    ~TextMetrics();

  private:
    std::unique_ptr<Face> m_faces[3]; // Regular, Mono, Large
    // DejaVu's hhea: unitsPerEm 2048, ascent 1901, descent -483.
    float m_emPerHeight = 2048.0f / 2384.0f;
    float m_ascentPerHeight = 1901.0f / 2384.0f;
};

// A MeasureText for labelDiagram with the window's sizes: Large is 1.15 times the line height.
MeasureText figureMeasure(float lineHeight);

// The pixel height a label font is drawn at when the regular line is `lineHeight`.
float fontPixelHeight(LabelFont font, float lineHeight);

} // namespace shmviz::render
