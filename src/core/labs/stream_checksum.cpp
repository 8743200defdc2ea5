#include "core/labs/stream_checksum.h"

#include <cstring>

namespace shmviz::core::labs {

namespace {

std::uint64_t patternWord(std::size_t i) {
    return (i + 1) * 0x9E3779B97F4A7C15ull ^ (i << 17);
}

struct PatternSums {
    std::uint64_t a = 0; // sum of words 1..n-1
    std::uint64_t b = 0; // sum of (n - i) * w_i
};

const PatternSums& patternSums() {
    static const PatternSums sums = [] {
        PatternSums s;
        for (std::size_t i = 1; i < kBlockWords; ++i) {
            s.a += patternWord(i);
            s.b += (kBlockWords - i) * patternWord(i);
        }
        return s;
    }();
    return sums;
}

} // namespace

std::vector<std::uint64_t> makePattern() {
    std::vector<std::uint64_t> words(kBlockWords);
    words[0] = 0;
    for (std::size_t i = 1; i < kBlockWords; ++i)
        words[i] = patternWord(i);
    return words;
}

void StreamChecksum::feed(const void* data, std::size_t bytes) {
    auto p = static_cast<const unsigned char*>(data);
    m_bytes += bytes;
    while (m_carryBytes != 0 && bytes > 0) {
        m_carry |= static_cast<std::uint64_t>(*p++) << (8 * m_carryBytes);
        --bytes;
        if (++m_carryBytes == 8) {
            word(m_carry);
            m_carry = 0;
            m_carryBytes = 0;
        }
    }
    // Two independent lanes would be faster, but a single chain at ~1 word per cycle already outruns
    // every transport measured here.
    std::uint64_t a = m_a, b = m_b;
    while (bytes >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        a += w;
        b += a;
        p += 8;
        bytes -= 8;
    }
    m_a = a;
    m_b = b;
    while (bytes > 0) {
        m_carry |= static_cast<std::uint64_t>(*p++) << (8 * m_carryBytes);
        ++m_carryBytes;
        --bytes;
    }
}

void StreamChecksum::addPatternBlock(std::uint64_t stamp) {
    // Over n words: b' = b + n*a + sum (n - i) w_i, a' = a + sum w_i; the stamp is word 0 (weight n).
    const PatternSums& s = patternSums();
    m_b += kBlockWords * m_a + s.b + kBlockWords * stamp;
    m_a += s.a + stamp;
    m_bytes += kBlockBytes;
}

std::uint64_t StreamChecksum::value() const {
    std::uint64_t a = m_a, b = m_b;
    if (m_carryBytes != 0) {
        a += m_carry;
        b += a;
    }
    return b ^ (a << 32 | a >> 32);
}

} // namespace shmviz::core::labs
