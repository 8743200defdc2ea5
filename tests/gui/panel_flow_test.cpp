// The side panels at 1280x720 and 1920x1080, zoom 1, 1.5 and 2: the Controls and Script panels'
// buttons and fields re-flow to the panel's width, so no control is wider than the panel, no
// line of them runs past its edge (nothing cut, nothing to scroll sideways), and where there is
// room a row of buttons stays one row.
#include "render/panel_flow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace shmviz::render {
namespace {

// DejaVu Sans at 15 px: about 8.3 px a letter; ImGui's style as ui/theme.cpp scales it.
struct Style {
    float zoom;
    float letter() const { return 8.3f * zoom; }
    float font() const { return 15 * zoom; }
    float framePadX() const { return 4 * zoom; }
    float frameHeight() const { return font() + 2 * 3 * zoom; }
    float spacing() const { return 8 * zoom; }
    float inner() const { return 4 * zoom; }
    float text(const std::string& s) const { return letter() * static_cast<float>(s.size()); }
    float button(const std::string& s) const { return text(s) + 2 * framePadX(); }
    float radio(const std::string& s) const { return frameHeight() + inner() + text(s); }
    // An input field `fonts` font sizes wide with its label, as the panel fits it: side by side,
    // or the label on a line of its own above a field as wide as the panel.
    float field(float fonts, const std::string& label, float room) const {
        if (!label.empty() && !labelFits(text(label), inner(), room, 2 * font()))
            return std::max(text(label), room);
        const float w =
            fieldWidth(fonts * font(), label.empty() ? 0 : text(label), inner(), room, 2 * font());
        return w + (label.empty() ? 0 : inner() + text(label));
    }
};

// The content width of a side panel as MainView divides the window: its padding and a vertical
// scrollbar taken off.
float room(float panel, float zoom) {
    return panel - 2 * 10 * zoom - 14 * zoom;
}

float controlsRoom(float window, float zoom) {
    return room(std::min(300 * zoom, window * 0.25f), zoom);
}

float scriptRoom(float window, float zoom) {
    return room(std::min(360 * zoom, window * 0.27f), zoom);
}

// Each line of widgets, as the Controls panel draws them (ui/controls_panel.cpp).
std::vector<std::vector<float>> controlsRows(const Style& st, float r) {
    const auto buttons = [&](std::initializer_list<const char*> labels) {
        std::vector<float> out;
        for (const char* l : labels)
            out.push_back(st.button(l));
        return out;
    };
    return {
        {st.field(7, "pages", r), st.text("= 1.0 GiB")},
        {st.radio("IPC_PRIVATE"), st.radio("key"), st.field(6, "", r)},
        {st.field(4, "mode (octal)", r)},
        buttons({"shmget"}),
        buttons({"IPC_RMID", "keep"}),
        buttons({"shm_open", "ftruncate", "shm_unlink"}),
        buttons({"spawn worker"}),
        {st.field(7, "page", r)},
        buttons({"shmat", "touch", "write", "read"}),
        buttons({"shmdt", "kill"}),
        buttons({"mmap", "mmap private", "munmap"}),
        buttons({"fork", "anon 2 pages"}),
    };
}

void expectFlows(const std::vector<float>& widths, float r, float spacing) {
    const std::vector<int> lines = flowLines(widths, r, spacing);
    ASSERT_EQ(lines.size(), widths.size());
    std::vector<float> used(static_cast<std::size_t>(lines.back()) + 1, 0);
    for (std::size_t i = 0; i < widths.size(); ++i) {
        EXPECT_LE(widths[i], r + 0.01f) << "widget " << i << " is wider than the panel";
        float& u = used[static_cast<std::size_t>(lines[i])];
        u += (u > 0 ? spacing : 0) + widths[i];
        if (i > 0) {
            EXPECT_GE(lines[i], lines[i - 1]) << "widgets keep their order";
        }
    }
    for (const float u : used)
        EXPECT_LE(u, r + 0.01f) << "a line of widgets runs past the panel's edge";
}

TEST(PanelFlow, SidePanelsReflowAtProjectorSizesAndZooms) {
    for (const float window : {1280.0f, 1920.0f})
        for (const float zoom : {1.0f, 1.5f, 2.0f}) {
            SCOPED_TRACE(std::to_string(window) + " zoom " + std::to_string(zoom));
            const Style st{zoom};
            const float c = controlsRoom(window, zoom);
            for (const std::vector<float>& row : controlsRows(st, c))
                expectFlows(row, c, st.spacing());
            const float s = scriptRoom(window, zoom);
            // The script's state wraps (TextWrapped) when it is wider than the panel.
            const float status = std::min(st.text("running: shmat all"), s);
            expectFlows({st.button("Next step"), st.button("Run all"), status}, s, st.spacing());
        }
}

TEST(PanelFlow, ARowOfButtonsStaysOneRowWhereThereIsRoom) {
    const Style st{1};
    const float c = controlsRoom(1920, 1);
    const std::vector<std::vector<float>> rows = controlsRows(st, c);
    for (auto row = rows.begin() + 3; row != rows.end(); ++row) { // the rows of buttons
        const std::vector<int> lines = flowLines(*row, c, st.spacing());
        EXPECT_EQ(lines.back(), 0) << "wrapped at 1920x1080, zoom 1";
    }
}

TEST(PanelFlow, WrapsOnlyWhenTheNextWidgetWouldPassTheEdge) {
    EXPECT_EQ(flowLines({40, 40, 40}, 128, 4), (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(flowLines({40, 40, 40}, 127, 4), (std::vector<int>{0, 0, 1}));
    EXPECT_EQ(flowLines({200, 10}, 100, 4), (std::vector<int>{0, 1})) << "too wide: a line of its own";
    EXPECT_FLOAT_EQ(fieldWidth(105, 40, 4, 120, 30), 76);
    EXPECT_FLOAT_EQ(fieldWidth(105, 40, 4, 300, 30), 105);
    EXPECT_FLOAT_EQ(fieldWidth(105, 0, 4, 20, 30), 30);
}

} // namespace
} // namespace shmviz::render
