#pragma once
// What each lab measured, as plain values; the faces' JSON and the teaching sentence are built from these.
#include "core/labs/lab_params.h"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

namespace shmviz::core::labs {

// mutex-kill: what happened to the lock when its holder died.
struct MutexRecovery {
    int killedWorker = 0;
    pid_t killedPid = -1;
    std::uint64_t killedCompleted = 0; // increments the killed worker finished before it died
    int ownerDead = 0;                 // lockers that got EOWNERDEAD and called pthread_mutex_consistent
    int rolledBack = 0;                // half-done updates undone from the journal
};

struct RaceResult {
    RaceMode mode = RaceMode::Unsync;
    int workers = 0;
    std::uint64_t perWorker = 0; // K
    std::uint64_t expected = 0;  // increments completed (N*K unless a worker was killed)
    std::uint64_t actual = 0;    // the counter's final value
    std::int64_t lost = 0;       // expected - actual
    double seconds = 0;          // first worker's start to last worker's end
    double perSecond = 0;        // completed increments per second, all workers together
    std::optional<MutexRecovery> recovery;
};

struct TornResult {
    TornMode mode = TornMode::Unsync;
    double seconds = 0;
    int readers = 0;
    std::uint64_t writes = 0;  // records the writer filled
    std::uint64_t reads = 0;   // records the readers copied out
    std::uint64_t torn = 0;    // copies that were part pattern A, part pattern B
    std::uint64_t retries = 0; // seqlock: copies thrown away because the writer was inside
};

struct ProcessCpu {
    double userSeconds = 0;
    double systemSeconds = 0;
    std::uint64_t contextSwitches = 0; // voluntary + involuntary
};

struct IpcResult {
    IpcMethod method = IpcMethod::Pipe;
    std::uint64_t bytes = 0;
    double seconds = 0;
    double megabytesPerSecond = 0; // 10^6 bytes per second
    ProcessCpu sender;             // memcpy: the one process
    std::optional<ProcessCpu> receiver;
    int copiesPerByte = 0;
    std::uint64_t chunkBytes = 0; // bytes per write / message / ring slot
    std::uint64_t checksumSent = 0;
    std::uint64_t checksumReceived = 0;
    std::uint64_t bytesReceived = 0;
    bool verified() const { return checksumSent == checksumReceived && bytesReceived == bytes; }
};

// Torn record size in bytes, for reports.
std::uint64_t tornRecordBytes();

// One or two sentences for a student: what happened and why.
std::string explain(const RaceResult& r);
std::string explain(const TornResult& r);
std::string explain(const IpcResult& r);

} // namespace shmviz::core::labs
