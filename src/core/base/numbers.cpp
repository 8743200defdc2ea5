#include "core/base/numbers.h"

#include <charconv>
#include <cstdio>

namespace shmviz::core {

Result<std::uint64_t> parseUnsigned(std::string_view text, int base, std::string_view what) {
    std::string_view digits = text;
    if (base == 16 && digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        digits.remove_prefix(2);
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size())
        return makeError(EINVAL, std::string(what) + " \"" + std::string(text) + "\" is not a valid number.");
    if (ec == std::errc::result_out_of_range)
        return makeError(ERANGE, std::string(what) + " \"" + std::string(text) + "\" is too large.");
    return value;
}

std::string hex(std::uint64_t value, int digits) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "0x%0*llx", digits, static_cast<unsigned long long>(value));
    return buffer;
}

} // namespace shmviz::core
