#pragma once
// Object names unique to this test process, so parallel runs never collide.
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::testing {

inline std::string uniqueShmName(const std::string& what) {
    return "/shmviz-test-" + std::to_string(getpid()) + "-" + what;
}

inline bool inDevShm(const std::string& name) {
    struct stat st {};
    return ::stat(("/dev/shm" + name).c_str(), &st) == 0;
}

} // namespace shmviz::testing
