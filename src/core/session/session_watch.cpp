// Cheap checks for what others change, every 100 ms while idle; a full snapshot is gathered only
// when one fires. Each costs a system call or two per worker or segment of the session, however
// busy the rest of the machine is:
// - a worker ending: its pidfd (which also wakes the runner at once);
// - one of the session's System V segments attached, detached or removed: IPC_STAT of each;
// - one of its POSIX names unlinked, replaced or resized: a stat of each.
#include "core/kernel/file_text.h"
#include "core/session/session.h"

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

// pidfd_open(2), Linux 5.3; glibc 2.36 has no wrapper in Debian 12's headers for every arch.
int pidfdOpen(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

} // namespace

std::vector<int> Session::watchFds() {
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

bool Session::namesChanged() {
    std::string stamp;
    for (const SegmentRecord& s : m_segments) {
        if (s.kind != SegmentKind::Posix)
            continue;
        struct stat st {};
        const std::string path = s.path.empty() ? "/dev/shm" + s.name : s.path;
        stamp += ::stat(path.c_str(), &st) == 0 ? std::to_string(st.st_ino) + ":" + std::to_string(st.st_size)
                                                : "-";
        stamp += ';';
    }
    if (stamp == m_watchedNames)
        return false;
    m_watchedNames = std::move(stamp);
    return true;
}

bool Session::sysvChanged() {
    std::string stamp;
    bool denied = false;
    for (const SegmentRecord& s : m_segments) {
        if (s.kind != SegmentKind::Sysv || s.shmid < 0)
            continue;
        shmid_ds ds{};
        if (::shmctl(s.shmid, IPC_STAT, &ds) != 0) {
            denied = denied || errno == EACCES;
            stamp += errnoName(errno) + ";"; // removed and gone (EINVAL, EIDRM)
            continue;
        }
        stamp += std::to_string(ds.shm_nattch) + ":" + std::to_string(ds.shm_atime) + ":" +
                 std::to_string(ds.shm_dtime) + ":" + std::to_string(ds.shm_ctime) + ":" +
                 std::to_string(ds.shm_perm.mode) + ":" + std::to_string(ds.shm_lpid) + ";";
    }
    // A segment the session may not read (opened by key, mode without read): the whole table.
    if (denied)
        if (auto text = m_sysvTable.read())
            stamp += *text;
    if (stamp == m_watchedSysv)
        return false;
    m_watchedSysv = std::move(stamp);
    return true;
}

bool Session::outsideChanged() {
    bool changed = false;
    for (WorkerRecord& w : m_workers) // a worker watched by its pidfd is looked at when that fires
        if (w.client.alive() && !m_pidfds.count(w.client.pid()) && w.client.pollExit())
            changed = true;
    std::vector<pollfd> fds;
    for (const auto& [pid, fd] : m_pidfds)
        fds.push_back({fd, POLLIN, 0});
    if (!fds.empty() && ::poll(fds.data(), fds.size(), 0) > 0) {
        for (const pollfd& p : fds) {
            if (!p.revents)
                continue;
            changed = true; // ended, though perhaps not yet reaped (a forked worker's parent reaps it)
            const auto it = std::find_if(m_pidfds.begin(), m_pidfds.end(),
                                         [&](const auto& entry) { return entry.second == p.fd; });
            m_endedPids.insert(it->first);
            ::close(it->second);
            m_pidfds.erase(it);
        }
    }
    if (sysvChanged())
        changed = true;
    if (namesChanged())
        changed = true;
    return changed;
}

void Session::closeWatches() {
    for (auto& [pid, fd] : m_pidfds)
        ::close(fd);
    m_pidfds.clear();
}

} // namespace shmviz::core
