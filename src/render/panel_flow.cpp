#include "render/panel_flow.h"

#include <algorithm>

namespace shmviz::render {

bool fitsOnLine(float lineEnd, float width, float room, float spacing) {
    return lineEnd <= 0 || lineEnd + spacing + width <= room;
}

std::vector<int> flowLines(const std::vector<float>& widths, float room, float spacing) {
    std::vector<int> lines;
    int line = 0;
    float end = 0;
    for (const float w : widths) {
        if (!fitsOnLine(end, w, room, spacing)) {
            ++line;
            end = 0;
        }
        end += (end > 0 ? spacing : 0) + w;
        lines.push_back(line);
    }
    return lines;
}

float fieldWidth(float wanted, float labelWidth, float innerSpacing, float room, float least) {
    const float label = labelWidth > 0 ? labelWidth + innerSpacing : 0;
    return std::max(least, std::min(wanted, room - label));
}

bool labelFits(float labelWidth, float innerSpacing, float room, float least) {
    return least + innerSpacing + labelWidth <= room;
}

} // namespace shmviz::render
