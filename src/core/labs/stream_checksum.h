#pragma once
// The data ipcbench moves and the checksum that proves it arrived. The stream is a run of 64 KiB
// blocks; block c is a fixed pattern whose first word is stamped with c + 1, so a lost, repeated or
// reordered block changes the checksum. The checksum is Fletcher-style over 64-bit words
// (a += w; b += a), which depends on order; a trailing partial word is zero-padded.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace shmviz::core::labs {

inline constexpr std::size_t kBlockBytes = 64 * 1024;
inline constexpr std::size_t kBlockWords = kBlockBytes / 8;

// One block of the pattern (word 0 left 0 for the stamp).
std::vector<std::uint64_t> makePattern();

// The receiver's running checksum over bytes as they arrive, in pieces of any size.
class StreamChecksum {
  public:
    void feed(const void* data, std::size_t bytes);
    // Adds a whole pattern block with its stamp in O(1), from the pattern's precomputed sums.
    void addPatternBlock(std::uint64_t stamp);
    std::uint64_t value() const;
    std::uint64_t bytes() const { return m_bytes; }

  private:
    void word(std::uint64_t w) {
        m_a += w;
        m_b += m_a;
    }
    std::uint64_t m_a = 0;
    std::uint64_t m_b = 0;
    std::uint64_t m_bytes = 0;
    std::uint64_t m_carry = 0;
    unsigned m_carryBytes = 0;
};

} // namespace shmviz::core::labs
