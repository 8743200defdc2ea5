#include "worker/privileges.h"

#include "core/base/error.h"
#include "core/kernel/pagemap_helper_status.h"
#include "core/wire/fd_passing.h"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shmviz::worker {

namespace {

constexpr int kHelperTimeoutMs = 5000;

bool capabilitySetsEmpty() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, now) != 0)
        return false;
    for (const auto& d : now)
        if (d.effective || d.permitted || d.inheritable)
            return false;
    return true; // the ambient set is a subset of permitted (capabilities(7))
}

std::string helperPath() {
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return {};
    std::string path(self, static_cast<std::size_t>(n));
    return path.substr(0, path.rfind('/') + 1) + "shmviz-pagemap";
}

// In the forked child: fd 3 is our end of the socket, 0-2 are /dev/null, every other descriptor
// is closed, the environment is empty. Async-signal-safe calls only. Reports an exec failure as 'X' + errno.
[[noreturn]] void execHelper(const char* path, int end) {
    const int high = fcntl(end, F_DUPFD_CLOEXEC, 10);
    if (high < 0 || dup2(high, 3) < 0)
        _exit(127);
    syscall(SYS_close_range, 4u, ~0u, 0u);
    // Its refusals reach us over the socket; keep them off the app's terminal.
    const int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
        _exit(127);
    if (null > 2)
        close(null);
    char* const argv[] = {const_cast<char*>("shmviz-pagemap"), nullptr};
    char* const envp[] = {nullptr};
    execve(path, argv, envp);
    char report[1 + sizeof(int)] = {'X'};
    const int err = errno;
    std::memcpy(report + 1, &err, sizeof err);
    send(3, report, sizeof report, MSG_NOSIGNAL);
    _exit(127);
}

// Reads the helper's one message: 'P' with a descriptor, 'X' + errno from a failed exec, or a
// sentence saying why it refused. Returns the descriptor or -1 with `reason` set.
int receiveHelperAnswer(int socket, std::string& reason) {
    char text[512] = {};
    auto answer =
        core::receiveMessage(socket, {text, sizeof text - 1}, std::chrono::milliseconds(kHelperTimeoutMs));
    if (!answer) {
        reason = answer.error().err == ETIMEDOUT    ? "shmviz-pagemap did not answer within 5 seconds"
                 : answer.error().err == ECONNRESET ? "shmviz-pagemap ended without answering"
                                                    : answer.error().message;
        return -1;
    }
    const ssize_t got = static_cast<ssize_t>(answer->bytes);
    const int fd = answer->fd;
    if (got == 1 && text[0] == 'P' && fd >= 0 && !answer->truncated)
        return fd;
    if (fd >= 0)
        close(fd);
    if (got == 1 + static_cast<ssize_t>(sizeof(int)) && text[0] == 'X') {
        int err = 0;
        std::memcpy(&err, text + 1, sizeof err);
        reason = core::helperExecFailure(err);
    } else if (got > 0) {
        reason.assign(text, static_cast<std::size_t>(got));
    } else {
        reason = "shmviz-pagemap ended without answering";
    }
    return -1;
}

int pagemapFromHelper(std::string& reason) {
    const std::string path = helperPath();
    int ends[2];
    if (path.empty() || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
        reason = "could not prepare to run shmviz-pagemap (" + core::errnoName(errno) + ")";
        return -1;
    }
    const pid_t child = fork();
    if (child == 0)
        execHelper(path.c_str(), ends[1]);
    const int forkErr = errno;
    close(ends[1]);
    int fd = -1;
    if (child < 0)
        reason = "could not start shmviz-pagemap (" + core::errnoName(forkErr) + ")";
    else
        fd = receiveHelperAnswer(ends[0], reason);
    close(ends[0]);
    if (child > 0) {
        kill(child, SIGKILL); // it has answered or failed to: nothing of it may outlive this call
        while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    return fd;
}

} // namespace

void giveUpCapabilitiesOrExit(const char* program) {
    if (getuid() == 0 || geteuid() == 0) {
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        syscall(SYS_capset, &header, none);
    }
    if (capabilitySetsEmpty())
        return;
    std::fprintf(
        stderr,
        "%s: refusing to run while holding capabilities: shmviz gives a capability to "
        "shmviz-pagemap alone. Remove it from this file with: sudo setcap -r /path/to/shmviz-worker\n",
        program);
    _exit(126);
}

PagemapHandle openPagemap() {
    PagemapHandle h;
    h.fd = pagemapFromHelper(h.reason);
    if (h.fd >= 0) {
        h.access = core::proto::PagemapAccess::FramesVisible;
        return h;
    }
    h.fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    h.openErrno = h.fd < 0 ? errno : 0;
    h.access = h.fd < 0 ? core::proto::PagemapAccess::Unreadable : core::proto::PagemapAccess::FramesHidden;
    return h;
}

} // namespace shmviz::worker
