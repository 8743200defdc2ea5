#include "core/labs/lab_layouts.h"
#include "core/labs/lab_objects.h"
#include "core/labs/lab_scope.h"
#include "core/labs/labs.h"

#include <algorithm>
#include <new>

namespace shmviz::core::labs {

Result<TornResult> runTorn(const TornParams& params, const LabContext& context) {
    ProgressScope progress(context.progress, static_cast<std::uint64_t>(params.seconds) * 1000);
    auto segment = LabSegment::create(sizeof(TornShared), context.guardian);
    if (!segment)
        return segment.error();
    auto* shared = new (segment->address()) TornShared{};
    std::fill(std::begin(shared->record), std::end(shared->record), kPatternA);
    const bool mutex = params.mode == TornMode::Mutex;
    if (mutex)
        if (int err = initSharedMutex(&shared->mutex); err != 0)
            return systemError(err, "Initialising the shared mutex (pthread_mutex_init)");

    const std::vector<std::string> args{"mode=" + std::string(nameOf(params.mode)),
                                        "shmid=" + std::to_string(segment->shmid()),
                                        "seconds=" + std::to_string(params.seconds)};
    LabGroup group(context);
    if (auto added = group.add("torn-writer", args); !added)
        return added.error();
    for (int i = 0; i < kTornReaders; ++i)
        if (auto added = group.add("torn-reader", args); !added)
            return added.error();
    if (auto s = group.awaitReady(std::chrono::seconds(10)); !s)
        return s.error();
    segment->removeEarly();
    auto results = group.goAndCollect(progress, std::chrono::seconds(10));
    if (!results)
        return results.error();

    TornResult r;
    r.mode = params.mode;
    r.readers = kTornReaders;
    std::uint64_t start = UINT64_MAX, end = 0;
    for (const LabMessage& m : *results) {
        start = std::min(start, m.get("start_ns"));
        end = std::max(end, m.get("end_ns"));
        r.writes += m.get("writes");
        r.reads += m.get("reads");
        r.torn += m.get("torn");
        r.retries += m.get("retries");
    }
    r.seconds = end > start ? static_cast<double>(end - start) / 1e9 : 0.0;
    if (mutex)
        pthread_mutex_destroy(&shared->mutex);
    return r;
}

} // namespace shmviz::core::labs
