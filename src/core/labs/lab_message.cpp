#include "core/labs/lab_message.h"

#include <charconv>

namespace shmviz::core::labs {

namespace {

std::optional<std::uint64_t> toNumber(std::string_view text) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return v;
}

} // namespace

std::uint64_t LabMessage::get(std::string_view key, std::uint64_t fallback) const {
    for (auto& [k, v] : fields)
        if (k == key)
            return v;
    return fallback;
}

bool LabMessage::has(std::string_view key) const {
    for (auto& [k, v] : fields)
        if (k == key)
            return true;
    return false;
}

std::optional<LabMessage> parseLabMessage(std::string_view line) {
    LabMessage m;
    std::size_t space = line.find(' ');
    m.verb = std::string(line.substr(0, space));
    if (m.verb.empty())
        return std::nullopt;
    std::string_view rest = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (m.verb == "ready" || m.verb == "holding" || m.verb == "go")
        return rest.empty() ? std::optional(m) : std::nullopt;
    if (m.verb == "progress") {
        m.number = toNumber(rest);
        return m.number ? std::optional(m) : std::nullopt;
    }
    if (m.verb == "error") {
        std::size_t sp = rest.find(' ');
        m.number = toNumber(rest.substr(0, sp));
        if (!m.number || sp == std::string_view::npos)
            return std::nullopt;
        m.text = std::string(rest.substr(sp + 1));
        return m;
    }
    if (m.verb == "result") {
        while (!rest.empty()) {
            std::size_t sp = rest.find(' ');
            std::string_view token = rest.substr(0, sp);
            rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
            std::size_t eq = token.find('=');
            if (eq == 0 || eq == std::string_view::npos)
                return std::nullopt;
            auto v = toNumber(token.substr(eq + 1));
            if (!v)
                return std::nullopt;
            m.fields.emplace_back(std::string(token.substr(0, eq)), *v);
        }
        return m;
    }
    return std::nullopt;
}

std::string formatLabLine(std::string_view verb,
                          std::initializer_list<std::pair<std::string_view, std::uint64_t>> fields) {
    std::string line(verb);
    for (auto& [k, v] : fields) {
        line += ' ';
        line += k;
        line += '=';
        line += std::to_string(v);
    }
    line += '\n';
    return line;
}

} // namespace shmviz::core::labs
