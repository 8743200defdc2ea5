#include "app/json/json_stream.h"

#include "app/json/raw_text.h"

#include <cmath>
#include <string>

namespace shmviz::app::json {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629: no overlongs, surrogates or > U+10FFFF).
std::size_t utf8Length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 2 && c < 0xc2))
        return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
            return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
    if ((n == 3 && c == 0xe0 && c1 < 0xa0) || (n == 3 && c == 0xed && c1 >= 0xa0) ||
        (n == 4 && c == 0xf0 && c1 < 0x90) || (n == 4 && (c > 0xf4 || (c == 0xf4 && c1 >= 0x90))))
        return 0;
    return n;
}

} // namespace

void string(Writer& w, std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80)
        ++i;
    if (i == s.size()) {
        if (plainAscii(s))
            w.PlainString(s);
        else
            w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
        return;
    }
    std::string clean(s.substr(0, i));
    while (i < s.size()) {
        const std::size_t n = utf8Length(s, i);
        if (n == 0) {
            clean += "\xef\xbf\xbd";
            ++i;
            continue;
        }
        clean.append(s.substr(i, n));
        i += n;
    }
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void key(Writer& w, std::string_view k) {
    if (plainAscii(k))
        w.PlainString(k);
    else
        string(w, k); // a key is a string: bytes that are not UTF-8 become U+FFFD there too
}

void hex(Writer& w, std::uint64_t value, int digits) {
    w.PlainString(RawText().hex(value, digits).view());
}

void number(Writer& w, double v) {
    if (std::isfinite(v))
        w.Double(v);
    else
        w.Null();
}

void value(Writer& w, const nlohmann::json& j) {
    switch (j.type()) {
    case nlohmann::json::value_t::object:
        w.StartObject();
        for (const auto& [k, v] : j.items()) {
            key(w, k);
            value(w, v);
        }
        w.EndObject();
        return;
    case nlohmann::json::value_t::array:
        w.StartArray();
        for (const nlohmann::json& v : j)
            value(w, v);
        w.EndArray();
        return;
    case nlohmann::json::value_t::string:
        string(w, j.get_ref<const std::string&>());
        return;
    case nlohmann::json::value_t::boolean:
        w.Bool(j.get<bool>());
        return;
    case nlohmann::json::value_t::number_integer:
        w.Int64(j.get<std::int64_t>());
        return;
    case nlohmann::json::value_t::number_unsigned:
        w.Uint64(j.get<std::uint64_t>());
        return;
    case nlohmann::json::value_t::number_float:
        number(w, j.get<double>());
        return;
    default:
        w.Null();
        return;
    }
}

} // namespace shmviz::app::json
