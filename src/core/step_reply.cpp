#include "core/step_reply.h"

namespace shmviz::core {

nlohmann::json toJson(const StepReply& reply) {
    nlohmann::json j = nlohmann::json::object();
    j["step"] = reply.number;
    j["cmd"] = reply.cmd;
    j["ok"] = reply.ok;
    if (reply.error)
        j["error"] = {{"errno", errnoName(reply.error->err)}, {"message", reply.error->message}};
    for (auto& [key, value] : reply.data.items())
        j[key] = value;
    j["explain"] = reply.explain;
    return j;
}

} // namespace shmviz::core
