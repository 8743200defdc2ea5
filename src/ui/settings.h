#pragma once
// What the window remembers between runs: CONFIG/shmviz/settings.ini, CONFIG from core::configDir()
// ($XDG_CONFIG_HOME or ~/.config; the effective user's home when privileged).
#include "core/base/error.h"
#include "render/palette.h"

#include <optional>
#include <string>
#include <string_view>

namespace shmviz::ui {

struct Settings {
    int width = 1600;
    int height = 900;
    render::ThemeKind theme = render::ThemeKind::Dark;
    float zoom = 1.0f; // the user's UI zoom on top of the monitor's content scale
};

Settings parseSettings(std::string_view text);
std::string formatSettings(const Settings& settings);

// The settings file: DIR/settings.ini for --config-dir DIR, else CONFIG/shmviz/settings.ini;
// empty when no config dir is known.
std::string settingsPath(const std::optional<std::string>& configDirOverride = std::nullopt);
Settings loadSettings(const std::string& path);
// Written atomically, never through a link (core/base/safe_file.h). A failure only loses the memory.
core::Status saveSettings(const Settings& settings, const std::string& path);

} // namespace shmviz::ui
