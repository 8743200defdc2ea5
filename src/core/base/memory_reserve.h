#pragma once
// A block of address space held back so that, when an allocation fails, the code unwinding from
// it has room: some destructors allocate (nlohmann::json frees a large array through a vector it
// allocates), and an allocation failing inside a destructor would end the program.
#include <cstddef>

namespace shmviz::core {

// Sets a new-handler that, on the first failed allocation, gives the reserve back and throws
// std::bad_alloc. Call once, early in main().
void installMemoryReserve(std::size_t bytes = std::size_t{64} << 20);

// Takes the reserve again after it was used; call at a step boundary. False if memory is still short.
bool refillMemoryReserve();

} // namespace shmviz::core
