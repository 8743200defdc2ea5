#include "ui/fitted_table.h"

#include "render/diagram_labels.h"
#include "render/table_fit.h"

#include <imgui.h>

#include <algorithm>

namespace shmviz::ui {
namespace {

constexpr int kMinTextLetters = 8; // a narrowed name keeps about this many letters and "..."
constexpr const char* kMore = "...";

float textWidth(std::string_view text) {
    return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
}

std::vector<render::TableColumn> measure(const std::vector<FittedColumn>& columns,
                                         const std::vector<FittedRow>& rows) {
    std::vector<render::TableColumn> out(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        out[c].width = textWidth(columns[c].header);
        out[c].priority = columns[c].priority;
    }
    for (const FittedRow& row : rows)
        for (std::size_t c = 0; c < columns.size() && c < row.cells.size(); ++c)
            out[c].width = std::max(out[c].width, textWidth(row.cells[c].text));
    const float letters = textWidth(std::string(kMinTextLetters, 'm')) * 0.6f + textWidth(kMore);
    for (std::size_t c = 0; c < columns.size(); ++c)
        out[c].minWidth = columns[c].text ? std::min(out[c].width, letters) : out[c].width;
    return out;
}

void cell(const FittedCell& c, float width) {
    const render::MeasureText measureText = [](render::LabelFont, std::string_view t) {
        return textWidth(t);
    };
    const render::Label fitted = render::fitLabel({0, 0, width, 1}, render::LabelFont::Regular,
                                                  render::LabelTone::Text, {c.text}, measureText);
    if (c.colour)
        ImGui::PushStyleColor(ImGuiCol_Text, *c.colour);
    else if (c.muted)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(fitted.text.c_str());
    if (c.colour || c.muted)
        ImGui::PopStyleColor();
    if (fitted.text != c.text && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", c.text.c_str());
}

// The "..." cell: hovered, it shows what the left-out columns hold for this row.
void moreCell(const std::vector<FittedColumn>& columns, const FittedRow& row, const render::TableFit& fit) {
    ImGui::TextDisabled("%s", kMore);
    if (!ImGui::IsItemHovered())
        return;
    ImGui::BeginTooltip();
    for (std::size_t c = 0; c < columns.size() && c < row.cells.size(); ++c)
        if (!fit.shown[c])
            ImGui::Text("%s: %s", columns[c].header, row.cells[c].text.c_str());
    ImGui::EndTooltip();
}

} // namespace

void drawFittedTable(const char* id, const std::vector<FittedColumn>& columns,
                     const std::vector<FittedRow>& rows) {
    const ImGuiStyle& style = ImGui::GetStyle();
    // A column takes its width, the cell padding on both sides and the border between columns.
    const float spacing = 2 * style.CellPadding.x + 1;
    const float room = ImGui::GetContentRegionAvail().x - style.ScrollbarSize - 2;
    const render::TableFit fit = render::fitColumns(measure(columns, rows), room, spacing, textWidth(kMore));
    const int shown = static_cast<int>(std::count(fit.shown.begin(), fit.shown.end(), true));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable(id, shown + (fit.more ? 1 : 0), flags))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (fit.shown[c])
            ImGui::TableSetupColumn(columns[c].header, ImGuiTableColumnFlags_WidthFixed, fit.width[c]);
    if (fit.more)
        ImGui::TableSetupColumn(kMore, ImGuiTableColumnFlags_WidthFixed, textWidth(kMore));
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (std::size_t c = 0, k = 0; c < columns.size(); ++c) {
        if (!fit.shown[c])
            continue;
        ImGui::TableSetColumnIndex(static_cast<int>(k++));
        ImGui::TableHeader(columns[c].header);
        if (*columns[c].tip && ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", columns[c].tip);
    }
    if (fit.more) {
        ImGui::TableSetColumnIndex(shown);
        ImGui::TableHeader(kMore);
        if (ImGui::IsItemHovered()) {
            std::string names = "More columns than the panel is wide; hover a row's ... for them:";
            for (std::size_t c = 0; c < columns.size(); ++c)
                names += fit.shown[c] ? "" : std::string(" ") + columns[c].header;
            ImGui::SetTooltip("%s", names.c_str());
        }
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const FittedRow& row = rows[r];
            ImGui::TableNextRow();
            if (row.background)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, *row.background);
            for (std::size_t c = 0; c < columns.size() && c < row.cells.size(); ++c)
                if (fit.shown[c]) {
                    ImGui::TableNextColumn();
                    cell(row.cells[c], fit.width[c]);
                }
            if (fit.more) {
                ImGui::TableNextColumn();
                moreCell(columns, row, fit);
            }
        }
    ImGui::EndTable();
}

} // namespace shmviz::ui
