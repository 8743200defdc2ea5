#include "core/labs/lab_results.h"

#include "core/labs/lab_layouts.h"

#include "core/steps/units.h"

#include <cmath>
#include <cstdio>

namespace shmviz::core::labs {

namespace {

std::string fixed(double v, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    return buffer;
}

std::string withCommas(std::uint64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

} // namespace

std::uint64_t tornRecordBytes() {
    return kTornRecordWords * 8;
}

// [SECTION] explanations

std::string explain(const RaceResult& r) {
    const std::string counts = withCommas(r.actual) + " of " + withCommas(r.expected);
    switch (r.mode) {
    case RaceMode::Unsync:
        if (r.lost > 0)
            return "The counter reached " + counts + ": " + withCommas(static_cast<std::uint64_t>(r.lost)) +
                   " updates were lost. Each add is a separate load, add and store; when two workers load "
                   "the "
                   "same value, both store value+1 and one increment vanishes. Nothing in shared memory "
                   "stops that: synchronisation is the programs' job.";
        return "The counter reached " + counts +
               " and no update was lost this time, only because the workers "
               "happened not to overlap; the load, add and store are still separate steps, so run it again "
               "or "
               "with more workers.";
    case RaceMode::Atomic:
        return "The counter reached " + counts +
               ": an atomic add (lock add on x86) makes the read-modify-write "
               "one indivisible step, so no update is lost, at the cost of the cache line bouncing between "
               "cores.";
    case RaceMode::Mutex:
        return "The counter reached " + counts +
               ": a pthread mutex living in the segment itself "
               "(PTHREAD_PROCESS_SHARED) lets one worker at a time in; waiters sleep in the kernel on a "
               "futex.";
    case RaceMode::MutexKill: {
        const MutexRecovery& rec = *r.recovery;
        return "Worker " + std::to_string(rec.killedWorker) + " (pid " + std::to_string(rec.killedPid) +
               ") was SIGKILLed while holding the mutex, halfway through an update. Because the mutex is "
               "robust the "
               "kernel marked it owner-dead; the next locker got EOWNERDEAD, undid the half-done update from "
               "the "
               "journal, called pthread_mutex_consistent and went on, so the counter holds " +
               counts + " completed increments and nobody hung.";
    }
    case RaceMode::SysvSem:
        return "The counter reached " + counts +
               ": each add ran between semop(-1) and semop(+1) on a System V "
               "semaphore, two system calls per increment. When a worker waits, the releasing semop hands "
               "the "
               "semaphore straight to it, so workers take strict turns and each turn costs a wakeup; "
               "SEM_UNDO "
               "makes the kernel give the semaphore back if a holder dies.";
    case RaceMode::PosixSem:
        return "The counter reached " + counts +
               ": each add ran between sem_wait and sem_post on a named POSIX "
               "semaphore, which lives in shared memory under /dev/shm and only enters the kernel (futex) "
               "when "
               "a worker has to wait.";
    }
    return {};
}

std::string explain(const TornResult& r) {
    const std::string seen = withCommas(r.torn) + " of " + withCommas(r.reads) + " records read";
    switch (r.mode) {
    case TornMode::Unsync:
        return seen +
               " were torn: half one pattern, half the other. Copying 4 KiB is hundreds of separate "
               "stores, and a reader copying at the same time sees some old and some new; shared memory "
               "gives no atomicity beyond a single aligned word.";
    case TornMode::Seqlock:
        return seen +
               " were torn. With a seqlock the writer makes a sequence number odd while it writes and "
               "even when done; a reader that sees it odd or changed throws its copy away (" +
               withCommas(r.retries) + " retries) and reads again, so no reader blocks the writer.";
    case TornMode::Mutex:
        return seen + " were torn: the process-shared mutex lets either the writer or one reader touch the "
                      "record at a time, so every copy is whole, at the cost of everyone waiting.";
    }
    return {};
}

std::string explain(const IpcResult& r) {
    const std::string rate = fixed(r.megabytesPerSecond, 0) + " MB/s";
    const std::string size = formatSize(r.bytes);
    switch (r.method) {
    case IpcMethod::Pipe:
    case IpcMethod::Socket:
    case IpcMethod::Mqueue: {
        const char* what = r.method == IpcMethod::Pipe     ? "pipe"
                           : r.method == IpcMethod::Socket ? "Unix domain socket"
                                                           : "POSIX message queue";
        return std::string("Moved ") + size + " through a " + what + " at " + rate +
               ", checksum verified. Every byte was copied twice: by the sender's system call from its "
               "memory "
               "into a kernel buffer, and by the receiver's from that buffer into its own memory; the system "
               "time is those copies.";
    }
    case IpcMethod::Shm:
        return "Moved " + size + " through shared memory at " + rate +
               ", checksum verified. The sender wrote each byte once, straight into pages the receiver also "
               "maps, and the receiver read it where it lay; the kernel only took part in the semaphore "
               "handshake that passes a slot from one to the other, never in the data.";
    case IpcMethod::Memcpy:
        return "Copied " + size + " with memcpy inside one process at " + rate +
               " (time spent copying only): one copy per byte and no handoff, the ceiling for any transfer "
               "that writes each byte once on this machine.";
    }
    return {};
}

} // namespace shmviz::core::labs
