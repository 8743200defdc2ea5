#pragma once
// /proc/PID/pagemap: one 64-bit entry per virtual page (Documentation/admin-guide/mm/pagemap.rst).
//   bits 0-54  frame number when present (zero unless the opener held CAP_SYS_ADMIN)
//   bits 0-4   swap type, 5-54 swap offset when swapped
//   bit 55     soft-dirty       bit 56  page exclusively mapped (since 4.2)
//   bit 61     file page or shared anonymous   bit 62  swapped   bit 63  present
#include "core/base/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace shmviz::core {

struct PageEntry {
    std::uint64_t raw = 0;
    bool present = false;
    bool swapped = false;
    bool exclusive = false;
    bool fileOrSharedAnon = false;
    bool softDirty = false;
    std::uint64_t pfnBits = 0; // bits 0-54 as the kernel gave them; zero when hidden or not present
};

inline constexpr std::uint64_t kPagemapPfnMask = (std::uint64_t{1} << 55) - 1;

PageEntry decodePagemapEntry(std::uint64_t raw);

// Decodes little-endian 8-byte entries; bytes.size() must be a multiple of 8.
Result<std::vector<std::uint64_t>> parsePagemapBytes(std::span<const std::uint8_t> bytes);

// Reads the entries for [firstPage, firstPage + count) of an open pagemap fd in as few
// preads as the kernel allows (it returns at most what fits its internal buffer per call).
Status readPagemapRange(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out);

// The slow way, one pread per page; exists so the benchmark can measure the difference.
Status readPagemapPerPage(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out);

} // namespace shmviz::core
