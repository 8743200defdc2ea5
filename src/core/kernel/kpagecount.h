#pragma once
// /proc/kpagecount: one 64-bit count per physical frame, the number of times it is mapped; and
// /proc/kpageflags, one 64-bit word of flags per frame, read the same way
// (Documentation/admin-guide/mm/pagemap.rst). Readable by root only (mode 0400); without it
// counts and flags are unknown, never guessed.
#include "core/base/error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace shmviz::core {

// Reads the counts of frames [first, first + buffer.size()) into buffer; returns how many
// leading entries it filled (0 when the read failed).
using KpageReader = std::function<std::size_t(std::uint64_t first, std::span<std::uint64_t> buffer)>;

// Map count per pfn, in the order given; nullopt where the reader did not fill it.
// Neighbouring frames are read together, so a contiguous range costs one read. No I/O itself.
std::vector<std::optional<std::uint64_t>> gatherKpageCounts(std::span<const std::uint64_t> pfns,
                                                            const KpageReader& read);

class KpageCount {
  public:
    explicit KpageCount(const char* path = "/proc/kpagecount");
    ~KpageCount();
    KpageCount(const KpageCount&) = delete;
    KpageCount& operator=(const KpageCount&) = delete;

    bool readable() const { return m_fd >= 0; }
    const Error& whyUnreadable() const { return m_openError; }

    // The word per pfn (a map count, or flags), in the order given; nullopt where a read failed.
    // Neighbouring frames are read together, so a contiguous range costs one pread.
    std::vector<std::optional<std::uint64_t>> counts(std::span<const std::uint64_t> pfns) const;

  private:
    int m_fd = -1;
    Error m_openError;
};

// /proc/kpageflags bits for compound pages: a huge page is one head frame and its tails.
inline constexpr int kKpfCompoundHead = 15;
inline constexpr int kKpfCompoundTail = 16;
inline constexpr int kKpfHuge = 17;

} // namespace shmviz::core
