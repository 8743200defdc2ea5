#pragma once
// Work split in two parts for the two cores of a large snapshot: part 0 runs on a second thread
// while part 1 runs on this one.
#include <chrono>
#include <functional>

namespace shmviz::core {

// Runs work(0) on a second thread and work(1) on this one, joined before it returns. Both parts
// run here, one after the other, when `split` is false, the machine has one CPU, or no thread can
// be had. An exception from either part (std::bad_alloc ends a step, not the program) is rethrown
// here after the join. Returns the CPU time the second thread used.
std::chrono::nanoseconds onTwoThreads(bool split, const std::function<void(int part)>& work);

} // namespace shmviz::core
