#pragma once
// The shapes of the lab segments. The app creates and initialises a segment (shmget IPC_PRIVATE,
// then placement-initialises the mutex or semaphores), the lab workers attach it by shmid and work in
// it. Every field a worker writes sits on its own 64-byte cache line so that only the fields the lesson
// is about are shared.
#include "core/labs/lab_params.h"

#include <cstddef>
#include <cstdint>
#include <pthread.h>
#include <semaphore.h>

namespace shmviz::core::labs {

inline constexpr std::size_t kCacheLine = 64;

// [SECTION] race
struct alignas(kCacheLine) RaceShared {
    std::uint64_t counter = 0; // the shared word every worker adds to
    alignas(kCacheLine) pthread_mutex_t mutex;
    // Undo record written under the mutex: if its owner dies mid-update (EOWNERDEAD), the next
    // locker restores `before`, so the counter holds completed increments only.
    struct Journal {
        std::uint32_t active = 0;
        std::uint32_t owner = 0;
        std::uint64_t before = 0;
    } journal;
    struct alignas(kCacheLine) Slot {
        std::uint64_t value = 0;
    };
    Slot completed[kMaxWorkers]; // mutex modes: increments each worker completed, under the lock
    // Start line: each worker adds 1 and spins (yielding) until all have, so they really run at the
    // same time instead of one after another on the core that woke them.
    alignas(kCacheLine) std::uint32_t arrived = 0;
};

// [SECTION] torn reads
inline constexpr std::size_t kTornRecordWords = 512; // 4 KiB record
inline constexpr std::uint64_t kPatternA = 0xAAAAAAAAAAAAAAAAull;
inline constexpr std::uint64_t kPatternB = 0x5555555555555555ull;

struct alignas(kCacheLine) TornShared {
    std::uint64_t sequence = 0; // seqlock: odd while the writer is inside the record
    alignas(kCacheLine) pthread_mutex_t mutex;
    alignas(kCacheLine) std::uint32_t stop = 0; // set by the writer when its time is up
    alignas(kCacheLine) std::uint64_t record[kTornRecordWords];
};

// [SECTION] ipcbench over shared memory: a ring of slots handed over with two process-shared
// counting semaphores (free slots, full slots), so the receiver sees each slot exactly once.
inline constexpr std::size_t kRingSlots = 8;
inline constexpr std::size_t kSlotBytes = 256 * 1024;

struct alignas(kCacheLine) RingHeader {
    sem_t freeSlots;
    sem_t fullSlots;
    alignas(kCacheLine) std::uint64_t slotBytes[kRingSlots];
};

inline constexpr std::size_t kRingDataOffset = 4096;
static_assert(sizeof(RingHeader) <= kRingDataOffset);
inline constexpr std::size_t kRingSegmentBytes = kRingDataOffset + kRingSlots * kSlotBytes;

// Initialises a robust, process-shared mutex in place (pthread_mutexattr_setrobust(3)). Returns 0 or
// an errno.
int initSharedMutex(pthread_mutex_t* mutex);

} // namespace shmviz::core::labs
