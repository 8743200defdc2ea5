#pragma once
// Widgets of a side panel placed left to right that wrap to the next line when the next one would
// pass the panel's edge, and fields that narrow to the panel, so a narrow or zoomed panel re-flows
// instead of scrolling sideways or cutting a control. Pure: the panels measure with their fonts,
// the tests with a fixed advance per letter.
#include <vector>

namespace shmviz::render {

// Whether a widget `width` wide still fits on a line whose widgets end `lineEnd` pixels from the
// panel's left content edge (0: the line is empty; it always fits there).
bool fitsOnLine(float lineEnd, float width, float room, float spacing);

// The line (0, 1, ...) each widget lands on.
std::vector<int> flowLines(const std::vector<float>& widths, float room, float spacing);

// An input field's width: `wanted`, narrowed so that the field and its label (`labelWidth`, 0 for
// none, plus `innerSpacing`) fit `room`, but never below `least`.
float fieldWidth(float wanted, float labelWidth, float innerSpacing, float room, float least);

// Whether a field of at least `least` pixels and its label fit side by side in `room`; if not, the
// label goes on a line of its own above a field as wide as the room.
bool labelFits(float labelWidth, float innerSpacing, float room, float least);

} // namespace shmviz::render
