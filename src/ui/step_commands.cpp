#include "ui/step_commands.h"

namespace shmviz::ui {

const core::SegmentView* actionSegment(const core::Snapshot& snapshot, int chosen) {
    const core::SegmentView* newest = nullptr;
    for (const core::SegmentView& s : snapshot.segments) {
        if (!s.exists)
            continue;
        if (s.id == chosen)
            return &s;
        newest = &s;
    }
    return newest;
}

int attachmentOf(const core::WorkerView& worker, int segment) {
    for (std::size_t i = 0; i < worker.attachments.size(); ++i)
        if (worker.attachments[i].segment == segment)
            return static_cast<int>(i);
    return -1;
}

WorkerActions workerActions(const core::Snapshot& snapshot, int worker, int segment) {
    WorkerActions a;
    if (worker < 0 || worker >= static_cast<int>(snapshot.workers.size()))
        return a;
    const core::WorkerView& w = snapshot.workers[worker];
    if (!w.alive)
        return a;
    a.kill = true;
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg)
        return a;
    const bool attached = attachmentOf(w, seg->id) >= 0;
    a.shmat = seg->kind == core::SegmentKind::Sysv;
    a.touch = attached;
    a.shmdt = attached && seg->kind == core::SegmentKind::Sysv;
    return a;
}

SegmentActions segmentActions(const core::Snapshot& snapshot, int segment) {
    SegmentActions a;
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg || seg->kind != core::SegmentKind::Sysv)
        return a;
    a.rmid = !seg->dest;
    a.keep = seg->created && !seg->kept && !seg->dest;
    return a;
}

StepLines::StepLines(const core::Snapshot& snapshot, int segment)
    : m_snapshot(snapshot), m_segment(segment), m_pageSize(snapshot.pageSize) {}

std::string StepLines::segmentOption() const {
    const core::SegmentView* seg = actionSegment(m_snapshot, m_segment);
    if (!seg || m_snapshot.segments.empty() || seg->id == m_snapshot.segments.back().id)
        return "";
    return " seg=" + std::to_string(seg->id);
}

std::string StepLines::shmget(const SegmentRequest& request) const {
    const std::uint64_t bytes = request.pages * m_pageSize;
    std::string size = std::to_string(bytes);
    if (bytes % (1024 * 1024) == 0)
        size = std::to_string(bytes / (1024 * 1024)) + "M";
    else if (bytes % 1024 == 0)
        size = std::to_string(bytes / 1024) + "K";
    std::string line = "shmget " + size;
    if (!request.privateKey)
        line += " key=" + request.keyHex;
    if (request.modeOctal != "600" && request.modeOctal != "0600")
        line += " mode=" + request.modeOctal;
    return line;
}

std::string StepLines::shmat(int worker) const {
    return "shmat " + std::to_string(worker) + segmentOption();
}

std::string StepLines::touch(int worker, std::uint64_t page) const {
    return "touch " + std::to_string(worker) + " " + std::to_string(page) + segmentOption();
}

std::string StepLines::write(int worker, std::uint64_t page, const std::string& text) const {
    return "write " + std::to_string(worker) + " " + std::to_string(page) + " " + text + segmentOption();
}

std::string StepLines::read(int worker, std::uint64_t page) const {
    return "read " + std::to_string(worker) + " " + std::to_string(page) + segmentOption();
}

std::string StepLines::shmdt(int worker) const {
    return "shmdt " + std::to_string(worker) + segmentOption();
}

std::string StepLines::kill(int worker) const {
    return "kill " + std::to_string(worker);
}

std::string StepLines::rmid() const {
    return "rmid" + segmentOption();
}

std::string StepLines::keep() const {
    return "keep" + segmentOption();
}

} // namespace shmviz::ui
