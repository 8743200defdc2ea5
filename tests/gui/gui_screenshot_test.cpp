// The real binary under Xvfb runs a script, writes a PNG, and the PNG shows the arrow and the
// frame in the segment's colour exactly where the layout puts them.
#include "gui_harness.h"
#include "render/diagram_layout.h"
#include "render/diagram_painter.h"
#include "render/palette.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

#include <cmath>

namespace shmviz::test {
namespace {

constexpr int kWidth = 1200;
constexpr int kHeight = 700;

::testing::AssertionResult near(Image::Pixel p, render::Rgba want, const char* what) {
    const int r = static_cast<int>(std::lround(want.r * 255));
    const int g = static_cast<int>(std::lround(want.g * 255));
    const int b = static_cast<int>(std::lround(want.b * 255));
    if (std::abs(p.r - r) <= 12 && std::abs(p.g - g) <= 12 && std::abs(p.b - b) <= 12)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << ": pixel (" << p.r << "," << p.g << "," << p.b
                                         << ") wanted (" << r << "," << g << "," << b << ")";
}

render::ViewParams viewFrom(const nlohmann::json& v) {
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

TEST(GuiScreenshot, ScriptRunsAndThePngShowsTheArrowAndTheFrameWhereTheLayoutSays) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    dir.write("touch.steps",
              "# one page shared, touched by worker 0\nshmget 16K\nspawn 2\nshmat all\ntouch 0 0\n");
    // detect_leaks=0: under a sanitizer build, Mesa and Xlib keep allocations until exit.
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 1600x1000x24' " + quoted(SHMVIZ_APP_PATH) + " --config-dir " +
        quoted(dir.file("config")) + " --script touch.steps --screenshot out.png --size " +
        std::to_string(kWidth) + "x" + std::to_string(kHeight) + " --trace trace.jsonl 2>" +
        quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << command;

    Image png;
    ASSERT_TRUE(png.load(dir.file("out.png")));
    EXPECT_EQ(png.width, kWidth);
    EXPECT_EQ(png.height, kHeight);

    std::vector<nlohmann::json> trace;
    for (nlohmann::json& line : readJsonLines(dir.file("trace.jsonl")))
        if (!line.contains("window") && !line.contains("timeline") && !line.contains("widget")) // not a step
            trace.push_back(std::move(line));
    ASSERT_EQ(trace.size(), 5u); // four steps and the screenshot
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_TRUE(trace[i].value("ok", false)) << trace[i].dump();
    const nlohmann::json& shot = trace.back();
    ASSERT_TRUE(shot.contains("screenshot")) << shot.dump();
    EXPECT_EQ(shot.value("theme", ""), "dark");
    const bool pfnVisible = shot.value("pfnVisible", false);

    // The same structure by hand: 2 workers, 4 pages each, page 0 present in worker 0.
    core::Snapshot s = makeSnapshot(2, 4, pfnVisible);
    touch(s, 0, 0, 0x1234);
    const render::DiagramLayout layout = render::layoutDiagram(s, viewFrom(shot.at("view")));
    const render::ThemeKind theme = render::ThemeKind::Dark;

    ASSERT_EQ(layout.pages.size(), 8u);
    const render::PageBand& touched = layout.pages[0];
    ASSERT_EQ(touched.worker, 0);
    EXPECT_TRUE(near(png.at(touched.rect.x0 + 3, touched.rect.y0 + 3), render::segmentColor(theme, 0, 0),
                     "worker 0 page 0 (present)"));
    const render::PageBand& untouched = layout.pages[4];
    ASSERT_EQ(untouched.worker, 1);
    EXPECT_TRUE(near(png.at(untouched.rect.x0 + 3, untouched.rect.y0 + 3),
                     render::paletteFor(theme).notPresentFill, "worker 1 page 0 (not present)"));
    if (!pfnVisible) {
        std::printf("frame numbers are hidden here: only pages checked\n");
        return;
    }
    ASSERT_EQ(layout.frames.size(), 1u);
    const render::Rect frame = layout.frames[0].rect;
    EXPECT_TRUE(near(png.at(frame.x0 + 3, frame.y0 + 3), render::segmentColor(theme, 0, 0), "the frame"));
    ASSERT_EQ(layout.arrows.size(), 1u);
    const render::ArrowShaft shaft = render::arrowShaft(layout.arrows[0], 1);
    const float mx = (shaft.from.x + shaft.to.x) * 0.5f;
    const float my = (shaft.from.y + shaft.to.y) * 0.5f;
    EXPECT_TRUE(near(png.at(mx, my), render::arrowColor(theme, 0), "the arrow's middle"));
    // And nothing points from worker 1: the lane on its side stays empty at the page's height.
    const float lane = (frame.x1 + untouched.rect.x0) * 0.5f;
    EXPECT_FALSE(
        near(png.at(lane, untouched.rect.center().y), render::arrowColor(theme, 0), "worker 1's lane"));
}

} // namespace
} // namespace shmviz::test
