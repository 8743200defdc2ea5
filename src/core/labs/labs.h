#pragma once
// The three labs, run from the session's thread with real lab worker processes. Each call blocks
// until the experiment ends, fails, times out or is cancelled; in every case the workers are gone and
// the segment, semaphores and queues it created are removed when it returns.
#include "core/labs/lab_group.h"
#include "core/labs/lab_params.h"
#include "core/labs/lab_results.h"

namespace shmviz::core::labs {

// N workers each add 1 to a shared counter K times (see RaceMode).
Result<RaceResult> runRace(const RaceParams& params, const LabContext& context);

// One writer fills a 4 KiB record with pattern A or B; kTornReaders readers count mixed copies.
Result<TornResult> runTorn(const TornParams& params, const LabContext& context);

// Moves params.bytes from a sender worker to a receiver worker (memcpy: within one worker) and
// verifies the checksum. EIO if the bytes or checksum do not match.
Result<IpcResult> runIpcBench(const IpcParams& params, const LabContext& context);

} // namespace shmviz::core::labs
