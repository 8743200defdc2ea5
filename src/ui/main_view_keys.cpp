// The window's keyboard shortcuts (the help window lists them).
#include "ui/main_view.h"

#include "ui/step_commands.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

namespace shmviz::ui {
namespace {

// The keys pressed since the last frame, asked by GLFW key code.
class KeyQuery {
  public:
    explicit KeyQuery(const std::vector<KeyPress>& keys) : m_keys(keys) {}

    bool find(int key, bool allowRepeat, bool ctrl) const {
        for (const KeyPress& k : m_keys)
            if (k.key == key && (allowRepeat || !k.repeat) && ((k.mods & GLFW_MOD_CONTROL) != 0) == ctrl)
                return true;
        return false;
    }
    bool ctrlPressed(int key) const { return find(key, true, true); }
    bool pressed(int key) const { return find(key, false, false); }

  private:
    const std::vector<KeyPress>& m_keys;
};

} // namespace

void MainView::handleShortcuts(const FrameContext& ctx, UiState& state) {
    handleWindowKeys(ctx, state);
    if (ImGui::GetIO().WantTextInput)
        return;
    handleBrowseKeys(ctx, state);
    if (m_timeline.viewing()) // the past is read-only: no key acts on it
        return;
    handleStepKeys(ctx, state);
}

void MainView::handleWindowKeys(const FrameContext& ctx, UiState& state) {
    const KeyQuery keys(state.keys);
    if (keys.ctrlPressed(GLFW_KEY_EQUAL) || keys.ctrlPressed(GLFW_KEY_KP_ADD))
        state.zoom = std::min(3.0f, state.zoom * 1.1f);
    if (keys.ctrlPressed(GLFW_KEY_MINUS) || keys.ctrlPressed(GLFW_KEY_KP_SUBTRACT))
        state.zoom = std::max(0.5f, state.zoom / 1.1f);
    if (keys.ctrlPressed(GLFW_KEY_0) || keys.ctrlPressed(GLFW_KEY_KP_0))
        state.zoom = 1;
    if (keys.ctrlPressed(GLFW_KEY_Q))
        state.wantQuit = true;
    if (keys.ctrlPressed(GLFW_KEY_S))
        state.wantSaveSteps = true;
    if (keys.find(GLFW_KEY_N, false, true))
        startFresh(ctx, state, m_script.name(), m_script.text());
    for (const KeyPress& k : state.keys) // F12: the window as PNG; Shift+F12: the diagram as SVG
        if (k.key == GLFW_KEY_F12 && !k.repeat && (k.mods & GLFW_MOD_CONTROL) == 0)
            ((k.mods & GLFW_MOD_SHIFT) != 0 ? state.wantExportSvg : state.wantScreenshot) = true;
    if (keys.pressed(GLFW_KEY_F5) || (state.presenter && keys.pressed(GLFW_KEY_ESCAPE))) {
        state.presenter = keys.pressed(GLFW_KEY_F5) && !state.presenter;
        state.fitDiagram = true;
    }
}

void MainView::handleBrowseKeys(const FrameContext& ctx, UiState& state) {
    const KeyQuery keys(state.keys);
    if (keys.pressed(GLFW_KEY_PAGE_UP) || keys.pressed(GLFW_KEY_LEFT) || keys.pressed(GLFW_KEY_BACKSPACE))
        m_timeline.back();
    if (keys.pressed(GLFW_KEY_SPACE) || keys.pressed(GLFW_KEY_PAGE_DOWN) || keys.pressed(GLFW_KEY_RIGHT))
        if (!m_timeline.forward()) // back to live first; then on with the script
            m_script.next(ctx);
    if (keys.pressed(GLFW_KEY_HOME))
        state.fitDiagram = true;
    for (int i = 0; i <= 9; ++i)
        if (keys.pressed(GLFW_KEY_0 + i) || keys.pressed(GLFW_KEY_KP_0 + i))
            state.selectedWorker = i;
    if (keys.find(GLFW_KEY_DOWN, true, false))
        ++state.selectedPage;
    if (keys.find(GLFW_KEY_UP, true, false) && state.selectedPage > 0)
        --state.selectedPage;
}

void MainView::handleStepKeys(const FrameContext& ctx, UiState& state) {
    const KeyQuery keys(state.keys);
    const core::Snapshot& snap = ctx.snapshot;
    const StepLines lines(snap, state.selectedSegment, state.pageTarget);
    WorkerActions a = workerActions(snap, state.selectedWorker, state.selectedSegment);
    if (state.pageTarget.anon)
        a.touch = a.anonPages;
    const SegmentActions sa = segmentActions(snap, state.selectedSegment);
    const int w = state.selectedWorker;
    // While steps are still queued the snapshot is behind: let keys through, errors are narrated.
    const bool late = ctx.busy;
    if (keys.pressed(GLFW_KEY_G))
        ctx.submit(lines.shmget(state.request));
    if (keys.pressed(GLFW_KEY_N))
        ctx.submit(lines.spawn());
    if (keys.pressed(GLFW_KEY_A) && (a.shmat || late))
        ctx.submit(lines.shmat(w));
    if (keys.pressed(GLFW_KEY_T) && (a.touch || late))
        ctx.submit(lines.touch(w, state.selectedPage));
    if (keys.pressed(GLFW_KEY_W) && (a.touch || late))
        ctx.submit(lines.write(w, state.selectedPage, state.writeText));
    if (keys.pressed(GLFW_KEY_R) && (a.touch || late))
        ctx.submit(lines.read(w, state.selectedPage));
    if (keys.pressed(GLFW_KEY_D) && (a.shmdt || late))
        ctx.submit(lines.shmdt(w));
    if (keys.pressed(GLFW_KEY_K) && (a.kill || late))
        ctx.submit(lines.kill(w));
    if (keys.pressed(GLFW_KEY_X) && (sa.rmid || late))
        ctx.submit(lines.rmid());
    if (keys.pressed(GLFW_KEY_P) && (sa.keep || late))
        ctx.submit(lines.keep());
    if (keys.pressed(GLFW_KEY_O))
        ctx.submit(lines.shmOpen(state.posixName, state.request.pages));
    if (keys.pressed(GLFW_KEY_U) && (sa.shmUnlink || late))
        ctx.submit(lines.shmUnlink());
    if (keys.pressed(GLFW_KEY_M) && (a.mmap || late)) {
        const bool shift = std::any_of(state.keys.begin(), state.keys.end(), [](const KeyPress& k) {
            return k.key == GLFW_KEY_M && (k.mods & GLFW_MOD_SHIFT) != 0;
        });
        ctx.submit(lines.mmap(w, shift));
    }
    if (keys.pressed(GLFW_KEY_F) && (a.fork || late))
        ctx.submit(lines.fork(w));
}

} // namespace shmviz::ui
