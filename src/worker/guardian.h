#pragma once
// The guardian outlives the app by design: the app tells it, line by line over a pipe, which
// workers and kernel objects it owns; when the pipe closes without "done" (the app died, even by
// SIGKILL), the guardian kills those workers and removes those objects. See core/guardian_link.h.
namespace shmviz::worker {

int runGuardian(int pipeFd, int ownerPid);

} // namespace shmviz::worker
