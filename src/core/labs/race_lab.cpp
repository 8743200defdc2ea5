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

// The semaphore the sem modes take turns on; its id or name is added to every worker's `args`.
struct RaceSemaphores {
    std::optional<LabSysvSemaphore> sysv;
    std::optional<LabNamedSemaphore> named;
};

Result<RaceSemaphores> makeSemaphores(RaceMode mode, const LabContext& context,
                                      std::vector<std::string>& args) {
    RaceSemaphores sems;
    if (mode == RaceMode::SysvSem) {
        auto s = LabSysvSemaphore::create(1, context.guardian);
        if (!s)
            return s.error();
        sems.sysv.emplace(std::move(*s));
        args.push_back("semid=" + std::to_string(sems.sysv->semid()));
    } else if (mode == RaceMode::PosixSem) {
        auto s = LabNamedSemaphore::create(1, context.guardian);
        if (!s)
            return s.error();
        sems.named.emplace(std::move(*s));
        args.push_back("sem=" + sems.named->name());
    }
    return sems;
}

// Adds up the workers' results and reads the counter they shared.
Result<RaceResult> tally(const RaceParams& params, const std::vector<LabMessage>& results, RaceShared& shared,
                         std::optional<MutexRecovery> recovery) {
    RaceResult r;
    r.mode = params.mode;
    r.workers = params.workers;
    r.perWorker = params.increments;
    std::uint64_t start = UINT64_MAX, end = 0;
    for (const LabMessage& m : results) {
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
        recovery->killedCompleted = std::atomic_ref(shared.completed[recovery->killedWorker].value).load();
        r.expected += recovery->killedCompleted;
        r.recovery = recovery;
    }
    r.actual = std::atomic_ref(shared.counter).load(); // written by other processes
    r.lost = static_cast<std::int64_t>(r.expected) - static_cast<std::int64_t>(r.actual);
    r.seconds = end > start ? static_cast<double>(end - start) / 1e9 : 0.0;
    r.perSecond = r.seconds > 0 ? static_cast<double>(r.expected) / r.seconds : 0.0;
    return r;
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
    auto sems = makeSemaphores(params.mode, context, common);
    if (!sems)
        return sems.error();

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
    if (sems->named)
        sems->named->unlinkEarly();

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

    auto r = tally(params, *results, *shared, recovery);
    if (usesMutex(params.mode))
        pthread_mutex_destroy(&shared->mutex);
    return r;
}

} // namespace shmviz::core::labs
