#include "ui/settings.h"

#include "core/base/safe_file.h"
#include "core/base/text_lines.h"
#include "core/base/user_dirs.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace shmviz::ui {
namespace {

using core::trim;

template <class T> void parseNumber(std::string_view text, T& out, T lo, T hi) {
    T value{};
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size())
        out = std::clamp(value, lo, hi);
}

} // namespace

Settings parseSettings(std::string_view text) {
    Settings s;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos)
            continue;
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (key == "width")
            parseNumber(value, s.width, 320, 16384);
        else if (key == "height")
            parseNumber(value, s.height, 240, 16384);
        else if (key == "zoom")
            parseNumber(value, s.zoom, 0.5f, 3.0f);
        else if (key == "theme")
            s.theme = value == "light" ? render::ThemeKind::Light : render::ThemeKind::Dark;
    }
    return s;
}

std::string formatSettings(const Settings& s) {
    std::ostringstream out;
    out << "# shmviz remembers these between runs\n"
        << "width = " << s.width << "\nheight = " << s.height
        << "\ntheme = " << (s.theme == render::ThemeKind::Light ? "light" : "dark") << "\nzoom = " << s.zoom
        << "\n";
    return out.str();
}

std::string settingsPath(const std::optional<std::string>& configDirOverride) {
    if (configDirOverride)
        return *configDirOverride + "/settings.ini";
    const std::optional<std::string> dir = core::configDir();
    return dir ? *dir + "/shmviz/settings.ini" : std::string();
}

Settings loadSettings(const std::string& path) {
    std::ifstream in(path);
    if (path.empty() || !in)
        return {};
    std::stringstream text;
    text << in.rdbuf();
    return parseSettings(text.str());
}

core::Status saveSettings(const Settings& settings, const std::string& path) {
    if (path.empty())
        return core::makeError(ENOENT, "Did not save the settings: no home directory is known (ENOENT).");
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    return core::writeFileAtomically(path, formatSettings(settings), core::LinkPolicy::Refuse,
                                     "the settings");
}

} // namespace shmviz::ui
