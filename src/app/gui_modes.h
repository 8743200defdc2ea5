#pragma once
// The window's two unattended modes. --screenshot runs the whole script, waits until every reply
// is in and the diagram is still, saves a PNG and exits. --measure-fps SECONDS (benchmarks/
// gui_fps.sh) runs the script the same way, then redraws without pause for SECONDS and prints
// the frame rate and the CPU time per frame.
#include "core/session/step_reply.h"

#include <cstddef>
#include <cstdint>

namespace shmviz::app {

// Waits for a script submitted in full to finish.
class ScriptWait {
  public:
    static constexpr double kTimeoutSeconds = 120;

    // `submitted`: how many lines were submitted; the wait ends after as many replies.
    void start(std::size_t submitted, double now);
    bool active() const { return m_active; }
    void onReply(const core::StepReply& reply);
    // True once, when every reply is in, nothing runs, the drawn snapshot is at least as new as
    // the last reply's, and no animation plays. Ends the wait.
    bool finish(bool busy, const core::Snapshot* drawn, bool animating);
    bool timedOut(double now) const { return m_active && now > m_deadline; }

  private:
    bool m_active = false;
    std::size_t m_expected = 0;
    std::size_t m_seen = 0;
    std::uint64_t m_lastGeneration = 0;
    double m_deadline = 0;
};

class FpsMeasurement {
  public:
    explicit FpsMeasurement(double seconds) : m_seconds(seconds) {}
    void start(double now);
    bool running() const { return m_until > 0; }
    // Counts a drawn frame; at the end prints the result on stdout and returns true.
    bool frameDrawn(double now);

  private:
    double m_seconds;
    double m_until = 0;
    double m_cpuStart = 0;
    long m_frames = 0;
};

} // namespace shmviz::app
