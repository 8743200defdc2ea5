#include "core/session/page_facts.h"

#include "core/steps/units.h"

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

std::string touchAllSentence(int worker, const PresenceChange& c) {
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
                                   const PresenceChange& c) {
    if (wasPresent)
        return std::string("The page was already present in this page table, so the ") + access +
               (std::string(access) == "read"
                    ? " needed no page fault"
                    : " found its page table entry in place and needed no new frame") +
               (c.became ? "; still, " + pages(c.became) + " became present during this step." : ".");
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

std::string emptyReadSentence(bool wasPresent, bool privateMapping) {
    const std::string nobody =
        privateMapping ? "nothing was ever stored in this page" : "no process has stored text in this page";
    if (wasPresent)
        return "It holds zero bytes because " + nobody +
               ": the page was already present (an earlier access faulted it in), and the kernel zeroes "
               "every page before it hands it out.";
    return "It holds zero bytes because " + nobody + ": the kernel zeroes every page before it hands it out.";
}

std::string keyChangeSentence(std::uint32_t before, std::uint32_t after) {
    if (before == after)
        return "";
    return "Its key changed from " + hex(before, 8) + " to " + hex(after, 8) +
           (after == 0 ? " (IPC_PRIVATE), so no shmget can find it by key any more." : ".");
}

} // namespace shmviz::core
