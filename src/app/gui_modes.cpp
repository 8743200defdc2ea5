#include "app/gui_modes.h"

#include <cstdio>
#include <sys/resource.h>

namespace shmviz::app {
namespace {

double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

void ScriptWait::start(std::size_t submitted, double now) {
    m_active = true;
    m_expected = submitted;
    m_deadline = now + kTimeoutSeconds;
}

void ScriptWait::onReply(const core::StepReply& reply) {
    ++m_seen;
    if (reply.endsScript) // the runner dropped the rest of the script: no more replies come
        m_expected = m_seen;
    if (reply.snapshot)
        m_lastGeneration = reply.snapshot->generation;
}

bool ScriptWait::finish(bool busy, const core::Snapshot* drawn, bool animating) {
    if (!m_active || m_seen < m_expected || busy || !drawn || drawn->generation < m_lastGeneration ||
        animating)
        return false;
    m_active = false;
    return true;
}

void FpsMeasurement::start(double now) {
    m_until = now + m_seconds;
    m_cpuStart = processCpuSeconds();
}

bool FpsMeasurement::frameDrawn(double now) {
    if (!running())
        return false;
    ++m_frames;
    if (now < m_until)
        return false;
    // CPU per frame (all threads, llvmpipe's included) says what a quiet machine would reach.
    std::printf("fps %.1f over %ld frames, %.1f ms of CPU per frame\n", m_frames / m_seconds, m_frames,
                1000 * (processCpuSeconds() - m_cpuStart) / m_frames);
    std::fflush(stdout);
    return true;
}

} // namespace shmviz::app
