#include "app/step_recorder.h"

#include "core/base/safe_file.h"

namespace shmviz::app {

void StepRecorder::submit(const std::string& line) {
    m_lines.push_back(line);
    m_runner.submit(line);
}

void StepRecorder::newSession() {
    m_lines.clear(); // Save steps replays the session since it started
    m_runner.newSession();
}

core::Status StepRecorder::save(const std::string& path) const {
    std::string text = "# Steps of a shmviz session; replay with: shmviz --script " + path + "\n";
    for (const std::string& line : m_lines)
        text += line + "\n";
    return core::writeFileAtomically(path, text, core::LinkPolicy::Refuse, "the steps");
}

} // namespace shmviz::app
