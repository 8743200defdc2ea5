#pragma once
// Small pieces of the sentences steps explain themselves with.
#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::core {

std::string octal(unsigned mode);                                   // "0600"
std::string pagesText(std::uint64_t bytes, std::uint64_t pageSize); // "4 pages", "1 page"
std::string listWorkers(const std::vector<int>& ids);               // "worker 1", "workers 0, 2 and 3"

} // namespace shmviz::core
