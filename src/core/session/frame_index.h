#pragma once
// Builds the physical side of a snapshot: one FrameView per distinct frame number that any
// worker's present page points at, with every (worker, address) that maps it.
#include "core/session/snapshot.h"

namespace shmviz::core {

// Fills snap.frames from snap.workers; needs snap.pfnVisible. Linear in the number of pages:
// pages at the same index of the same segment are matched by slot, a hash map catches the rest
// (copy-on-write copies, anonymous memory).
void buildFrames(Snapshot& snap);

} // namespace shmviz::core
