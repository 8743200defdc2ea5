// The kernel panel's tables at 1280x720 and 1920x1080, zoom 1, 1.5 and 2: the columns shown fit
// the panel, a number column is never narrower than its widest number, a narrowed name column
// keeps room for some letters and the ellipsis, and what is left out is said (the "..." column).
#include "render/table_fit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

namespace shmviz::render {
namespace {

constexpr float kAdvance = 8.3f; // DejaVu Sans at 15 px, per letter

struct Column {
    std::string header;
    std::string widest;
    bool text;
    int priority;
};

// ipcs -m on a busy machine: an 11-digit shmid, a 1 GiB segment, a long user name.
const std::vector<Column> kSysv = {{"key", "0x7fffffff", false, 9},        {"shmid", "2147352576", false, 10},
                                   {"owner", "a-long-user-name", true, 3}, {"perms", "600", false, 4},
                                   {"bytes", "1073741824", false, 8},      {"rss", "1073741824", false, 6},
                                   {"swap", "1073741824", false, 2},       {"nattch", "16", false, 7},
                                   {"status", "dest locked", false, 5},    {"ours", "seg 12", false, 7}};

const std::vector<Column> kPosix = {{"name", "/shmviz-lesson-with-a-long-name", true, 10},
                                    {"inode", "123456789", false, 9},
                                    {"perms", "600", false, 4},
                                    {"bytes", "1073741824", false, 8},
                                    {"resident", "1073741824", false, 5},
                                    {"maps", "16", false, 7},
                                    {"in /dev/shm", "no: unlinked", false, 6}};

std::vector<TableColumn> measured(const std::vector<Column>& columns, float zoom) {
    std::vector<TableColumn> out;
    for (const Column& c : columns) {
        const float width = kAdvance * zoom * static_cast<float>(std::max(c.header.size(), c.widest.size()));
        const float letters = kAdvance * zoom * (8 * 0.6f + 3);
        out.push_back({width, c.text ? std::min(width, letters) : width, c.priority});
    }
    return out;
}

// The kernel panel's width as MainView divides the window, halved when POSIX objects share it.
float panelWidth(float window, float zoom, bool halved) {
    const float middle = window - std::min(300 * zoom, window * 0.25f) - std::min(360 * zoom, window * 0.27f);
    const float padding = 2 * 10 * zoom;
    return (halved ? (middle - padding) * 0.5f : middle - padding) - 14 * zoom - 2;
}

void expectHonest(const std::vector<Column>& columns, float room, float zoom) {
    const std::vector<TableColumn> measuredColumns = measured(columns, zoom);
    const float spacing = 2 * 4 * zoom + 1;
    const float more = kAdvance * zoom * 3;
    const TableFit fit = fitColumns(measuredColumns, room, spacing, more);
    float used = fit.more ? more + spacing : 0;
    bool anyShown = false;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!fit.shown[c])
            continue;
        anyShown = true;
        used += fit.width[c] + spacing;
        if (columns[c].text)
            EXPECT_GE(fit.width[c], measuredColumns[c].minWidth - 0.01f) << columns[c].header;
        else
            EXPECT_GE(fit.width[c], measuredColumns[c].width - 0.01f) << columns[c].header << " cut";
    }
    EXPECT_TRUE(anyShown);
    EXPECT_LE(used, room + 0.01f) << "the shown columns run past the panel";
    const bool allShown = std::all_of(fit.shown.begin(), fit.shown.end(), [](bool b) { return b; });
    EXPECT_EQ(fit.more, !allShown) << "a left-out column must be named in the ... column";
}

TEST(TableFit, KernelTablesAreNeverCutAtProjectorSizes) {
    for (const float window : {1280.0f, 1920.0f})
        for (const float zoom : {1.0f, 1.5f, 2.0f})
            for (const bool halved : {false, true}) {
                SCOPED_TRACE(std::to_string(window) + " zoom " + std::to_string(zoom));
                const float room = panelWidth(window, zoom, halved);
                expectHonest(kSysv, room, zoom);
                expectHonest(kPosix, room, zoom);
            }
}

TEST(TableFit, EverythingFitsWhenThereIsRoom) {
    const TableFit fit = fitColumns(measured(kSysv, 1), 2000, 9, 25);
    EXPECT_FALSE(fit.more);
    EXPECT_TRUE(std::all_of(fit.shown.begin(), fit.shown.end(), [](bool b) { return b; }));
}

TEST(TableFit, ANameNarrowsBeforeANumberIsLeftOut) {
    const std::vector<TableColumn> cols = {{300, 70, 10}, {80, 80, 9}};
    const TableFit fit = fitColumns(cols, 250, 9, 25);
    EXPECT_FALSE(fit.more);
    EXPECT_FLOAT_EQ(fit.width[0], 250 - 18 - 80);
    EXPECT_FLOAT_EQ(fit.width[1], 80);
}

TEST(TableFit, TheLeastImportantColumnsGoFirst) {
    const std::vector<TableColumn> cols = {{80, 80, 10}, {80, 80, 2}, {80, 80, 9}, {80, 80, 5}};
    const TableFit fit = fitColumns(cols, 300, 10, 20);
    EXPECT_TRUE(fit.more);
    EXPECT_EQ(fit.shown, (std::vector<bool>{true, false, true, true}));
}

} // namespace
} // namespace shmviz::render
