#include "core/steps/units.h"

#include <cctype>

namespace shmviz::core {

Result<std::uint64_t> parseSize(std::string_view text) {
    std::size_t split = 0;
    while (split < text.size() && std::isdigit(static_cast<unsigned char>(text[split])))
        ++split;
    std::string_view number = text.substr(0, split);
    std::string suffix;
    for (char c : text.substr(split))
        suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    int shift = -1;
    if (suffix.empty() || suffix == "B")
        shift = 0;
    else if (suffix == "K" || suffix == "KB" || suffix == "KIB")
        shift = 10;
    else if (suffix == "M" || suffix == "MB" || suffix == "MIB")
        shift = 20;
    else if (suffix == "G" || suffix == "GB" || suffix == "GIB")
        shift = 30;
    if (number.empty() || shift < 0)
        return makeError(EINVAL, "Size \"" + std::string(text) +
                                     "\" is not a size: use bytes or a K, M or G suffix, as in 16K.");
    auto value = parseUnsigned(number, 10, "Size");
    if (!value)
        return value.error();
    if (*value > (UINT64_MAX >> shift))
        return makeError(ERANGE, "Size \"" + std::string(text) + "\" is too large.");
    return *value << shift;
}

std::string formatSize(std::uint64_t bytes) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024 || bytes % 1024 != 0)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    std::uint64_t value = bytes / 1024;
    int unit = 0;
    while (unit < 3 && value % 1024 == 0 && value >= 1024) {
        value /= 1024;
        ++unit;
    }
    return std::to_string(value) + " " + kUnits[unit];
}

} // namespace shmviz::core
