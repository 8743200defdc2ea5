#pragma once
// The text lines a lab worker and the app exchange on the worker's control socket, one per line:
//   worker -> app: ready | progress DONE | holding | result key=value... | error ERRNO sentence
//   app -> worker: go
// Values are unsigned integers (counts, nanoseconds, microseconds, checksums). Parsing does no I/O.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shmviz::core::labs {

struct LabMessage {
    std::string verb;
    std::vector<std::pair<std::string, std::uint64_t>> fields; // result key=value pairs
    std::optional<std::uint64_t> number;                       // progress DONE, error ERRNO
    std::string text;                                          // error sentence

    std::uint64_t get(std::string_view key, std::uint64_t fallback = 0) const;
    bool has(std::string_view key) const;
};

// Parses one line without its newline. nullopt for an empty or malformed line.
std::optional<LabMessage> parseLabMessage(std::string_view line);

// "result a=1 b=2\n"
std::string formatLabLine(std::string_view verb,
                          std::initializer_list<std::pair<std::string_view, std::uint64_t>> fields);

} // namespace shmviz::core::labs
