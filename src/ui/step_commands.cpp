#include "ui/step_commands.h"

#include <algorithm>

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

int mappingsOf(const core::WorkerView& worker, int segment) {
    int n = 0;
    for (const core::AttachmentView& a : worker.attachments)
        n += (segment < 0 ? a.anonymous : a.segment == segment) ? 1 : 0;
    return n;
}

WorkerActions workerActions(const core::Snapshot& snapshot, int worker, int segment) {
    WorkerActions a;
    if (worker < 0 || worker >= static_cast<int>(snapshot.workers.size()))
        return a;
    const core::WorkerView& w = snapshot.workers[worker];
    if (!w.alive)
        return a;
    a.kill = true;
    a.fork = true;
    a.anon = true;
    a.anonPages = mappingsOf(w, -1) > 0;
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg)
        return a;
    const bool attached = attachmentOf(w, seg->id) >= 0;
    const bool posix = seg->kind == core::SegmentKind::Posix;
    a.shmat = !posix;
    a.touch = attached;
    a.shmdt = attached && !posix;
    a.mmap = posix && seg->linked;
    a.munmap = attached && posix;
    return a;
}

SegmentActions segmentActions(const core::Snapshot& snapshot, int segment) {
    SegmentActions a;
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg)
        return a;
    if (seg->kind == core::SegmentKind::Posix) {
        a.ftruncate = seg->linked;
        a.shmUnlink = seg->linked;
        return a;
    }
    a.rmid = !seg->dest;
    a.keep = seg->created && !seg->kept && !seg->dest;
    return a;
}

StepLines::StepLines(const core::Snapshot& snapshot, int segment, PageTarget target)
    : m_snapshot(snapshot), m_segment(segment), m_target(target), m_pageSize(snapshot.pageSize) {}

std::string StepLines::pageOption(int worker) const {
    std::string option = m_target.anon ? " seg=anon" : segmentOption();
    if (worker < 0 || worker >= static_cast<int>(m_snapshot.workers.size()))
        return option;
    const core::SegmentView* seg = actionSegment(m_snapshot, m_segment);
    const int n = mappingsOf(m_snapshot.workers[worker], m_target.anon ? -1 : seg ? seg->id : -2);
    if (n > 1)
        option += " at=" + std::to_string(std::min(m_target.at, n - 1));
    return option;
}

std::string StepLines::sizeText(std::uint64_t pages) const {
    const std::uint64_t bytes = pages * m_pageSize;
    if (bytes % (1024 * 1024) == 0)
        return std::to_string(bytes / (1024 * 1024)) + "M";
    if (bytes % 1024 == 0)
        return std::to_string(bytes / 1024) + "K";
    return std::to_string(bytes);
}

std::string StepLines::shmOpen(const std::string& name, std::uint64_t pages) const {
    return "shm_open " + name + " size=" + sizeText(pages);
}

std::string StepLines::ftruncate(std::uint64_t pages) const {
    return "ftruncate " + sizeText(pages) + segmentOption();
}

std::string StepLines::mmap(int worker, bool privateMapping) const {
    return "mmap " + std::to_string(worker) + segmentOption() + (privateMapping ? " private" : "");
}

std::string StepLines::munmap(int worker) const {
    return "munmap " + std::to_string(worker) + segmentOption();
}

std::string StepLines::shmUnlink() const {
    return "shm_unlink" + segmentOption();
}

std::string StepLines::fork(int worker) const {
    return "fork " + std::to_string(worker);
}

std::string StepLines::anon(int worker, std::uint64_t pages) const {
    return "anon " + std::to_string(worker) + " " + std::to_string(pages);
}

std::string StepLines::segmentOption() const {
    const core::SegmentView* seg = actionSegment(m_snapshot, m_segment);
    if (!seg || m_snapshot.segments.empty() || seg->id == m_snapshot.segments.back().id)
        return "";
    return " seg=" + std::to_string(seg->id);
}

std::string StepLines::shmget(const SegmentRequest& request) const {
    std::string line = "shmget " + sizeText(request.pages);
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
    return "touch " + std::to_string(worker) + " " + std::to_string(page) + pageOption(worker);
}

std::string StepLines::write(int worker, std::uint64_t page, const std::string& text) const {
    return "write " + std::to_string(worker) + " " + std::to_string(page) + " " + text + pageOption(worker);
}

std::string StepLines::read(int worker, std::uint64_t page) const {
    return "read " + std::to_string(worker) + " " + std::to_string(page) + pageOption(worker);
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
