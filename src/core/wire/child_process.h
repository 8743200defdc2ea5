#pragma once
// Starting shmviz-worker as a child: fork + exec, never a bare fork of the app (a fresh exec gets
// its own randomised address layout, and forking a process that runs GL threads is unsafe).
#include "core/base/error.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace shmviz::core {

struct ChildProcess {
    pid_t pid = -1;
    int fd = -1; // our end of the socket or pipe
};

// Path of shmviz-worker: $SHMVIZ_WORKER (ignored when privileged: core/base/user_dirs.h), else
// next to the running executable, else in ../libexec/shmviz beside it (an install).
std::string defaultWorkerPath();

// Starts `workerPath --fd 3 --parent <our pid> [--guardian]` in its own process group, with one end
// of a socketpair (worker) or the read end of a pipe (guardian) as fd 3. Only async-signal-safe
// calls run between fork and exec.
Result<ChildProcess> startChild(const std::string& workerPath, bool guardian);

// fork + exec of argv (argv[0] is the program) in its own process group, with `fd3` as its fd 3
// and, when `fd4` >= 0, `fd4` as its fd 4; every other descriptor of ours is close-on-exec. Signals
// are blocked around fork and reset in the child; only async-signal-safe calls run before exec.
Result<pid_t> forkExec(const std::vector<std::string>& argv, int fd3, int fd4 = -1);

// How a child ended, as a phrase: "exited with status 0", "killed by SIGKILL".
std::string describeWaitStatus(int status);

} // namespace shmviz::core
