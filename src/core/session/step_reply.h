#pragma once
// What one step did: success or one plain error sentence, its data, and what the kernel did.
#include "core/base/error.h"
#include "core/session/snapshot.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace shmviz::core {

struct StepReply {
    int number = 0;  // 1.. in the order steps ran
    std::string cmd; // the line as given
    bool ok = true;
    std::optional<Error> error;
    nlohmann::json data = nlohmann::json::object(); // the step's result fields
    std::string explain;                            // what the kernel just did, for a student
    bool quit = false;
    bool endsScript = false; // a `require` that the machine does not meet: skip the rest of the script
    std::shared_ptr<const Snapshot> snapshot; // the state right after the step
};

// {"step", "cmd", "ok", "error": {"errno", "message"} | <data fields>, "explain"}, in that order.
nlohmann::ordered_json toJson(const StepReply& reply);

} // namespace shmviz::core
