#pragma once
// Every text the diagram writes, with the text fitted to its box: the whole text, a short form
// that still says the same thing, or a cut at a word boundary ending in "..." (never inside a
// number). Pure: the window measures with its fonts, the tests with a fixed advance per letter.
#include "render/diagram_layout.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shmviz::render {

enum class LabelFont { Regular, Mono, Large };
enum class LabelTone { Text, Muted, Destroyed, OnColour, Emphasis };

inline constexpr std::string_view kEllipsis = "...";

struct Label {
    Rect box;         // x0..x1: room for the text; y0: top of the line; y1 = y0 + line height
    std::string text; // what is drawn
    std::string full; // the whole text, shown on hover when `text` differs
    LabelFont font = LabelFont::Regular;
    LabelTone tone = LabelTone::Text;
    bool cut = false; // no form fitted: `text` ends with kEllipsis (or is empty)
};

// Width in pixels of `text` in `font` at the view's line height.
using MeasureText = std::function<float(LabelFont font, std::string_view text)>;

// The first of `forms` (longest first) that fits `box`; else the last one cut to fit.
Label fitLabel(const Rect& box, LabelFont font, LabelTone tone, const std::vector<std::string>& forms,
               const MeasureText& measure);

// Titles, headers, page and frame captions of `layout` (which came from `snapshot` and `index`).
// `pad` is the inner margin of a box in pixels.
std::vector<Label> labelDiagram(const core::Snapshot& snapshot, const LayoutIndex& index,
                                const DiagramLayout& layout, const ViewParams& view, float pad,
                                const MeasureText& measure);

} // namespace shmviz::render
