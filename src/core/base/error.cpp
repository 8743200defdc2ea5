#include "core/base/error.h"

#include <cstring>

namespace shmviz::core {

std::string errnoName(int err) {
    if (const char* name = strerrorname_np(err))
        return name;
    return "E" + std::to_string(err);
}

Error systemError(int err, const std::string& doing) {
    std::string text = strerror(err);
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return Error{err, doing + " failed: " + text + "."};
}

} // namespace shmviz::core
