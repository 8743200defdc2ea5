#pragma once
// A linked GLSL program. Needs a current GL context (render thread only).
#include <string>
#include <string_view>

namespace shmviz::render {

class GlProgram {
  public:
    GlProgram() = default;
    ~GlProgram();
    GlProgram(const GlProgram&) = delete;
    GlProgram& operator=(const GlProgram&) = delete;

    // Compiles and links; on failure returns false and puts the driver's info log in `error`.
    bool build(std::string_view vertexSource, std::string_view fragmentSource, std::string& error);
    unsigned id() const { return m_id; }
    int uniform(const char* name) const;

  private:
    unsigned m_id = 0;
};

} // namespace shmviz::render
