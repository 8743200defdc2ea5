#pragma once
// The snapshot object, streamed: per page (the default) or as runs (`snapshot runs`).
#include "app/json/json_stream.h"
#include "core/session/snapshot.h"

namespace shmviz::app::json {

void snapshot(Writer& w, const core::Snapshot& s, bool runs);

} // namespace shmviz::app::json
