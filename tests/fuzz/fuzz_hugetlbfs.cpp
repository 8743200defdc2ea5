// /proc/self/mounts text, searched for a hugetlbfs mount (octal escapes in the path decoded).
#include "core/kernel/hugetlbfs.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto mount = shmviz::core::findHugetlbfsMount(shmviz::fuzz::asText(data, size));
    if (mount && (mount->empty() || mount->front() != '/'))
        __builtin_trap(); // a found mount is an absolute path
    return 0;
}
