#pragma once
// Runs a script in the real window under Xvfb and lays out the snapshot the window drew, with the
// view the screenshot line of the trace reports.
#include "gui_harness.h"
#include "render/diagram_layout.h"
#include "snapshot_from_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

namespace shmviz::test {

inline render::ViewParams viewFrom(const nlohmann::json& v) {
    render::ViewParams view;
    const auto& c = v.at("canvas");
    view.canvas = {c[0].get<float>(), c[1].get<float>(), c[2].get<float>(), c[3].get<float>()};
    view.pagePx = v.at("pagePx").get<float>();
    view.scrollY = v.at("scrollY").get<float>();
    view.lineHeight = v.at("lineHeight").get<float>();
    view.maxPagePx = v.at("maxPagePx").get<float>();
    view.minBandPx = v.at("minBandPx").get<float>();
    view.mapFirst = v.value("mapFirst", 0.0);
    view.mapSpan = v.value("mapSpan", 0.0);
    return view;
}

struct WindowRun {
    Image png;
    core::Snapshot snapshot;
    render::DiagramLayout layout;
    render::ViewParams view; // the view the screenshot's frame was drawn with
    bool ok = false;
};

// Runs the script in the real window; the last `snapshot` line and the screenshot's view give
// the layout the window drew.
// `extra`: more options for shmviz (for example --present).
inline WindowRun runScript(const TempDir& dir, const std::string& name, const std::string& script,
                           int width = 1400, int height = 800, const std::string& extra = "") {
    WindowRun run;
    dir.write(name + ".steps", script);
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 " + std::to_string(std::max(width, 1600)) + "x" +
        std::to_string(std::max(height, 1000)) + "x24' " + quoted(SHMVIZ_APP_PATH) + " " + extra +
        " --config-dir " + quoted(dir.file("config")) + " --script " + name + ".steps --screenshot " + name +
        ".png --size " + std::to_string(width) + "x" + std::to_string(height) + " --trace " + name +
        ".jsonl 2>" + quoted(dir.file(name + ".stderr"));
    EXPECT_EQ(runShell(command), 0) << command;
    EXPECT_TRUE(run.png.load(dir.file(name + ".png")));
    std::optional<nlohmann::json> snapshot;
    std::optional<nlohmann::json> shot;
    for (const nlohmann::json& line : readJsonLines(dir.file(name + ".jsonl"))) {
        if (line.contains("window") || line.contains("timeline") || line.contains("widget"))
            continue;
        if (line.contains("screenshot")) {
            shot = line;
            continue;
        }
        EXPECT_TRUE(line.value("ok", false)) << line.dump();
        if (line.contains("snapshot"))
            snapshot = line.at("snapshot");
    }
    if (!snapshot || !shot) {
        ADD_FAILURE() << "the trace has no snapshot or no screenshot line";
        return run;
    }
    run.snapshot = snapshotFromJson(*snapshot);
    run.view = viewFrom(shot->at("view"));
    run.layout = render::layoutDiagram(run.snapshot, run.view);
    run.ok = true;
    return run;
}

} // namespace shmviz::test
