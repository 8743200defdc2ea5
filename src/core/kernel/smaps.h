#pragma once
// /proc/PID/smaps and /proc/PID/smaps_rollup (Documentation/filesystems/proc.rst, "smaps"):
// per mapping, how much of it is resident and how the kernel splits that between processes.
//   Rss  pages of the mapping in memory now, each counted whole in every process that maps it
//   Pss  each page divided by the number of processes mapping it, so Pss adds up across processes
//   Shared_* / Private_*  pages mapped by more than one process / by this one alone, counted at
//        this moment: a shared-memory page that one process maps is Private, though it is shared
//   *_Hugetlb  hugetlbfs pages, which the kernel leaves out of Rss and Pss entirely
#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace shmviz::core {

// Bytes (the files print kB).
struct MemoryCounts {
    std::uint64_t rss = 0;
    std::uint64_t pss = 0;
    std::uint64_t sharedClean = 0;
    std::uint64_t sharedDirty = 0;
    std::uint64_t privateClean = 0;
    std::uint64_t privateDirty = 0;
    std::uint64_t swap = 0;
    std::uint64_t sharedHugetlb = 0;
    std::uint64_t privateHugetlb = 0;
    std::uint64_t shared() const { return sharedClean + sharedDirty; }
    std::uint64_t privateBytes() const { return privateClean + privateDirty; }
    bool operator==(const MemoryCounts&) const = default;
};

struct SmapsArea {
    std::uint64_t start = 0; // first byte
    std::uint64_t end = 0;   // one past the last byte
    std::string perms;       // "rw-s"
    std::string path;        // "/SYSV00001234 (deleted)", "/dev/shm/x", "" for anonymous
    MemoryCounts counts;
    bool operator==(const SmapsArea&) const = default;
};

// Parses a whole smaps file: a maps-style header line per area, then "Key:  N kB" lines.
Result<std::vector<SmapsArea>> parseSmaps(std::string_view text);

// Parses smaps_rollup: one header line ("... [rollup]"), then the summed "Key: N kB" lines.
Result<MemoryCounts> parseSmapsRollup(std::string_view text);

Result<std::vector<SmapsArea>> readSmaps(pid_t pid);
Result<MemoryCounts> readSmapsRollup(pid_t pid);

} // namespace shmviz::core
