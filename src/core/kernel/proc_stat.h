#pragma once
// /proc/PID/stat, the few fields the app needs about a worker it did not start itself (a child
// forked by a worker): its state, its parent, and, for a zombie, how it ended (proc(5): field 52,
// exit_code, "in the form reported by waitpid(2)", since Linux 3.5).
#include "core/base/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace shmviz::core {

struct ProcStat {
    char state = '?'; // R, S, D, Z, ...
    pid_t ppid = 0;
    std::optional<int> exitCode; // a wait status; present when the line has field 52
};

// Parses one /proc/PID/stat line; the command name may hold spaces and parentheses.
Result<ProcStat> parseProcStat(std::string_view text);

// "T (stopped)" for 'T': the state letter and what proc(5) says it means.
std::string describeProcState(char state);

// Reads and parses /proc/PID/stat; ENOENT once the process is gone (reaped).
Result<ProcStat> readProcStat(pid_t pid);

} // namespace shmviz::core
