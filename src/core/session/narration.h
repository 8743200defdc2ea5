#pragma once
// Small pieces of the sentences steps explain themselves with.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shmviz::core {

std::string octal(unsigned mode);                                   // "0600"
std::string pagesText(std::uint64_t bytes, std::uint64_t pageSize); // "4 pages", "1 page"
std::string listWorkers(const std::vector<int>& ids);               // "worker 1", "workers 0, 2 and 3"

// What spawn says of the workers it started ("0 (pid 812), 1 (pid 813)"), given
// kernel.randomize_va_space (0: no address randomisation; absent: not readable).
std::string spawnedSentence(std::size_t started, const std::string& pids,
                            std::optional<int> randomizeVaSpace);

} // namespace shmviz::core
