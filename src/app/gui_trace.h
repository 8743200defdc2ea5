#pragma once
// --trace FILE for the GUI: one JSON line per reply, per saved screenshot or steps file, per named
// button that moved, per change of what the diagram shows ("timeline": live or which step), per new
// session, per snapshot generation drawn, and one when the first frame is on screen (tests driving
// the window wait for it). Does nothing without a path. The user named FILE, so a link the user owns
// is followed and any other link refused (core/base/safe_file.h).
#include "core/session/step_reply.h"
#include "render/diagram_layout.h"
#include "render/palette.h"
#include "ui/widget_places.h"

#include <cstdio>
#include <optional>
#include <string>

namespace shmviz::app {

class GuiTrace {
  public:
    explicit GuiTrace(const std::optional<std::string>& path);
    ~GuiTrace();
    GuiTrace(const GuiTrace&) = delete;
    GuiTrace& operator=(const GuiTrace&) = delete;

    // A `snapshot` step also puts the whole state in the trace (json::writeReply), so tests can lay out
    // what was drawn.
    void reply(const core::StepReply& reply);
    void screenshot(const std::string& path, bool saved, int width, int height, render::ThemeKind theme,
                    bool pfnVisible, const render::ViewParams& view);
    void windowReady(int width, int height);
    void steps(const std::string& path, bool saved); // File -> Save steps
    void svg(const std::string& path, bool saved);   // File -> Export SVG
    void widgets(ui::WidgetPlaces& places);          // the named buttons that moved
    bool on() const { return m_out != nullptr; }
    // What the diagram shows now that it changed: a step of the timeline or live (MainView).
    void timeline(const nlohmann::json& shown);
    void newSession(const std::string& script); // File -> New session, or a lesson chosen
    // Once per snapshot generation, right after the frame that first shows it was presented: the
    // wall clock then (CLOCK_REALTIME, ns), so a benchmark can time an outside change to the window.
    void drawn(const core::Snapshot& snap);

  private:
    std::FILE* m_out = nullptr;
    std::uint64_t m_drawnGeneration = ~std::uint64_t{0};
};

} // namespace shmviz::app
