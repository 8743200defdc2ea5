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

} // namespace shmviz::core
