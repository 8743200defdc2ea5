#include "core/child_process.h"

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
    if (const char* env = std::getenv("SHMVIZ_WORKER"); env && *env)
        return env;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "shmviz-worker";
    std::string path(self, static_cast<std::size_t>(n));
    return path.substr(0, path.rfind('/') + 1) + "shmviz-worker";
}

Result<ChildProcess> startChild(const std::string& workerPath, bool guardian) {
    if (access(workerPath.c_str(), X_OK) != 0)
        return systemError(errno, "Finding the worker program " + workerPath);
    int fds[2];
    if (guardian ? pipe2(fds, O_CLOEXEC) != 0 : socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return systemError(errno, "Creating the worker's channel");
    // Guardian: the child reads fds[0]; worker: the child talks on fds[1].
    const int childEnd = guardian ? fds[0] : fds[1];
    const int ourEnd = guardian ? fds[1] : fds[0];

    const std::string parent = std::to_string(getpid());
    const char* argv[] = {workerPath.c_str(), "--fd", "3", "--parent", parent.c_str(),
                          guardian ? "--guardian" : nullptr, nullptr};
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        setpgid(0, 0);
        for (int sig = 1; sig < NSIG; ++sig)
            signal(sig, SIG_DFL);
        if (dup2(childEnd, 3) < 0)
            _exit(127);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(argv[0], const_cast<char* const*>(argv));
        _exit(127);
    }
    const int forkErr = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    close(childEnd);
    if (pid < 0) {
        close(ourEnd);
        return systemError(forkErr, "Starting a worker process (fork)");
    }
    return ChildProcess{pid, ourEnd};
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("killed by ") + (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
    }
    return "stopped";
}

} // namespace shmviz::core
