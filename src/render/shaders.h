#pragma once
// The GLSL sources in shaders/, compiled into the binary at build time.
#include "core/base/embedded_file.h"

#include <optional>
#include <string_view>

namespace shmviz {
std::span<const EmbeddedFile> builtinShaderFiles();
}

namespace shmviz::render {
std::optional<std::string_view> shaderSource(std::string_view name);
}
