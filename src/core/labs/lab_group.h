#pragma once
// Runs a set of lab workers through one experiment: start them, wait until each has attached what it
// needs (`ready`), start them together (`go`), then pump their control sockets until every one has
// reported its `result`, passing progress and other lines to a handler. Honours the cancel flag
// within ~50 ms and gives up after a stretch of silence; either way every worker is killed and reaped
// before returning. Session thread only.
#include "core/labs/lab_child.h"
#include "core/labs/lab_message.h"
#include "core/labs/lab_progress.h"
#include "core/labs/lab_scope.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace shmviz::core::labs {

// What a lab needs from the session that runs it.
struct LabContext {
    std::string workerPath;
    GuardianLink* guardian = nullptr;          // may be null (no guardian)
    const std::atomic<bool>* cancel = nullptr; // may be null
    LabProgress* progress = nullptr;           // may be null
};

class LabGroup {
  public:
    explicit LabGroup(const LabContext& context) : m_context(context) {}

    // Starts one worker; returns its index in the group.
    Result<std::size_t> add(const std::string& role, const std::vector<std::string>& args, int dataFd = -1);
    std::size_t size() const { return m_children.size(); }
    LabChild& child(std::size_t i) { return m_children[i].child; }

    // Waits for `ready` from every worker.
    Status awaitReady(std::chrono::milliseconds timeout);
    // Sends `go` to every worker, as close together as a loop of writes allows.
    Status go();
    Status go(std::size_t index);

    // Handles one non-result line from worker `index` (progress, holding); an error stops the lab.
    using Handler = std::function<Status(std::size_t index, const LabMessage& message)>;
    // Waits for a `result` from every worker not excused with excuse(); `silence` is the longest
    // wait without any line before giving up (ETIMEDOUT).
    Result<std::vector<LabMessage>> collect(const Handler& handler, std::chrono::milliseconds silence);
    // go(), then collect() with `progress` lines counted into `progress`.
    Result<std::vector<LabMessage>> goAndCollect(ProgressScope& progress, std::chrono::milliseconds silence);
    // Marks a worker whose end (no result) is part of the experiment.
    void excuse(std::size_t index) { m_children[index].excused = true; }

    void killAll();

  private:
    struct Member {
        LabChild child;
        bool ready = false;
        bool done = false;
        bool excused = false;
        LabMessage result;
    };
    // One round of polling; `want` is "ready" or "result".
    Status pump(const std::string& want, const Handler& handler, std::chrono::milliseconds silence,
                const std::function<bool()>& finished);
    Error workerError(std::size_t index, const std::string& what) const;

    LabContext m_context;
    std::vector<Member> m_children;
};

} // namespace shmviz::core::labs
