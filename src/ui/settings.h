#pragma once
// What the window remembers between runs: $XDG_CONFIG_HOME/shmviz/settings.ini (or ~/.config).
#include "render/palette.h"

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

// The settings file path; empty when neither XDG_CONFIG_HOME nor HOME is set.
std::string settingsPath();
Settings loadSettings();
void saveSettings(const Settings& settings); // best effort: a read-only home only loses the memory

} // namespace shmviz::ui
