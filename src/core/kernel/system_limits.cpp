#include "core/kernel/system_limits.h"

#include "core/kernel/file_text.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace shmviz::core {

std::optional<std::uint64_t> meminfoField(const std::string& text, const std::string& key) {
    std::size_t at = 0;
    while ((at = text.find(key + ":", at)) != std::string::npos) {
        if (at == 0 || text[at - 1] == '\n')
            break;
        at += key.size() + 1; // past this match, even for an empty key
    }
    if (at == std::string::npos)
        return std::nullopt;
    // The last line of a file may lack its newline: the line then ends with the text.
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::size_t begin = text.find_first_of("0123456789", at + key.size());
    if (begin == std::string::npos || begin > end)
        return std::nullopt;
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + begin, text.data() + text.size(), value);
    if (ec != std::errc{})
        return std::nullopt;
    std::string_view rest(ptr, static_cast<std::size_t>(text.data() + end - ptr));
    if (rest.find("kB") != std::string_view::npos) {
        if (value > std::numeric_limits<std::uint64_t>::max() / 1024)
            return std::nullopt;
        value *= 1024;
    }
    return value;
}

std::optional<std::uint64_t> readShmmax() {
    auto text = readFileText("/proc/sys/kernel/shmmax");
    if (!text)
        return std::nullopt;
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{})
        return std::nullopt;
    return value;
}

std::optional<std::uint64_t> readMemTotal() {
    auto text = readFileText("/proc/meminfo");
    if (!text)
        return std::nullopt;
    return meminfoField(*text, "MemTotal");
}

HugePageInfo readHugePages() {
    HugePageInfo info;
    auto text = readFileText("/proc/meminfo");
    if (!text)
        return info;
    info.total = meminfoField(*text, "HugePages_Total").value_or(0);
    info.free = meminfoField(*text, "HugePages_Free").value_or(0);
    info.sizeBytes = meminfoField(*text, "Hugepagesize").value_or(0);
    return info;
}

} // namespace shmviz::core
