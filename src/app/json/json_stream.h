#pragma once
// The RapidJSON output stream and the small value helpers shared by the writer's files.
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>
#include <type_traits>

namespace shmviz::app::json {

// Buffers writes to a FILE*; RapidJSON's Writer calls Put for every byte.
class FileStream {
  public:
    using Ch = char;
    explicit FileStream(std::FILE* out) : m_out(out) {}
    ~FileStream() { Flush(); }
    FileStream(const FileStream&) = delete;
    FileStream& operator=(const FileStream&) = delete;
    void Put(char c) {
        if (m_used == sizeof m_buffer)
            Flush();
        m_buffer[m_used++] = c;
    }
    void Write(std::string_view bytes) {
        if (m_used + bytes.size() > sizeof m_buffer)
            Flush();
        if (bytes.size() > sizeof m_buffer) {
            std::fwrite(bytes.data(), 1, bytes.size(), m_out);
            return;
        }
        std::memcpy(m_buffer + m_used, bytes.data(), bytes.size());
        m_used += bytes.size();
    }
    void Flush() {
        if (m_used)
            std::fwrite(m_buffer, 1, m_used, m_out);
        m_used = 0;
    }

  private:
    std::FILE* m_out;
    std::size_t m_used = 0;
    char m_buffer[1 << 16];
};

// RapidJSON's Writer, which escapes a string byte by byte. A 1 GiB x 8 snapshot writes two million
// page objects of fixed ASCII keys and hex numbers; those are copied whole instead.
class Writer : public rapidjson::Writer<FileStream> {
  public:
    using rapidjson::Writer<FileStream>::Writer;
    // A key or string value with nothing to escape (printable ASCII, no quote or backslash).
    void PlainString(std::string_view s) {
        Prefix(rapidjson::kStringType);
        os_->Put('"');
        os_->Write(s);
        os_->Put('"');
        EndValue(true);
    }
    // A whole value already formatted as JSON (RawText), copied as it is.
    void PlainValue(rapidjson::Type type, std::string_view json) {
        Prefix(type);
        os_->Write(json);
        EndValue(true);
    }
};

// Whether `s` can be written as it is between quotes.
inline bool plainAscii(std::string_view s) {
    for (const char c : s)
        if (const auto u = static_cast<unsigned char>(c); u < 0x20 || u >= 0x7f || c == '"' || c == '\\')
            return false;
    return true;
}

// A string, with bytes that are not valid UTF-8 replaced by U+FFFD.
void string(Writer& w, std::string_view s);
void key(Writer& w, std::string_view k);
// "0x..." with at least `digits` hex digits.
void hex(Writer& w, std::uint64_t value, int digits = 0);
// A finite double, or null.
void number(Writer& w, double v);
// A small parsed value (a step's data fields), keys in nlohmann's sorted order.
void value(Writer& w, const nlohmann::json& j);

// "k": v, for a number, a bool or a string.
template <typename T> void field(Writer& w, std::string_view k, const T& v) {
    key(w, k);
    if constexpr (std::is_same_v<T, bool>)
        w.Bool(v);
    else if constexpr (std::is_floating_point_v<T>)
        number(w, v);
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
        w.Int64(v);
    else if constexpr (std::is_integral_v<T>)
        w.Uint64(v);
    else
        string(w, std::string_view(v));
}

} // namespace shmviz::app::json
