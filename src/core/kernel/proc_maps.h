#pragma once
// Parser for /proc/PID/maps lines ("start-end perms offset dev inode   path").
#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shmviz::core {

struct MapsLine {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::string perms; // "rw-s"
    std::uint64_t offset = 0;
    std::string device;
    std::uint64_t inode = 0;
    std::string path; // "/SYSV00001234 (deleted)", "/dev/shm/name", "" for anonymous
    std::string text; // the line as the kernel wrote it
};

Result<MapsLine> parseMapsLine(std::string_view line);

// Parses every line; a malformed line makes the whole parse fail with its line number.
Result<std::vector<MapsLine>> parseMaps(std::string_view text);

// The line whose range contains address, or nullptr.
const MapsLine* findMapping(const std::vector<MapsLine>& lines, std::uint64_t address);

} // namespace shmviz::core
