#include "core/labs/lab_child.h"

#include "core/kernel/limit_errors.h"
#include "core/wire/child_process.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace shmviz::core::labs {

Result<LabChild> LabChild::start(const std::string& workerPath, const std::string& role,
                                 const std::vector<std::string>& args, int dataFd, GuardianLink* guardian) {
    if (access(workerPath.c_str(), X_OK) != 0)
        return systemError(errno, "Finding the worker program " + workerPath);
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return limitError(errno, "Creating a lab worker's control socket", "socketpair");

    std::vector<std::string> argv{
        workerPath, "--lab", role, "--fd", "3", "--parent", std::to_string(getpid())};
    argv.insert(argv.end(), args.begin(), args.end());
    auto pid = forkExec(argv, fds[1], dataFd);
    close(fds[1]);
    if (!pid) {
        close(fds[0]);
        return pid.error();
    }
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    LabChild child;
    child.m_pid = *pid;
    child.m_fd = fds[0];
    child.m_guardian = guardian;
    if (guardian)
        guardian->ownWorker(*pid);
    return child;
}

LabChild::LabChild(LabChild&& other) noexcept {
    *this = std::move(other);
}

LabChild& LabChild::operator=(LabChild&& other) noexcept {
    if (this != &other) {
        release();
        m_pid = std::exchange(other.m_pid, -1);
        m_fd = std::exchange(other.m_fd, -1);
        m_reaped = other.m_reaped;
        m_endedHow = std::move(other.m_endedHow);
        m_pending = std::move(other.m_pending);
        m_guardian = other.m_guardian;
    }
    return *this;
}

LabChild::~LabChild() {
    release();
}

void LabChild::release() {
    kill();
    if (m_fd >= 0)
        close(m_fd);
    m_fd = -1;
}

Status LabChild::sendLine(const std::string& line) {
    std::size_t sent = 0;
    while (sent < line.size()) {
        ssize_t n = send(m_fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
        }
        if (n < 0)
            return systemError(errno, "Talking to lab worker pid " + std::to_string(m_pid));
        sent += static_cast<std::size_t>(n);
    }
    return Ok{};
}

std::vector<std::string> LabChild::readLines(bool& closed) {
    std::vector<std::string> lines;
    char buffer[4096];
    for (;;) {
        ssize_t n = recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break; // EAGAIN: nothing more for now
        if (n == 0) {
            closed = true;
            break;
        }
        m_pending.append(buffer, static_cast<std::size_t>(n));
    }
    std::size_t nl;
    while ((nl = m_pending.find('\n')) != std::string::npos) {
        lines.push_back(m_pending.substr(0, nl));
        m_pending.erase(0, nl + 1);
    }
    return lines;
}

bool LabChild::reap(int ms) {
    if (m_pid <= 0 || m_reaped)
        return true;
    for (int waited = 0;; ++waited) {
        int status = 0;
        pid_t r = waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid || (r < 0 && errno == ECHILD)) {
            m_reaped = true;
            m_endedHow = r == m_pid ? describeWaitStatus(status) : "ended";
            if (m_guardian)
                m_guardian->forgetWorker(m_pid);
            return true;
        }
        if (waited >= ms)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void LabChild::kill() {
    if (m_pid <= 0 || m_reaped)
        return;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_reaped = true;
    m_endedHow = describeWaitStatus(status);
    if (m_guardian)
        m_guardian->forgetWorker(m_pid);
}

} // namespace shmviz::core::labs
