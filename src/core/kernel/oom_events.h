#pragma once
// Whether the kernel's OOM killer ended a process: the kernel log says so, but users cannot read
// it, so the cgroup v2 counter is used instead (memory.events "oom_kill", counted for the victim's
// cgroup and its ancestors, Documentation/admin-guide/cgroup-v2.rst; cgroup v1 keeps it in
// memory.oom_control).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shmviz::core {

// This process's cgroup path for `controller` from /proc/self/cgroup text; controller "" is the
// cgroup v2 line ("0::/user.slice/x.scope").
std::optional<std::string> parseCgroupPath(std::string_view procSelfCgroup, std::string_view controller);

// The "oom_kill N" count from memory.events (v2) or memory.oom_control (v1) text.
std::optional<std::uint64_t> parseOomKills(std::string_view memoryEvents);

// oom_kill of this process's memory cgroup now; nullopt when it cannot be read (no memory
// controller, no /sys/fs/cgroup).
std::optional<std::uint64_t> readOomKills();

// How a worker that died of SIGKILL nobody in shmviz sent ended, given oom_kill when it started
// and now: "killed by the kernel's OOM killer (...)" or "killed by SIGKILL" or, when the counter
// cannot be read, "killed by SIGKILL, possibly out of memory".
std::string describeUnexpectedSigkill(std::optional<std::uint64_t> before, std::optional<std::uint64_t> now);

} // namespace shmviz::core
