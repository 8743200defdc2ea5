#pragma once
// A file compiled into the binary at build time (lessons, shaders).
#include <span>
#include <string_view>

namespace shmviz {

struct EmbeddedFile {
    std::string_view name;
    std::string_view contents;
};

} // namespace shmviz
