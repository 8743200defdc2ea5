#pragma once
// A table that never cuts a cell silently: columns as wide as their content; a text column that
// must narrow ends its cells in "..." and shows the whole text on hover; columns with no room
// are left out whole (least important first) and a last "..." column lists them on hover.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shmviz::ui {

struct FittedColumn {
    const char* header;
    bool text = false;    // may narrow to a few letters with an ellipsis (names); numbers never do
    int priority = 0;     // higher stays longer when room runs out
    const char* tip = ""; // what the column means, on hover over its header
};

struct FittedCell {
    FittedCell(std::string t = {}, std::optional<unsigned> c = {}, bool m = false)
        : text(std::move(t)), colour(c), muted(m) {}
    std::string text;
    std::optional<unsigned> colour; // ImGui colour; default text colour when empty
    bool muted = false;
};

struct FittedRow {
    std::vector<FittedCell> cells; // one per column
    std::optional<unsigned> background;
};

// Draws into the current window, using its whole content region (rows scroll vertically).
void drawFittedTable(const char* id, const std::vector<FittedColumn>& columns,
                     const std::vector<FittedRow>& rows);

} // namespace shmviz::ui
