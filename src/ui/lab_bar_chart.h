#pragma once
// A bar chart of lab runs drawn with ImDrawList: one bar per run, its value on top, a short label
// under it, the full text in a tooltip. Used by the race and IPC lab panels.
#include <string>
#include <vector>

namespace shmviz::ui {

struct LabBar {
    std::string label;  // under the bar, e.g. "mutex"
    std::string detail; // tooltip, e.g. "4 x 1000000, 0.081 s"
    double value = 0;   // bar height
    float alarm = 0;    // 0..1: this fraction of the bar, from the top, is drawn in the alarm colour
    std::string note;   // small text inside the bar's top, e.g. "23% lost"
    unsigned color = 0; // ImU32; 0: the theme's histogram colour
};

// Fills the available width and `height` pixels. With `logScale` bars are log10(value), so rates
// that differ 1000x still read side by side. `unit` is appended to values ("MB/s").
void drawLabBarChart(const char* id, const std::vector<LabBar>& bars, float height, bool logScale,
                     const char* unit);

// "1.2 G", "35.0 M", "870 k": numbers for chart labels.
std::string compactNumber(double value);

} // namespace shmviz::ui
