#include "render/screenshot.h"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace shmviz::render {

core::Status saveFramebufferPng(const std::string& path, int width, int height, core::LinkPolicy links) {
    if (width <= 0 || height <= 0)
        return core::makeError(EINVAL, "The window has no pixels to save.");
    // RGB without alpha and the strongest deflate: figures for the README stay small.
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // GL rows run bottom up, PNG rows top down.
    stbi_flip_vertically_on_write(1);
    stbi_write_png_compression_level = 9;
    std::vector<std::uint8_t> png;
    auto collect = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<std::uint8_t>*>(context);
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        out->insert(out->end(), bytes, bytes + size);
    };
    if (!stbi_write_png_to_func(collect, &png, width, height, 3, pixels.data(), width * 3))
        return core::makeError(ENOMEM, "Could not encode the screenshot " + path + " as PNG (ENOMEM).");
    return core::writeFileAtomically(path, png, links, "the screenshot");
}

} // namespace shmviz::render
