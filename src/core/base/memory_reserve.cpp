#include "core/base/memory_reserve.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace shmviz::core {

namespace {

std::atomic<void*> g_reserve{nullptr};
std::size_t g_reserveBytes = 0;

void releaseReserveAndFail() {
    // Untouched malloc'd memory: it holds address space (what RLIMIT_AS counts), not RAM.
    std::free(g_reserve.exchange(nullptr));
    throw std::bad_alloc();
}

} // namespace

void installMemoryReserve(std::size_t bytes) {
    g_reserveBytes = bytes;
    refillMemoryReserve();
    std::set_new_handler(releaseReserveAndFail);
}

bool refillMemoryReserve() {
    if (g_reserveBytes == 0 || g_reserve.load())
        return true;
    void* block = std::malloc(g_reserveBytes);
    void* expected = nullptr;
    if (block && !g_reserve.compare_exchange_strong(expected, block))
        std::free(block);
    return block != nullptr;
}

} // namespace shmviz::core
