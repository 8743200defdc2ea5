// The GUI face: the frame loop, fonts and theme, settings, screenshots and saved steps. The window
// is GuiWindow's, when to draw is RedrawScheduler's, the unattended modes are in gui_modes.h. The
// session runs on SessionRunner's thread; this thread only submits lines (through StepRecorder)
// and reads snapshots and replies.
#include "app/gui_app.h"

#include "app/figure_face.h"
#include "app/gui_modes.h"
#include "app/gui_trace.h"
#include "app/gui_window.h"
#include "app/redraw_scheduler.h"
#include "app/step_recorder.h"
#include "core/base/user_dirs.h"
#include "core/session/session_runner.h"
#include "core/steps/lessons.h"
#include "render/palette.h"
#include "render/quad_renderer.h"
#include "render/screenshot.h"
#include "render/svg_diagram.h"
#include "ui/main_view.h"
#include "ui/settings.h"
#include "ui/theme.h"

#include <glad/gl.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

namespace shmviz::app {
namespace {

constexpr double kIdleWaitSeconds = 0.5;

double monotonicSeconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string timestampedName(const char* prefix, const char* extension) {
    char stamp[32];
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    return std::string(prefix) + stamp + extension;
}

std::string absolutePath(const std::string& path) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    return ec ? path : absolute.lexically_normal().string();
}

const core::Snapshot kEmpty{};

class GuiApp {
  public:
    GuiApp(const GuiOptions& options, GuiWindow& window, const ui::Settings& settings);
    // The frame loop; returns the exit status.
    int run();
    const ui::UiState& state() const { return m_state; }

  private:
    bool unattended() const { return m_options.screenshotPath || m_options.measureFpsSeconds; }
    void loadScript();
    void takeReplies();
    void applyScale();
    // Returns false when the loop should end (exit status in m_exitCode).
    bool checkScriptWait(double now, const core::Snapshot* drawn, bool busy);
    void drawFrame(const std::shared_ptr<const core::Snapshot>& snapshot, const core::Snapshot& snap,
                   bool busy);
    // Returns false when the loop should end.
    bool saveScreenshot(const core::Snapshot& snap);
    // The diagram as the window drew it last, as SVG: the same layout and labels, a second painter.
    core::Status writeSvg(const core::Snapshot& snap, const std::string& path, core::LinkPolicy links) const;
    void exportSvg(const core::Snapshot& snap);
    void saveSteps();

    const GuiOptions& m_options;
    GuiWindow& m_window;
    ui::UiState m_state;
    ui::Fonts m_fonts;
    float m_appliedScale = 0;
    render::ThemeKind m_appliedTheme;
    render::QuadRenderer m_quads;
    GuiTrace m_trace;
    ui::WidgetPlaces m_places;
    RedrawScheduler m_redraw;
    ScriptWait m_scriptWait;
    FpsMeasurement m_fps;
    std::unique_ptr<core::SessionRunner> m_runner;
    std::unique_ptr<StepRecorder> m_recorder;
    ui::MainView m_view;
    std::vector<core::StepReply> m_frameReplies; // taken from the runner, not yet shown to the panels
    std::string m_pendingScreenshot;
    core::LinkPolicy m_pendingLinks = core::LinkPolicy::Refuse;
    bool m_quitAfterScreenshot = false;
    bool m_announcedReady = false;
    int m_exitCode = 0;
};

GuiApp::GuiApp(const GuiOptions& options, GuiWindow& window, const ui::Settings& settings)
    : m_options(options), m_window(window), m_trace(options.tracePath),
      m_fps(options.measureFpsSeconds.value_or(0)),
      m_runner(std::make_unique<core::SessionRunner>(core::SessionOptions{}, [] { GuiWindow::wake(); })),
      m_recorder(std::make_unique<StepRecorder>(*m_runner)) {
    m_state.theme = settings.theme;
    m_state.zoom = settings.zoom;
    m_state.animate = !options.screenshotPath;
    m_state.diagramOnly = options.diagramOnly;
    m_state.presenter = options.present;
    m_state.showMemory = options.showMemory;
    m_state.showWalk = options.showWalk;
    if (unattended())
        m_state.selectedWorker = -1; // a figure shows no selection
    m_appliedTheme = m_state.theme;
    if (std::string error; !m_quads.init(error))
        std::fprintf(stderr, "shmviz: the diagram cannot be drawn: %s\n", error.c_str());
    loadScript();
}

void GuiApp::loadScript() {
    if (!m_options.scriptText.empty())
        m_view.script().load(m_options.scriptName, m_options.scriptText);
    else if (auto lesson = core::findLesson("lifecycle"); lesson && m_options.autoSpawn)
        m_view.script().load(lesson->name, lesson->text);
    if (m_options.autoSpawn) {
        // Ready to teach: the workers exist, so the lesson's own spawn line counts as done.
        m_recorder->submit("spawn 2");
        m_view.script().markDone("spawn 2");
    }
    if (unattended()) {
        const ui::FrameContext ctx{kEmpty, 0, false, "", *m_recorder, m_frameReplies};
        if (m_options.atStep > 0)
            for (int i = 0; i < m_options.atStep && m_view.script().next(ctx); ++i) {
            }
        else
            m_view.script().runAll(ctx);
        m_scriptWait.start(m_recorder->lines().size(), monotonicSeconds());
    }
}

void GuiApp::takeReplies() {
    const bool screenshotMode = m_options.screenshotPath.has_value();
    std::vector<core::StepReply> taken = m_runner->takeReplies();
    for (const core::StepReply& reply : taken) {
        m_view.narration().add(reply);
        m_trace.reply(reply);
        if (!reply.ok && screenshotMode) {
            std::fprintf(stderr, "shmviz: step %d \"%s\": %s\n", reply.number, reply.cmd.c_str(),
                         reply.error ? reply.error->message.c_str() : "failed");
            m_exitCode = 1; // the picture is still saved, but a figure script must not fail quietly
        }
        if (!reply.cmd.starts_with("say "))
            m_state.caption = figureCaption(m_options.scriptName, reply);
        if (reply.quit && !screenshotMode)
            m_state.wantQuit = true;
        m_scriptWait.onReply(reply);
        m_redraw.request();
    }
    m_frameReplies.insert(m_frameReplies.end(), std::make_move_iterator(taken.begin()),
                          std::make_move_iterator(taken.end()));
}

void GuiApp::applyScale() {
    const float contentScale = m_window.contentScale();
    m_state.contentScale = contentScale;
    if (m_state.zoom * contentScale == m_appliedScale && m_state.theme == m_appliedTheme && m_fonts.regular)
        return;
    const float scale = m_state.zoom * contentScale;
    m_fonts = ui::loadFonts(scale);
    m_window.reloadFontsTexture();
    ui::applyTheme(m_state.theme, scale);
    m_appliedScale = scale;
    m_appliedTheme = m_state.theme;
    m_redraw.request();
}

bool GuiApp::checkScriptWait(double now, const core::Snapshot* drawn, bool busy) {
    if (m_pendingScreenshot.empty() && m_scriptWait.finish(busy, drawn, m_view.animating(now))) {
        if (m_options.screenshotPath) {
            m_pendingScreenshot = *m_options.screenshotPath;
            m_pendingLinks = core::LinkPolicy::FollowOwn; // the user named this file
            m_quitAfterScreenshot = true;
        } else {
            m_fps.start(now);
        }
        m_redraw.request();
    }
    if (m_scriptWait.timedOut(now)) {
        std::fprintf(stderr, "shmviz: the script did not finish within %.0f seconds; no screenshot.\n",
                     ScriptWait::kTimeoutSeconds);
        m_exitCode = 1;
        return false;
    }
    return true;
}

void GuiApp::drawFrame(const std::shared_ptr<const core::Snapshot>& snapshot, const core::Snapshot& snap,
                       bool busy) {
    m_state.forceRelayout = m_fps.running() && !m_options.measureNoRelayout;
    m_window.beginFrame();
    const ui::FrameContext ctx{snap,
                               monotonicSeconds(),
                               busy,
                               busy ? m_runner->runningLine() : "",
                               *m_recorder,
                               m_frameReplies,
                               m_trace.on() ? &m_places : nullptr,
                               snapshot};
    m_state.keys = m_window.takeKeys();
    m_view.draw(ctx, m_state, m_fonts);
    m_trace.widgets(m_places);
    if (auto change = m_view.takeViewChange())
        m_trace.timeline(*change);
    if (m_state.sessionRestarted) {
        m_state.sessionRestarted = false;
        m_trace.newSession(m_view.script().name());
    }
    m_state.keys.clear();
    m_frameReplies.clear();
    ImGui::Render();

    int fbw = 0, fbh = 0;
    m_window.framebufferSize(fbw, fbh);
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const render::Rgba bg = render::paletteFor(m_state.theme).canvas;
    glViewport(0, 0, fbw, fbh);
    glClearColor(bg.r, bg.g, bg.b, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    m_quads.draw(m_view.diagram().quads(), m_view.diagram().canvas(), {display.x, display.y},
                 {static_cast<float>(fbw), static_cast<float>(fbh)});
    m_window.renderImGui();
}

bool GuiApp::saveScreenshot(const core::Snapshot& snap) {
    if (m_state.wantScreenshot && m_pendingScreenshot.empty()) {
        // F12: a name the app chooses, in the pictures dir; a link found there is refused.
        m_pendingScreenshot = core::picturesDir() + "/" + timestampedName("shmviz-", ".png");
        m_pendingLinks = core::LinkPolicy::Refuse;
        m_state.wantScreenshot = false;
    }
    // Saved after a full frame with the final state, so the picture is what the window shows.
    if (m_pendingScreenshot.empty() || !m_redraw.settled())
        return true;
    int fbw = 0, fbh = 0;
    m_window.framebufferSize(fbw, fbh);
    const core::Status saved = render::saveFramebufferPng(m_pendingScreenshot, fbw, fbh, m_pendingLinks);
    m_trace.screenshot(m_pendingScreenshot, saved.ok(), fbw, fbh, m_state.theme, snap.pfnVisible,
                       m_view.diagram().view());
    m_view.narration().note(saved ? "Saved the window as " + absolutePath(m_pendingScreenshot) + "."
                                  : saved.error().message);
    m_pendingScreenshot.clear();
    if (m_quitAfterScreenshot) {
        if (!saved) {
            std::fprintf(stderr, "shmviz: %s\n", saved.error().message.c_str());
            m_exitCode = 1;
        }
        if (m_options.svgPath)
            if (const core::Status svg = writeSvg(snap, *m_options.svgPath, core::LinkPolicy::FollowOwn);
                !svg) {
                std::fprintf(stderr, "shmviz: %s\n", svg.error().message.c_str());
                m_exitCode = 1;
            }
        return false;
    }
    m_redraw.request(1);
    return true;
}

core::Status GuiApp::writeSvg(const core::Snapshot& snap, const std::string& path,
                              core::LinkPolicy links) const {
    const ui::DiagramPanel& diagram = m_view.diagram();
    render::SvgOptions svg;
    svg.theme = m_state.theme;
    svg.scale = m_state.scale();
    svg.diagramScale = diagram.textScale();
    svg.caption = m_state.caption;
    return core::writeFileAtomically(
        path, render::diagramSvg(snap, diagram.layout(), diagram.labels(), diagram.view(), svg), links,
        "the SVG");
}

void GuiApp::exportSvg(const core::Snapshot& snap) {
    if (!m_state.wantExportSvg)
        return;
    m_state.wantExportSvg = false;
    // A name the app chooses, in the pictures dir, as F12's: a link found there is refused.
    const std::string path = core::picturesDir() + "/" + timestampedName("shmviz-", ".svg");
    const core::Status saved = writeSvg(snap, path, core::LinkPolicy::Refuse);
    m_trace.svg(path, saved.ok());
    m_view.narration().note(saved ? "Saved the diagram as " + absolutePath(path) + "."
                                  : saved.error().message);
    m_redraw.request(1);
}

void GuiApp::saveSteps() {
    if (!m_state.wantSaveSteps)
        return;
    m_state.wantSaveSteps = false;
    const std::string path = absolutePath(timestampedName("shmviz-session-", ".steps"));
    const core::Status saved = m_recorder->save(path);
    m_trace.steps(path, saved.ok());
    m_view.narration().note(saved ? "Saved the steps so far as " + path + "." : saved.error().message);
    m_redraw.request(1);
}

int GuiApp::run() {
    while (!m_window.shouldClose() && !m_state.wantQuit) {
        const double now = monotonicSeconds();
        m_window.pollEvents(!m_redraw.wantsPolling(m_view.animating(now) || m_fps.running()),
                            kIdleWaitSeconds);
        m_redraw.noteEvents(m_window.events());
        const std::shared_ptr<const core::Snapshot> snapshot = m_runner->snapshot();
        const core::Snapshot& snap = snapshot ? *snapshot : kEmpty;
        m_redraw.noteGeneration(snap.generation);
        takeReplies();
        const bool busy = m_runner->busy();
        m_redraw.noteBusy(busy);
        if (ImGui::GetIO().WantTextInput) // the text cursor blinks
            m_redraw.request(1);
        if (!checkScriptWait(now, snapshot.get(), busy))
            break;
        applyScale();
        if (!m_redraw.takeFrame(m_view.animating(monotonicSeconds()) || m_fps.running()))
            continue;

        m_state.readingsShown = false;
        drawFrame(snapshot, snap, busy);
        m_runner->showReadings(m_state.readingsShown || m_state.showMemory || m_state.showWalk);
        if (!saveScreenshot(snap))
            break;
        saveSteps();
        exportSvg(snap);
        m_window.present();
        m_trace.drawn(snap);
        if (!m_announcedReady) { // tests driving the window wait for this line before sending keys
            m_announcedReady = true;
            int fbw = 0, fbh = 0;
            m_window.framebufferSize(fbw, fbh);
            m_trace.windowReady(fbw, fbh);
        }
        if (m_fps.frameDrawn(monotonicSeconds()))
            break;
    }
    return m_exitCode;
}

} // namespace

int runGui(const GuiOptions& options) {
    const std::string settingsPath = ui::settingsPath(options.configDir);
    const ui::Settings saved = ui::loadSettings(settingsPath);
    const bool unattended = options.screenshotPath || options.measureFpsSeconds;
    // A figure never depends on what the last interactive session saved.
    ui::Settings settings = unattended ? ui::Settings{} : saved;
    settings.theme = options.theme.value_or(settings.theme);
    settings.zoom = options.zoom.value_or(settings.zoom);
    const int width = options.sizeGiven || unattended ? options.width : settings.width;
    const int height = options.sizeGiven || unattended ? options.height : settings.height;
    const std::string title =
        "shmviz" + (options.scriptName.empty() ? std::string() : " - " + options.scriptName);
    GuiWindow window; // outlives the app: the runner's wake callback must not outlive GLFW
    // A figure shows no hover tooltip from wherever the pointer happens to be.
    if (!window.open(width, height, title, unattended, !options.sizeGiven))
        return kNoDisplay;
    GuiApp app(options, window, settings);
    const int exitCode = app.run();
    if (!unattended) {
        if (int w = 0, h = 0; window.restorableSize(w, h)) {
            settings.width = w;
            settings.height = h;
        }
        settings.theme = app.state().theme;
        settings.zoom = app.state().zoom;
        if (const core::Status saved = ui::saveSettings(settings, settingsPath); !saved)
            std::fprintf(stderr, "shmviz: %s\n", saved.error().message.c_str());
    }
    return exitCode;
}

} // namespace shmviz::app
