#include "core/wire/guardian_link.h"

#include "core/wire/child_process.h"

#include <chrono>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace shmviz::core {

GuardianLink::~GuardianLink() {
    stop();
}

Status GuardianLink::start(const std::string& workerPath) {
    auto child = startChild(workerPath, true);
    if (!child)
        return child.error();
    m_fd = child->fd;
    m_pid = child->pid;
    return Ok{};
}

void GuardianLink::send(const std::string& line) {
    if (m_fd < 0)
        return;
    std::string text = line + "\n";
    // Lines are far below PIPE_BUF, so each write is atomic.
    while (write(m_fd, text.data(), text.size()) < 0 && errno == EINTR) {
    }
}

void GuardianLink::stop() {
    if (m_fd < 0)
        return;
    close(m_fd);
    m_fd = -1;
    for (int i = 0; i < 200; ++i) {
        if (waitpid(m_pid, nullptr, WNOHANG) != 0)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace shmviz::core
