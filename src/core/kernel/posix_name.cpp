#include "core/kernel/posix_name.h"

#include <string>

namespace shmviz::core {

Status checkPosixName(std::string_view name) {
    const std::string quoted = "\"" + std::string(name.substr(0, 40)) + (name.size() > 40 ? "...\"" : "\"");
    if (name.empty() || name.front() != '/')
        return makeError(EINVAL, "The name " + quoted + " must start with one slash, like /demo.");
    const std::string_view rest = name.substr(1);
    if (rest.empty())
        return makeError(EINVAL, "The name \"/\" is only the slash; add a name after it, like /demo.");
    if (rest.find('/') != std::string_view::npos)
        return makeError(EINVAL, "The name " + quoted +
                                     " has a slash after the first one; a POSIX shared memory "
                                     "name is one slash followed by a plain file name, like /demo.");
    if (rest == "." || rest == "..")
        return makeError(EINVAL, "The name " + quoted +
                                     " names a directory, not an object; choose another, like "
                                     "/demo.");
    if (rest.size() > kMaxPosixNameChars)
        return makeError(ENAMETOOLONG, "The name is " + std::to_string(rest.size()) +
                                           " characters after the slash; "
                                           "shm_open allows at most " +
                                           std::to_string(kMaxPosixNameChars) + ".");
    for (char c : rest)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return makeError(EINVAL, "The name " + quoted +
                                         " contains a control character; use printable "
                                         "characters only.");
    return Ok{};
}

} // namespace shmviz::core
