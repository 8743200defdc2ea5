#include "core/wire/worker_client.h"

#include "core/kernel/oom_events.h"
#include "core/kernel/proc_stat.h"
#include "core/wire/fd_passing.h"

#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace shmviz::core {

using namespace std::chrono_literals;

WorkerClient::WorkerClient(ChildProcess child)
    : m_pid(child.pid), m_fd(child.fd), m_alive(true), m_oomKillsAtStart(readOomKills()) {}

WorkerClient::WorkerClient(WorkerClient&& other) noexcept {
    *this = std::move(other);
}

WorkerClient& WorkerClient::operator=(WorkerClient&& other) noexcept {
    if (this != &other) {
        m_pid = std::exchange(other.m_pid, -1);
        m_fd = std::exchange(other.m_fd, -1);
        m_alive = std::exchange(other.m_alive, false);
        m_adopted = other.m_adopted;
        m_killing = other.m_killing;
        m_oomKillsAtStart = other.m_oomKillsAtStart;
        m_endedHow = std::move(other.m_endedHow);
        m_reader = std::move(other.m_reader);
        m_seq = other.m_seq;
        m_pendingSeq = other.m_pendingSeq;
        m_awaiting = other.m_awaiting;
        m_overdue = other.m_overdue;
        m_pendingType = other.m_pendingType;
        m_hello = other.m_hello;
    }
    return *this;
}

WorkerClient::~WorkerClient() {
    stop();
    if (m_fd >= 0)
        close(m_fd);
}

Result<WorkerClient> WorkerClient::start(const std::string& workerPath) {
    auto child = startChild(workerPath, false);
    if (!child)
        return child.error();
    WorkerClient worker(*child);
    if (auto shaken = worker.handshake(); !shaken)
        return shaken.error();
    return worker;
}

Result<WorkerClient> WorkerClient::adopt(pid_t pid, int fd) {
    WorkerClient worker(ChildProcess{pid, fd});
    worker.m_adopted = true;
    if (auto shaken = worker.handshake(); !shaken)
        return shaken.error();
    return worker;
}

Status WorkerClient::handshake() {
    auto reply = call(proto::MsgType::Hello, {}, 5s);
    if (!reply)
        return reply.error();
    std::span<const std::uint8_t> body(reply->body);
    auto hello = proto::take<proto::HelloReply>(body, "hello");
    if (!hello)
        return hello.error();
    if (hello->version != proto::kVersion || hello->pid != m_pid)
        return makeError(EPROTO, "The worker's handshake did not match this shmviz (version or pid differ).");
    if (hello->pagemapAccess > static_cast<std::uint32_t>(proto::PagemapAccess::Unreadable))
        return makeError(EPROTO, "The worker's handshake named an unknown pagemap state.");
    m_hello = *hello;
    m_hello.pagemapReason[sizeof m_hello.pagemapReason - 1] = '\0';
    return Ok{};
}

Error WorkerClient::endedError() const {
    return makeError(ESRCH, "Worker pid " + std::to_string(m_pid) + " has ended (" + m_endedHow + ").");
}

Status WorkerClient::send(proto::MsgType type, std::span<const std::uint8_t> payload) {
    if (!m_alive)
        return endedError();
    if (m_awaiting)
        if (auto caught = catchUp(); !caught)
            return caught.error();
    m_pendingSeq = ++m_seq;
    m_pendingType = type;
    m_awaiting = true;
    m_overdue = false;
    if (auto st = proto::sendMessage(m_fd, type, false, m_pendingSeq, payload); !st)
        return lostWorker(st.error());
    return Ok{};
}

Status WorkerClient::catchUp() {
    // A worker that runs again (after SIGCONT) gets a moment to send the reply it owes; a stopped
    // one is seen as stopped within the first short wait and not waited for.
    auto reply = receive(250ms);
    if (reply || !m_alive || m_awaiting)
        return reply ? Status(Ok{}) : Status(reply.error());
    return Ok{};
}

void WorkerClient::dropLate(const proto::Message& late) {
    // A late Fork reply is followed by the descriptor of the child's socket: take it off the stream
    // and end that child, since nobody will adopt it now.
    std::span<const std::uint8_t> body(late.payload);
    auto status = proto::takeStatus(body);
    if (late.type() != proto::MsgType::Fork || !status || status->err)
        return;
    if (auto forked = proto::take<proto::ForkReply>(body, "fork reply"); forked && forked->childPid > 0)
        ::kill(forked->childPid, SIGKILL);
    if (auto fd = receiveFd(m_fd, 1s))
        close(*fd);
}

Error WorkerClient::notAnswering() {
    m_overdue = true;
    std::string state = "could not be read";
    if (auto st = readProcStat(m_pid))
        state = describeProcState(st->state);
    return makeError(ETIMEDOUT, "Worker pid " + std::to_string(m_pid) +
                                    " is not answering (stopped?): /proc/" + std::to_string(m_pid) +
                                    "/stat says its state is " + state +
                                    ". Steps to it fail at once until it answers again (kill -CONT " +
                                    std::to_string(m_pid) + " resumes a stopped process); the others go on.");
}

Error WorkerClient::corruptChannel(const Error& cause) {
    kill();
    m_endedHow = "stopped by shmviz because its channel carried a corrupt message";
    return makeError(EPROTO, cause.message + " Worker pid " + std::to_string(m_pid) +
                                 " was stopped, since nothing more it sends can be trusted.");
}

Result<WorkerReply> WorkerClient::receive(std::chrono::milliseconds timeout) {
    if (!m_alive)
        return endedError();
    if (!m_awaiting)
        return makeError(EPROTO,
                         "No request to worker pid " + std::to_string(m_pid) + " is waiting for a reply.");
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + timeout;
    for (int slice = 0;; ++slice) {
        auto piece = m_reader.pump(m_fd);
        if (!piece)
            return piece.error().err == ECONNRESET ? lostWorker(piece.error())
                                                   : corruptChannel(piece.error());
        if (*piece) {
            proto::Message& message = (*piece)->message;
            if (message.header.seq != m_pendingSeq) {
                dropLate(message);
                continue;
            }
            m_awaiting = false;
            m_overdue = false;
            if (message.type() != m_pendingType)
                return corruptChannel(
                    makeError(EPROTO, "The worker answered a different request than the one pending."));
            if ((*piece)->outOfMemory)
                return proto::noMemoryError(message.header);
            if ((*piece)->oversized)
                return proto::oversizedError(message.header);
            std::span<const std::uint8_t> payload(message.payload);
            auto status = proto::takeStatus(payload);
            if (!status)
                return status.error();
            // The body moves out without a copy: a report can be large when memory is short.
            const auto statusBytes = static_cast<std::ptrdiff_t>(message.payload.size() - payload.size());
            WorkerReply reply{*status, std::move(message.payload)};
            reply.body.erase(reply.body.begin(), reply.body.begin() + statusBytes);
            return reply;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return notAnswering();
        // Look at the process between short waits, so a stopped worker costs its caller almost nothing.
        if (slice > 0) {
            auto st = readProcStat(m_pid);
            if (st && (st->state == 'T' || st->state == 't'))
                return notAnswering();
        }
        const auto slice_end = std::min(deadline, now + (slice == 0 ? 20ms : 100ms));
        if (auto ready = proto::waitReadable(m_fd, slice_end, false);
            !ready && ready.error().err != ETIMEDOUT)
            return lostWorker(ready.error());
    }
}

Result<WorkerReply> WorkerClient::call(proto::MsgType type, std::span<const std::uint8_t> payload,
                                       std::chrono::milliseconds timeout) {
    if (auto st = send(type, payload); !st)
        return st.error();
    return receive(timeout);
}

Result<int> WorkerClient::receivePassedFd(std::chrono::milliseconds timeout) {
    if (!m_alive)
        return endedError();
    auto fd = receiveFd(m_fd, timeout);
    if (!fd)
        return lostWorker(fd.error());
    return *fd;
}

Error WorkerClient::lostWorker(const Error& cause) {
    // A broken channel usually means the process died: give that reason, it is the useful one.
    for (int i = 0; i < 50 && m_alive; ++i) {
        if (pollExit())
            break;
        std::this_thread::sleep_for(2ms);
    }
    if (!m_alive)
        return makeError(ESRCH, "Worker pid " + std::to_string(m_pid) + " " + m_endedHow + ".");
    return cause;
}

void WorkerClient::markDead(int waitStatus) {
    m_alive = false;
    m_endedHow = describeWaitStatus(waitStatus);
    if (WIFSIGNALED(waitStatus) && WTERMSIG(waitStatus) == SIGKILL && !m_killing)
        m_endedHow = describeUnexpectedSigkill(m_oomKillsAtStart, readOomKills());
    closeChannel();
}

void WorkerClient::closeChannel() {
    // Its death is known: the socket is no use any more, and under a low RLIMIT_NOFILE every
    // descriptor counts.
    if (m_fd >= 0)
        close(m_fd);
    m_fd = -1;
    m_awaiting = false;
    m_overdue = false;
    m_reader = proto::MessageReader(true);
}

bool WorkerClient::pollAdopted() {
    // Its socket is the liveness signal: only that process holds the other end.
    pollfd p{m_fd, POLLRDHUP, 0};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
        return false;
    m_alive = false;
    // Its files close in do_exit before it turns zombie (kernel/exit.c), so give it a moment.
    auto st = readProcStat(m_pid);
    for (int i = 0; i < 100 && st && st->state != 'Z'; ++i) {
        std::this_thread::sleep_for(2ms);
        st = readProcStat(m_pid);
    }
    if (st && st->state == 'Z' && st->exitCode)
        m_endedHow = describeWaitStatus(*st->exitCode);
    else if (st)
        m_endedHow = "closed its connection";
    else
        m_endedHow = "ended (its parent reaped it before shmviz could read how)";
    closeChannel();
    return true;
}

bool WorkerClient::pollExit() {
    if (!m_alive)
        return true;
    if (m_adopted)
        return pollAdopted();
    int status = 0;
    pid_t r = waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
        markDead(status);
        return true;
    }
    if (r < 0 && errno == ECHILD) {
        m_alive = false;
        m_endedHow = "ended";
        closeChannel();
        return true;
    }
    return false;
}

void WorkerClient::kill() {
    if (!m_alive)
        return;
    m_killing = true;
    ::kill(m_pid, SIGKILL);
    if (m_adopted) {
        for (int i = 0; i < 500 && !pollAdopted(); ++i)
            std::this_thread::sleep_for(2ms);
        m_alive = false;
        if (m_endedHow.empty() || m_endedHow.starts_with("ended") || m_endedHow.starts_with("closed"))
            m_endedHow = "killed by SIGKILL";
        closeChannel();
        return;
    }
    int status = 0;
    if (waitpid(m_pid, &status, 0) == m_pid)
        markDead(status);
    else {
        m_alive = false;
        m_endedHow = "killed by SIGKILL";
        closeChannel();
    }
}

void WorkerClient::stop() {
    if (!m_alive || m_pid < 0)
        return;
    if (send(proto::MsgType::Quit, {}))
        (void)receive(200ms);
    for (int i = 0; i < 50 && !pollExit(); ++i)
        std::this_thread::sleep_for(2ms);
    kill();
}

} // namespace shmviz::core
