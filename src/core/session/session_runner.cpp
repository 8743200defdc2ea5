#include "core/session/session_runner.h"

namespace shmviz::core {

SessionRunner::SessionRunner(SessionOptions options, std::function<void()> wake,
                             std::chrono::milliseconds refreshInterval)
    : m_wake(std::move(wake)), m_refreshInterval(refreshInterval) {
    options.cancel = &m_cancel;
    options.progress = &m_progress;
    m_thread = std::thread([this, options] { loop(options); });
}

SessionRunner::~SessionRunner() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_cancel = true;
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void SessionRunner::submit(std::string line) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(line));
    }
    m_changed.notify_all();
}

void SessionRunner::cancel() {
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
    }
    m_cancel = true;
    m_changed.notify_all();
}

std::shared_ptr<const Snapshot> SessionRunner::snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

std::vector<StepReply> SessionRunner::takeReplies() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_replies, {});
}

bool SessionRunner::busy() const {
    std::lock_guard lock(m_mutex);
    return !m_queue.empty() || !m_running.empty();
}

std::string SessionRunner::runningLine() const {
    std::lock_guard lock(m_mutex);
    return m_running;
}

void SessionRunner::loop(SessionOptions options) {
    // The session lives and dies on this thread: workers get the parent-death signal from the thread
    // that forked them, so they must be started here.
    Session session(std::move(options));
    auto publish = [&](std::shared_ptr<const Snapshot> snap, std::optional<StepReply> reply) {
        bool changed = false;
        {
            std::lock_guard lock(m_mutex);
            if (reply) {
                m_replies.push_back(std::move(*reply));
                changed = true;
            }
            if (snap && (!m_snapshot || m_snapshot->generation != snap->generation)) {
                m_snapshot = std::move(snap);
                changed = true;
            }
            if (reply)
                m_running.clear();
        }
        if (changed && m_wake)
            m_wake();
    };
    publish(session.latest(), std::nullopt);
    auto interval = m_refreshInterval;
    for (;;) {
        std::string line;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait_for(lock, interval, [&] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                break;
            if (!m_queue.empty()) {
                line = std::move(m_queue.front());
                m_queue.pop_front();
                m_running = line;
                m_cancel = false;
            }
        }
        if (line.empty()) {
            // Idle: pick up changes made outside the session (another process attaching, a worker dying).
            const auto started = std::chrono::steady_clock::now();
            auto snap = session.refresh();
            const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started);
            // Large snapshots cost real time: keep refreshing under ~10% of a core.
            interval = std::max(m_refreshInterval, took * 10);
            publish(std::move(snap), std::nullopt);
            continue;
        }
        if (isSkippableLine(line)) {
            std::lock_guard lock(m_mutex);
            m_running.clear();
            continue;
        }
        StepReply reply = session.execute(line);
        if (reply.endsScript) {
            std::lock_guard lock(m_mutex);
            m_queue.clear();
        }
        auto snap = reply.snapshot;
        publish(std::move(snap), std::move(reply));
    }
    session.end();
}

} // namespace shmviz::core
