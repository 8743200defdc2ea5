#include "core/kernel/hugetlbfs.h"

#include "core/base/text_lines.h"
#include "core/kernel/file_text.h"

namespace shmviz::core {

namespace {

std::string unescapeMountField(std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() &&
            field.substr(i + 1, 3).find_first_not_of("01234567") == std::string_view::npos) {
            out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                            (field[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(field[i]);
        }
    }
    return out;
}

} // namespace

std::optional<std::string> findHugetlbfsMount(std::string_view text) {
    while (!text.empty()) {
        const std::string_view line = takeLine(text);
        // device mountpoint fstype options dump pass
        const std::size_t a = line.find(' ');
        if (a == std::string_view::npos)
            continue;
        const std::size_t b = line.find(' ', a + 1);
        if (b == std::string_view::npos)
            continue;
        const std::size_t c = line.find(' ', b + 1);
        std::string_view type =
            line.substr(b + 1, c == std::string_view::npos ? std::string_view::npos : c - b - 1);
        if (type != "hugetlbfs")
            continue;
        // The kernel writes absolute mount points; anything else ("" from two spaces) is no place
        // to create files (the session would put them at "/NAME").
        std::string mountPoint = unescapeMountField(line.substr(a + 1, b - a - 1));
        if (!mountPoint.empty() && mountPoint.front() == '/')
            return mountPoint;
    }
    return std::nullopt;
}

std::optional<std::string> readHugetlbfsMount() {
    auto text = readFileText("/proc/mounts");
    if (!text)
        return std::nullopt;
    return findHugetlbfsMount(*text);
}

} // namespace shmviz::core
