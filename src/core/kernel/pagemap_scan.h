#pragma once
// The PAGEMAP_SCAN ioctl on /proc/PID/pagemap (Linux 6.7, fs/proc/task_mmu.c): one call answers
// which pages of a range are present or swapped, as ranges, without writing an entry per page.
// Debian 12's kernel headers (6.1) predate it, so its uapi (include/uapi/linux/fs.h) is declared
// here; a kernel without it answers ENOTTY (or EINVAL), and the reader falls back to plain pread.
#include "core/base/error.h"

#include <cstdint>
#include <span>
#include <sys/ioctl.h>
#include <vector>

namespace shmviz::core {

namespace uapi {

// struct page_region: [start, end) with the PAGE_IS_* categories of every page in it.
struct PageRegion {
    std::uint64_t start;
    std::uint64_t end;
    std::uint64_t categories;
};

// struct pm_scan_arg
struct PmScanArg {
    std::uint64_t size; // sizeof(PmScanArg)
    std::uint64_t flags;
    std::uint64_t start;
    std::uint64_t end;
    std::uint64_t walkEnd; // written by the kernel: where the walk stopped
    std::uint64_t vec;     // address of PageRegion[vecLen]
    std::uint64_t vecLen;
    std::uint64_t maxPages;
    std::uint64_t categoryInverted;
    std::uint64_t categoryMask;
    std::uint64_t categoryAnyofMask;
    std::uint64_t returnMask;
};
static_assert(sizeof(PageRegion) == 24 && sizeof(PmScanArg) == 96, "the kernel's uapi layout");

inline constexpr std::uint64_t kPageIsWpAllowed = 1 << 0;
inline constexpr std::uint64_t kPageIsWritten = 1 << 1;
inline constexpr std::uint64_t kPageIsFile = 1 << 2;
inline constexpr std::uint64_t kPageIsPresent = 1 << 3;
inline constexpr std::uint64_t kPageIsSwapped = 1 << 4;
inline constexpr std::uint64_t kPageIsPfnZero = 1 << 5;
inline constexpr std::uint64_t kPageIsHuge = 1 << 6;
inline constexpr std::uint64_t kPageIsSoftDirty = 1 << 7;
inline constexpr std::uint64_t kPmScanWpMatching = 1 << 0;   // PM_SCAN_WP_MATCHING
inline constexpr std::uint64_t kPmScanCheckWpAsync = 1 << 1; // PM_SCAN_CHECK_WPASYNC
inline constexpr unsigned long kPagemapScan = _IOWR('f', 16, PmScanArg);

} // namespace uapi

// Pages [first, first + count) of the range scanned, relative to its first page.
struct MappedRun {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
};

// The runs of pages in [firstPage, firstPage + pages) that are present or swapped (anything with a
// page table entry the kernel reports), in order. ENOTTY or EINVAL: this kernel has no PAGEMAP_SCAN.
// Every region the kernel returns is checked (inside the range, in order, no overlap) and EIO is
// returned for one that is not.
Result<std::vector<MappedRun>> scanMappedRuns(int fd, std::uint64_t firstPage, std::uint64_t pages,
                                              std::uint64_t pageSize);

// How readPagemapEntries reads.
enum class PagemapRead {
    Scan, // PAGEMAP_SCAN first, then pread only where pages are mapped; pread alone without it
    Pread // one pread per range, as before PAGEMAP_SCAN existed
};

// Fills `out` with the entries of [firstPage, firstPage + out.size()). With PagemapRead::Scan the
// entries of runs with no page table entry are not read one by one: the kernel writes the same
// value for every such page of one mapping (0, or bit 55 when the mapping is soft-dirty;
// pagemap_pte_hole and pte_to_pagemap_entry in fs/proc/task_mmu.c), so the first and last entry
// of each such run are read and, when they agree, stand for the run; otherwise the run is read.
// Sets `scanned` to whether PAGEMAP_SCAN answered (false: it fell back to pread).
Status readPagemapEntries(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out,
                          std::uint64_t pageSize, PagemapRead how, bool* scanned = nullptr);

} // namespace shmviz::core
