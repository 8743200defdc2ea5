#pragma once
// Sizes as people type and read them: 16K, 4M, 1G (powers of 1024).
#include "core/base/error.h"
#include "core/base/numbers.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace shmviz::core {

// Parses "4096", "16K", "16k", "4M", "1G", "16KiB". Errors: EINVAL (malformed), ERANGE (overflow).
Result<std::uint64_t> parseSize(std::string_view text);

// "16 KiB", "1 GiB", "4097 bytes".
std::string formatSize(std::uint64_t bytes);

} // namespace shmviz::core
