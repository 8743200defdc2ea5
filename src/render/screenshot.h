#pragma once
// Saves what the default framebuffer holds now (call after rendering, before swapping) as PNG.
#include "core/base/safe_file.h"

#include <string>

namespace shmviz::render {

// Written atomically with core::writeFileAtomically; `links` says whether the user named `path`.
core::Status saveFramebufferPng(const std::string& path, int width, int height, core::LinkPolicy links);

} // namespace shmviz::render
