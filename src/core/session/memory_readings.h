#pragma once
// The accounting readings a snapshot carries beside the page tables: a worker's smaps, smaps_rollup
// and VmPTE, and a segment's own resident and swapped bytes. The app reads the worker's files
// itself (same user), right after the workers' reports, so both describe one moment.
#include "core/session/snapshot.h"

#include <chrono>
#include <string>
#include <vector>

namespace shmviz::core {

// Fills worker.memory and each attachment's memory from /proc/PID/{smaps_rollup,smaps,status}.
void readWorkerMemory(WorkerView& worker);
// The same for every worker, two at a time once they map much: each smaps read walks every page
// table entry the worker has (at 1 GiB x 8, more of a snapshot's time than the workers' pagemap
// reads). Returns the CPU time the second thread used.
std::chrono::nanoseconds readWorkersMemory(std::vector<WorkerView>& workers);

// Fills segment.residentKnown / residentBytes / swapBytes and says how in residency. rows: /proc/sysvipc/shm
// as just read. posixPath: where the POSIX object's name lives (/dev/shm/NAME, or its hugetlbfs path).
void readSegmentResidency(SegmentView& segment, const std::vector<SysvShmRow>& rows,
                          const std::string& posixPath);

// "Its page tables (VmPTE) grew from 52 KiB to 120 KiB. " for a worker between two snapshots;
// empty when either reading is missing.
std::string pageTableGrowth(const Snapshot* before, const Snapshot& after, int worker);

} // namespace shmviz::core
