#pragma once
// Limits the kernel applies to shared memory, read from /proc.
#include <cstdint>
#include <optional>
#include <string>

namespace shmviz::core {

struct HugePageInfo {
    std::uint64_t total = 0;
    std::uint64_t free = 0;
    std::uint64_t sizeBytes = 0;
};

std::optional<std::uint64_t> readShmmax();   // /proc/sys/kernel/shmmax, bytes
std::optional<std::uint64_t> readMemTotal(); // /proc/meminfo MemTotal, bytes
HugePageInfo readHugePages();                // /proc/meminfo HugePages_*, Hugepagesize

// Parses "Key:   1234 kB" style /proc/meminfo text; value in bytes (or a bare count).
std::optional<std::uint64_t> meminfoField(const std::string& text, const std::string& key);

} // namespace shmviz::core
