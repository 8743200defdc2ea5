#pragma once
// Parser for /proc/sysvipc/shm: every System V segment on the machine, as the kernel lists it.
#include "core/base/error.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace shmviz::core {

inline constexpr unsigned kShmDestBit = 01000;   // SHM_DEST: removal requested, waits for nattch 0
inline constexpr unsigned kShmLockedBit = 02000; // SHM_LOCKED

struct SysvShmRow {
    std::int64_t key = 0; // printed as a signed int by the kernel; 0 is IPC_PRIVATE
    int shmid = -1;
    unsigned perms = 0; // mode bits including SHM_DEST
    std::uint64_t size = 0;
    int cpid = 0;
    int lpid = 0;
    std::uint64_t nattch = 0;
    unsigned uid = 0;
    unsigned gid = 0;
    unsigned cuid = 0;
    unsigned cgid = 0;
    std::int64_t atime = 0;
    std::int64_t dtime = 0;
    std::int64_t ctime = 0;
    std::uint64_t rss = 0;  // bytes resident
    std::uint64_t swap = 0; // bytes swapped
    bool dest() const { return perms & kShmDestBit; }
    std::uint32_t key32() const { return static_cast<std::uint32_t>(key); }
    bool operator==(const SysvShmRow&) const = default;
};

// Parses the whole file: a header line, then one row per segment.
Result<std::vector<SysvShmRow>> parseSysvShm(std::string_view text);

// Reads and parses /proc/sysvipc/shm (or another path, for tests).
Result<std::vector<SysvShmRow>> readSysvShm(const char* path = "/proc/sysvipc/shm");

} // namespace shmviz::core
