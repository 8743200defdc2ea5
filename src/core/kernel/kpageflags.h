#pragma once
// /proc/kpageflags: one 64-bit word of flags per physical frame
// (Documentation/admin-guide/mm/pagemap.rst, "kpageflags"; include/uapi/linux/kernel-page-flags.h),
// by name. The file is read with KpageCount (the same layout as /proc/kpagecount).
#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::core {

// The documented names of the set bits, lowest first: "ANON", "SWAPBACKED", "LRU", ... A set bit
// without a documented name appears as "BIT<n>".
std::vector<std::string> decodeKpageFlags(std::uint64_t flags);

// One sentence for a student: what the bit says about the frame. Empty for an unknown name.
const char* kpageFlagMeaning(const std::string& name);

} // namespace shmviz::core
