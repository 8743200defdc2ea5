#include "core/labs/lab_group.h"

#include <poll.h>

namespace shmviz::core::labs {

Result<std::size_t> LabGroup::add(const std::string& role, const std::vector<std::string>& args, int dataFd) {
    auto child = LabChild::start(m_context.workerPath, role, args, dataFd, m_context.guardian);
    if (!child)
        return child.error();
    m_children.push_back(Member{std::move(*child), false, false, false, {}});
    return m_children.size() - 1;
}

Status LabGroup::awaitReady(std::chrono::milliseconds timeout) {
    auto all = [&] {
        for (const Member& m : m_children)
            if (!m.ready)
                return false;
        return true;
    };
    return pump(
        "ready", [](std::size_t, const LabMessage&) -> Status { return Ok{}; }, timeout, all);
}

Status LabGroup::go() {
    for (Member& m : m_children)
        if (auto s = m.child.sendLine("go\n"); !s)
            return s;
    return Ok{};
}

Status LabGroup::go(std::size_t index) {
    return m_children[index].child.sendLine("go\n");
}

Result<std::vector<LabMessage>> LabGroup::collect(const Handler& handler, std::chrono::milliseconds silence) {
    auto all = [&] {
        for (const Member& m : m_children)
            if (!m.done && !m.excused)
                return false;
        return true;
    };
    if (auto s = pump("result", handler, silence, all); !s)
        return s.error();
    std::vector<LabMessage> results;
    for (Member& m : m_children) {
        results.push_back(m.result);
        m.child.reap(1000);
    }
    return results;
}

Result<std::vector<LabMessage>> LabGroup::goAndCollect(ProgressScope& progress,
                                                       std::chrono::milliseconds silence) {
    if (auto s = go(); !s)
        return s.error();
    const auto counted = [&](std::size_t, const LabMessage& m) -> Status {
        if (m.verb == "progress" && m.number)
            progress.set(*m.number);
        return Ok{};
    };
    return collect(counted, silence);
}

void LabGroup::killAll() {
    for (Member& m : m_children)
        m.child.kill();
}

Error LabGroup::workerError(std::size_t index, const std::string& what) const {
    const LabChild& c = m_children[index].child;
    return makeError(ECHILD, "Lab worker " + std::to_string(index) + " (pid " + std::to_string(c.pid()) +
                                 ") " + what);
}

Status LabGroup::pump(const std::string& want, const Handler& handler, std::chrono::milliseconds silence,
                      const std::function<bool()>& finished) {
    using Clock = std::chrono::steady_clock;
    auto lastHeard = Clock::now();
    auto fail = [&](Error e) -> Status {
        killAll();
        return e;
    };
    while (!finished()) {
        if (m_context.cancel && m_context.cancel->load())
            return fail(makeError(ECANCELED,
                                  "The lab was cancelled; its workers were stopped and everything it "
                                  "created was removed."));
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < m_children.size(); ++i) {
            const Member& m = m_children[i];
            if (m.child.fd() >= 0 && !m.excused && !(want == "result" ? m.done : m.ready)) {
                fds.push_back(pollfd{m.child.fd(), POLLIN, 0});
                which.push_back(i);
            }
        }
        const int n = poll(fds.data(), fds.size(), 50);
        if (n < 0 && errno != EINTR)
            return fail(systemError(errno, "Waiting for the lab workers (poll)"));
        if (n <= 0) {
            if (Clock::now() - lastHeard > silence)
                return fail(makeError(ETIMEDOUT, "The lab workers sent nothing for " +
                                                     std::to_string(silence.count() / 1000) +
                                                     " seconds, so the lab was stopped."));
            continue;
        }
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].revents == 0)
                continue;
            const std::size_t i = which[k];
            Member& m = m_children[i];
            bool closed = false;
            for (const std::string& line : m.child.readLines(closed)) {
                lastHeard = Clock::now();
                auto msg = parseLabMessage(line);
                if (!msg)
                    return fail(workerError(i, "sent a line the app does not understand: \"" + line + "\"."));
                if (msg->verb == "error") {
                    Error e = makeError(static_cast<int>(*msg->number), msg->text);
                    return fail(e);
                }
                if (msg->verb == "ready") {
                    m.ready = true;
                } else if (msg->verb == "result") {
                    m.done = true;
                    m.result = *msg;
                } else if (auto s = handler(i, *msg); !s) {
                    return fail(s.error());
                }
            }
            if (closed && !m.excused && !(want == "result" ? m.done : m.ready)) {
                m.child.reap(200);
                return fail(
                    workerError(i, "ended before it reported (" +
                                       (m.child.endedHow().empty() ? std::string("it closed its socket")
                                                                   : m.child.endedHow()) +
                                       ")."));
            }
        }
    }
    return Ok{};
}

} // namespace shmviz::core::labs
