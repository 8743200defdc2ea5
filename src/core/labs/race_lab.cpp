#include "core/labs/lab_layouts.h"
#include "core/labs/lab_objects.h"
#include "core/labs/lab_scope.h"
#include "core/labs/labs.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <thread>

namespace shmviz::core::labs {

namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kSilence = std::chrono::seconds(20);

bool usesMutex(RaceMode m) {
    return m == RaceMode::Mutex || m == RaceMode::MutexKill;
}

} // namespace

Result<RaceResult> runRace(const RaceParams& params, const LabContext& context) {
    const auto n = static_cast<std::size_t>(params.workers);
    ProgressScope progress(context.progress, n * params.increments);

    auto segment = LabSegment::create(sizeof(RaceShared), context.guardian);
    if (!segment)
        return segment.error();
    auto* shared = new (segment->address()) RaceShared{};
    if (usesMutex(params.mode))
        if (int err = initSharedMutex(&shared->mutex); err != 0)
            return systemError(err, "Initialising the shared mutex (pthread_mutex_init)");

    std::vector<std::string> common{
        "mode=" + std::string(nameOf(params.mode)), "shmid=" + std::to_string(segment->shmid()),
        "k=" + std::to_string(params.increments), "workers=" + std::to_string(params.workers)};
    std::optional<LabSysvSemaphore> sysv;
    std::optional<LabNamedSemaphore> named;
    if (params.mode == RaceMode::SysvSem) {
        auto s = LabSysvSemaphore::create(1, context.guardian);
        if (!s)
            return s.error();
        sysv.emplace(std::move(*s));
        common.push_back("semid=" + std::to_string(sysv->semid()));
    } else if (params.mode == RaceMode::PosixSem) {
        auto s = LabNamedSemaphore::create(1, context.guardian);
        if (!s)
            return s.error();
        named.emplace(std::move(*s));
        common.push_back("sem=" + named->name());
    }

    LabGroup group(context);
    for (std::size_t i = 0; i < n; ++i) {
        auto args = common;
        args.push_back("index=" + std::to_string(i));
        if (params.mode == RaceMode::MutexKill && i == 0)
            args.push_back("victim=1");
        if (auto added = group.add("race", args); !added)
            return added.error();
    }
    if (auto s = group.awaitReady(kReadyTimeout); !s)
        return s.error();
    // Every worker holds what it needs now: drop the names, so even a SIGKILL of everything leaves nothing.
    segment->removeEarly();
    if (named)
        named->unlinkEarly();

    std::vector<std::uint64_t> done(n, 0);
    std::optional<MutexRecovery> recovery;
    auto handler = [&](std::size_t i, const LabMessage& m) -> Status {
        if (m.verb == "progress") {
            done[i] = *m.number;
            std::uint64_t sum = 0;
            for (auto d : done)
                sum += d;
            progress.set(sum);
            return Ok{};
        }
        if (m.verb == "holding" && params.mode == RaceMode::MutexKill && i == 0 && !recovery) {
            // The victim did half its adds alone and now holds the lock in the middle of one. Start the
            // others, let them queue on the lock, then kill the holder there.
            for (std::size_t j = 1; j < n; ++j)
                if (auto s = group.go(j); !s)
                    return s;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            recovery = MutexRecovery{static_cast<int>(i), group.child(i).pid(), 0, 0, 0};
            group.excuse(i);
            group.child(i).kill();
            return Ok{};
        }
        return makeError(EPROTO,
                         "Lab worker " + std::to_string(i) + " sent an unexpected \"" + m.verb + "\".");
    };
    // mutex-kill starts the victim alone; the others start once it holds the lock (see handler).
    if (auto s = params.mode == RaceMode::MutexKill ? group.go(0) : group.go(); !s)
        return s.error();
    auto results = group.collect(handler, kSilence);
    if (!results)
        return results.error();

    RaceResult r;
    r.mode = params.mode;
    r.workers = params.workers;
    r.perWorker = params.increments;
    std::uint64_t start = UINT64_MAX, end = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const LabMessage& m = (*results)[i];
        if (m.verb != "result")
            continue;
        start = std::min(start, m.get("start_ns"));
        end = std::max(end, m.get("end_ns"));
        r.expected += m.get("completed");
        if (recovery) {
            recovery->ownerDead += static_cast<int>(m.get("eownerdead"));
            recovery->rolledBack += static_cast<int>(m.get("rolled_back"));
        }
    }
    if (params.mode == RaceMode::MutexKill) {
        if (!recovery)
            return makeError(EPROTO, "The worker meant to die holding the mutex never took it.");
        recovery->killedCompleted = std::atomic_ref(shared->completed[recovery->killedWorker].value).load();
        r.expected += recovery->killedCompleted;
        r.recovery = recovery;
    }
    r.actual = std::atomic_ref(shared->counter).load(); // written by other processes
    r.lost = static_cast<std::int64_t>(r.expected) - static_cast<std::int64_t>(r.actual);
    r.seconds = end > start ? static_cast<double>(end - start) / 1e9 : 0.0;
    r.perSecond = r.seconds > 0 ? static_cast<double>(r.expected) / r.seconds : 0.0;
    if (usesMutex(params.mode))
        pthread_mutex_destroy(&shared->mutex);
    return r;
}

} // namespace shmviz::core::labs
