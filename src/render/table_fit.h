#pragma once
// Which columns of a table the panel can show whole, and how wide each is. A number column is
// as wide as its widest cell or not shown at all; a text column may narrow to `minWidth`, its
// cells then ending in an ellipsis with the whole text on hover. Columns that do not fit are
// left out from the least important up and named in a last "..." column, never cut at the edge.
// Pure: the panel measures with its fonts, the tests with a fixed advance per letter.
#include <cstddef>
#include <vector>

namespace shmviz::render {

struct TableColumn {
    float width = 0;    // the widest cell or the header, whichever is wider, in pixels
    float minWidth = 0; // text columns: the narrowest they may get (cells then end in "..."); else = width
    int priority = 0;   // higher stays longer when room runs out; the first column should be highest
};

struct TableFit {
    std::vector<bool> shown;  // per column
    std::vector<float> width; // per column, 0 when not shown
    bool more = false;        // some columns are left out: draw the "..." column
};

// `room`: the panel's width; `spacing`: what the table adds around each column; `moreWidth`: the
// "..." column's own width.
TableFit fitColumns(const std::vector<TableColumn>& columns, float room, float spacing, float moreWidth);

} // namespace shmviz::render
