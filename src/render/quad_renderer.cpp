#include "render/quad_renderer.h"
#include "render/shaders.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace shmviz::render {

QuadRenderer::~QuadRenderer() {
    if (m_buffer)
        glDeleteBuffers(1, &m_buffer);
    if (m_vao)
        glDeleteVertexArrays(1, &m_vao);
}

bool QuadRenderer::init(std::string& error) {
    auto vs = shaderSource("quad.vert");
    auto fs = shaderSource("quad.frag");
    if (!vs || !fs) {
        error = "the quad shaders are missing from the binary";
        return false;
    }
    if (!m_program.build(*vs, *fs, error))
        return false;
    m_windowSizeUniform = m_program.uniform("u_windowSize");

    glGenVertexArrays(1, &m_vao);
    glGenBuffers(1, &m_buffer);
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_buffer);
    constexpr GLsizei stride = sizeof(QuadInstance);
    for (GLuint i = 0; i < 3; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribPointer(
            i, 4, GL_FLOAT, GL_FALSE, stride,
            reinterpret_cast<const void*>(static_cast<std::uintptr_t>(i * 4 * sizeof(float))));
        glVertexAttribDivisor(i, 1);
    }
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return true;
}

void QuadRenderer::draw(const QuadList& quads, const Rect& clip, Vec2 windowSize, Vec2 framebufferSize) {
    if (quads.quads().empty() || !m_program.id() || windowSize.x <= 0 || windowSize.y <= 0)
        return;
    const float sx = framebufferSize.x / windowSize.x;
    const float sy = framebufferSize.y / windowSize.y;
    glViewport(0, 0, static_cast<GLsizei>(framebufferSize.x), static_cast<GLsizei>(framebufferSize.y));
    glEnable(GL_SCISSOR_TEST);
    const auto x0 = static_cast<GLint>(std::floor(std::max(0.0f, clip.x0) * sx));
    const auto y1 = static_cast<GLint>(std::ceil(std::min(windowSize.y, clip.y1) * sy));
    const auto x1 = static_cast<GLint>(std::ceil(std::min(windowSize.x, clip.x1) * sx));
    const auto y0 = static_cast<GLint>(std::floor(std::max(0.0f, clip.y0) * sy));
    glScissor(x0, static_cast<GLint>(framebufferSize.y) - y1, std::max(0, x1 - x0), std::max(0, y1 - y0));
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);

    glUseProgram(m_program.id());
    glUniform2f(m_windowSizeUniform, windowSize.x, windowSize.y);
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_buffer);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(quads.quads().size() * sizeof(QuadInstance)),
                 quads.quads().data(), GL_STREAM_DRAW);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(quads.quads().size()));
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glUseProgram(0);
    glDisable(GL_SCISSOR_TEST);
}

} // namespace shmviz::render
