#pragma once
// /proc/kpagecount: one 64-bit count per physical frame, the number of times it is mapped.
// Readable by root only (mode 0400); without it counts are unknown, never guessed.
#include "core/base/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace shmviz::core {

class KpageCount {
  public:
    KpageCount();
    ~KpageCount();
    KpageCount(const KpageCount&) = delete;
    KpageCount& operator=(const KpageCount&) = delete;

    bool readable() const { return m_fd >= 0; }
    const Error& whyUnreadable() const { return m_openError; }

    // Map count per pfn, in the order given; nullopt where a read failed.
    // Neighbouring frames are read together, so a contiguous range costs one pread.
    std::vector<std::optional<std::uint64_t>> counts(std::span<const std::uint64_t> pfns) const;

  private:
    int m_fd = -1;
    Error m_openError;
};

} // namespace shmviz::core
