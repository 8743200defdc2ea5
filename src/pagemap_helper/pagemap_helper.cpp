// shmviz-pagemap: the only shmviz program that ever holds a capability.
//
// One job. shmviz-worker (or a child it forked) runs this program with one end of a fresh
// socketpair as fd 3. We open /proc/PPID/pagemap for that parent while holding CAP_SYS_ADMIN,
// because the kernel shows frame numbers only to a reader that held it when it opened the file
// (fs/proc/task_mmu.c, pagemap_open/pagemap_read), hand the descriptor back over fd 3 with
// SCM_RIGHTS, and exit. It is installed root:shmviz 0750 with cap_sys_admin+ep: only members of
// the group shmviz may run it, because frame numbers are physical addresses.
//
// Before opening we check that the parent
//   - made the socket on fd 3 (SO_PEERCRED pid == getppid(), so fd 3 is not borrowed),
//   - has our real uid as every one of its uids (real, effective, saved, filesystem),
//   - runs the shmviz-worker binary installed beside this program (same device and inode);
// after opening, that it is still our parent running that binary (its pid cannot be reused while
// it is our parent). The kernel's own check at open (ptrace_may_access, PTRACE_MODE_READ_FSCREDS)
// still applies, so a parent that exec'd a set-user-id program is refused by the kernel too.
// Every capability but CAP_SYS_ADMIN is cleared first, by raw syscalls that allocate nothing,
// and that one is cleared right after the open. Any failure ends the program with a message on
// stderr, also sent over fd 3 so the worker can show it; nothing is ever retried.
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace {

constexpr int kSocket = 3;
constexpr int kExitRefused = 1;
constexpr int kExitNoCapability = 3;

[[noreturn]] void refuse(int code, const char* what, int err = 0) {
    char text[512];
    std::snprintf(text, sizeof text, "%s%s%s%s", what, err ? " (" : "", err ? strerrorname_np(err) : "",
                  err ? ")" : "");
    std::fprintf(stderr, "shmviz-pagemap: %s\n", text);
    send(kSocket, text, std::strlen(text), MSG_NOSIGNAL);
    _exit(code);
}

// Sets the effective and permitted sets to CAP_SYS_ADMIN alone (or to nothing) and reads them
// back; inheritable and ambient are always empty.
bool holdOnly(bool sysAdmin) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct want[_LINUX_CAPABILITY_U32S_3] = {};
    if (sysAdmin)
        want[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective = want[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted =
            CAP_TO_MASK(CAP_SYS_ADMIN);
    __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3] = {};
    return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0 &&
           syscall(SYS_capset, &header, want) == 0 && syscall(SYS_capget, &header, now) == 0 &&
           std::memcmp(now, want, sizeof want) == 0;
}

bool permitsSysAdmin() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3] = {};
    return syscall(SYS_capget, &header, now) == 0 &&
           (now[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted & CAP_TO_MASK(CAP_SYS_ADMIN));
}

// True when every uid on the "Uid:" line of /proc/PID/status (real, effective, saved, fs) is `uid`.
bool allUidsAre(pid_t pid, uid_t uid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char text[4096];
    const ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return false;
    text[n] = '\0';
    const char* line = std::strstr(text, "\nUid:");
    if (!line)
        return false;
    char* at = const_cast<char*>(line) + 5;
    for (int i = 0; i < 4; ++i) {
        errno = 0;
        char* end = nullptr;
        const unsigned long value = std::strtoul(at, &end, 10);
        if (errno || end == at || value != uid)
            return false;
        at = end;
    }
    return *at == '\n';
}

// The shmviz-worker beside this program, by device and inode.
bool workerBesideUs(struct stat& worker) {
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    char* slash = std::strrchr(self, '/');
    if (!slash || static_cast<std::size_t>(slash + 1 - self) + sizeof "shmviz-worker" > sizeof self)
        return false;
    std::strcpy(slash + 1, "shmviz-worker");
    return stat(self, &worker) == 0 && S_ISREG(worker.st_mode);
}

bool parentRuns(pid_t parent, const struct stat& worker) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/exe", static_cast<int>(parent));
    struct stat exe {};
    return stat(path, &exe) == 0 && exe.st_dev == worker.st_dev && exe.st_ino == worker.st_ino;
}

void sendFd(int fd) {
    char marker = 'P';
    iovec iov{&marker, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    if (sendmsg(kSocket, &msg, MSG_NOSIGNAL) != 1)
        refuse(kExitRefused, "could not pass the pagemap back to the worker", errno);
}

} // namespace

int main() {
    // Capabilities first; nothing before this line can fail or allocate.
    if (!permitsSysAdmin()) {
        if (!holdOnly(false))
            refuse(kExitRefused, "could not clear its capabilities", errno);
        refuse(kExitNoCapability, "shmviz-pagemap is not installed with cap_sys_admin (install it with: sudo "
                                  "./shmviz.sh install)");
    }
    if (!holdOnly(true) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        refuse(kExitRefused, "could not give up every capability but cap_sys_admin", errno);

    const uid_t uid = getuid();
    if (uid != geteuid() || getgid() != getegid())
        refuse(kExitRefused, "refusing to run set-user-id or set-group-id");
    const pid_t parent = getppid();
    ucred peer{};
    socklen_t peerSize = sizeof peer;
    if (getsockopt(kSocket, SOL_SOCKET, SO_PEERCRED, &peer, &peerSize) != 0)
        refuse(kExitRefused, "it is started by shmviz-worker with a socket on fd 3, not by hand", errno);
    if (peer.pid != parent || peer.uid != uid)
        refuse(kExitRefused, "the socket on fd 3 was not made by the parent process; refusing");
    if (!allUidsAre(parent, uid))
        refuse(kExitRefused, "the parent process does not run as the same user in every uid; refusing");
    struct stat worker {};
    if (!workerBesideUs(worker))
        refuse(kExitRefused, "there is no shmviz-worker beside shmviz-pagemap", ENOENT);
    if (!parentRuns(parent, worker))
        refuse(kExitRefused, "the parent process is not the shmviz-worker installed beside shmviz-pagemap; "
                             "refusing");

    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/pagemap", static_cast<int>(parent));
    const int pagemap = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    const int openErr = errno;
    if (!holdOnly(false))
        refuse(kExitRefused, "could not clear its capabilities", errno);
    if (pagemap < 0)
        refuse(kExitRefused, "could not open the worker's pagemap", openErr);
    struct statfs fs {};
    if (fstatfs(pagemap, &fs) != 0 || fs.f_type != PROC_SUPER_MAGIC)
        refuse(kExitRefused, "the pagemap it opened is not on procfs; refusing");
    if (getppid() != parent || !parentRuns(parent, worker))
        refuse(kExitRefused, "the parent process changed while its pagemap was opened; refusing");
    sendFd(pagemap);
    return 0;
}
