// The GUI face: window, frame loop, fonts and theme, settings, screenshots. The session runs on
// SessionRunner's thread; this thread only submits lines and reads snapshots and replies.
#include "app/gui_app.h"

#include "app/json/json_writer.h"
#include "core/base/safe_file.h"
#include "core/base/user_dirs.h"
#include "core/session/session_runner.h"
#include "core/steps/lessons.h"
#include "render/palette.h"
#include "render/quad_renderer.h"
#include "render/screenshot.h"
#include "ui/main_view.h"
#include "ui/settings.h"
#include "ui/theme.h"

#include <glad/gl.h>
// glad first: it provides the GL declarations GLFW would otherwise include.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <unistd.h>

namespace shmviz::app {
namespace {

// [SECTION] events: any input or window change asks for a redraw

std::atomic<unsigned> g_events{0};
std::vector<ui::KeyPress> g_keys; // main thread only: GLFW calls back from glfwPollEvents

void markEvent() {
    g_events.fetch_add(1, std::memory_order_relaxed);
}

void installEventCallbacks(GLFWwindow* window) {
    // Installed before ImGui's, which chain to these.
    glfwSetCursorPosCallback(window, [](GLFWwindow*, double, double) { markEvent(); });
    glfwSetWindowSizeCallback(window, [](GLFWwindow*, int, int) { markEvent(); });
    glfwSetFramebufferSizeCallback(window, [](GLFWwindow*, int, int) { markEvent(); });
    glfwSetWindowRefreshCallback(window, [](GLFWwindow*) { markEvent(); });
    glfwSetWindowContentScaleCallback(window, [](GLFWwindow*, float, float) { markEvent(); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow*, int, int, int) { markEvent(); });
    glfwSetScrollCallback(window, [](GLFWwindow*, double, double) { markEvent(); });
    glfwSetKeyCallback(window, [](GLFWwindow*, int key, int, int action, int mods) {
        if (action != GLFW_RELEASE)
            g_keys.push_back({key, mods, action == GLFW_REPEAT});
        markEvent();
    });
    glfwSetCharCallback(window, [](GLFWwindow*, unsigned) { markEvent(); });
    glfwSetWindowFocusCallback(window, [](GLFWwindow*, int) { markEvent(); });
    glfwSetCursorEnterCallback(window, [](GLFWwindow*, int) { markEvent(); });
}

// [SECTION] small helpers

double monotonicSeconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string timestampedName(const char* prefix, const char* extension) {
    char stamp[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    return std::string(prefix) + stamp + extension;
}

// --trace FILE: one JSON line per reply and saved PNG. The user named FILE, so a link the user
// owns is followed and any other link refused (core/base/safe_file.h).
class Trace {
  public:
    explicit Trace(const std::optional<std::string>& path) {
        if (!path)
            return;
        auto fd = core::openForWriting(*path, core::LinkPolicy::FollowOwn, "the trace");
        if (!fd) {
            std::fprintf(stderr, "shmviz: %s\n", fd.error().message.c_str());
            return;
        }
        m_out = fdopen(*fd, "w");
        if (!m_out)
            close(*fd);
    }
    ~Trace() {
        if (m_out)
            std::fclose(m_out);
    }
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;
    void write(const nlohmann::json& line) {
        if (m_out)
            json::writeLine(m_out, line);
    }
    // A `snapshot` step puts the whole state in the trace, so tests can lay out what was drawn.
    void write(const core::StepReply& reply) {
        if (m_out)
            json::writeReply(m_out, reply);
    }

  private:
    std::FILE* m_out = nullptr;
};

std::string absolutePath(const std::string& path) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    return ec ? path : absolute.lexically_normal().string();
}

struct ScreenshotRun {
    bool active = false;
    std::size_t expectedReplies = 0;
    std::size_t seenReplies = 0;
    std::uint64_t lastGeneration = 0;
    double deadline = 0;
};

constexpr double kIdleWaitSeconds = 0.5;
constexpr double kScreenshotTimeoutSeconds = 120;
constexpr int kSettleFrames = 3; // ImGui needs a frame or two to size windows after a change

} // namespace

int runGui(const GuiOptions& options) {
    glfwSetErrorCallback(
        [](int code, const char* text) { std::fprintf(stderr, "shmviz: GLFW %d: %s\n", code, text); });
    if (!glfwInit())
        return kNoDisplay;

    const std::string settingsPath = ui::settingsPath(options.configDir);
    ui::Settings settings = ui::loadSettings(settingsPath);
    const bool screenshotMode = options.screenshotPath.has_value();
    // SHMVIZ_MEASURE_FPS=SECONDS (benchmarks/gui_fps.sh): run the script, then redraw without
    // pause for that long, laying the diagram out anew each frame, print the rate and exit.
    const char* measure = std::getenv("SHMVIZ_MEASURE_FPS");
    const int width = options.sizeGiven ? options.width : settings.width;
    const int height = options.sizeGiven ? options.height : settings.height;

    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    const std::string title =
        "shmviz" + (options.scriptName.empty() ? std::string() : " - " + options.scriptName);
    GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        return kNoDisplay;
    }
    glfwMakeContextCurrent(window);
    if (!gladLoadGL(glfwGetProcAddress)) {
        std::fprintf(stderr, "shmviz: could not load OpenGL 3.3 functions.\n");
        glfwDestroyWindow(window);
        glfwTerminate();
        return kNoDisplay;
    }
    glfwSwapInterval(1);
    installEventCallbacks(window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr; // panels are placed by MainView; settings.ini holds the rest
    if (screenshotMode || measure) // a figure shows no hover tooltip from wherever the pointer happens to be
        ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    render::QuadRenderer quads;
    if (std::string error; !quads.init(error))
        std::fprintf(stderr, "shmviz: the diagram cannot be drawn: %s\n", error.c_str());

    ui::UiState state;
    state.theme = settings.theme;
    state.zoom = settings.zoom;
    state.animate = !screenshotMode;
    if (screenshotMode || measure)
        state.selectedWorker = -1; // a figure shows no selection
    float appliedScale = 0;
    render::ThemeKind appliedTheme = state.theme;
    ui::Fonts fonts;

    Trace trace(options.tracePath);
    std::vector<std::string> submitted;
    auto runner = std::make_unique<core::SessionRunner>(core::SessionOptions{}, [] { glfwPostEmptyEvent(); });
    const auto submit = [&](const std::string& line) {
        submitted.push_back(line);
        runner->submit(line);
    };

    ui::MainView view;
    if (!options.scriptText.empty())
        view.script().load(options.scriptName, options.scriptText);
    else if (auto lesson = core::findLesson("lifecycle"); lesson && options.autoSpawn)
        view.script().load(lesson->name, lesson->text);
    if (options.autoSpawn) {
        // Ready to teach: the workers exist, so the lesson's own spawn line counts as done.
        submit("spawn 2");
        view.script().markDone("spawn 2");
    }

    double measureUntil = 0;
    double measureCpuStart = 0;
    long measuredFrames = 0;

    static const core::Snapshot kEmpty{};
    ScreenshotRun shot;
    if (screenshotMode || measure) {
        ui::FrameContext ctx{kEmpty, 0, false, "", [&](const std::string& line) {
                                 submit(line);
                                 ++shot.expectedReplies;
                             }};
        view.script().runAll(ctx);
        shot.active = true;
        shot.deadline = monotonicSeconds() + kScreenshotTimeoutSeconds;
    }

    int exitCode = 0;
    int framesToDraw = kSettleFrames;
    unsigned seenEvents = g_events.load();
    std::uint64_t seenGeneration = ~std::uint64_t{0};
    bool seenBusy = false;
    bool quitAfterScreenshot = false;
    core::LinkPolicy pendingLinks = core::LinkPolicy::Refuse;
    std::string pendingScreenshot;
    bool announcedReady = false;
    std::vector<core::StepReply> frameReplies; // taken from the runner, not yet shown to the lab panels

    while (!glfwWindowShouldClose(window) && !state.wantQuit) {
        const double now0 = monotonicSeconds();
        const bool animating = view.animating(now0) || measureUntil > 0;
        if (framesToDraw > 0 || animating)
            glfwPollEvents();
        else
            glfwWaitEventsTimeout(kIdleWaitSeconds);

        if (unsigned events = g_events.load(); events != seenEvents) {
            seenEvents = events;
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        std::shared_ptr<const core::Snapshot> snapshot = runner->snapshot();
        const core::Snapshot& snap = snapshot ? *snapshot : kEmpty;
        if (snap.generation != seenGeneration) {
            seenGeneration = snap.generation;
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        std::vector<core::StepReply> taken = runner->takeReplies();
        for (const core::StepReply& reply : taken) {
            view.narration().add(reply);
            trace.write(reply);
            if (!reply.ok && screenshotMode)
                std::fprintf(stderr, "shmviz: step %d \"%s\": %s\n", reply.number, reply.cmd.c_str(),
                             reply.error ? reply.error->message.c_str() : "failed");
            if (reply.quit && !screenshotMode)
                state.wantQuit = true;
            ++shot.seenReplies;
            if (reply.snapshot)
                shot.lastGeneration = reply.snapshot->generation;
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        frameReplies.insert(frameReplies.end(), std::make_move_iterator(taken.begin()),
                            std::make_move_iterator(taken.end()));
        const bool busy = runner->busy();
        if (busy != seenBusy) {
            seenBusy = busy;
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        if (ImGui::GetIO().WantTextInput) // the text cursor blinks
            framesToDraw = std::max(framesToDraw, 1);

        if (shot.active && shot.seenReplies >= shot.expectedReplies && !busy && snapshot &&
            snap.generation >= shot.lastGeneration && !view.animating(now0) && pendingScreenshot.empty()) {
            shot.active = false;
            if (screenshotMode) {
                pendingScreenshot = *options.screenshotPath;
                pendingLinks = core::LinkPolicy::FollowOwn; // the user named this file
                quitAfterScreenshot = true;
            } else {
                measureUntil = now0 + std::atof(measure);
                measureCpuStart = processCpuSeconds();
            }
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        if (shot.active && now0 > shot.deadline) {
            std::fprintf(stderr, "shmviz: the script did not finish within %.0f seconds; no screenshot.\n",
                         kScreenshotTimeoutSeconds);
            exitCode = 1;
            break;
        }
        float xs = 1, ys = 1;
        glfwGetWindowContentScale(window, &xs, &ys);
        if (state.scale() != appliedScale * 1.0f || state.theme != appliedTheme || !fonts.regular) {
            const float scale = state.zoom * xs;
            state.contentScale = xs;
            fonts = ui::loadFonts(scale);
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
            ui::applyTheme(state.theme, scale);
            appliedScale = scale;
            appliedTheme = state.theme;
            framesToDraw = std::max(framesToDraw, kSettleFrames);
        }
        state.contentScale = xs;

        const bool stillAnimating = view.animating(monotonicSeconds()) || measureUntil > 0;
        if (framesToDraw <= 0 && !stillAnimating)
            continue;
        framesToDraw = std::max(0, framesToDraw - 1);

        // [SECTION] one frame
        state.forceRelayout = measureUntil > 0 && !std::getenv("SHMVIZ_MEASURE_NO_RELAYOUT");
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ui::FrameContext ctx{snap,   monotonicSeconds(), busy,         busy ? runner->runningLine() : "",
                             submit, runner.get(),       &frameReplies};
        state.keys.swap(g_keys);
        g_keys.clear();
        view.draw(ctx, state, fonts);
        state.keys.clear();
        frameReplies.clear();
        ImGui::Render();

        int fbw = 0, fbh = 0;
        glfwGetFramebufferSize(window, &fbw, &fbh);
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        const render::Rgba bg = render::paletteFor(state.theme).canvas;
        glViewport(0, 0, fbw, fbh);
        glClearColor(bg.r, bg.g, bg.b, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        quads.draw(view.diagram().quads(), view.diagram().canvas(), {display.x, display.y},
                   {static_cast<float>(fbw), static_cast<float>(fbh)});
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

        if (state.wantScreenshot && pendingScreenshot.empty()) {
            // F12: a name the app chooses, in the pictures dir; a link found there is refused.
            pendingScreenshot = core::picturesDir() + "/" + timestampedName("shmviz-", ".png");
            pendingLinks = core::LinkPolicy::Refuse;
            state.wantScreenshot = false;
        }
        // Saved after a full frame with the final state, so the picture is what the window shows.
        if (!pendingScreenshot.empty() && framesToDraw == 0) {
            const core::Status saved = render::saveFramebufferPng(pendingScreenshot, fbw, fbh, pendingLinks);
            const render::ViewParams& v = view.diagram().view();
            trace.write({{"screenshot", pendingScreenshot},
                         {"ok", saved.ok()},
                         {"size", {fbw, fbh}},
                         {"theme", state.theme == render::ThemeKind::Dark ? "dark" : "light"},
                         {"pfnVisible", snap.pfnVisible},
                         {"view",
                          {{"canvas", {v.canvas.x0, v.canvas.y0, v.canvas.x1, v.canvas.y1}},
                           {"pagePx", v.pagePx},
                           {"scrollY", v.scrollY},
                           {"lineHeight", v.lineHeight},
                           {"maxPagePx", v.maxPagePx},
                           {"minBandPx", v.minBandPx}}}});
            if (saved)
                view.narration().note("Saved the window as " + absolutePath(pendingScreenshot) + ".");
            else
                view.narration().note(saved.error().message);
            if (quitAfterScreenshot) {
                if (!saved) {
                    std::fprintf(stderr, "shmviz: %s\n", saved.error().message.c_str());
                    exitCode = 1;
                }
                pendingScreenshot.clear();
                break;
            }
            pendingScreenshot.clear();
            framesToDraw = std::max(framesToDraw, 1);
        }
        if (state.wantSaveSteps) {
            state.wantSaveSteps = false;
            const std::string path = absolutePath(timestampedName("shmviz-session-", ".steps"));
            std::string text = "# Steps of a shmviz session; replay with: shmviz --script " + path + "\n";
            for (const std::string& line : submitted)
                text += line + "\n";
            const core::Status saved =
                core::writeFileAtomically(path, text, core::LinkPolicy::Refuse, "the steps");
            trace.write({{"steps", path}, {"ok", saved.ok()}});
            view.narration().note(saved ? "Saved the steps so far as " + path + "." : saved.error().message);
            framesToDraw = std::max(framesToDraw, 1);
        }
        glfwSwapBuffers(window);
        if (!announcedReady) { // tests driving the window wait for this line before sending keys
            announcedReady = true;
            trace.write({{"window", "ready"}, {"size", {fbw, fbh}}});
        }

        if (measureUntil > 0) {
            ++measuredFrames;
            if (monotonicSeconds() >= measureUntil) {
                // CPU per frame (all threads, llvmpipe's included) says what a quiet machine would reach.
                std::printf("fps %.1f over %ld frames, %.1f ms of CPU per frame\n",
                            measuredFrames / std::atof(measure), measuredFrames,
                            1000 * (processCpuSeconds() - measureCpuStart) / measuredFrames);
                std::fflush(stdout);
                break;
            }
        }
    }

    if (!screenshotMode && !measure) {
        int w = 0, h = 0;
        glfwGetWindowSize(window, &w, &h);
        if (w > 0 && h > 0 && !glfwGetWindowAttrib(window, GLFW_ICONIFIED) &&
            !glfwGetWindowAttrib(window, GLFW_MAXIMIZED)) {
            settings.width = w;
            settings.height = h;
        }
        settings.theme = state.theme;
        settings.zoom = state.zoom;
        if (const core::Status saved = ui::saveSettings(settings, settingsPath); !saved)
            std::fprintf(stderr, "shmviz: %s\n", saved.error().message.c_str());
    }

    runner.reset(); // ends the session before GLFW goes: the wake callback must not outlive it
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exitCode;
}

} // namespace shmviz::app
