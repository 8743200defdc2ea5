#pragma once
// What changed between two snapshots published while no step ran: the doing of processes outside
// the session's steps (a kill, a shmat, a shmdt, an ipcrm, an shm_unlink), said in a sentence or
// two for the narration. Only workers and segments are compared, so it costs nothing at any size.
#include "core/session/snapshot.h"

#include <string>

namespace shmviz::core {

// Empty when no worker ended and no segment's attach count, removal or name changed.
std::string outsideChangeSentence(const Snapshot& before, const Snapshot& after);

} // namespace shmviz::core
