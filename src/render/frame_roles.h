#pragma once
// What a physical frame is to the workers that map it: the object's own frame that mappings
// share, a private copy that copy-on-write made for one mapping, or anonymous memory. Pure.
#include "core/session/snapshot.h"

namespace shmviz::render {

enum class FrameRole { Shared, PrivateCopy, Anonymous };

// A page of a segment reached through a MAP_PRIVATE mapping that is no longer a file or shmem
// page (pagemap bit 61 clear) is the copy the first write made
// (Documentation/admin-guide/mm/pagemap.rst).
FrameRole frameRole(const core::Snapshot& snapshot, const core::FrameView& frame);

// How many distinct workers map the frame, and whether one of them maps it at two addresses.
struct FrameMappers {
    int workers = 0;
    bool someWorkerTwice = false;
};
FrameMappers frameMappers(const core::FrameView& frame);

} // namespace shmviz::render
