// shmviz: the entry point picks a face (window or headless) and what to run in it.
#include "app/command_line.h"
#include "app/headless.h"
#include "core/kernel/file_text.h"
#include "core/steps/lessons.h"
#ifdef SHMVIZ_HAVE_GUI
#include "app/gui_app.h"
#endif

#include <cstdio>
#include <cstdlib>

namespace {

// The lessons the first README command runs when there is no display.
constexpr const char* kDemoLessons[] = {"lifecycle", "persistence-1", "persistence-2", "double-attach"};

int listLessons() {
    for (const auto& lesson : shmviz::core::builtinLessons())
        std::printf("%-16s %s\n", lesson.name.c_str(), lesson.title.c_str());
    return 0;
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

} // namespace

int main(int argc, char** argv) {
    int exitCode = 0;
    auto cl = shmviz::app::parseCommandLine(argc, argv, exitCode);
    if (!cl)
        return exitCode;
    if (cl->listLessons)
        return listLessons();

    std::string scriptName, scriptText;
    if (cl->script) {
        auto text = shmviz::core::readFileText(*cl->script);
        if (!text) {
            std::fprintf(stderr, "shmviz: %s\n", text.error().message.c_str());
            return 2;
        }
        scriptName = *cl->script;
        scriptText = *text;
    } else if (cl->lesson) {
        auto lesson = shmviz::core::findLesson(*cl->lesson);
        if (!lesson) {
            std::fprintf(stderr, "shmviz: there is no lesson \"%s\"; see shmviz --list-lessons.\n",
                         cl->lesson->c_str());
            return 2;
        }
        scriptName = lesson->name;
        scriptText = std::string(lesson->text);
    }

    if (cl->headless) {
        if (cl->screenshot || cl->measureFps) {
            std::fprintf(stderr,
                         "shmviz: --screenshot and --measure-fps need the window; drop --headless.\n");
            return 2;
        }
        const bool fromStdin = !cl->script && !cl->lesson;
        return shmviz::app::runHeadless(scriptText, fromStdin, cl->text);
    }

#ifdef SHMVIZ_HAVE_GUI
    shmviz::app::GuiOptions gui;
    gui.scriptName = scriptName;
    gui.scriptText = scriptText;
    gui.screenshotPath = cl->screenshot;
    gui.tracePath = cl->trace;
    gui.configDir = cl->configDir;
    gui.measureFpsSeconds = cl->measureFps;
    gui.measureNoRelayout = cl->measureNoRelayout;
    gui.width = cl->width;
    gui.height = cl->height;
    gui.sizeGiven = cl->sizeGiven;
    if (!cl->script && !cl->lesson) {
        if (auto lesson = shmviz::core::findLesson("lifecycle")) {
            gui.scriptName = lesson->name;
            gui.scriptText = std::string(lesson->text);
        }
        gui.autoSpawn = true;
    }
    const int status = shmviz::app::runGui(gui);
    if (status != shmviz::app::kNoDisplay)
        return status;
    std::fprintf(stderr, "shmviz: no display could be opened; running without a window.\n");
#endif
    if (cl->screenshot || cl->measureFps) {
        std::fprintf(stderr, "shmviz: --screenshot and --measure-fps need a display (try xvfb-run).\n");
        return 2;
    }
    if (cl->script || cl->lesson)
        return shmviz::app::runHeadless(scriptText, false, true);
    return runDemo(true);
}
