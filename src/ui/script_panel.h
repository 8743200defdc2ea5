#pragma once
// The loaded script or lesson, one line at a time: Next (Space, PageDown, Right) submits the next
// step; Run all submits the rest.
#include "ui/ui_state.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shmviz::ui {

class ScriptPanel {
  public:
    void load(std::string name, std::string_view text);
    // Marks the first line equal to `line` as already run (Next skips it).
    void markDone(std::string_view line);
    // Submits the next runnable line; false when the script is done.
    bool next(const FrameContext& ctx);
    void runAll(const FrameContext& ctx);
    // A `require` the machine does not meet ends the script here, as headless does; `reason` says why
    // and names the command that would make it possible.
    void stop(std::string reason);
    bool stopped() const { return !m_stopReason.empty(); }
    bool done() const { return m_next >= m_lines.size() || stopped(); }
    const std::string& name() const { return m_name; }
    // The line Next would submit ("" when done), and how many lines there are.
    std::string nextLine() const { return done() ? std::string() : m_lines[m_next]; }
    std::size_t position() const { return m_next; }
    std::size_t lineCount() const { return m_lines.size(); }
    const std::string& text() const { return m_text; }
    // The lesson picked in the panel's list since the last call, if any: the caller starts a fresh
    // session for it.
    std::optional<std::string> takeChosenLesson() { return std::exchange(m_chosen, std::nullopt); }
    void draw(const FrameContext& ctx);

  private:
    void skipComments();
    std::string m_name;
    std::string m_text;
    std::optional<std::string> m_chosen;
    std::vector<std::string> m_lines;
    std::vector<bool> m_preDone;
    std::size_t m_next = 0;
    std::size_t m_lastSubmitted = static_cast<std::size_t>(-1);
    bool m_scrollToCurrent = false;
    std::string m_stopReason;
};

} // namespace shmviz::ui
