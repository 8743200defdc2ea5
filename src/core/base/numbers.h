#pragma once
// Numbers as the kernel's text files and the step language write them.
#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shmviz::core {

// Parses an unsigned number in the given base ("0x" prefix allowed for base 16).
Result<std::uint64_t> parseUnsigned(std::string_view text, int base, std::string_view what);

// "0x00007f1234560000"-style hex with a fixed number of digits; digits 0 means minimal.
std::string hex(std::uint64_t value, int digits = 0);

} // namespace shmviz::core
