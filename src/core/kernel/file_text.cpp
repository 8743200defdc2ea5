#include "core/kernel/file_text.h"

#include <fcntl.h>
#include <unistd.h>

namespace shmviz::core {

Result<std::string> readFileText(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "Opening " + path);
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            return systemError(err, "Reading " + path);
        }
        if (got == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(got));
    }
    close(fd);
    return text;
}

RereadFile::~RereadFile() {
    if (m_fd >= 0)
        close(m_fd);
}

Result<std::string> RereadFile::read() {
    if (m_fd < 0)
        m_fd = open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        return systemError(errno, "Opening " + m_path);
    std::string text;
    char buffer[65536];
    for (;;) {
        // A seq_file read at offset 0 starts over from the first record.
        ssize_t got = pread(m_fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            const int err = errno;
            close(m_fd);
            m_fd = -1;
            return systemError(err, "Reading " + m_path);
        }
        if (got == 0)
            return text;
        text.append(buffer, static_cast<std::size_t>(got));
    }
}

} // namespace shmviz::core
