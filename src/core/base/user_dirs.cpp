#include "core/base/user_dirs.h"

#include <cstdlib>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::core {
namespace {

bool isDirectory(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string currentDirectory() {
    char buf[4096];
    return getcwd(buf, sizeof buf) ? std::string(buf) : std::string(".");
}

} // namespace

bool runningPrivileged() {
    return geteuid() == 0 || geteuid() != getuid() || getegid() != getgid() || getauxval(AT_SECURE) != 0;
}

std::optional<std::string> trustedEnv(const char* name) {
    if (runningPrivileged())
        return std::nullopt;
    const char* value = secure_getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

std::optional<std::string> homeDir() {
    if (auto home = trustedEnv("HOME"))
        return home;
    // getpwuid_r with a buffer of its own size: no static state shared with other threads.
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::string buffer(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found ||
        !found->pw_dir || !*found->pw_dir)
        return std::nullopt;
    return std::string(found->pw_dir);
}

std::optional<std::string> configDir() {
    if (auto xdg = trustedEnv("XDG_CONFIG_HOME"); xdg && xdg->front() == '/')
        return xdg;
    if (auto home = homeDir())
        return *home + "/.config";
    return std::nullopt;
}

std::optional<std::string> parseUserDirsPictures(const std::string& text, const std::string& home) {
    std::istringstream lines(text);
    std::string line;
    const std::string prefix = "XDG_PICTURES_DIR=\"";
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) != 0 || line.size() < prefix.size() + 1 || line.back() != '"')
            continue;
        std::string value = line.substr(prefix.size(), line.size() - prefix.size() - 1);
        if (value.rfind("$HOME", 0) == 0)
            value = home + value.substr(5);
        if (value.empty() || value.front() != '/' || value == home || value == home + "/")
            return std::nullopt; // xdg-user-dirs: a dir equal to HOME means "disabled"
        return value;
    }
    return std::nullopt;
}

std::string picturesDir() {
    const std::optional<std::string> home = homeDir();
    if (auto env = trustedEnv("XDG_PICTURES_DIR"); env && env->front() == '/' && isDirectory(*env))
        return *env;
    if (auto config = configDir(); config && home) {
        std::ifstream in(*config + "/user-dirs.dirs");
        std::stringstream text;
        text << in.rdbuf();
        if (auto dir = parseUserDirsPictures(text.str(), *home); dir && isDirectory(*dir))
            return *dir;
    }
    if (home && isDirectory(*home + "/Pictures"))
        return *home + "/Pictures";
    return currentDirectory();
}

} // namespace shmviz::core
