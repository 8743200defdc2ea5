#include "gui_harness.h"

#include <stb_image.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace shmviz::test {

bool haveTools(bool needXdotool) {
    if (runShell("command -v xvfb-run >/dev/null 2>&1") != 0)
        return false;
    return !needXdotool || runShell("command -v xdotool >/dev/null 2>&1") == 0;
}

TempDir::TempDir() {
    char pattern[] = "/tmp/shmviz-gui-test-XXXXXX";
    if (const char* made = mkdtemp(pattern))
        m_path = made;
}

TempDir::~TempDir() {
    if (!m_path.empty() && !std::getenv("SHMVIZ_KEEP_TEST_FILES")) {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
}

void TempDir::write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
}

int runShell(const std::string& command) {
    const int status = std::system(command.c_str());
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::vector<nlohmann::json> readJsonLines(const std::string& path) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (!j.contains("drawn")) // one per snapshot drawn, for benchmarks; their number depends on timing
            lines.push_back(std::move(j));
    }
    return lines;
}

bool Image::load(const std::string& path) {
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &width, &height, &channels, 4);
    if (!data)
        return false;
    rgba.assign(data, data + static_cast<std::size_t>(width) * height * 4);
    stbi_image_free(data);
    return true;
}

Image::Pixel Image::at(float x, float y) const {
    const int xi = static_cast<int>(std::floor(x));
    const int yi = static_cast<int>(std::floor(y));
    if (xi < 0 || yi < 0 || xi >= width || yi >= height)
        return {-1, -1, -1};
    const std::size_t i = (static_cast<std::size_t>(yi) * width + xi) * 4;
    return {rgba[i], rgba[i + 1], rgba[i + 2]};
}

} // namespace shmviz::test
