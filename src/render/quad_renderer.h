#pragma once
// Draws a QuadList with one instanced call (shaders/quad.vert, quad.frag). Render thread only.
#include "render/gl_program.h"
#include "render/quad_list.h"

#include <string>

namespace shmviz::render {

class QuadRenderer {
  public:
    QuadRenderer() = default;
    ~QuadRenderer();
    QuadRenderer(const QuadRenderer&) = delete;
    QuadRenderer& operator=(const QuadRenderer&) = delete;

    // Needs a current context with GL loaded. False with `error` set when the shaders fail.
    bool init(std::string& error);
    // `clip` in window pixels; window and framebuffer sizes convert to framebuffer pixels.
    void draw(const QuadList& quads, const Rect& clip, Vec2 windowSize, Vec2 framebufferSize);

  private:
    GlProgram m_program;
    unsigned m_vao = 0;
    unsigned m_buffer = 0;
    int m_windowSizeUniform = -1;
};

} // namespace shmviz::render
