#pragma once
// The snapshot as JSON, in the shape the README documents.
#include "core/session/snapshot.h"

#include <nlohmann/json.hpp>

namespace shmviz::core {

nlohmann::json toJson(const Snapshot& snapshot);

} // namespace shmviz::core
