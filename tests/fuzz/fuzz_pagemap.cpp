// /proc/PID/pagemap bytes: split into entries and every entry decoded.
#include "core/kernel/pagemap.h"

#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    auto entries = parsePagemapBytes(std::span(data, size));
    if (entries)
        for (std::uint64_t raw : *entries) {
            const PageEntry e = decodePagemapEntry(raw);
            if (e.pfnBits & ~kPagemapPfnMask)
                __builtin_trap(); // a frame number wider than 55 bits would be a decoding bug
        }
    return 0;
}
