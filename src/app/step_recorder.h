#pragma once
// The app's SessionActions: every line any panel, key or script submits passes through here on
// its way to the session runner, and is recorded, so File -> Save steps replays the session.
#include "core/base/error.h"
#include "core/session/session_runner.h"
#include "ui/session_actions.h"

#include <string>
#include <vector>

namespace shmviz::app {

class StepRecorder final : public ui::SessionActions {
  public:
    explicit StepRecorder(core::SessionRunner& runner) : m_runner(runner) {}

    void submit(const std::string& line) override;
    void cancel() override { m_runner.cancel(); }
    void newSession() override;
    const core::labs::LabProgress& progress() const override { return m_runner.progress(); }

    // Every line submitted so far, oldest first.
    const std::vector<std::string>& lines() const { return m_lines; }
    // Writes the lines as a script `shmviz --script PATH` replays; atomically, refusing a link.
    core::Status save(const std::string& path) const;

  private:
    core::SessionRunner& m_runner;
    std::vector<std::string> m_lines;
};

} // namespace shmviz::app
