#pragma once
// Sizes as people type and read them: 16K, 4M, 1G (powers of 1024).
#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shmviz::core {

// Parses "4096", "16K", "16k", "4M", "1G", "16KiB". Errors: EINVAL (malformed), ERANGE (overflow).
Result<std::uint64_t> parseSize(std::string_view text);

// Parses an unsigned number in the given base ("0x" prefix allowed for base 16).
Result<std::uint64_t> parseUnsigned(std::string_view text, int base, std::string_view what);

// "16 KiB", "1 GiB", "4097 bytes".
std::string formatSize(std::uint64_t bytes);

// "0x00007f1234560000"-style hex with a fixed number of digits; digits 0 means minimal.
std::string hex(std::uint64_t value, int digits = 0);

} // namespace shmviz::core
