#pragma once
// Helpers shared by the fuzz targets: the input as text, or split into a short selector and the rest.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shmviz::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace shmviz::fuzz
