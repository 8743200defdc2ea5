#include "render/gl_program.h"
#include "render/shaders.h"

#include <glad/gl.h>

namespace shmviz::render {
namespace {

// True when `status` (GL_COMPILE_STATUS, GL_LINK_STATUS) is set, else the info log in `error`.
bool succeeded(GLuint id, GLenum status, PFNGLGETSHADERIVPROC getStatus, PFNGLGETSHADERINFOLOGPROC getLog,
               const char* what, std::string& error) {
    GLint ok = 0;
    getStatus(id, status, &ok);
    if (ok)
        return true;
    char log[2048] = {};
    getLog(id, sizeof log, nullptr, log);
    error = what + std::string(log);
    return false;
}

GLuint compile(GLenum type, std::string_view source, std::string& error) {
    GLuint shader = glCreateShader(type);
    const char* text = source.data();
    const GLint length = static_cast<GLint>(source.size());
    glShaderSource(shader, 1, &text, &length);
    glCompileShader(shader);
    if (!succeeded(shader, GL_COMPILE_STATUS, glGetShaderiv, glGetShaderInfoLog,
                   type == GL_VERTEX_SHADER ? "vertex shader: " : "fragment shader: ", error)) {
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

} // namespace

std::optional<std::string_view> shaderSource(std::string_view name) {
    for (const EmbeddedFile& file : builtinShaderFiles())
        if (file.name == name)
            return file.contents;
    return std::nullopt;
}

GlProgram::~GlProgram() {
    if (m_id)
        glDeleteProgram(m_id);
}

bool GlProgram::build(std::string_view vertexSource, std::string_view fragmentSource, std::string& error) {
    GLuint vs = compile(GL_VERTEX_SHADER, vertexSource, error);
    if (!vs)
        return false;
    GLuint fs = compile(GL_FRAGMENT_SHADER, fragmentSource, error);
    if (!fs) {
        glDeleteShader(vs);
        return false;
    }
    m_id = glCreateProgram();
    glAttachShader(m_id, vs);
    glAttachShader(m_id, fs);
    glLinkProgram(m_id);
    glDeleteShader(vs);
    glDeleteShader(fs);
    if (!succeeded(m_id, GL_LINK_STATUS, glGetProgramiv, glGetProgramInfoLog, "link: ", error)) {
        glDeleteProgram(m_id);
        m_id = 0;
        return false;
    }
    return true;
}

int GlProgram::uniform(const char* name) const {
    return glGetUniformLocation(m_id, name);
}

} // namespace shmviz::render
