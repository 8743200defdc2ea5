#pragma once
// Least privilege for shmviz-worker, the guardian and lab workers: they never hold a capability.
// Frame numbers come from the one privileged helper, shmviz-pagemap (src/pagemap_helper), which
// the worker runs beside itself and which hands back a pagemap descriptor opened with
// CAP_SYS_ADMIN (the kernel decides at open time whether that file shows frame numbers,
// Documentation/admin-guide/mm/pagemap.rst).
#include "core/wire/protocol.h"

#include <string>

namespace shmviz::worker {

struct PagemapHandle {
    int fd = -1;
    core::proto::PagemapAccess access = core::proto::PagemapAccess::Unreadable;
    int openErrno = 0;
    std::string reason; // why frame numbers are hidden, one sentence without a final period
};

// Run first in main(), before anything allocates. A process of root clears every capability; any
// other process must not hold one (a worker carrying file capabilities is refused). Exits with a
// message on stderr when the process would go on holding any capability.
void giveUpCapabilitiesOrExit(const char* program);

// This process's pagemap: from shmviz-pagemap beside this binary when it may and can run it
// (frame numbers visible), else /proc/self/pagemap opened directly (hidden, with the reason).
PagemapHandle openPagemap();

} // namespace shmviz::worker
