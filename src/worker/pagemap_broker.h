#pragma once
// Frame numbers for forked workers. A child made by fork cannot use its parent's pagemap fd (the
// file stays bound to the address space it was opened for), and a pagemap it opens itself shows
// no frame numbers, because the kernel asks whether the opener holds CAP_SYS_ADMIN
// (fs/proc/task_mmu.c, pagemap_read: file_ns_capable) and workers drop every capability.
// So before a worker drops its capabilities it forks this broker, which keeps CAP_SYS_ADMIN alone
// and does one thing: it opens /proc/PID/pagemap for the process that asks, that process's own
// pid taken from SCM_CREDENTIALS (which the kernel fills in and checks), and passes the fd back.
// Only the worker and its forked children hold the socket to it; it dies with the worker.
#include "worker/privileges.h"

namespace shmviz::worker {

// Starts the broker while this process still holds CAP_SYS_ADMIN; returns the worker's end of
// its socket, or -1 when there is no privilege to keep (frame numbers are hidden anyway).
int startPagemapBroker();

// In a forked child: a pagemap of its own, with frame numbers when the broker provides one,
// else opened directly (frame numbers hidden).
PagemapHandle pagemapFromBroker(int brokerFd);

} // namespace shmviz::worker
