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

const core::SegmentView* shownSegment(const core::Snapshot& snapshot, int chosen) {
    if (snapshot.segments.empty())
        return nullptr;
    for (const core::SegmentView& s : snapshot.segments)
        if (s.id == chosen)
            return &s;
    return &snapshot.segments.back();
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

namespace {

std::string workerText(int worker) {
    return "worker " + std::to_string(worker);
}

std::string segText(const core::SegmentView& seg) {
    return "seg " + std::to_string(seg.id);
}

// Every worker button refuses with the same reason when the worker is gone.
WorkerActions refuseAll(const std::string& why) {
    WorkerActions a;
    for (Allowed* x :
         {&a.shmat, &a.touch, &a.shmdt, &a.kill, &a.mmap, &a.munmap, &a.fork, &a.anon, &a.anonPages})
        *x = refused(why);
    return a;
}

} // namespace

WorkerActions workerActions(const core::Snapshot& snapshot, int worker, int segment) {
    if (worker < 0 || worker >= static_cast<int>(snapshot.workers.size()))
        return refuseAll(snapshot.workers.empty()
                             ? "no worker yet: press spawn worker (N) first"
                             : "there is no " + workerText(worker) + ": select one with keys 0-9");
    const core::WorkerView& w = snapshot.workers[worker];
    if (!w.alive)
        return refuseAll(workerText(worker) + " has " + w.endedHow + ": spawn a new worker");
    WorkerActions a;
    a.kill = allowed();
    a.fork = allowed();
    a.anon = allowed();
    a.anonPages = mappingsOf(w, -1) > 0
                      ? allowed()
                      : refused(workerText(worker) + " has no anonymous memory: press anon 2 pages first");
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg) {
        const std::string why = snapshot.segments.empty()
                                    ? "no segment yet: press shmget (G) or shm_open (O) first"
                                    : "every segment is gone: press shmget (G) or shm_open (O)";
        a.shmat = a.touch = a.shmdt = a.mmap = a.munmap = refused(why);
        return a;
    }
    const bool attached = attachmentOf(w, seg->id) >= 0;
    const bool posix = seg->kind == core::SegmentKind::Posix;
    const std::string notAttached = workerText(worker) + " is not attached to " + segText(*seg) + ": press " +
                                    (posix ? "mmap (M)" : "shmat (A)") + " first";
    a.shmat = posix ? refused(segText(*seg) + " is a POSIX object: use mmap") : allowed();
    a.touch = attached ? allowed() : refused(notAttached);
    a.shmdt = posix      ? refused(segText(*seg) + " is a POSIX object: use munmap")
              : attached ? allowed()
                         : refused(notAttached);
    a.mmap = !posix         ? refused(segText(*seg) + " is a System V segment: use shmat")
             : !seg->linked ? refused(seg->name + " was unlinked: no new process can open it")
                            : allowed();
    a.munmap = !posix     ? refused(segText(*seg) + " is a System V segment: use shmdt")
               : attached ? allowed()
                          : refused(workerText(worker) + " does not map " + segText(*seg));
    return a;
}

SegmentActions segmentActions(const core::Snapshot& snapshot, int segment) {
    SegmentActions a;
    const core::SegmentView* seg = actionSegment(snapshot, segment);
    if (!seg) {
        const std::string why = snapshot.segments.empty()
                                    ? "no segment yet: press shmget (G) or shm_open (O) first"
                                    : "every segment is gone: press shmget (G) or shm_open (O)";
        a.rmid = a.keep = a.ftruncate = a.shmUnlink = refused(why);
        return a;
    }
    if (seg->kind == core::SegmentKind::Posix) {
        const std::string unlinked = seg->name + " was already unlinked from /dev/shm";
        a.ftruncate = seg->linked ? allowed() : refused(unlinked);
        a.shmUnlink = seg->linked ? allowed() : refused(unlinked);
        a.rmid = refused(segText(*seg) + " is a POSIX object: use shm_unlink");
        a.keep = refused(segText(*seg) + " is a POSIX object: the keep button is for System V segments");
        return a;
    }
    a.ftruncate = refused(segText(*seg) + " is a System V segment: its size is fixed at shmget");
    a.shmUnlink = refused(segText(*seg) + " is a System V segment: use IPC_RMID");
    a.rmid = seg->dest ? refused(segText(*seg) + " is already marked for destruction (IPC_RMID)") : allowed();
    a.keep = seg->dest   ? refused(segText(*seg) + " is marked for destruction")
             : seg->kept ? refused(segText(*seg) + " is already kept")
             : !seg->created
                 ? refused(segText(*seg) + " was made by another process, so shmviz never removes it")
                 : allowed();
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
