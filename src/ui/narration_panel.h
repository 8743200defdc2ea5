#pragma once
// What each step did, in plain words: the step, its explanation, and every error.
#include "core/session/step_reply.h"
#include "ui/ui_state.h"

#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shmviz::ui {

struct NarrationPanel {
    void add(const core::StepReply& reply);
    void note(const std::string& text); // the app's own messages (screenshot saved, ...)
    void clear() { m_entries.clear(); }
    // Adds a line under step `number`'s entry: what changed, or the student's prediction.
    void annotate(int number, const std::string& text);
    // The step whose entry was clicked since the last call (shift: compare with the one viewed).
    struct Click {
        int number = 0;
        bool shift = false;
    };
    std::optional<Click> takeClick() { return std::exchange(m_click, std::nullopt); }
    void draw(const UiState& state);

    struct Entry {
        int number = 0;
        std::string cmd;
        bool ok = true;
        std::string text;
        std::vector<std::string> notes;
    };
    // The newest step's narration (the presenter's step bar shows it), or null.
    const Entry* latest() const { return m_entries.empty() ? nullptr : &m_entries.back(); }

  private:
    std::deque<Entry> m_entries;
    bool m_scrollToEnd = false;
    std::optional<Click> m_click;
};

} // namespace shmviz::ui
