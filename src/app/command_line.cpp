#include "app/command_line.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace shmviz::app {
namespace {

// Options that make a figure the same on every run: none of them comes from saved settings.
void addFigureOptions(CLI::App& app, CommandLine& cl) {
    app.add_option("--theme", cl.theme, "Figures: dark or light (default dark; light for --handout)")
        ->check(CLI::IsMember({"dark", "light"}));
    app.add_option("--zoom", cl.zoom, "Figures: interface zoom, 0.5 to 3 (default 1)")
        ->check(CLI::Range(0.5, 3.0));
    app.add_flag("--diagram-only", cl.diagramOnly,
                 "With --screenshot: only the diagram, its legend and a caption naming the step");
    app.add_option("--at", cl.atStep, "Figures: stop after step N of the script")
        ->check(CLI::Range(1, 100000));
    app.add_option("--svg", cl.svg,
                   "Run the script, write the diagram after it as SVG to FILE, exit (no window needed; "
                   "with --screenshot: the window's diagram)");
    app.add_option("--handout", cl.handout,
                   "Run the script, write DIR/index.html, DIR/steps.md and DIR/step-NN.svg, exit");
    app.get_option("--diagram-only")->needs(app.get_option("--screenshot"));
    app.get_option("--handout")->excludes(app.get_option("--screenshot"));
}

} // namespace

std::optional<CommandLine> parseCommandLine(int argc, char** argv, int& exitCode) {
    CommandLine cl;
    CLI::App app{"shmviz: watch processes share physical memory, live from the kernel."};
    app.add_flag("--headless", cl.headless, "No window: read steps, write one JSON object per step");
    app.add_flag("--text", cl.text, "With --headless: write plain sentences instead of JSON");
    app.add_option("--script", cl.script, "Run the steps in FILE")->check(CLI::ExistingFile);
    app.add_option("--lesson", cl.lesson, "Run a built-in lesson (see --list-lessons)");
    app.add_flag("--list-lessons", cl.listLessons, "List the built-in lessons");
    app.add_option("--screenshot", cl.screenshot, "Run the script, save a PNG of the window to FILE, exit");
    app.add_option("--trace", cl.trace,
                   "With the window: append one JSON line per step reply and saved PNG to FILE");
    app.add_option("--config-dir", cl.configDir,
                   "Keep settings.ini in DIR instead of $XDG_CONFIG_HOME/shmviz or ~/.config/shmviz "
                   "(when run as root: root's own ~/.config/shmviz, whatever the environment says)");
    app.add_option("--measure-fps", cl.measureFps,
                   "With the window: run the script, redraw without pause for SECONDS, print the frame rate")
        ->check(CLI::Range(0.1, 3600.0));
    app.add_flag("--measure-no-relayout", cl.measureNoRelayout,
                 "With --measure-fps: keep the diagram's layout, so only drawing is timed");
    app.add_flag(
        "--present", cl.present,
        "Open in presenter mode: the diagram fills the window, the narration in large type (F5 toggles)");
    app.add_option("--show", cl.show, "With the window: open these windows at start (memory, walk)")
        ->check(CLI::IsMember({"memory", "walk"}));
    std::string size;
    app.add_option("--size", size,
                   "Window size for --screenshot, or figure size for --svg, as WIDTHxHEIGHT (e.g. 1600x900)");
    addFigureOptions(app, cl);
    app.get_option("--script")->excludes(app.get_option("--lesson"));
    app.get_option("--measure-fps")->excludes(app.get_option("--screenshot"));
    app.get_option("--measure-no-relayout")->needs(app.get_option("--measure-fps"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        exitCode = app.exit(e) == 0 ? 0 : 2;
        return std::nullopt;
    }
    if (!size.empty()) {
        int w = 0, h = 0;
        char x = 0;
        if (std::sscanf(size.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 ||
            h < 240 || w > 8192 || h > 8192) {
            std::fprintf(stderr,
                         "shmviz: --size \"%s\" must be WIDTHxHEIGHT between 320x240 and 8192x8192.\n",
                         size.c_str());
            exitCode = 2;
            return std::nullopt;
        }
        cl.width = w;
        cl.height = h;
        cl.sizeGiven = true;
    }
    return cl;
}

} // namespace shmviz::app
