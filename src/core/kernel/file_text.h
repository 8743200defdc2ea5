#pragma once
#include "core/base/error.h"

#include <string>

namespace shmviz::core {

// Reads a whole file, including procfs files whose stat size is 0.
Result<std::string> readFileText(const std::string& path);

// A file kept open and read again from its start at each look: for a procfs file polled many times
// a second (/proc/sysvipc/shm), without an open and a close each time.
class RereadFile {
  public:
    explicit RereadFile(std::string path) : m_path(std::move(path)) {}
    ~RereadFile();
    RereadFile(const RereadFile&) = delete;
    RereadFile& operator=(const RereadFile&) = delete;

    // The whole text as it is now; after a failure the next look opens the file again.
    Result<std::string> read();

  private:
    std::string m_path;
    int m_fd = -1;
};

} // namespace shmviz::core
