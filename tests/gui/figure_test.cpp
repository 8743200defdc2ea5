// Figures from the real binary: the exit status of a figure run, the same SVG from the same script
// (but for what the kernel chose), --diagram-only without a panel, and the lifecycle handout as
// headless Chromium renders and prints it.
#include "gui_harness.h"
#include "render/diagram_text.h"
#include "render/palette.h"
#include "snapshot_from_json.h"
#include "ui/theme.h"

#include <gtest/gtest.h>
#include <imgui.h>
#include <libxml/parser.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace shmviz::test {
namespace {

const char* kScript = "# two workers share page 0\nshmget 16K\nspawn 2\nshmat all\ntouch 0 0\ntouch 1 0\n"
                      "touch 0 2\n";

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string app(const TempDir& dir) {
    return "cd " + quoted(dir.path()) +
           " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) + " " +
           quoted(SHMVIZ_APP_PATH) + " ";
}

std::string underXvfb(const TempDir& dir) {
    return "cd " + quoted(dir.path()) +
           " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
           " xvfb-run -a -s '-screen 0 1600x1000x24' " + quoted(SHMVIZ_APP_PATH) + " --config-dir " +
           quoted(dir.file("config")) + " ";
}

// What the kernel chose (pids, addresses, frame numbers, shmids) replaced by a mark.
std::string withoutKernelValues(std::string svg) {
    static const std::regex chosen(
        R"((data-pid|data-pfn|data-last-pfn)="[^"]*"|0x[0-9a-f]+|pid [0-9]+|shmid [0-9]+)");
    return std::regex_replace(svg, chosen, "#");
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

TEST(Figures, BadUsageExitsTwo) {
    TempDir dir;
    dir.write("s.steps", kScript);
    EXPECT_EQ(runShell(app(dir) + "--script s.steps --svg a.svg --theme blue 2>/dev/null"), 2);
    EXPECT_EQ(runShell(app(dir) + "--script s.steps --svg a.svg --at 99 2>/dev/null"), 2);
    EXPECT_EQ(runShell(app(dir) + "--script s.steps --svg a.svg --zoom 9 2>/dev/null"), 2);
    EXPECT_EQ(runShell(app(dir) + "--svg a.svg 2>/dev/null"), 2); // no script
}

TEST(Figures, TheSameScriptGivesTheSameSvgButForWhatTheKernelChose) {
    TempDir dir;
    dir.write("s.steps", kScript);
    ASSERT_EQ(runShell(app(dir) + "--script s.steps --svg a.svg --theme light"), 0);
    ASSERT_EQ(runShell(app(dir) + "--script s.steps --svg b.svg --theme light"), 0);
    const std::string a = readAll(dir.file("a.svg"));
    const std::string b = readAll(dir.file("b.svg"));
    ASSERT_FALSE(a.empty());
    EXPECT_NE(a, b) << "two runs gave the same pids: the SVG does not show what the kernel chose";
    EXPECT_EQ(withoutKernelValues(a), withoutKernelValues(b));
    EXPECT_EQ(count(a, "class=\"worker\""), 2);
    EXPECT_EQ(count(a, "class=\"arrow\""), 3);
}

// (attribute name -> value) of every element whose start tag matches `tag`.
std::vector<std::map<std::string, std::string>> elements(const std::string& svg, const std::string& tag) {
    static const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
    std::vector<std::map<std::string, std::string>> out;
    for (std::size_t at = svg.find(tag); at != std::string::npos; at = svg.find(tag, at + 1)) {
        const std::string start = svg.substr(at, svg.find('>', at) - at);
        std::map<std::string, std::string> attributes;
        for (auto it = std::sregex_iterator(start.begin(), start.end(), attribute);
             it != std::sregex_iterator(); ++it)
            attributes[(*it)[1]] = (*it)[2];
        out.push_back(std::move(attributes));
    }
    return out;
}

// The window's --svg against the snapshot of the same run (from --trace): every worker with its
// pid, every frame, and one arrow per present page naming its worker, page and frame number.
TEST(Figures, TheWindowsSvgShowsExactlyTheSnapshotOfItsRun) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    dir.write("s.steps", std::string(kScript) + "snapshot\n");
    ASSERT_EQ(
        runShell(underXvfb(dir) +
                 "--script s.steps --screenshot w.png --svg w.svg --trace w.jsonl --size 1200x700 2>err"),
        0);
    std::optional<core::Snapshot> snap;
    for (const nlohmann::json& line : readJsonLines(dir.file("w.jsonl")))
        if (line.contains("snapshot"))
            snap = snapshotFromJson(line.at("snapshot"));
    ASSERT_TRUE(snap) << "no snapshot in the trace";
    const std::string svg = readAll(dir.file("w.svg"));
    xmlDoc* doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "w.svg", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    EXPECT_NE(doc, nullptr) << "the SVG is not well-formed XML";
    xmlFreeDoc(doc);

    std::set<std::pair<std::string, std::string>> workers;
    for (const auto& w : elements(svg, "<g class=\"worker\""))
        workers.insert({w.at("data-worker"), w.at("data-pid")});
    std::set<std::pair<std::string, std::string>> wantWorkers;
    for (const core::WorkerView& w : snap->workers)
        wantWorkers.insert({std::to_string(w.id), std::to_string(w.pid)});
    EXPECT_EQ(workers, wantWorkers);

    std::set<std::tuple<std::string, std::string, std::string>> arrows, present;
    for (const auto& a : elements(svg, "<path class=\"arrow"))
        arrows.insert({a.at("data-worker"), a.at("data-page"), a.at("data-pfn")});
    for (const core::WorkerView& w : snap->workers)
        for (const core::AttachmentView& a : w.attachments)
            for (std::size_t p = 0; p < a.entries.size(); ++p)
                if (const core::PageEntry e = core::decodePagemapEntry(a.entries[p]); e.present)
                    present.insert({std::to_string(w.id), std::to_string(p), render::shortHex(e.pfnBits)});
    std::set<std::string> frames, wantFrames;
    for (const auto& f : elements(svg, "<g class=\"frame"))
        frames.insert(f.at("data-pfn"));
    for (const core::FrameView& f : snap->frames)
        wantFrames.insert(render::shortHex(f.pfn));
    if (!snap->pfnVisible) {
        EXPECT_TRUE(arrows.empty() && frames.empty()) << "frame numbers are hidden, yet the SVG shows some";
        return;
    }
    EXPECT_EQ(arrows, present);
    EXPECT_EQ(arrows.size(), 3u);
    EXPECT_EQ(frames, wantFrames);
    EXPECT_EQ(frames.size(), 2u);
}

// Shift+F12 in a live window writes the diagram it shows as SVG, and says where.
TEST(Figures, ShiftF12ExportsTheWindowsDiagramAsSvg) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    dir.write("s.steps", "shmget 16K\nspawn 2\nshmat all\ntouch 0 0\n");
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 SHMVIZ_TEST_CONFIG_DIR=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) + " " +
        quoted(SHMVIZ_APP_PATH) + " s.steps " + quoted(dir.file("trace.jsonl")) +
        " space space space space shift+F12 2>" + quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << readAll(dir.file("stderr"));
    std::string path;
    for (const nlohmann::json& line : readJsonLines(dir.file("trace.jsonl")))
        if (line.contains("svg")) {
            EXPECT_TRUE(line.value("ok", false)) << line.dump();
            path = line.value("svg", "");
        }
    ASSERT_FALSE(path.empty()) << "no svg line in the trace";
    const std::string svg = readAll(path);
    std::remove(path.c_str()); // Pictures, or the current directory
    EXPECT_EQ(elements(svg, "<g class=\"worker\"").size(), 2u);
    EXPECT_NE(svg.find("s.steps, after step 4: touch 0 0"), std::string::npos);
    const auto arrows = elements(svg, "<path class=\"arrow");
    if (svg.find("class=\"note\"") == std::string::npos) { // frame numbers visible
        ASSERT_EQ(arrows.size(), 1u);
        EXPECT_EQ(arrows[0].at("data-worker"), "0");
        EXPECT_EQ(arrows[0].at("data-page"), "0");
    }
}

TEST(Figures, AtStopsAfterThatStep) {
    TempDir dir;
    dir.write("s.steps", kScript);
    ASSERT_EQ(runShell(app(dir) + "--script s.steps --svg at4.svg --at 4"), 0);
    const std::string svg = readAll(dir.file("at4.svg"));
    EXPECT_EQ(count(svg, "class=\"arrow\""), 1); // only touch 0 0 ran
    EXPECT_NE(svg.find("s.steps, after step 4: touch 0 0"), std::string::npos);
}

TEST(Figures, AHandoutWrittenAgainKeepsOnlyItsOwnFigures) {
    TempDir dir;
    dir.write("s.steps", kScript);
    dir.write("two.steps", "shmget 16K\nspawn 1\n");
    ASSERT_EQ(runShell(app(dir) + "--script s.steps --handout out"), 0);
    std::filesystem::create_directory(dir.file("out/step-09.svg")); // not a figure shmviz wrote
    ASSERT_EQ(runShell(app(dir) + "--script two.steps --handout out"), 0);
    EXPECT_TRUE(std::filesystem::is_directory(dir.file("out/step-09.svg")));
    std::filesystem::remove(dir.file("out/step-09.svg"));
    std::vector<std::string> figures;
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("out")))
        if (entry.path().extension() == ".svg")
            figures.push_back(entry.path().filename().string());
    std::sort(figures.begin(), figures.end());
    EXPECT_EQ(figures, (std::vector<std::string>{"step-01.svg", "step-02.svg"}));

    // A folder that is not a shmviz handout keeps whatever it holds.
    std::filesystem::create_directory(dir.file("mine"));
    dir.write("mine/step-09.svg", "<svg/>");
    ASSERT_EQ(runShell(app(dir) + "--script two.steps --handout mine"), 0);
    EXPECT_EQ(readAll(dir.file("mine/step-09.svg")), "<svg/>");
}

TEST(Figures, AFailedStepMakesTheScreenshotExitOne) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    dir.write("fail.steps", "shmget 16K\nspawn 1\nshmat 5\n"); // there is no worker 5
    EXPECT_EQ(runShell(underXvfb(dir) + "--script fail.steps --screenshot out.png --size 800x600 2>err"), 1);
    Image png;
    EXPECT_TRUE(png.load(dir.file("out.png"))) << "the picture is still saved";
    EXPECT_NE(readAll(dir.file("err")).find("step 3"), std::string::npos);
    dir.write("ok.steps", "shmget 16K\nspawn 1\nshmat 0\n");
    EXPECT_EQ(runShell(underXvfb(dir) + "--script ok.steps --screenshot ok.png --size 800x600 2>/dev/null"),
              0);
    EXPECT_EQ(runShell(underXvfb(dir) + "--script ok.steps --screenshot x.png --size 10x10 2>/dev/null"), 2);
}

// Horizontal runs of at least 24 pixels in one of `colours`: a panel, never antialiased text.
int panelRuns(const Image& png, const std::vector<render::Rgba>& colours) {
    int runs = 0;
    for (const render::Rgba& c : colours) {
        const int r = static_cast<int>(std::lround(c.r * 255)), g = static_cast<int>(std::lround(c.g * 255)),
                  b = static_cast<int>(std::lround(c.b * 255));
        for (int y = 0; y < png.height; ++y) {
            int run = 0;
            for (int x = 0; x < png.width; ++x) {
                const Image::Pixel p = png.at(static_cast<float>(x), static_cast<float>(y));
                run =
                    std::abs(p.r - r) <= 2 && std::abs(p.g - g) <= 2 && std::abs(p.b - b) <= 2 ? run + 1 : 0;
                runs += run == 24 ? 1 : 0;
            }
        }
    }
    return runs;
}

TEST(Figures, DiagramOnlyHasNoPanelColours) {
    if (!haveTools(false))
        GTEST_SKIP() << "xvfb-run is not installed (Debian package xvfb)";
    TempDir dir;
    dir.write("s.steps", kScript);
    const std::string common = "--script s.steps --theme light --size 1200x700 ";
    ASSERT_EQ(runShell(underXvfb(dir) + common + "--screenshot full.png 2>/dev/null"), 0);
    ASSERT_EQ(runShell(underXvfb(dir) + common + "--diagram-only --screenshot only.png 2>/dev/null"), 0);

    // The interface's own colours in the light theme: menu bar, title bars, buttons, fields.
    ImGui::CreateContext();
    ui::applyTheme(render::ThemeKind::Light, 1);
    std::vector<render::Rgba> panel;
    for (ImGuiCol c : {ImGuiCol_MenuBarBg, ImGuiCol_TitleBg, ImGuiCol_TitleBgActive, ImGuiCol_Button,
                       ImGuiCol_FrameBg, ImGuiCol_Header, ImGuiCol_TableHeaderBg}) {
        const ImVec4 v = ImGui::GetStyle().Colors[c];
        panel.push_back({v.x, v.y, v.z, 1});
    }
    ImGui::DestroyContext();

    Image full, only;
    ASSERT_TRUE(full.load(dir.file("full.png")));
    ASSERT_TRUE(only.load(dir.file("only.png")));
    EXPECT_GT(panelRuns(full, panel), 100)
        << "the whole window shows its panels (else this test proves nothing)";
    EXPECT_EQ(panelRuns(only, panel), 0) << "--diagram-only shows a panel";
    // And the diagram is there: pages in the segment's colour.
    const render::Rgba seg = render::segmentColor(render::ThemeKind::Light, 0, 0);
    int coloured = 0;
    for (int y = 0; y < only.height; y += 2)
        for (int x = 0; x < only.width; x += 2) {
            const Image::Pixel p = only.at(static_cast<float>(x), static_cast<float>(y));
            coloured += std::abs(p.r - std::lround(seg.r * 255)) <= 3 &&
                        std::abs(p.g - std::lround(seg.g * 255)) <= 3 &&
                        std::abs(p.b - std::lround(seg.b * 255)) <= 3;
        }
    EXPECT_GT(coloured, 200);
}

bool haveChromium() {
    return runShell("command -v chromium >/dev/null 2>&1") == 0;
}

std::string chromium(const TempDir& dir) {
    return "cd " + quoted(dir.path()) + " && HOME=" + quoted(dir.path()) +
           " chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
           "--no-first-run --user-data-dir=" +
           quoted(dir.file("chromium")) + " ";
}

TEST(Figures, TheLifecycleHandoutRendersInChromium) {
    if (!haveChromium())
        GTEST_SKIP() << "chromium is not installed (Debian package chromium)";
    TempDir dir;
    ASSERT_EQ(runShell(app(dir) + "--lesson lifecycle --handout out"), 0);
    const std::string html = readAll(dir.file("out/index.html"));
    const std::string markdown = readAll(dir.file("out/steps.md"));

    // One section per step of the lesson (its narration lines are the lesson's words, not steps).
    std::istringstream lesson(readAll(SHMVIZ_LESSONS "/lifecycle.steps"));
    int steps = 0;
    for (std::string line; std::getline(lesson, line);)
        steps += !line.empty() && line[0] != '#' && !line.starts_with("say ");
    ASSERT_GT(steps, 5);
    EXPECT_EQ(count(html, "<section class=\"step\""), steps);
    EXPECT_EQ(count(html, "<svg "), steps);
    EXPECT_EQ(count(html, "</section>"), steps + (html.find("class=\"closing\"") != std::string::npos));
    for (std::size_t at = html.find("<section class=\"step\""); at != std::string::npos;) {
        const std::size_t end = html.find("</section>", at);
        EXPECT_EQ(count(html.substr(at, end - at), "<svg "), 1);
        at = html.find("<section class=\"step\"", end);
    }
    // Self-contained: no script, nothing fetched.
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_EQ(count(markdown, "## Step "), steps);
    static const std::regex image(R"(\]\((step-[0-9]+\.svg)\))");
    int images = 0;
    for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), image);
         it != std::sregex_iterator(); ++it) {
        ++images;
        EXPECT_NE(readAll(dir.file("out/" + (*it)[1].str())).find("<svg "), std::string::npos) << (*it)[1];
    }
    EXPECT_EQ(images, steps);

    const std::string page = "file://" + dir.file("out/index.html");
    ASSERT_EQ(runShell(chromium(dir) + "--window-size=1000,1400 --screenshot=" +
                       quoted(dir.file("page.png")) + " " + quoted(page) + " >chromium.log 2>&1"),
              0)
        << readAll(dir.file("chromium.log"));
    ASSERT_EQ(runShell(chromium(dir) + "--no-pdf-header-footer --print-to-pdf=" +
                       quoted(dir.file("page.pdf")) + " " + quoted(page) + " >>chromium.log 2>&1"),
              0)
        << readAll(dir.file("chromium.log"));
    Image png;
    ASSERT_TRUE(png.load(dir.file("page.png")));
    int ink = 0, segment = 0;
    const render::Rgba seg = render::segmentColor(render::ThemeKind::Light, 0, 0);
    for (int y = 0; y < png.height; ++y)
        for (int x = 0; x < png.width; ++x) {
            const Image::Pixel p = png.at(static_cast<float>(x), static_cast<float>(y));
            ink += p.r + p.g + p.b < 600;
            segment += std::abs(p.r - std::lround(seg.r * 255)) <= 3 &&
                       std::abs(p.g - std::lround(seg.g * 255)) <= 3 &&
                       std::abs(p.b - std::lround(seg.b * 255)) <= 3;
        }
    EXPECT_GT(ink, png.width * png.height / 100) << "the page is blank";
    EXPECT_GT(segment, 500) << "no diagram in the segment's colour on the page";

    const std::string pdf = readAll(dir.file("page.pdf"));
    ASSERT_TRUE(pdf.starts_with("%PDF-")) << "not a PDF";
    EXPECT_NE(pdf.rfind("%%EOF"), std::string::npos);
    static const std::regex pageObject(R"(/Type\s*/Page[^s])");
    const auto pages =
        std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), pageObject), std::sregex_iterator());
    EXPECT_GE(pages, steps / 2) << "the print has fewer pages than a step per half page";
}

} // namespace
} // namespace shmviz::test
