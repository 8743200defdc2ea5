#pragma once
// A JSON fragment made of fixed ASCII text and numbers, built in a buffer of its own and written
// whole: the page and run objects of a large snapshot (two million at 1 GiB x 8) take this path
// instead of a Writer call per key and value.
#include <rapidjson/internal/itoa.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace shmviz::app::json {

class RawText {
  public:
    // Text with nothing to escape: a literal key or punctuation.
    RawText& add(std::string_view text) {
        std::memcpy(m_text.data() + m_used, text.data(), text.size());
        m_used += text.size();
        return *this;
    }
    RawText& decimal(std::uint64_t value) {
        m_used = static_cast<std::size_t>(rapidjson::internal::u64toa(value, m_text.data() + m_used) -
                                          m_text.data());
        return *this;
    }
    RawText& boolean(bool value) { return add(value ? "true" : "false"); }
    // 0x and at least `digits` hex digits, no quotes.
    RawText& hex(std::uint64_t value, int digits = 0) {
        static constexpr char kDigits[] = "0123456789abcdef";
        int used = 1;
        while (used < 16 && (value >> (4 * used)) != 0)
            ++used;
        if (digits > used)
            used = digits;
        add("0x");
        for (int i = 0; i < used; ++i)
            m_text[m_used + static_cast<std::size_t>(used - 1 - i)] = kDigits[(value >> (4 * i)) & 0xf];
        m_used += static_cast<std::size_t>(used);
        return *this;
    }
    std::string_view view() const { return {m_text.data(), m_used}; }

  private:
    std::array<char, 512> m_text{}; // a page object is under 250 bytes
    std::size_t m_used = 0;
};

} // namespace shmviz::app::json
