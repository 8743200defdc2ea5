#include "core/session/name_json.h"

namespace shmviz::core {

namespace {

// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no surrogates,
// at most U+10FFFF), or 0 if it is not one.
std::size_t utf8SequenceLength(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
    const unsigned char c = b(0);
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2) || (c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3) || (c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

bool validUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8SequenceLength(s.substr(i));
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

} // namespace

std::string posixNameText(std::string_view name) {
    std::string text;
    for (std::size_t i = 0; i < name.size();) {
        const std::size_t n = utf8SequenceLength(name.substr(i));
        if (n == 0) {
            text += "\xEF\xBF\xBD"; // U+FFFD
            ++i;
            continue;
        }
        text.append(name.substr(i, n));
        i += n;
    }
    return text;
}

std::string posixNameHex(std::string_view name) {
    if (validUtf8(name))
        return {};
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : name) {
        hex.push_back(kDigits[c >> 4]);
        hex.push_back(kDigits[c & 15]);
    }
    return hex;
}

void putPosixName(nlohmann::json& j, std::string_view name) {
    j["name"] = posixNameText(name);
    if (std::string hex = posixNameHex(name); !hex.empty())
        j["name_hex"] = hex;
}

} // namespace shmviz::core
