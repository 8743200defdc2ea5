#pragma once
// The headless face: steps in (a script or stdin), one JSON object per step out, flushed at once.
#include <string>

namespace shmviz::app {

// Runs steps from `script` (its text), or from stdin when `fromStdin`. Returns 0 when every step
// succeeded, 1 when any failed. `stopAfter` > 0 ends the run after that step (--at).
int runHeadless(const std::string& script, bool fromStdin, bool text, int stopAfter = 0);

} // namespace shmviz::app
