#include "core/session/step_reply.h"

namespace shmviz::core {

nlohmann::ordered_json toJson(const StepReply& reply) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["step"] = reply.number;
    j["cmd"] = reply.cmd;
    j["ok"] = reply.ok;
    if (reply.error)
        j["error"] = {{"errno", errnoName(reply.error->err)}, {"message", reply.error->message}};
    for (auto& [key, value] : reply.data.items())
        j[key] = value;
    if (reply.endsScript)
        j["skipped_rest"] = true;
    j["explain"] = reply.explain;
    return j;
}

} // namespace shmviz::core
