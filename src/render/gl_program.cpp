#include "render/gl_program.h"
#include "render/shaders.h"

#include <glad/gl.h>

namespace shmviz::render {
namespace {

GLuint compile(GLenum type, std::string_view source, std::string& error) {
    GLuint shader = glCreateShader(type);
    const char* text = source.data();
    const GLint length = static_cast<GLint>(source.size());
    glShaderSource(shader, 1, &text, &length);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        error = std::string(type == GL_VERTEX_SHADER ? "vertex shader: " : "fragment shader: ") + log;
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
    GLint ok = 0;
    glGetProgramiv(m_id, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048] = {};
        glGetProgramInfoLog(m_id, sizeof log, nullptr, log);
        error = std::string("link: ") + log;
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
