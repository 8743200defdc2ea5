// Cheap checks for what others change: a worker ending (pidfd), a System V segment attached,
// detached or removed (/proc/sysvipc/shm), a POSIX name created or unlinked (/dev/shm). They cost
// a few system calls, so the runner asks often and gathers a full snapshot only when they fire.
#include "core/kernel/file_text.h"
#include "core/session/session.h"

#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

// pidfd_open(2), Linux 5.3; glibc 2.36 has no wrapper in Debian 12's headers for every arch.
int pidfdOpen(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string devShmStamp() {
    struct stat st {};
    if (::stat("/dev/shm", &st) != 0)
        return {};
    return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
           std::to_string(st.st_ctim.tv_nsec);
}

} // namespace

std::vector<int> Session::exitFds() {
    std::map<pid_t, int> kept;
    for (WorkerRecord& w : m_workers) {
        if (!w.client.alive())
            continue;
        const pid_t pid = w.client.pid();
        if (m_endedPids.count(pid))
            continue;
        auto it = m_pidfds.find(pid);
        if (it != m_pidfds.end()) {
            kept.insert(*it);
            m_pidfds.erase(it);
        } else if (int fd = pidfdOpen(pid); fd >= 0) {
            kept.emplace(pid, fd);
        }
    }
    for (auto& [pid, fd] : m_pidfds)
        ::close(fd);
    m_pidfds = std::move(kept);
    std::vector<int> fds;
    for (auto& [pid, fd] : m_pidfds)
        fds.push_back(fd);
    return fds;
}

bool Session::outsideChanged() {
    bool changed = false;
    for (WorkerRecord& w : m_workers)
        if (w.client.alive() && w.client.pollExit())
            changed = true;
    for (auto it = m_pidfds.begin(); it != m_pidfds.end();) {
        pollfd p{it->second, POLLIN, 0};
        if (::poll(&p, 1, 0) != 1) {
            ++it;
            continue;
        }
        changed = true; // ended, though perhaps not yet reaped (a forked worker's parent reaps it)
        m_endedPids.insert(it->first);
        ::close(it->second);
        it = m_pidfds.erase(it);
    }
    if (auto text = readFileText("/proc/sysvipc/shm"); text && *text != m_watchedSysv) {
        m_watchedSysv = std::move(*text);
        changed = true;
    }
    if (std::string stamp = devShmStamp(); stamp != m_watchedDevShm) {
        m_watchedDevShm = std::move(stamp);
        changed = true;
    }
    return changed;
}

void Session::closeWatches() {
    for (auto& [pid, fd] : m_pidfds)
        ::close(fd);
    m_pidfds.clear();
}

} // namespace shmviz::core
