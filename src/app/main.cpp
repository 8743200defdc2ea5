// shmviz: the entry point picks a face (window or headless) and what to run in it.
#include "app/command_line.h"
#include "app/headless.h"
#include "core/base/memory_reserve.h"
#include "core/kernel/file_text.h"
#include "core/steps/lessons.h"
#include "core/steps/step.h"
#ifdef SHMVIZ_HAVE_GUI
#include "app/figure_face.h"
#include "app/gui_app.h"
#endif

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace {

// The lessons the first README command runs when there is no display.
constexpr const char* kDemoLessons[] = {"lifecycle", "persistence-1", "persistence-2", "double-attach"};

int listLessons() {
    for (const auto& lesson : shmviz::core::builtinLessons())
        std::printf("%-16s %s\n", lesson.name.c_str(), lesson.title.c_str());
    return 0;
}

// Steps in a script: the lines that are not blank and not comments.
int countSteps(const std::string& script) {
    int steps = 0;
    std::size_t offset = 0;
    while (offset < script.size()) {
        const std::size_t nl = script.find('\n', offset);
        const std::size_t end = nl == std::string::npos ? script.size() : nl;
        if (!shmviz::core::isSkippableLine(std::string_view(script).substr(offset, end - offset)))
            ++steps;
        offset = end + 1;
    }
    return steps;
}

int runDemo(bool text) {
    int status = 0;
    for (const char* name : kDemoLessons) {
        auto lesson = shmviz::core::findLesson(name);
        if (!lesson)
            continue;
        if (text)
            std::printf("\n=== Lesson: %s ===\n", lesson->title.c_str());
        std::fflush(stdout);
        status |= shmviz::app::runHeadless(std::string(lesson->text), false, text);
    }
    return status;
}

// --svg and --handout without a window.
int runFigures(const shmviz::app::CommandLine& cl, const std::string& scriptName,
               const std::string& scriptText) {
    if (!cl.script && !cl.lesson) {
        std::fprintf(stderr, "shmviz: --svg and --handout need --script FILE or --lesson NAME.\n");
        return 2;
    }
#ifdef SHMVIZ_HAVE_GUI
    using shmviz::render::ThemeKind;
    shmviz::app::FigureRequest request;
    if (cl.lesson) {
        const auto lesson = shmviz::core::findLesson(*cl.lesson);
        request.title = lesson ? lesson->title : scriptName;
        request.source = "The built-in lesson \"" + scriptName + "\"";
    } else {
        request.title = std::filesystem::path(scriptName).filename().string();
        request.source = "The script " + request.title;
    }
    request.captionName = cl.lesson ? scriptName : request.title;
    request.scriptText = scriptText;
    request.atStep = cl.atStep.value_or(0);
    request.svgPath = cl.svg;
    request.handoutDir = cl.handout;
    if (cl.theme)
        request.svgTheme = request.handoutTheme = *cl.theme == "light" ? ThemeKind::Light : ThemeKind::Dark;
    request.zoom = cl.zoom.value_or(1);
    request.width = cl.width;
    request.height = cl.height;
    return shmviz::app::runFigures(request);
#else
    (void)scriptName;
    (void)scriptText;
    std::fprintf(stderr, "shmviz: this build has no diagram (built without the GUI); no figures.\n");
    return 2;
#endif
}

// The script a run starts with: a file, a built-in lesson, or nothing (empty name and text).
struct StartScript {
    std::string name;
    std::string text;
};

// Reads --script or --lesson; prints the one-sentence error and returns nullopt when it cannot.
std::optional<StartScript> loadStartScript(const shmviz::app::CommandLine& cl) {
    StartScript script;
    if (cl.script) {
        auto text = shmviz::core::readFileText(*cl.script);
        if (!text) {
            std::fprintf(stderr, "shmviz: %s\n", text.error().message.c_str());
            return std::nullopt;
        }
        script.name = *cl.script;
        script.text = *text;
    } else if (cl.lesson) {
        auto lesson = shmviz::core::findLesson(*cl.lesson);
        if (!lesson) {
            std::fprintf(stderr, "shmviz: there is no lesson \"%s\"; see shmviz --list-lessons.\n",
                         cl.lesson->c_str());
            return std::nullopt;
        }
        script.name = lesson->name;
        script.text = std::string(lesson->text);
    }
    return script;
}

// --at N needs a script with at least N steps.
bool atStepFits(const shmviz::app::CommandLine& cl, const StartScript& script) {
    if (!cl.atStep)
        return true;
    if (!cl.script && !cl.lesson) {
        std::fprintf(stderr, "shmviz: --at needs --script or --lesson.\n");
        return false;
    }
    if (const int steps = countSteps(script.text); *cl.atStep > steps) {
        std::fprintf(stderr, "shmviz: --at %d is past the end: %s has %d steps.\n", *cl.atStep,
                     script.name.c_str(), steps);
        return false;
    }
    return true;
}

#ifdef SHMVIZ_HAVE_GUI
shmviz::app::GuiOptions guiOptions(const shmviz::app::CommandLine& cl, const StartScript& script) {
    shmviz::app::GuiOptions gui;
    gui.scriptName = script.name;
    gui.scriptText = script.text;
    gui.screenshotPath = cl.screenshot;
    gui.tracePath = cl.trace;
    gui.configDir = cl.configDir;
    gui.measureFpsSeconds = cl.measureFps;
    gui.measureNoRelayout = cl.measureNoRelayout;
    gui.width = cl.width;
    gui.height = cl.height;
    gui.sizeGiven = cl.sizeGiven;
    if (cl.theme)
        gui.theme = *cl.theme == "light" ? shmviz::render::ThemeKind::Light : shmviz::render::ThemeKind::Dark;
    gui.zoom = cl.zoom;
    gui.diagramOnly = cl.diagramOnly;
    gui.atStep = cl.atStep.value_or(0);
    gui.svgPath = cl.svg;
    gui.present = cl.present;
    for (const std::string& w : cl.show)
        (w == "memory" ? gui.showMemory : gui.showWalk) = true;
    if (!cl.script && !cl.lesson) {
        if (auto lesson = shmviz::core::findLesson("lifecycle")) {
            gui.scriptName = lesson->name;
            gui.scriptText = std::string(lesson->text);
        }
        gui.autoSpawn = true;
    }
    return gui;
}
#endif

// Without a display (none could be opened, or the build has no GUI): the script, or the demo lessons.
int runWithoutWindow(const shmviz::app::CommandLine& cl, const StartScript& script) {
    if (cl.screenshot || cl.measureFps) {
        std::fprintf(stderr, "shmviz: --screenshot and --measure-fps need a display (try xvfb-run).\n");
        return 2;
    }
    if (cl.script || cl.lesson)
        return shmviz::app::runHeadless(script.text, false, true, cl.atStep.value_or(0));
    return runDemo(true);
}

} // namespace

int main(int argc, char** argv) {
    // Memory running out ends a step with ENOMEM, never the app (Session::run catches std::bad_alloc).
    shmviz::core::installMemoryReserve();
    int exitCode = 0;
    auto cl = shmviz::app::parseCommandLine(argc, argv, exitCode);
    if (!cl)
        return exitCode;
    if (cl->listLessons)
        return listLessons();
    const auto script = loadStartScript(*cl);
    if (!script || !atStepFits(*cl, *script))
        return 2;

    if ((cl->svg || cl->handout) && !cl->screenshot)
        return runFigures(*cl, script->name, script->text);

    if (cl->headless) {
        if (cl->screenshot || cl->measureFps) {
            std::fprintf(stderr,
                         "shmviz: --screenshot and --measure-fps need the window; drop --headless.\n");
            return 2;
        }
        const bool fromStdin = !cl->script && !cl->lesson;
        return shmviz::app::runHeadless(script->text, fromStdin, cl->text, cl->atStep.value_or(0));
    }

#ifdef SHMVIZ_HAVE_GUI
    const int status = shmviz::app::runGui(guiOptions(*cl, *script));
    if (status != shmviz::app::kNoDisplay)
        return status;
    std::fprintf(stderr, "shmviz: no display could be opened; running without a window.\n");
#endif
    return runWithoutWindow(*cl, *script);
}
