#pragma once
// Least privilege: the worker opens /proc/self/pagemap while it may still hold CAP_SYS_ADMIN
// (the kernel decides at open time whether that file shows frame numbers), then drops every
// capability before it touches anything else.
#include "core/wire/protocol.h"

namespace shmviz::worker {

struct PagemapHandle {
    int fd = -1;
    core::proto::PagemapAccess access = core::proto::PagemapAccess::Unreadable;
    int openErrno = 0;
};

PagemapHandle openOwnPagemap();

// Clears the effective, permitted, inheritable and ambient sets and forbids regaining them.
// Returns true when the worker holds no capability afterwards.
bool dropAllCapabilities();

} // namespace shmviz::worker
