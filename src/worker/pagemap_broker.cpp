#include "worker/pagemap_broker.h"

#include "core/wire/fd_passing.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::worker {

namespace {

bool holdsSysAdmin() {
    cap_t caps = cap_get_proc();
    if (!caps)
        return false;
    cap_flag_value_t value = CAP_CLEAR;
    cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &value);
    cap_free(caps);
    return value == CAP_SET;
}

// Keeps CAP_SYS_ADMIN (effective and permitted) and nothing else.
bool keepOnlySysAdmin() {
    cap_t caps = cap_init();
    if (!caps)
        return false;
    cap_value_t admin = CAP_SYS_ADMIN;
    cap_set_flag(caps, CAP_EFFECTIVE, 1, &admin, CAP_SET);
    cap_set_flag(caps, CAP_PERMITTED, 1, &admin, CAP_SET);
    const bool ok = cap_set_proc(caps) == 0;
    cap_free(caps);
    cap_reset_ambient();
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    return ok;
}

[[noreturn]] void serveBroker(int socketFd) {
    for (;;) {
        char byte = 0;
        char control[CMSG_SPACE(sizeof(ucred))] = {};
        iovec iov{&byte, 1};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t got = recvmsg(socketFd, &msg, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            _exit(0); // the worker and its children are gone
        pid_t asker = 0;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                ucred cred{};
                std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
                asker = cred.pid;
            }
        char path[64];
        std::snprintf(path, sizeof path, "/proc/%d/pagemap", static_cast<int>(asker));
        const int fd = asker > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
        if (fd >= 0) {
            (void)core::sendFd(socketFd, fd, 'P');
            close(fd);
        } else {
            const char no = 'E';
            (void)send(socketFd, &no, 1, MSG_NOSIGNAL);
        }
    }
}

} // namespace

int startPagemapBroker() {
    if (!holdsSysAdmin())
        return -1;
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0)
        return -1;
    // The kernel attaches the asker's pid only if the receiving end already has SO_PASSCRED when a
    // request is sent, so set it here, before anyone can ask, not in the broker once it runs.
    int on = 1;
    setsockopt(ends[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    const pid_t worker = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        close(ends[0]);
        close(ends[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != worker)
            _exit(0);
        prctl(PR_SET_NAME, "shmviz-pagemap", 0, 0, 0);
        // Hold nothing of the worker's but our socket: not its channel to the app, not its pagemap.
        for (int fd = 3; fd < 1024; ++fd)
            if (fd != ends[1])
                close(fd);
        if (!keepOnlySysAdmin())
            _exit(1);
        serveBroker(ends[1]);
    }
    close(ends[1]);
    return ends[0];
}

PagemapHandle pagemapFromBroker(int brokerFd) {
    if (brokerFd >= 0) {
        // The broker opens /proc/PID/pagemap as us, which the kernel allows only for a dumpable
        // process (ptrace access mode, kernel/ptrace.c); a worker exec'd with file capabilities is not.
        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        const char ask = 'Q';
        if (send(brokerFd, &ask, 1, MSG_NOSIGNAL) == 1) {
            auto fd = core::receiveFd(brokerFd, std::chrono::seconds(5));
            if (fd)
                return PagemapHandle{*fd, core::proto::PagemapAccess::FramesVisible, 0};
        }
    }
    PagemapHandle h;
    h.fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    h.openErrno = h.fd < 0 ? errno : 0;
    h.access = h.fd < 0 ? core::proto::PagemapAccess::Unreadable : core::proto::PagemapAccess::FramesHidden;
    return h;
}

} // namespace shmviz::worker
