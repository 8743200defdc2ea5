#include "core/wire/child_process.h"

#include "core/base/user_dirs.h"
#include "core/kernel/limit_errors.h"

#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shmviz::core {

std::string defaultWorkerPath() {
    if (auto env = trustedEnv("SHMVIZ_WORKER"))
        return *env;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "shmviz-worker";
    std::string path(self, static_cast<std::size_t>(n));
    const std::string dir = path.substr(0, path.rfind('/') + 1);
    // The build tree keeps them side by side; an install puts the worker and shmviz-pagemap in
    // PREFIX/libexec/shmviz (cmake/Install.cmake).
    const std::string installed = dir + "../libexec/shmviz/shmviz-worker";
    if (access((dir + "shmviz-worker").c_str(), X_OK) != 0 && access(installed.c_str(), X_OK) == 0)
        return installed;
    return dir + "shmviz-worker";
}

Result<ChildProcess> startChild(const std::string& workerPath, bool guardian) {
    if (access(workerPath.c_str(), X_OK) != 0)
        return systemError(errno, "Finding the worker program " + workerPath);
    int fds[2];
    if (guardian ? pipe2(fds, O_CLOEXEC) != 0 : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return limitError(errno, "Creating the worker's channel", guardian ? "pipe" : "socketpair");
    // Guardian: the child reads fds[0]; worker: the child talks on fds[1].
    const int childEnd = guardian ? fds[0] : fds[1];
    const int ourEnd = guardian ? fds[1] : fds[0];

    std::vector<std::string> argv{workerPath, "--fd", "3", "--parent", std::to_string(getpid())};
    if (guardian)
        argv.emplace_back("--guardian");
    auto pid = forkExec(argv, childEnd);
    close(childEnd);
    if (!pid) {
        close(ourEnd);
        return pid.error();
    }
    return ChildProcess{*pid, ourEnd};
}

namespace {

// What a child writes on its status pipe when it cannot become the program: the step that failed
// and its errno. A successful exec closes the pipe (close-on-exec) with nothing written.
struct ExecFailure {
    int stage; // 1: moving descriptors into place, 2: execv
    int err;
};

// In the child: report and leave. Async-signal-safe.
[[noreturn]] void failChild(int statusFd, int stage) {
    const ExecFailure failure{stage, errno};
    ssize_t ignored = write(statusFd, &failure, sizeof failure);
    (void)ignored;
    _exit(127);
}

// Lifts `fd` to 10 or above, close-on-exec, so no dup2 onto 3 or 4 lands on it.
int lift(int fd) {
    return fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

Error childFailed(const std::string& program, const ExecFailure& failure) {
    const bool exec = failure.stage == 2;
    return limitError(failure.err,
                      "Starting " + program +
                          (exec ? " (execv)" : " (moving its channel to descriptor 3 before execv)"),
                      exec ? "execv" : "fcntl");
}

} // namespace

Result<pid_t> forkExec(const std::vector<std::string>& args, int fd3, int fd4) {
    std::vector<const char*> argv;
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    int status[2];
    if (pipe2(status, O_CLOEXEC) != 0)
        return limitError(errno, "Starting " + args.front() + " (a pipe to hear whether execv worked)",
                          "pipe");
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        // Child: async-signal-safe calls only. Lift every descriptor it keeps above 9 first, so
        // that no dup2 lands on another and a descriptor already numbered 3 loses close-on-exec.
        setpgid(0, 0);
        for (int sig = 1; sig < NSIG; ++sig)
            signal(sig, SIG_DFL);
        close(status[0]);
        int report = status[1];
        if (report == 3 || report == 4) {
            const int high = lift(report);
            if (high < 0)
                failChild(report, 1);
            report = high;
        }
        const int high3 = lift(fd3);
        if (high3 < 0)
            failChild(report, 1);
        const int high4 = fd4 >= 0 ? lift(fd4) : -1;
        if (fd4 >= 0 && high4 < 0)
            failChild(report, 1);
        if (dup2(high3, 3) < 0 || (fd4 >= 0 && dup2(high4, 4) < 0))
            failChild(report, 1);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(argv[0], const_cast<char* const*>(argv.data()));
        failChild(report, 2);
    }
    const int forkErr = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    close(status[1]);
    if (pid < 0) {
        close(status[0]);
        return limitError(forkErr, "Starting " + args.front() + " (fork)", "fork");
    }
    ExecFailure failure{};
    ssize_t got;
    do
        got = read(status[0], &failure, sizeof failure);
    while (got < 0 && errno == EINTR);
    close(status[0]);
    if (got != static_cast<ssize_t>(sizeof failure))
        return pid;
    waitpid(pid, nullptr, 0);
    return childFailed(args.front(), failure);
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("killed by ") +
               (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
    }
    return "stopped";
}

} // namespace shmviz::core
