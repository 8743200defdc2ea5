#pragma once
// The one JSON writer of shmviz. The headless face and the GUI's trace write step replies through
// it, straight to their output as each value is produced (RapidJSON's Writer, no document tree),
// so a snapshot of millions of page table entries costs its bytes, not a tree of objects.
// No GUI headers: tests and benchmarks link it too. Key order and schema: README "Headless JSON".
#include "core/session/snapshot.h"
#include "core/session/step_reply.h"

#include <cstdio>

namespace shmviz::app::json {

// One reply as one line: {"step", "cmd", "ok", "error" | data fields, "skipped_rest", "explain"},
// then "snapshot" when the step reports it. Ends with '\n' and flushes `out`.
void writeReply(std::FILE* out, const core::StepReply& reply);

// A small value (the GUI trace's events) as one line; flushes `out`.
void writeLine(std::FILE* out, const nlohmann::json& value);

// Only the snapshot object, per page or as runs, without a newline (for tests and benchmarks).
void writeSnapshot(std::FILE* out, const core::Snapshot& snapshot, bool runs);

} // namespace shmviz::app::json
