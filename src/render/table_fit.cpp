#include "render/table_fit.h"

#include <algorithm>
#include <numeric>

namespace shmviz::render {
namespace {

float sum(const std::vector<float>& widths, const std::vector<bool>& shown, float spacing) {
    float total = 0;
    for (std::size_t i = 0; i < widths.size(); ++i)
        total += shown[i] ? widths[i] + spacing : 0;
    return total;
}

// Narrows the text columns, widest first, until the shown ones take at most `room`.
bool narrowTextColumns(const std::vector<TableColumn>& columns, TableFit& fit, float room, float spacing) {
    float excess = sum(fit.width, fit.shown, spacing) - room;
    while (excess > 0) {
        std::size_t widest = columns.size();
        for (std::size_t i = 0; i < columns.size(); ++i)
            if (fit.shown[i] && fit.width[i] > columns[i].minWidth &&
                (widest == columns.size() || fit.width[i] > fit.width[widest]))
                widest = i;
        if (widest == columns.size())
            return false;
        const float give = std::min(excess, fit.width[widest] - columns[widest].minWidth);
        fit.width[widest] -= give;
        excess -= give;
    }
    return true;
}

} // namespace

TableFit fitColumns(const std::vector<TableColumn>& columns, float room, float spacing, float moreWidth) {
    TableFit fit;
    fit.shown.assign(columns.size(), true);
    fit.width.resize(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        fit.width[i] = columns[i].width;
    if (narrowTextColumns(columns, fit, room, spacing))
        return fit;
    // Leave out the least important columns (the later of equals first) until the rest fit beside "...".
    std::vector<std::size_t> order(columns.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return columns[a].priority != columns[b].priority ? columns[a].priority < columns[b].priority : a > b;
    });
    fit.more = true;
    for (std::size_t k = 0; k + 1 < order.size(); ++k) {
        fit.shown[order[k]] = false;
        for (std::size_t i = 0; i < columns.size(); ++i)
            fit.width[i] = fit.shown[i] ? columns[i].width : 0;
        if (narrowTextColumns(columns, fit, room - moreWidth - spacing, spacing))
            return fit;
    }
    // Not even the most important column fits: show it at its narrowest, cut with an ellipsis.
    const std::size_t last = order.back();
    fit.width[last] = columns[last].minWidth;
    return fit;
}

} // namespace shmviz::render
