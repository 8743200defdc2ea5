// Finding the page a step addresses, and the sentences about what happened to it: shared by the
// page steps (touch, write, read) and by munmap.
#include "core/session/session.h"

#include "core/session/narration.h"
#include "core/steps/units.h"

#include <csignal>

namespace shmviz::core {

namespace {

std::optional<std::uint64_t> pfnOf(const Snapshot& snap, int worker, std::uint32_t attachment,
                                   std::uint64_t page) {
    for (const WorkerView& w : snap.workers)
        if (w.id == worker)
            for (const AttachmentView& a : w.attachments)
                if (a.id == attachment && page < a.entries.size())
                    return visiblePfn(decodePagemapEntry(a.entries[page]), snap.pfnVisible);
    return std::nullopt;
}

std::vector<int> holdersOf(const Snapshot& snap, std::uint64_t pfn) {
    std::vector<int> out;
    for (const FrameView& f : snap.frames)
        if (f.pfn == pfn)
            for (const FrameRef& r : f.mappedBy)
                if (std::find(out.begin(), out.end(), r.worker) == out.end())
                    out.push_back(r.worker);
    return out;
}

} // namespace

Result<Session::SegmentRecord*> Session::pageSegmentFor(const Step& step) {
    if (step.segment && *step.segment < 0) {
        m_anonSegment.id = -1;
        return &m_anonSegment;
    }
    return segmentFor(step);
}

std::string Session::segmentLabel(const SegmentRecord& seg) const {
    if (seg.id < 0)
        return "anonymous memory";
    if (seg.kind == SegmentKind::Posix)
        return "segment " + std::to_string(seg.id) + " (" + seg.name + ")";
    return "segment " + std::to_string(seg.id);
}

Error Session::lostDuringAccess(const WorkerRecord& w, const SegmentRecord& seg, const Error& cause,
                                std::optional<std::uint64_t> page) const {
    if (w.client.alive() || w.client.endedHow() != "killed by SIGBUS")
        return cause;
    std::string message = workerName(w) + " was killed by SIGBUS touching " +
                          (page ? "page " + std::to_string(*page) + " of " : std::string()) +
                          segmentLabel(seg);
    if (seg.kind == SegmentKind::Posix && seg.id >= 0) {
        const std::uint64_t pageSize = currentPageSize();
        message +=
            ": the object is now " + formatSize(seg.size) + " (" + pagesText(seg.size, pageSize) +
            ") since ftruncate shrank it, but the mapping kept its old length, and a mapped page past the "
            "end of its object has no page behind it, so the kernel sends SIGBUS instead of mapping a frame";
    } else {
        message += ": the kernel had no page to back that address";
    }
    return makeError(EFAULT, message + ". The worker is gone; the session goes on.");
}

std::string Session::privateWriteNote(const Snapshot& before, const WorkerRecord& w, const AttachmentRef& ref,
                                      std::uint64_t page) const {
    if (!ref.privateMapping || !m_latest)
        return "";
    const auto after = pfnOf(*m_latest, w.id, ref.id, page);
    if (!after)
        return "";
    const auto was = pfnOf(before, w.id, ref.id, page);
    const std::string who = "worker " + std::to_string(w.id);
    if (was && *was != *after) {
        std::vector<int> holders = holdersOf(*m_latest, *was);
        std::string note =
            "Copy-on-write: until this write the page was frame " + hex(*was) +
            ", shared and write-protected; the write fault made the kernel copy it into frame " +
            hex(*after) + ", which only " + who + " maps.";
        if (!holders.empty())
            note += " Frame " + hex(*was) + " stays as it was, mapped by " + listWorkers(holders) +
                    ", and does not see this write.";
        return note;
    }
    if (was || ref.segment < 0)
        return "";
    // A private mapping of an object, written before it was ever read: look for the object's own page.
    std::optional<std::uint64_t> shared;
    for (const WorkerView& v : m_latest->workers)
        for (const AttachmentView& a : v.attachments)
            if (a.segment == ref.segment && !a.privateMapping && page < a.entries.size())
                if (auto pfn = visiblePfn(decodePagemapEntry(a.entries[page]), m_latest->pfnVisible);
                    pfn && !shared)
                    shared = pfn;
    if (shared && *shared != *after)
        return "The mapping is private (MAP_PRIVATE), so the write fault gave " + who +
               " its own copy in frame " + hex(*after) + "; the object's page stays in frame " +
               hex(*shared) + ", where every shared mapping keeps seeing the old bytes.";
    return "The mapping is private (MAP_PRIVATE), so the write fault gave " + who +
           " its own copy in frame " + hex(*after) + ": the object itself did not change.";
}

Error Session::faultError(const WorkerRecord& w, const WorkerReply& reply, const std::string& doing) const {
    if (reply.status.signal == SIGSEGV) {
        const bool accerr = reply.status.signalCode == SEGV_ACCERR;
        return makeError(
            EACCES, workerName(w) + " " + doing + " faulted at " + hex(reply.status.faultAddress) + ": " +
                        (accerr ? "the page is mapped read-only, so the kernel sent SIGSEGV (SEGV_ACCERR)"
                                : "nothing is mapped there, so the kernel sent SIGSEGV (SEGV_MAPERR)") +
                        "; the worker caught it and carries on.");
    }
    if (reply.status.err == ERANGE)
        return makeError(ERANGE,
                         workerName(w) + " " + doing + ": the page is past the end of the attachment.");
    return systemError(reply.status.err, workerName(w) + " " + doing);
}

Error Session::pageOutOfRange(std::uint64_t page, const SegmentRecord& seg, std::uint64_t pages) const {
    return makeError(ERANGE, "Page " + std::to_string(page) + " is out of range: " + segmentLabel(seg) +
                                 " has pages 0 to " + std::to_string(pages - 1) + ".");
}

Result<Session::PageAccess> Session::pageAccess(const Step& step) {
    auto segment = pageSegmentFor(step);
    if (!segment)
        return segment.error();
    auto worker = workerAt(step.worker.index);
    if (!worker)
        return worker.error();
    auto ref = attachmentFor(**worker, **segment, step.attachment, false);
    if (!ref)
        return ref.error();
    PageAccess access{**segment, **worker, **ref, step.page ? step.page->index : 0, 0, currentPageSize()};
    const std::uint64_t pages = (access.ref.size + access.pageSize - 1) / access.pageSize;
    if (access.page >= pages)
        return pageOutOfRange(access.page, access.segment, pages);
    access.va = access.ref.address + access.page * access.pageSize;
    return access;
}

} // namespace shmviz::core
