#pragma once
// Runs a Session on its own thread so the UI thread never waits on a worker (Tracy's RunQueue
// pattern): the UI submits step lines, the session thread drains the queue, runs them, and
// publishes the newest snapshot and replies. While idle it watches for changes made by others: a
// worker's end wakes it at once (pidfd), the session's System V segments and POSIX names are
// checked every 100 ms, and when those fire a quick snapshot (no worker reads its page tables) is
// published at once. A full snapshot is gathered every `refreshInterval` while its readings are on
// screen, or, for snapshots that take long, at a third of 1 % of a core; half as often otherwise.
#include "core/labs/lab_progress.h"
#include "core/session/session_options.h"
#include "core/session/step_reply.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace shmviz::core {

class Session;

class SessionRunner {
  public:
    // `wake` is called on the session thread whenever something new is published (the GUI
    // passes glfwPostEmptyEvent); it must be thread-safe.
    SessionRunner(SessionOptions options, std::function<void()> wake,
                  std::chrono::milliseconds refreshInterval = std::chrono::milliseconds(1000));
    ~SessionRunner(); // ends the session: workers stopped, segments removed unless kept

    // Queues one step line; returns at once. Any thread.
    void submit(std::string line);
    // Asks a running long step (a lab) to stop early, and drops queued steps. Any thread.
    void cancel();
    // Ends the session (workers stopped, segments removed unless kept) and starts a fresh one on
    // the session thread; lines submitted afterwards run in the new session, and replies of the
    // old one not yet taken are dropped. Any thread.
    void newSession();

    // The newest snapshot (never null after the first publish; may be null before). Any thread.
    std::shared_ptr<const Snapshot> snapshot() const;
    // Replies published since the last call, oldest first. Any thread.
    std::vector<StepReply> takeReplies();
    // True while steps are queued or running. Any thread.
    bool busy() const;
    // The line being run now, if any.
    std::string runningLine() const;
    // How far the running lab is (fraction() 0..1, active() false when none). Any thread.
    const labs::LabProgress& progress() const { return m_progress; }
    // Whether the window shows the readings the kernel changes on its own (page flags and map
    // counts in a tooltip, the memory or page-walk window). While it does not, an idle snapshot that
    // differs from the published one only in those (differsInReadingsOnly) is held back: publishing
    // it would cost a redraw that shows nothing new. It is published as soon as they are shown, and
    // with the next change that is seen. Any thread.
    void showReadings(bool shown);

  private:
    struct Queued {
        std::string line;
        bool restart = false; // newSession(): end this session and start another
    };
    // What the session thread takes from the queue under the lock.
    struct Taken {
        Queued item;
        bool took = false; // false: the queue was empty
        bool stop = false; // the runner is being destroyed
        std::uint64_t epoch = 0;
    };
    // Session thread: when the next quick and full snapshots are due while idle.
    struct IdleClock {
        std::chrono::steady_clock::time_point nextQuick;
        std::chrono::steady_clock::time_point nextRefresh;
    };

    void loop(SessionOptions options); // the session thread
    Taken takeNext();
    // Session thread: hands a snapshot and/or a reply to the UI unless a newer epoch began.
    void publish(std::shared_ptr<const Snapshot> snap, std::optional<StepReply> reply, std::uint64_t epoch);
    // Session thread: ends `old` and starts a fresh session from `options`.
    std::unique_ptr<Session> restart(std::unique_ptr<Session> old, SessionOptions& options,
                                     std::uint64_t epoch);
    // Session thread: one idle turn: a quick or full snapshot when due, else a short wait.
    void idle(Session& session, IdleClock& clock, std::uint64_t epoch);
    // Session thread: publishes a snapshot taken while idle, unless it only renews hidden readings.
    void publishIdle(std::shared_ptr<const Snapshot> snap, std::uint64_t epoch);
    void runLine(Session& session, const std::string& line, std::uint64_t epoch);
    void wake(); // any thread: the session thread stops waiting
    // Session thread: waits until woken, a worker ends, or `timeout` passes.
    void waitIdle(Session& session, std::chrono::milliseconds timeout);

    std::function<void()> m_wake;
    std::chrono::milliseconds m_refreshInterval;
    mutable std::mutex m_mutex;
    int m_wakeFd = -1; // eventfd
    std::deque<Queued> m_queue;
    std::uint64_t m_epoch = 0; // bumps on newSession(); replies of an older epoch are dropped
    std::string m_running;
    std::vector<StepReply> m_replies;
    std::shared_ptr<const Snapshot> m_snapshot;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_readingsShown{false};
    labs::LabProgress m_progress;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace shmviz::core
