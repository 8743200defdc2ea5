#pragma once
// Runs the real shmviz binary under Xvfb and reads back what it wrote.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::test {

// True when xvfb-run (and, if asked, xdotool) are on PATH.
bool haveTools(bool needXdotool);

// A fresh directory under /tmp, removed by the destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }
    void write(const std::string& name, const std::string& text) const;

  private:
    std::string m_path;
};

// Runs a shell command; returns its exit status (or -1).
int runShell(const std::string& command);

std::string quoted(const std::string& s);

// The lines of a JSON-lines file (a trace), without the "drawn" ones (one per snapshot drawn; how many
// depends on timing).
std::vector<nlohmann::json> readJsonLines(const std::string& path);

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;
    bool load(const std::string& path);
    struct Pixel {
        int r, g, b;
    };
    Pixel at(float x, float y) const;
};

} // namespace shmviz::test
