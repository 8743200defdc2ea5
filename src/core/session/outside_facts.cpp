#include "core/session/outside_facts.h"

#include <algorithm>

namespace shmviz::core {

namespace {

// The sentences for one segment, each ending with a space.
std::string segmentChange(const SegmentView& was, const SegmentView& is, bool workerEnded) {
    const std::string seg = "Seg " + std::to_string(is.id);
    if (was.exists && !is.exists)
        return seg + " no longer exists: the kernel freed it. ";
    std::string out;
    if (!was.dest && is.dest)
        out += seg +
               " was marked for removal (IPC_RMID) by a process outside the session; the kernel frees it "
               "at the last detach. ";
    if (is.kind == SegmentKind::Posix && was.linked && !is.linked)
        out += seg + "'s name " + is.name +
               " was unlinked by a process outside the session; its memory stays while it is mapped. ";
    if (was.nattch != is.nattch) {
        const std::string by = is.nattch > was.nattch ? ": a process outside the session attached it"
                               : workerEnded          ? ""
                                                      : ": a process outside the session detached it";
        out += seg + "'s attach count (nattch) went from " + std::to_string(was.nattch) + " to " +
               std::to_string(is.nattch) + by + ". ";
    }
    return out;
}

} // namespace

std::string outsideChangeSentence(const Snapshot& before, const Snapshot& after) {
    std::string out;
    bool workerEnded = false;
    for (const WorkerView& w : after.workers) {
        const auto was = std::find_if(before.workers.begin(), before.workers.end(),
                                      [&](const WorkerView& b) { return b.id == w.id; });
        if (was == before.workers.end() || !was->alive || w.alive)
            continue;
        workerEnded = true;
        out += "Worker " + std::to_string(w.id) + " (pid " + std::to_string(w.pid) +
               ") ended between steps, " + w.endedHow + "; the kernel removed its mappings. ";
    }
    for (const SegmentView& s : after.segments) {
        const auto was = std::find_if(before.segments.begin(), before.segments.end(),
                                      [&](const SegmentView& b) { return b.id == s.id; });
        if (was != before.segments.end())
            out += segmentChange(*was, s, workerEnded);
    }
    if (!out.empty())
        out.pop_back();
    return out;
}

} // namespace shmviz::core
