#pragma once
// Saves what the default framebuffer holds now (call after rendering, before swapping) as PNG.
#include "core/base/error.h"

#include <string>

namespace shmviz::render {

core::Status saveFramebufferPng(const std::string& path, int width, int height);

} // namespace shmviz::render
