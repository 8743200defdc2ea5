// Torn-read lab, worker side: one writer fills the 4 KiB record with pattern A, then B, then A...;
// readers copy it out and count copies that mix both.
#include "core/labs/lab_layouts.h"
#include "worker/lab_link.h"
#include "worker/lab_main.h"

#include <atomic>
#include <sys/shm.h>

namespace shmviz::worker {

namespace {

using core::labs::kTornRecordWords;
using core::labs::TornMode;
using core::labs::TornShared;

struct TornSetup {
    TornMode mode;
    TornShared* shared;
};

TornSetup attach(const LabArgs& args, LabLink& link) {
    const auto mode = core::labs::tornModeFrom(args.text("mode"));
    if (!mode)
        link.fail(EINVAL, "A torn-read worker got incomplete arguments.");
    void* at = shmat(static_cast<int>(args.number("shmid")), nullptr, 0);
    if (at == reinterpret_cast<void*>(-1))
        link.failErrno("Attaching the torn-read segment (shmat)");
    return {*mode, static_cast<TornShared*>(at)};
}

void lockRobust(TornShared* s, LabLink& link) {
    const int r = pthread_mutex_lock(&s->mutex);
    if (r == EOWNERDEAD)
        pthread_mutex_consistent(&s->mutex); // the record may be half written; the next write repairs it
    else if (r != 0) {
        errno = r;
        link.failErrno("Locking the shared mutex");
    }
}

// Each word goes through atomic_ref so the program is well defined; relaxed 8-byte accesses are plain
// moves on x86, so what tears is the 4 KiB record, never a word.
void fill(std::uint64_t* record, std::uint64_t pattern) {
    for (std::size_t i = 0; i < kTornRecordWords; ++i)
        std::atomic_ref(record[i]).store(pattern, std::memory_order_relaxed);
}

void copy(std::uint64_t* record, std::uint64_t* out) {
    for (std::size_t i = 0; i < kTornRecordWords; ++i)
        out[i] = std::atomic_ref(record[i]).load(std::memory_order_relaxed);
}

bool isTorn(const std::uint64_t* words) {
    for (std::size_t i = 1; i < kTornRecordWords; ++i)
        if (words[i] != words[0])
            return true;
    return false;
}

} // namespace

int runTornWriter(const LabArgs& args, LabLink& link) {
    auto [mode, s] = attach(args, link);
    const std::uint64_t seconds = args.number("seconds");
    link.ready();
    link.waitGo();
    const std::uint64_t start = nowNs();
    const std::uint64_t deadline = start + seconds * 1'000'000'000ull;
    std::atomic_ref<std::uint64_t> sequence(s->sequence);
    std::uint64_t writes = 0;
    for (;;) {
        for (int j = 0; j < 64; ++j) {
            const std::uint64_t pattern = (writes & 1) ? core::labs::kPatternB : core::labs::kPatternA;
            switch (mode) {
            case TornMode::Unsync:
                fill(s->record, pattern);
                break;
            case TornMode::Seqlock: {
                // Odd while writing: readers that see an odd or changed number retry.
                const std::uint64_t seq = sequence.load(std::memory_order_relaxed);
                sequence.store(seq + 1, std::memory_order_relaxed);
                std::atomic_thread_fence(std::memory_order_release);
                fill(s->record, pattern);
                sequence.store(seq + 2, std::memory_order_release);
                break;
            }
            case TornMode::Mutex:
                lockRobust(s, link);
                fill(s->record, pattern);
                pthread_mutex_unlock(&s->mutex);
                break;
            }
            ++writes;
        }
        const std::uint64_t now = nowNs();
        if (now >= deadline)
            break;
        link.progress((now - start) / 1'000'000);
    }
    const std::uint64_t end = nowNs();
    std::atomic_ref(s->stop).store(1, std::memory_order_release);
    link.result({{"writes", writes}, {"start_ns", start}, {"end_ns", end}});
    shmdt(s);
    return 0;
}

int runTornReader(const LabArgs& args, LabLink& link) {
    auto [mode, s] = attach(args, link);
    link.ready();
    link.waitGo();
    const std::uint64_t start = nowNs();
    std::atomic_ref<std::uint64_t> sequence(s->sequence);
    std::atomic_ref<std::uint32_t> stop(s->stop);
    std::uint64_t out[kTornRecordWords];
    std::uint64_t reads = 0, torn = 0, retries = 0;
    while (!stop.load(std::memory_order_acquire)) {
        switch (mode) {
        case TornMode::Unsync:
            copy(s->record, out);
            break;
        case TornMode::Seqlock:
            for (;;) {
                const std::uint64_t before = sequence.load(std::memory_order_acquire);
                if ((before & 1) == 0) {
                    copy(s->record, out);
                    std::atomic_thread_fence(std::memory_order_acquire);
                    if (sequence.load(std::memory_order_relaxed) == before)
                        break;
                }
                ++retries;
            }
            break;
        case TornMode::Mutex:
            lockRobust(s, link);
            copy(s->record, out);
            pthread_mutex_unlock(&s->mutex);
            break;
        }
        ++reads;
        if (isTorn(out))
            ++torn;
    }
    const std::uint64_t end = nowNs();
    link.result(
        {{"reads", reads}, {"torn", torn}, {"retries", retries}, {"start_ns", start}, {"end_ns", end}});
    shmdt(s);
    return 0;
}

} // namespace shmviz::worker
