#pragma once
// Where the app reads and writes the user's files, and which environment it may trust.
// When it runs with privileges (root, setuid/setgid, or file capabilities: AT_SECURE), the
// environment may belong to another user (sudo keeps HOME and XDG_* by default on many
// systems), so homes and config dirs come from the password entry of the effective uid and no
// environment variable names a program to run or a place to write.
#include <optional>
#include <string>

namespace shmviz::core {

// True for euid 0, euid != uid, egid != gid, or a secure-execution start (getauxval(AT_SECURE)).
bool runningPrivileged();

// The value of `name`, or nullopt when it is unset, empty, or the app runs privileged.
std::optional<std::string> trustedEnv(const char* name);

// The effective user's home: $HOME when unprivileged, else getpwuid(geteuid())->pw_dir.
std::optional<std::string> homeDir();

// $XDG_CONFIG_HOME (absolute paths only, per the XDG Base Directory spec) or HOME/.config.
std::optional<std::string> configDir();

// Where F12 puts screenshots: XDG_PICTURES_DIR (the environment, else user-dirs.dirs in the
// config dir), else HOME/Pictures when it exists, else the current directory. Absolute.
std::string picturesDir();

// Reads XDG_PICTURES_DIR="$HOME/Pictures" style lines of user-dirs.dirs (xdg-user-dirs(1)).
std::optional<std::string> parseUserDirsPictures(const std::string& text, const std::string& home);

} // namespace shmviz::core
