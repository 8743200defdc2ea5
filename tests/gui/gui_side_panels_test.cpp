// The side panels in the real window at 1280x720 and 1920x1080, zoom 1, 1.5 and 2: the Controls
// and Script panels' widgets never reach past the panel's right edge (the panels re-flow instead
// of scrolling sideways or cutting a button), as the window reports them in its trace.
#include "window_run.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace shmviz::test {
namespace {

using Places = std::map<std::string, std::array<float, 4>>;

Places widgetPlaces(const std::string& trace) {
    Places out;
    for (const nlohmann::json& line : readJsonLines(trace))
        if (line.contains("widget"))
            out[line["widget"].get<std::string>()] = line["rect"].get<std::array<float, 4>>();
    return out;
}

TEST(GuiSidePanels, NothingReachesPastThePanelsEdgeAtProjectorSizesAndZooms) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}})
        for (const char* zoom : {"1", "1.5", "2"}) {
            SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h) + " zoom " + zoom);
            TempDir dir;
            // Three workers: the Controls panel has a row of buttons per worker, and scrolls; the
            // Script panel ends on a question whose choices are buttons.
            const WindowRun run = runScript(dir, "panels",
                                            "shmget 16K\nspawn 3\nshmat all\ntouch 0 0\nsnapshot\n"
                                            "ask frame 1 0: Worker 1 touches page 0. A new frame, or the one "
                                            "already in use?\n",
                                            w, h, std::string("--zoom ") + zoom);
            ASSERT_TRUE(run.ok);
            const Places places = widgetPlaces(dir.file("panels.jsonl"));
            for (const char* panel : {"panel:controls", "panel:script"}) {
                const std::string name(panel);
                ASSERT_TRUE(places.contains(name + ":room")) << name;
                ASSERT_TRUE(places.contains(name + ":reach")) << name;
                const auto& room = places.at(name + ":room");
                const auto& reach = places.at(name + ":reach");
                EXPECT_GT(room[2] - room[0], 50) << name << ": the panel has room";
                EXPECT_GT(reach[2] - reach[0], 50) << name << ": something was drawn";
                EXPECT_LE(reach[2], room[2] + 0.5f) << name << " has a widget past its right edge";
            }
        }
}

} // namespace
} // namespace shmviz::test
