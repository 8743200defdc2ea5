#include "core/wire/worker_client.h"

#include "core/kernel/proc_stat.h"
#include "core/wire/fd_passing.h"

#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace shmviz::core {

using namespace std::chrono_literals;

WorkerClient::WorkerClient(ChildProcess child) : m_pid(child.pid), m_fd(child.fd), m_alive(true) {}

WorkerClient::WorkerClient(WorkerClient&& other) noexcept {
    *this = std::move(other);
}

WorkerClient& WorkerClient::operator=(WorkerClient&& other) noexcept {
    if (this != &other) {
        m_pid = std::exchange(other.m_pid, -1);
        m_fd = std::exchange(other.m_fd, -1);
        m_alive = std::exchange(other.m_alive, false);
        m_adopted = other.m_adopted;
        m_endedHow = std::move(other.m_endedHow);
        m_seq = other.m_seq;
        m_pendingSeq = other.m_pendingSeq;
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

Status WorkerClient::send(proto::MsgType type, std::span<const std::uint8_t> payload) {
    if (!m_alive)
        return makeError(ESRCH, "Worker pid " + std::to_string(m_pid) + " has ended (" + m_endedHow + ").");
    m_pendingSeq = ++m_seq;
    m_pendingType = type;
    if (auto st = proto::sendMessage(m_fd, type, false, m_pendingSeq, payload); !st)
        return lostWorker(st.error());
    return Ok{};
}

Result<WorkerReply> WorkerClient::receive(std::chrono::milliseconds timeout) {
    if (!m_alive)
        return makeError(ESRCH, "Worker pid " + std::to_string(m_pid) + " has ended (" + m_endedHow + ").");
    auto message = proto::receiveMessage(m_fd, true, timeout);
    if (!message)
        return lostWorker(message.error());
    if (message->header.seq != m_pendingSeq || message->type() != m_pendingType)
        return makeError(EPROTO, "The worker answered a different request than the one pending.");
    std::span<const std::uint8_t> payload(message->payload);
    auto status = proto::takeStatus(payload);
    if (!status)
        return status.error();
    return WorkerReply{*status, std::vector<std::uint8_t>(payload.begin(), payload.end())};
}

Result<WorkerReply> WorkerClient::call(proto::MsgType type, std::span<const std::uint8_t> payload,
                                       std::chrono::milliseconds timeout) {
    if (auto st = send(type, payload); !st)
        return st.error();
    return receive(timeout);
}

Result<int> WorkerClient::receivePassedFd(std::chrono::milliseconds timeout) {
    if (!m_alive)
        return makeError(ESRCH, "Worker pid " + std::to_string(m_pid) + " has ended (" + m_endedHow + ").");
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
        return true;
    }
    return false;
}

void WorkerClient::kill() {
    if (!m_alive)
        return;
    ::kill(m_pid, SIGKILL);
    if (m_adopted) {
        for (int i = 0; i < 500 && !pollAdopted(); ++i)
            std::this_thread::sleep_for(2ms);
        m_alive = false;
        if (m_endedHow.empty() || m_endedHow.starts_with("ended") || m_endedHow.starts_with("closed"))
            m_endedHow = "killed by SIGKILL";
        return;
    }
    int status = 0;
    if (waitpid(m_pid, &status, 0) == m_pid)
        markDead(status);
    else {
        m_alive = false;
        m_endedHow = "killed by SIGKILL";
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
