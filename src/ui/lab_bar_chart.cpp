#include "ui/lab_bar_chart.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace shmviz::ui {

std::string compactNumber(double value) {
    char buffer[32];
    const double a = std::fabs(value);
    if (a >= 1e9)
        std::snprintf(buffer, sizeof buffer, "%.1f G", value / 1e9);
    else if (a >= 1e6)
        std::snprintf(buffer, sizeof buffer, "%.1f M", value / 1e6);
    else if (a >= 1e5)
        std::snprintf(buffer, sizeof buffer, "%.0f k", value / 1e3);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
}

void drawLabBarChart(const char* id, const std::vector<LabBar>& bars, float height, bool logScale,
                     const char* unit) {
    const float width = std::max(ImGui::GetContentRegionAvail().x, 50.0f);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, ImVec2(width, height));
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 frame = ImGui::GetColorU32(ImGuiCol_FrameBg);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 barColor = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
    const ImU32 alarmColor = IM_COL32(220, 60, 50, 255);
    draw->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), frame,
                        ImGui::GetStyle().FrameRounding);
    if (bars.empty()) {
        draw->AddText(ImVec2(origin.x + 8, origin.y + 8), dim, "No runs yet: the chart fills in as you run.");
        return;
    }

    const float line = ImGui::GetTextLineHeight();
    const float top = origin.y + 3 * line + 6;         // room for the legend, a note and the value
    const float bottom = origin.y + height - line - 6; // room for the label under each bar
    const float usable = std::max(bottom - top, 4.0f);
    double hi = 0, lo = 0;
    for (const LabBar& b : bars)
        hi = std::max(hi, b.value);
    lo = hi;
    for (const LabBar& b : bars)
        if (b.value > 0)
            lo = std::min(lo, b.value);
    const double loExp = lo > 0 ? std::floor(std::log10(lo)) - 0.5 : 0;
    const double hiExp = hi > 0 ? std::log10(hi) : 1;
    auto fraction = [&](double v) -> float {
        if (v <= 0 || hi <= 0)
            return 0;
        const double f = logScale ? (std::log10(v) - loExp) / std::max(hiExp - loExp, 1e-9) : v / hi;
        return static_cast<float>(std::clamp(f, 0.02, 1.0));
    };

    const float slot = width / static_cast<float>(bars.size());
    const float barWidth = std::min(slot * 0.7f, line * 5);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const LabBar& b = bars[i];
        const float cx = origin.x + slot * (static_cast<float>(i) + 0.5f);
        const float x0 = cx - barWidth / 2, x1 = cx + barWidth / 2;
        const float y0 = bottom - usable * fraction(b.value);
        draw->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, bottom), b.color ? b.color : barColor);
        if (b.alarm > 0) {
            const float ya = y0 + (bottom - y0) * std::clamp(b.alarm, 0.0f, 1.0f);
            draw->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, ya), alarmColor);
        }
        // The value sits on the bar; the note goes inside a tall enough bar, else above the value.
        const std::string value = compactNumber(b.value);
        const ImVec2 vs = ImGui::CalcTextSize(value.c_str());
        if (vs.x <= slot)
            draw->AddText(ImVec2(cx - vs.x / 2, y0 - line - 2), text, value.c_str());
        if (!b.note.empty()) {
            const ImVec2 ns = ImGui::CalcTextSize(b.note.c_str());
            const bool inside = bottom - y0 >= line + 4 && ns.x <= barWidth;
            if (ns.x <= slot)
                draw->AddText(ImVec2(cx - ns.x / 2, inside ? y0 + 2 : y0 - 2 * line - 2),
                              inside ? IM_COL32_WHITE : text, b.note.c_str());
        }
        std::string label = b.label;
        while (label.size() > 1 && ImGui::CalcTextSize(label.c_str()).x > slot)
            label.pop_back();
        const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
        draw->AddText(ImVec2(cx - ls.x / 2, bottom + 3), text, label.c_str());
        if (hovered && mouse.x >= origin.x + slot * static_cast<float>(i) &&
            mouse.x < origin.x + slot * static_cast<float>(i + 1))
            ImGui::SetTooltip("%s\n%s %s\n%s", b.label.c_str(), value.c_str(), unit, b.detail.c_str());
    }
    const char* scale = logScale ? "log scale" : "linear scale";
    const std::string legend = std::string(unit) + ", " + scale;
    draw->AddText(ImVec2(origin.x + 6, origin.y + 3), dim, legend.c_str());
}

} // namespace shmviz::ui
