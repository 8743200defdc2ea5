#include "core/base/numbers.h"
#include "core/base/text_lines.h"
#include "core/kernel/file_text.h"
#include "core/session/narration.h"
#include "core/session/session.h"

#include <thread>

namespace shmviz::core {

Session::Outcome Session::spawn(const Step& step) {
    Outcome o;
    if (step.count == 0 || step.count > kMaxWorkers)
        return o.fail(makeError(EINVAL, "Spawn takes between 1 and " + std::to_string(kMaxWorkers) +
                                            " workers, not " + std::to_string(step.count) + "."));
    if (m_workers.size() + step.count > kMaxWorkers) {
        o.error = makeError(EAGAIN, "This session already has " + std::to_string(m_workers.size()) +
                                        " workers; it holds at most " + std::to_string(kMaxWorkers) + ".");
        return o;
    }
    nlohmann::json started = nlohmann::json::array();
    std::string pids;
    for (std::uint64_t i = 0; i < step.count; ++i) {
        auto client = WorkerClient::start(m_options.workerPath);
        if (!client) {
            o.error = client.error();
            break;
        }
        m_guardian.ownWorker(client->pid());
        WorkerRecord record{static_cast<int>(m_workers.size()), std::move(*client), -1, {}};
        started.push_back({{"id", record.id}, {"pid", record.client.pid()}});
        pids += (pids.empty() ? "" : ", ") + std::to_string(record.id) + " (pid " +
                std::to_string(record.client.pid()) + ")";
        m_workers.push_back(std::move(record));
    }
    o.data["workers"] = started;
    if (started.empty())
        return o;
    std::optional<int> randomize;
    if (auto text = readFileText("/proc/sys/kernel/randomize_va_space"))
        if (auto value = parseUnsigned(trim(*text), 10, "kernel.randomize_va_space"))
            randomize = static_cast<int>(*value);
    o.explain = spawnedSentence(started.size(), pids, randomize);
    return o;
}

Session::Outcome Session::kill(const Step&, WorkerRecord& worker) {
    Outcome o;
    const std::size_t attachments = worker.attachments.size();
    std::vector<WorkerRecord*> children;
    for (WorkerRecord& other : m_workers)
        if (other.parent == worker.id && other.client.alive())
            children.push_back(&other);
    worker.client.kill();
    m_guardian.forgetWorker(worker.client.pid());
    worker.attachments.clear();
    // Forked children carry a parent-death signal; give them a moment to receive it.
    std::string orphans;
    for (WorkerRecord* child : children) {
        for (int i = 0; i < 100 && !child->client.pollExit(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (!child->client.alive()) {
            child->attachments.clear();
            orphans += (orphans.empty() ? "" : ", ") + std::to_string(child->id);
        }
    }
    o.data["worker"] = {{"id", worker.id}, {"pid", worker.client.pid()}, {"ended", worker.client.endedHow()}};
    o.explain =
        workerName(worker) + " was " + worker.client.endedHow() + ". It could not clean up, yet the kernel " +
        (attachments ? "detached its " + std::to_string(attachments) +
                           " attachment(s) as the process exited, so each segment's attach count dropped."
                     : "released its address space as the process exited.");
    if (!orphans.empty())
        o.explain +=
            " Its forked child worker(s) " + orphans +
            " died with it: they asked the kernel for a signal when their parent dies (PR_SET_PDEATHSIG).";
    return o;
}

Session::Outcome Session::help() {
    Outcome o;
    nlohmann::json steps = nlohmann::json::array();
    for (auto& [usage, what] : stepUsage())
        steps.push_back({{"usage", usage}, {"does", what}});
    o.data["steps"] = steps;
    o.explain =
        "Workers are numbered 0, 1, 2... in spawn order and segments 0, 1, 2... in creation order; seg=N "
        "picks a segment (default: the newest).";
    return o;
}

} // namespace shmviz::core
