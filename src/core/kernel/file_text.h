#pragma once
#include "core/base/error.h"

#include <string>

namespace shmviz::core {

// Reads a whole file, including procfs files whose stat size is 0.
Result<std::string> readFileText(const std::string& path);

} // namespace shmviz::core
