#pragma once
// Where huge-page-backed files can live: a mounted hugetlbfs (Documentation/admin-guide/mm/hugetlbpage.rst).
// Files there are backed by huge pages from the pool vm.nr_hugepages reserves; their sizes and
// mmap lengths must be multiples of the huge page size.
#include <optional>
#include <string>
#include <string_view>

namespace shmviz::core {

// The mount point of the first hugetlbfs in /proc/mounts text, or nullopt. Octal escapes in the
// path (\040 for a space) are decoded.
std::optional<std::string> findHugetlbfsMount(std::string_view mountsText);

// Reads /proc/mounts.
std::optional<std::string> readHugetlbfsMount();

inline constexpr const char* kMountHugetlbfsCommand = "sudo mount -t hugetlbfs none /dev/hugepages";

} // namespace shmviz::core
