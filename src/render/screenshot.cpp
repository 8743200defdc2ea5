#include "render/screenshot.h"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace shmviz::render {

core::Status saveFramebufferPng(const std::string& path, int width, int height) {
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
    const std::string tmp = path + ".tmp";
    if (!stbi_write_png(tmp.c_str(), width, height, 3, pixels.data(), width * 3))
        return core::makeError(EIO, "Could not write the screenshot " + path + ".");
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        return core::systemError(errno, "Saving the screenshot " + path);
    return core::Ok{};
}

} // namespace shmviz::render
