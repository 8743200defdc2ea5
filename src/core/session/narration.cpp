#include "core/session/narration.h"

#include <cstdio>

namespace shmviz::core {

std::string octal(unsigned mode) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04o", mode);
    return buffer;
}

std::string pagesText(std::uint64_t bytes, std::uint64_t pageSize) {
    const std::uint64_t pages = (bytes + pageSize - 1) / pageSize;
    return std::to_string(pages) + (pages == 1 ? " page" : " pages");
}

std::string listWorkers(const std::vector<int>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i)
        out += (i ? (i + 1 == ids.size() ? " and " : ", ") : "") + std::to_string(ids[i]);
    return (ids.size() == 1 ? "worker " : "workers ") + out;
}

} // namespace shmviz::core
