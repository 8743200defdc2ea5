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

std::string spawnedSentence(std::size_t started, const std::string& pids,
                            std::optional<int> randomizeVaSpace) {
    const bool one = started == 1;
    std::string out = std::string(one ? "Started worker " : "Started workers ") + pids +
                      " with fork + exec of shmviz-worker: " +
                      (one ? "a separate process with its own address space"
                           : "each is a separate process with its own address space");
    if (randomizeVaSpace && *randomizeVaSpace == 0)
        return out + ". Address randomisation is off on this machine (kernel.randomize_va_space = 0), so a "
                     "segment may land at the same virtual address in every worker: still separate "
                     "page tables, each pointing at the frames on its own.";
    return out +
           (one ? " and its own randomised layout: a segment it attaches lands at an address of its own."
                : " and its own randomised layout, so a segment will land at different virtual "
                  "addresses in each.");
}

} // namespace shmviz::core
