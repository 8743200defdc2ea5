#pragma once
// The whole window: menu bar, controls on the left, the diagram in the middle with the kernel
// panel under it, the script and the narration on the right; and the keyboard shortcuts.
#include "ui/controls_panel.h"
#include "ui/diagram_panel.h"
#include "ui/ipc_lab_panel.h"
#include "ui/kernel_panel.h"
#include "ui/narration_panel.h"
#include "ui/privilege_banner.h"
#include "ui/race_lab_panel.h"
#include "ui/script_panel.h"

namespace shmviz::ui {

class MainView {
  public:
    void draw(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    bool animating(double now) const { return m_diagram.animating(now); }

    ScriptPanel& script() { return m_script; }
    NarrationPanel& narration() { return m_narration; }
    const DiagramPanel& diagram() const { return m_diagram; }

  private:
    void drawMenu(const FrameContext& ctx, UiState& state);
    void drawDiagramOnly(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawHelp();
    void handleShortcuts(const FrameContext& ctx, UiState& state);
    void drawLabs(const FrameContext& ctx);
    void drawPanels(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawPresenter(const FrameContext& ctx, UiState& state, const Fonts& fonts);
    void drawDiagramWindow(const FrameContext& ctx, UiState& state, const Fonts& fonts);

    ControlsPanel m_controls;
    DiagramPanel m_diagram;
    KernelPanel m_kernel;
    NarrationPanel m_narration;
    ScriptPanel m_script;
    PrivilegeBanner m_banner;
    RaceLabPanel m_raceLab;
    IpcLabPanel m_ipcLab;
    bool m_showHelp = false;
    bool m_showRaceLab = false;
    bool m_showIpcLab = false;
};

} // namespace shmviz::ui
