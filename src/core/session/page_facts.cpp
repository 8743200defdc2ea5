#include "core/session/page_facts.h"

#include "core/session/narration.h"
#include "core/session/snapshot_diff.h"
#include "core/steps/units.h"

#include <algorithm>

namespace shmviz::core {

const AttachmentView* findAttachment(const Snapshot& snap, int worker, std::uint32_t attachment) {
    for (const WorkerView& w : snap.workers)
        if (w.id == worker)
            for (const AttachmentView& a : w.attachments)
                if (a.id == attachment)
                    return &a;
    return nullptr;
}

bool pagePresent(const Snapshot& snap, int worker, std::uint32_t attachment, std::uint64_t page) {
    const AttachmentView* a = findAttachment(snap, worker, attachment);
    return a && page < a->entries.size() && decodePagemapEntry(a->entries[page]).present;
}

PresenceChange presenceChange(const Snapshot* before, const Snapshot& after, int worker,
                              std::uint32_t attachment) {
    PresenceChange c;
    const AttachmentView* now = findAttachment(after, worker, attachment);
    if (!now)
        return c;
    const AttachmentView* then = before ? findAttachment(*before, worker, attachment) : nullptr;
    c.pages = now->entries.size();
    for (std::size_t i = 0; i < now->entries.size(); ++i) {
        const bool was = then && i < then->entries.size() && decodePagemapEntry(then->entries[i]).present;
        const bool is = decodePagemapEntry(now->entries[i]).present;
        c.presentBefore += was;
        c.presentAfter += is;
        c.became += is && !was;
    }
    return c;
}

namespace {
std::string pages(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " page" : " pages");
}
} // namespace

std::uint64_t slotsPerPage(const Snapshot& snap, int segment) {
    for (const SegmentView& s : snap.segments)
        if (s.id == segment && s.hugetlb && s.hugePageSize > snap.pageSize && snap.pageSize)
            return s.hugePageSize / snap.pageSize;
    return 1;
}

namespace {
std::string hugePages(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " huge page" : " huge pages");
}

std::string hugeTouchAllSentence(int worker, const PresenceChange& c, std::uint64_t slots) {
    const std::uint64_t huge = (c.pages + slots - 1) / slots;
    const std::uint64_t faults = (c.became + slots - 1) / slots;
    std::string s = "Worker " + std::to_string(worker) + " wrote to all " + pages(c.pages) +
                    " (4 KiB slots of " + hugePages(huge) + "). ";
    if (c.became == 0)
        return s + "Every one was already present, so none needed a fault or a new page table entry.";
    return s + std::to_string(faults) + (faults == 1 ? " fault" : " faults") + " filled in " +
           std::to_string(faults) + (faults == 1 ? " page table entry" : " page table entries") +
           ", one per huge page at the level above the last-level tables (a PMD entry covering " +
           std::to_string(slots) + " slots): " + std::to_string(c.became) +
           " slots became present without an entry of their own.";
}
} // namespace

std::string touchAllSentence(int worker, const PresenceChange& c, std::uint64_t slots) {
    if (slots > 1)
        return hugeTouchAllSentence(worker, c, slots);
    std::string s = "Worker " + std::to_string(worker) + " wrote to all " + pages(c.pages) + ". ";
    if (c.became == 0)
        return s +
               "Every one was already present in its page table, so none needed a new frame or a new page "
               "table entry.";
    if (c.became == c.pages)
        return s + "Each first write faulted, and the kernel filled in " + std::to_string(c.became) +
               " page table entries.";
    return s + std::to_string(c.became) + " of them faulted in now and got a page table entry; the other " +
           std::to_string(c.pages - c.became) + " were already present, so they needed no new frame.";
}

std::string accessPresenceSentence(const char* access, std::uint64_t page, bool wasPresent,
                                   const PresenceChange& c, std::uint64_t slots) {
    if (wasPresent)
        return std::string("The page was already present in this page table, so the ") + access +
               (std::string(access) == "read"
                    ? " needed no page fault"
                    : " found its page table entry in place and needed no new frame") +
               (c.became ? "; still, " + pages(c.became) + " became present during this step." : ".");
    if (slots > 1)
        return std::string("The ") + access + " faulted page " + std::to_string(page) +
               " in as part of a whole huge page: one fault and one page table entry (a PMD entry, a level "
               "above the last-level tables) now map all " +
               std::to_string(slots) +
               " 4 KiB slots it covers, on consecutive frame numbers of one physical page. This is no "
               "fault-around; " +
               std::to_string(c.presentAfter) + " of the mapping's " + std::to_string(c.pages) +
               " slots are now present.";
    if (c.became <= 1)
        return std::string("The ") + access + " faulted page " + std::to_string(page) +
               " in: its page table entry is now present, and no other page of the mapping became present.";
    return std::string("The ") + access + " faulted page " + std::to_string(page) + " in, and " +
           pages(c.became - 1) +
           " next to it became present with it: fault-around (mm/memory.c do_fault_around) maps neighbouring "
           "pages that are already in memory on one read fault of a shared file or shmem mapping. " +
           std::to_string(c.presentAfter) + " of the mapping's " + std::to_string(c.pages) +
           " pages are now present.";
}

bool frameMapped(const Snapshot& snap, std::uint64_t pfn) {
    for (const FrameView& f : snap.frames)
        if (f.pfn == pfn)
            return true;
    return false;
}

std::string emptyReadSentence(bool wasPresent, bool privateMapping, const std::vector<int>& alreadyMappedBy) {
    const std::string nobody =
        privateMapping ? "nothing was ever stored in this page" : "no process has stored text in this page";
    if (wasPresent)
        return "It holds zero bytes because " + nobody +
               ": the page was already present (an earlier access faulted it in), and the kernel zeroes "
               "every page before it hands it out.";
    if (!alreadyMappedBy.empty())
        return "It holds zero bytes because " + nobody +
               ". It is no new page: its frame was already in memory, " + "mapped by " +
               listWorkers(alreadyMappedBy) +
               ", and this read's fault only pointed the page table entry at it (the kernel zeroed the frame "
               "when it first handed it out).";
    return "It holds zero bytes because " + nobody + ": the kernel zeroes every page before it hands it out.";
}

std::string writeReachSentence(bool privateMapping, bool posix, const std::vector<int>& copiedBy) {
    if (privateMapping)
        return ", this process's private page.";
    if (!posix)
        return ", where every process that attached the segment can read them.";
    const std::string shared = ", where every shared mapping of the object reads them";
    if (copiedBy.empty())
        return shared + ".";
    return shared + ", but not the MAP_PRIVATE mapping of " + listWorkers(copiedBy) +
           ": it copied this page earlier and keeps its copy.";
}

std::vector<int> privateCopiesOf(const Snapshot& snap, int segment, std::uint64_t page, std::uint64_t pfn) {
    std::vector<int> out;
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments) {
            if (!a.privateMapping || a.segment != segment || page >= a.entries.size())
                continue;
            const auto other = visiblePfn(decodePagemapEntry(a.entries[page]), snap.pfnVisible);
            if (other && *other != pfn && std::find(out.begin(), out.end(), w.id) == out.end())
                out.push_back(w.id);
        }
    return out;
}

std::string afterDetachSentence(const SegmentView& after) {
    // nattch counts attachments, not processes: one process may attach a segment twice.
    const std::string n = std::to_string(after.nattch);
    const std::string attachments = n + (after.nattch == 1 ? " attachment" : " attachments");
    if (!after.exists)
        return "That was the last attachment of a segment marked for destruction, so the kernel freed it and "
               "its frames now.";
    if (after.dest)
        return "The segment is marked for destruction, so it lives on only for the " + attachments +
               " still in place (nattch is now " + n +
               "); the kernel frees it and its frames at the last detach.";
    if (after.nattch == 0)
        return "Nobody is attached now (nattch 0), but the segment and its data stay in the kernel until "
               "IPC_RMID; a process can attach it again later by " +
               (after.key ? "its key " + hex(after.key, 8)
                          : std::string("its shmid (its key is IPC_PRIVATE)")) +
               ".";
    return "The data stays in the segment for the " + attachments +
           " still in place and any made later; nattch is now " + n + ".";
}

std::string failedStepSentence(const Snapshot* before, const Snapshot* after) {
    if (!before || !after)
        return "The session goes on.";
    const SnapshotDiff diff = diffSnapshots(*before, *after);
    if (diff.empty())
        return "Nothing was changed by this step; the session goes on.";
    return "The step failed, but the kernel state still changed: " + diffSummary(diff) + ".";
}

std::string newMappingSentence(bool hugetlb) {
    const std::string s =
        "No page of the new mapping is present yet: a page becomes present at its first access";
    // hugetlb_vm_ops has no map_pages, so do_fault_around never runs there: each fault maps one huge page.
    return s + (hugetlb ? "." : ", and a read fault also maps neighbours already in memory (fault-around).");
}

std::string keyChangeSentence(std::uint32_t before, std::uint32_t after) {
    if (before == after)
        return "";
    return "Its key changed from " + hex(before, 8) + " to " + hex(after, 8) +
           (after == 0 ? " (IPC_PRIVATE), so no shmget can find it by key any more." : ".");
}

} // namespace shmviz::core
