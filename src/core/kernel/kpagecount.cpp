#include "core/kernel/kpagecount.h"

#include <algorithm>
#include <fcntl.h>
#include <limits>
#include <numeric>
#include <string>
#include <unistd.h>

namespace shmviz::core {

KpageCount::KpageCount(const char* path) {
    m_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        m_openError = systemError(errno, std::string("Opening ") + path);
}

KpageCount::~KpageCount() {
    if (m_fd >= 0)
        close(m_fd);
}

std::vector<std::optional<std::uint64_t>> gatherKpageCounts(std::span<const std::uint64_t> pfns,
                                                            const KpageReader& read) {
    std::vector<std::optional<std::uint64_t>> out(pfns.size());
    std::vector<std::size_t> order(pfns.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pfns[a] < pfns[b]; });
    constexpr std::uint64_t kMaxGap = 64;    // read through small holes rather than issue a new pread
    constexpr std::uint64_t kMaxRun = 65536; // 512 KiB per pread at most
    std::vector<std::uint64_t> buffer;
    std::size_t i = 0;
    while (i < order.size()) {
        const std::uint64_t first = pfns[order[i]];
        std::size_t j = i + 1;
        while (j < order.size() && pfns[order[j]] - pfns[order[j - 1]] <= kMaxGap &&
               pfns[order[j]] - first < kMaxRun)
            ++j;
        buffer.assign(pfns[order[j - 1]] - first + 1, 0);
        const std::size_t valid = std::min(read(first, buffer), buffer.size());
        for (std::size_t k = i; k < j; ++k) {
            const std::uint64_t at = pfns[order[k]] - first;
            if (at < valid)
                out[order[k]] = buffer[at];
        }
        i = j;
    }
    return out;
}

std::vector<std::optional<std::uint64_t>> KpageCount::counts(std::span<const std::uint64_t> pfns) const {
    if (m_fd < 0)
        return std::vector<std::optional<std::uint64_t>>(pfns.size());
    return gatherKpageCounts(
        pfns, [this](std::uint64_t first, std::span<std::uint64_t> buffer) -> std::size_t {
            // Each count sits at offset pfn * 8; frames past 2^60 cannot exist and have no offset.
            if (first > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) / 8)
                return 0;
            const ssize_t got =
                pread(m_fd, buffer.data(), buffer.size_bytes(), static_cast<off_t>(first * 8));
            return got > 0 ? static_cast<std::size_t>(got) / 8 : 0;
        });
}

} // namespace shmviz::core
