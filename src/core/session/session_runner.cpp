#include "core/session/session_runner.h"

#include "core/session/session.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

using namespace std::chrono_literals;
constexpr auto kWatchInterval = 100ms; // how often the cheap checks run while idle
constexpr auto kAfterEnd = 250ms;      // from a worker's end to the full snapshot that follows it
constexpr auto kQuickInterval = 1s;    // a quick snapshot at least this often (the machine's table)
// The full refresh catches what only the page tables show (the kernel swapping, reclaiming or
// migrating a page); others' shmat, ipcrm and kill reach the window through the cheap checks. While
// idle it may take 1/kRefreshBudget of a core while its readings are on screen and half that
// otherwise, so an idle window stays under 1 % with its redraws: a 60 MiB x 2 snapshot takes about
// 20 ms (every 6 or 12 s), 1 GiB x 8 about 0.5 s (every 2.5 or 5 minutes).
constexpr int kRefreshBudget = 300;

} // namespace

SessionRunner::SessionRunner(SessionOptions options, std::function<void()> wake,
                             std::chrono::milliseconds refreshInterval)
    : m_wake(std::move(wake)), m_refreshInterval(refreshInterval), m_wakeFd(::eventfd(0, EFD_CLOEXEC)) {
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
    wake();
    if (m_thread.joinable())
        m_thread.join();
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

void SessionRunner::wake() {
    const std::uint64_t one = 1;
    if (m_wakeFd >= 0)
        (void)!::write(m_wakeFd, &one, sizeof one);
}

void SessionRunner::waitIdle(Session& session, std::chrono::milliseconds timeout) {
    std::vector<pollfd> fds{{m_wakeFd, POLLIN, 0}};
    for (int fd : session.watchFds())
        fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), static_cast<int>(timeout.count())) > 0 && fds[0].revents) {
        std::uint64_t count = 0;
        (void)!::read(m_wakeFd, &count, sizeof count);
    }
}

void SessionRunner::submit(std::string line) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({std::move(line)});
    }
    wake();
}

void SessionRunner::newSession() {
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
        m_queue.push_back({"", true});
        m_replies.clear();
        ++m_epoch;
    }
    m_cancel = true;
    wake();
}

void SessionRunner::cancel() {
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
    }
    m_cancel = true;
    wake();
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
    auto session = std::make_unique<Session>(options);
    publish(session->latest(), std::nullopt, 0);
    session->outsideChanged(); // the state as it is now is the baseline
    IdleClock clock;
    clock.nextRefresh = clock.nextQuick = std::chrono::steady_clock::now() + m_refreshInterval;
    for (;;) {
        Taken next = takeNext();
        if (next.stop)
            break;
        if (next.item.restart)
            session = restart(std::move(session), options, next.epoch);
        else if (!next.took)
            idle(*session, clock, next.epoch);
        else
            runLine(*session, next.item.line, next.epoch);
    }
    session->end();
}

SessionRunner::Taken SessionRunner::takeNext() {
    Taken next;
    std::lock_guard lock(m_mutex);
    next.stop = m_stop;
    next.epoch = m_epoch;
    if (m_stop || m_queue.empty())
        return next;
    next.item = std::move(m_queue.front());
    m_queue.pop_front();
    m_running = next.item.line;
    m_cancel = false;
    next.took = true;
    return next;
}

void SessionRunner::publish(std::shared_ptr<const Snapshot> snap, std::optional<StepReply> reply,
                            std::uint64_t epoch) {
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        if (epoch != m_epoch)
            return; // a new session was asked for while this step ran: its result is of the old one
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
}

std::unique_ptr<Session> SessionRunner::restart(std::unique_ptr<Session> old, SessionOptions& options,
                                                std::uint64_t epoch) {
    old->end();
    // Generations go on counting, so the UI never mistakes the new session's first picture for one it
    // drew.
    options.firstGeneration = old->latest() ? old->latest()->generation : 0;
    old.reset(); // the old guardian and workers go before the new ones start
    auto fresh = std::make_unique<Session>(options);
    {
        std::lock_guard lock(m_mutex);
        m_running.clear();
    }
    publish(fresh->latest(), std::nullopt, epoch);
    fresh->outsideChanged();
    return fresh;
}

void SessionRunner::showReadings(bool shown) {
    if (m_readingsShown.exchange(shown) != shown && shown)
        wake(); // the readings held back are published at once
}

void SessionRunner::publishIdle(std::shared_ptr<const Snapshot> snap, std::uint64_t epoch) {
    const std::shared_ptr<const Snapshot> shown = snapshot();
    if (!m_readingsShown && snap && shown && snap->generation != shown->generation &&
        differsInReadingsOnly(*shown, *snap))
        return;
    publish(std::move(snap), std::nullopt, epoch);
}

void SessionRunner::idle(Session& session, IdleClock& clock, std::uint64_t epoch) {
    if (m_readingsShown)
        publish(session.latest(), std::nullopt, epoch); // what was held back, if anything
    // What others change (a shmat, an ipcrm, a worker killed) reaches the window through the cheap
    // checks and a quick snapshot at once, whatever the size of the page tables.
    const auto now = std::chrono::steady_clock::now();
    if (session.outsideChanged() || now >= clock.nextQuick) {
        publishIdle(session.quickRefresh(), epoch);
        clock.nextQuick = now + kQuickInterval;
        // A worker ended: the survivors' page tables follow once the window has drawn the end.
        if (session.pagesStale())
            clock.nextRefresh = now + kAfterEnd;
        return;
    }
    if (now < clock.nextRefresh) {
        session.prepareSpare();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(clock.nextRefresh - now);
        waitIdle(session, std::clamp(left, 1ms, std::chrono::milliseconds(kWatchInterval)));
        return;
    }
    const auto helpersBefore = session.helperCpu();
    auto snap = session.refresh();
    const auto end = std::chrono::steady_clock::now();
    // Its wall time (the workers read their page tables while this thread waits), and what a
    // second thread spent beside it.
    const auto cost = (end - now) + (session.helperCpu() - helpersBefore);
    // While nothing shows the readings a refresh renews (map counts, flags, memory counters in a
    // tooltip or the memory or walk window), it comes half as often: it then only looks for page
    // table changes the kernel makes on its own, and mostly finds none.
    const int slower = m_readingsShown ? 1 : 2;
    clock.nextRefresh = end + slower * std::max<std::chrono::steady_clock::duration>(m_refreshInterval,
                                                                                     cost * kRefreshBudget);
    publishIdle(std::move(snap), epoch);
}

void SessionRunner::runLine(Session& session, const std::string& line, std::uint64_t epoch) {
    if (isSkippableLine(line)) {
        std::lock_guard lock(m_mutex);
        m_running.clear();
        return;
    }
    StepReply reply = session.execute(line);
    if (reply.endsScript) {
        std::lock_guard lock(m_mutex);
        if (epoch == m_epoch)
            m_queue.clear();
    }
    auto snap = reply.snapshot;
    publish(std::move(snap), std::move(reply), epoch);
    session.outsideChanged(); // what the step itself changed is in its snapshot already
}

} // namespace shmviz::core
