#pragma once
// How an x86-64 MMU finds a frame: the virtual address split into one index per page-table level
// (Intel SDM vol. 3A, 4.5 "4-level and 5-level paging"; Linux: Documentation/arch/x86/x86_64/mm.rst).
// Each index picks one 8-byte entry out of a 512-entry table; the entry names the next table.
// All of this is computed from the address alone. The tables' contents are kernel memory that no
// user-space file shows, except the last entry, which /proc/PID/pagemap reports.
#include "core/base/error.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace shmviz::core {

struct PagingMode {
    int levels = 4;       // 5 when the kernel runs 5-level paging
    bool la57 = false;    // "la57" in the cpuinfo flags: the kernel turned 5-level paging on
    int virtualBits = 0;  // the CPU's virtual address width ("address sizes"); 0 when not shown
    int physicalBits = 0; // the CPU's physical address width; 0 when not shown
    bool operator==(const PagingMode&) const = default;
};

// Reads the first processor's "flags" and "address sizes" lines. The kernel clears la57 from the
// flags when it does not use 5-level paging, even on a CPU that could (arch/x86/kernel/cpu/common.c).
Result<PagingMode> parseCpuinfoPaging(std::string_view cpuinfo);
Result<PagingMode> readPagingMode();

struct WalkLevel {
    const char* linuxName; // "PGD", "P4D", "PUD", "PMD", "PTE"
    const char* intelName; // "PML5", "PML4", "PDPT", "PD", "PT"
    int highBit = 0;       // the index is bits highBit..lowBit of the address
    int lowBit = 0;
    unsigned index = 0; // 0..511
    bool operator==(const WalkLevel&) const = default;
};

struct AddressSplit {
    std::vector<WalkLevel> levels; // top table first; the last one holds the leaf entry
    int offsetBits = 12;           // the low bits that are the byte offset inside the page
    std::uint64_t offset = 0;
};

// Splits va for a walk of `levels` (4 or 5) that ends at a page of pageBytes (4 KiB, 2 MiB or
// 1 GiB: a 2 MiB huge page's entry sits in the PMD, one level early; 1 GiB in the PUD).
AddressSplit splitAddress(std::uint64_t va, int levels, std::uint64_t pageBytes);

} // namespace shmviz::core
