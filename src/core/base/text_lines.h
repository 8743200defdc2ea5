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

} // namespace shmviz::core
