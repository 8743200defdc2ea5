#pragma once
// What a lab step asks for, checked before any process starts: the mode or method, the number of
// workers, how much work. Parsing only; no I/O. Shared by the app (validation) and the lab workers
// (names on their command line).
#include "core/base/error.h"
#include "core/steps/step.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace shmviz::core::labs {

inline constexpr std::uint64_t kMinWorkers = 1;
inline constexpr std::uint64_t kMaxWorkers = 16;
inline constexpr std::uint64_t kMaxIncrements = 10'000'000;
inline constexpr std::uint64_t kMinTornSeconds = 1;
inline constexpr std::uint64_t kMaxTornSeconds = 60;
inline constexpr std::uint64_t kMinTransfer = 1ull << 20; // 1 MiB
inline constexpr std::uint64_t kMaxTransfer = 1ull << 30; // 1 GiB
inline constexpr int kTornReaders = 2;                    // torn: one writer, this many readers

enum class RaceMode {
    Unsync,    // plain load, add, store: updates get lost
    Atomic,    // one atomic read-modify-write (lock add)
    Mutex,     // pthread mutex in the segment, process-shared and robust
    MutexKill, // as Mutex, and one worker is SIGKILLed while it holds the lock
    SysvSem,   // System V semaphore, semop with SEM_UNDO
    PosixSem,  // POSIX named semaphore (sem_open)
};

enum class TornMode { Unsync, Seqlock, Mutex };

enum class IpcMethod { Pipe, Socket, Mqueue, Shm, Memcpy };

std::string_view nameOf(RaceMode mode);
std::string_view nameOf(TornMode mode);
std::string_view nameOf(IpcMethod method);

std::optional<RaceMode> raceModeFrom(std::string_view word);
std::optional<TornMode> tornModeFrom(std::string_view word);
std::optional<IpcMethod> ipcMethodFrom(std::string_view word);

struct RaceParams {
    RaceMode mode = RaceMode::Unsync;
    int workers = 1;
    std::uint64_t increments = 0; // per worker
};

struct TornParams {
    TornMode mode = TornMode::Unsync;
    int seconds = 1;
};

struct IpcParams {
    IpcMethod method = IpcMethod::Pipe;
    std::uint64_t bytes = 0;
};

// `race MODE N K`, `torn MODE SECONDS`, `ipcbench METHOD SIZE` after parseStep. Errors: EINVAL with
// one plain sentence naming the accepted range or words.
Result<RaceParams> raceParams(const Step& step);
Result<TornParams> tornParams(const Step& step);
Result<IpcParams> ipcParams(const Step& step);

// Bytes each transfer method copies per byte moved: pipe, socket, mqueue 2 (into the kernel and out
// again); shm 1 (written once, in place, read where it lies); memcpy 1.
int copiesPerByte(IpcMethod method);

} // namespace shmviz::core::labs
