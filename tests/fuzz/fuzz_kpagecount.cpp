// /proc/kpagecount: the input is a list of frame numbers (8 bytes each) followed by what the
// reader returns. Checks that every count lands at its own frame, whatever the order and gaps.
#include "core/kernel/kpagecount.h"

#include <algorithm>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    if (size < 1)
        return 0;
    const std::size_t count = std::min<std::size_t>(data[0], (size - 1) / 8);
    std::vector<std::uint64_t> pfns(count);
    if (count > 0)
        std::memcpy(pfns.data(), data + 1, count * 8);
    const std::uint8_t* rest = data + 1 + count * 8;
    const std::size_t restSize = size - 1 - count * 8;
    std::size_t reads = 0;
    // A short read (the reader fills fewer than asked) is what the kernel does past the last frame.
    auto reader = [&](std::uint64_t first, std::span<std::uint64_t> buffer) -> std::size_t {
        const std::size_t filled = restSize ? rest[reads++ % restSize] % (buffer.size() + 1) : buffer.size();
        for (std::size_t i = 0; i < filled; ++i)
            buffer[i] = first + i; // the count of frame F is F, so the result says where it came from
        return filled;
    };
    const auto counts = gatherKpageCounts(pfns, reader);
    if (counts.size() != pfns.size())
        __builtin_trap();
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] && *counts[i] != pfns[i])
            __builtin_trap();
    return 0;
}
