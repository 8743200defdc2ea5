#pragma once
// Every step's snapshot and narration, kept so a teacher can go back to an earlier picture. Pure
// (no ImGui). The kernel cannot be rewound: a past state is only ever drawn, read-only.
#include "core/session/step_reply.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shmviz::ui {

struct TimelineEntry {
    int number = 0; // the step's number in its session
    std::string cmd;
    std::string text;                               // its narration
    std::shared_ptr<const core::Snapshot> snapshot; // the state right after it
};

class Timeline {
  public:
    void add(const core::StepReply& reply);
    void clear();
    std::size_t size() const { return m_entries.size(); }
    const TimelineEntry& at(std::size_t i) const { return m_entries[i]; }

    // nullopt while live; else the index of the step being viewed.
    std::optional<std::size_t> viewing() const { return m_viewing; }
    // PageUp/Left/Backspace: one step further back. False when there is nothing earlier.
    bool back();
    // PageDown/Right/Space: one step toward live. False when already live (the caller then goes on
    // with the script).
    bool forward();
    void view(std::size_t i); // the last index means live
    void live() { m_viewing.reset(); }

    // Clicking a second step compares it with the first: from `from` to the viewed step.
    std::optional<std::size_t> compareFrom() const { return m_compareFrom; }
    void compare(std::size_t from, std::size_t to);

  private:
    std::vector<TimelineEntry> m_entries;
    std::optional<std::size_t> m_viewing;
    std::optional<std::size_t> m_compareFrom;
};

} // namespace shmviz::ui
