#pragma once
#include <string_view>

namespace shmviz::core {

// Takes the first line off `rest` and returns it without its '\n'; a last line without one counts.
// Loop `while (!rest.empty())` to visit every line of a /proc file.
inline std::string_view takeLine(std::string_view& rest) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    return line;
}

// `s` without the spaces and tabs around it (and a '\r' at the end, from a file edited elsewhere).
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace shmviz::core
