#pragma once
// What each step did, in plain words: the step, its explanation, and every error.
#include "core/session/step_reply.h"
#include "ui/ui_state.h"

#include <deque>
#include <string>

namespace shmviz::ui {

struct NarrationPanel {
    void add(const core::StepReply& reply);
    void note(const std::string& text); // the app's own messages (screenshot saved, ...)
    void draw(const UiState& state);

    struct Entry {
        int number = 0;
        std::string cmd;
        bool ok = true;
        std::string text;
    };
    // The newest step's narration (the presenter's step bar shows it), or null.
    const Entry* latest() const { return m_entries.empty() ? nullptr : &m_entries.back(); }

  private:
    std::deque<Entry> m_entries;
    bool m_scrollToEnd = false;
};

} // namespace shmviz::ui
