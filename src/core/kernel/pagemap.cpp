#include "core/kernel/pagemap.h"

#include <cstring>
#include <unistd.h>

namespace shmviz::core {

PageEntry decodePagemapEntry(std::uint64_t raw) {
    PageEntry e;
    e.raw = raw;
    e.present = (raw >> 63) & 1;
    e.swapped = (raw >> 62) & 1;
    e.fileOrSharedAnon = (raw >> 61) & 1;
    e.exclusive = (raw >> 56) & 1;
    e.softDirty = (raw >> 55) & 1;
    e.pfnBits = e.present ? (raw & kPagemapPfnMask) : 0;
    return e;
}

Result<std::vector<std::uint64_t>> parsePagemapBytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() % 8 != 0)
        return makeError(EINVAL, "A pagemap read of " + std::to_string(bytes.size()) +
                                     " bytes is not a whole number of 8-byte entries.");
    std::vector<std::uint64_t> entries(bytes.size() / 8);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::uint64_t v = 0;
        for (int b = 7; b >= 0; --b)
            v = (v << 8) | bytes[i * 8 + b];
        entries[i] = v;
    }
    return entries;
}

Status readPagemapRange(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const std::size_t want = (out.size() - done) * sizeof(std::uint64_t);
        const off_t offset = static_cast<off_t>((firstPage + done) * sizeof(std::uint64_t));
        ssize_t got = pread(fd, out.data() + done, want, offset);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return systemError(errno, "Reading /proc/self/pagemap");
        }
        if (got == 0 || got % 8 != 0)
            return makeError(EIO, "Reading /proc/self/pagemap returned a partial entry.");
        done += static_cast<std::size_t>(got) / 8;
    }
    return Ok{};
}

Status readPagemapPerPage(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i) {
        const off_t offset = static_cast<off_t>((firstPage + i) * sizeof(std::uint64_t));
        if (pread(fd, &out[i], sizeof(std::uint64_t), offset) != sizeof(std::uint64_t))
            return systemError(errno, "Reading /proc/self/pagemap");
    }
    return Ok{};
}

} // namespace shmviz::core
