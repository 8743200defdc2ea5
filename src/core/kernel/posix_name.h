#pragma once
// POSIX shared memory object names as shm_open(3) accepts them: "/name", one leading slash and
// no other. glibc (__shm_get_name) strips the slash and refuses a rest that is empty, holds a '/',
// or is NAME_MAX - 1 bytes or longer with its terminating NUL, so at most 253 characters follow.
#include "core/base/error.h"

#include <climits>
#include <string_view>

namespace shmviz::core {

inline constexpr std::size_t kMaxPosixNameChars = NAME_MAX - 2; // characters after the slash

// Ok for a usable name; else EINVAL (shape) or ENAMETOOLONG (length) with one plain sentence.
Status checkPosixName(std::string_view name);

} // namespace shmviz::core
