#pragma once
// What one step did: success or one plain error sentence, its data, and what the kernel did.
// Faces read the typed result; only the JSON writer (src/app/json) turns a reply into text.
#include "core/base/error.h"
#include "core/labs/lab_results.h"
#include "core/session/snapshot.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

namespace shmviz::core {

// A `snapshot` step: report the snapshot, per page or (`snapshot runs`) as runs.
struct SnapshotReport {
    bool runs = false;
};

using StepResult =
    std::variant<std::monostate, labs::RaceResult, labs::TornResult, labs::IpcResult, SnapshotReport>;

struct StepReply {
    int number = 0;  // 1.. in the order steps ran
    std::string cmd; // the line as given
    bool ok = true;
    std::optional<Error> error;
    nlohmann::json data = nlohmann::json::object(); // the step's small result fields, keys sorted
    StepResult result;                              // a lab's measurements, or the snapshot to report
    std::string explain;                            // what the kernel just did, for a student
    bool quit = false;
    bool endsScript = false; // a `require` that the machine does not meet: skip the rest of the script
    std::shared_ptr<const Snapshot> snapshot; // the state right after the step
};

} // namespace shmviz::core
