#pragma once
// /proc/PID/status: the one field shmviz needs, VmPTE, the memory this process's page tables take
// (proc(5): "Size of page table entries", in kB; every level of the tree is counted).
#include "core/base/error.h"

#include <cstdint>
#include <string_view>
#include <sys/types.h>

namespace shmviz::core {

// Bytes of page tables, from the "VmPTE:" line; EINVAL when the line is missing or malformed.
Result<std::uint64_t> parseVmPte(std::string_view statusText);

Result<std::uint64_t> readVmPte(pid_t pid);

} // namespace shmviz::core
