#include "core/session/snapshot_diff.h"

#include "core/steps/units.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace shmviz::core {
namespace {

using AttachmentKey = std::pair<int, std::uint32_t>; // (worker, the worker's attachment id)

std::map<AttachmentKey, const AttachmentView*> attachmentsOf(const Snapshot& snap) {
    std::map<AttachmentKey, const AttachmentView*> out;
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments)
            out[{w.id, a.id}] = &a;
    return out;
}

// The arrow from page `i` of an attachment: its frame number when present (nullopt inside when
// hidden), nothing when absent.
std::optional<std::optional<std::uint64_t>> arrowAt(const AttachmentView* a, std::size_t i, bool pfnVisible) {
    if (!a || i >= a->entries.size())
        return std::nullopt;
    const PageEntry e = decodePagemapEntry(a->entries[i]);
    if (!e.present)
        return std::nullopt;
    return visiblePfn(e, pfnVisible);
}

// Arrows added and removed, in (worker, attachment, page) order. Two million entries at 1 GiB x 8:
// attachments are walked side by side, and entries that are equal word for word are skipped.
void diffArrows(SnapshotDiff& d, const Snapshot& before, const Snapshot& after) {
    const auto was = attachmentsOf(before);
    const auto is = attachmentsOf(after);
    std::set<AttachmentKey> keys;
    for (const auto* side : {&was, &is})
        for (const auto& entry : *side)
            keys.insert(entry.first);
    const bool sameVisibility = before.pfnVisible == after.pfnVisible;
    for (const AttachmentKey& key : keys) {
        const auto then = was.find(key);
        const auto now = is.find(key);
        const AttachmentView* a = then == was.end() ? nullptr : then->second;
        const AttachmentView* b = now == is.end() ? nullptr : now->second;
        const std::size_t n = std::max(a ? a->entries.size() : 0, b ? b->entries.size() : 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (sameVisibility && a && b && i < a->entries.size() && i < b->entries.size() &&
                a->entries[i] == b->entries[i])
                continue;
            const auto arrowThen = arrowAt(a, i, before.pfnVisible);
            const auto arrowNow = arrowAt(b, i, after.pfnVisible);
            if (arrowNow && arrowNow != arrowThen)
                d.arrowsAdded.push_back({key.first, key.second, i});
            if (arrowThen && arrowThen != arrowNow)
                d.arrowsRemoved.push_back({key.first, key.second, i});
        }
    }
}

// The frame numbers of a snapshot, sorted, each once.
std::vector<std::uint64_t> framesOf(const Snapshot& snap) {
    std::vector<std::uint64_t> out;
    out.reserve(snap.frames.size());
    for (const FrameView& f : snap.frames)
        out.push_back(f.pfn);
    if (!std::is_sorted(out.begin(), out.end()))
        std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// 4 KiB slots per page of each hugetlb segment of either snapshot (512 for 2 MiB pages).
std::map<int, std::uint64_t> hugeSlots(const Snapshot& a, const Snapshot& b) {
    std::map<int, std::uint64_t> out;
    for (const Snapshot* snap : {&a, &b})
        for (const SegmentView& s : snap->segments)
            if (s.hugetlb && snap->pageSize && s.hugePageSize > snap->pageSize)
                out[s.id] = s.hugePageSize / snap->pageSize;
    return out;
}

// The segment each worker's attachment maps, to tell huge-page arrows from the rest.
std::map<std::pair<int, std::uint32_t>, int> segmentOfAttachment(const Snapshot& a, const Snapshot& b) {
    std::map<std::pair<int, std::uint32_t>, int> out;
    for (const Snapshot* snap : {&a, &b})
        for (const WorkerView& w : snap->workers)
            for (const AttachmentView& m : w.attachments)
                out[{w.id, m.id}] = m.segment;
    return out;
}

std::map<std::uint64_t, int> segmentOfFrame(const Snapshot& a, const Snapshot& b) {
    std::map<std::uint64_t, int> out;
    for (const Snapshot* snap : {&a, &b})
        for (const FrameView& f : snap->frames)
            out[f.pfn] = f.segment;
    return out;
}

// Counts the huge-page share of a diff: slots and frames as pagemap lists them, and the entries
// and huge pages they make up.
void countHuge(SnapshotDiff& d, const Snapshot& before, const Snapshot& after) {
    const auto slots = hugeSlots(before, after);
    if (slots.empty())
        return;
    const auto segOf = segmentOfAttachment(before, after);
    const auto arrows = [&](const std::vector<PageRef>& refs, std::size_t& nSlots, std::size_t& nEntries) {
        std::set<std::tuple<int, std::uint32_t, std::uint64_t>> entries;
        for (const PageRef& r : refs)
            if (auto seg = segOf.find({r.worker, r.attachment}); seg != segOf.end())
                if (auto n = slots.find(seg->second); n != slots.end()) {
                    ++nSlots;
                    entries.insert({r.worker, r.attachment, r.page / n->second});
                }
        nEntries = entries.size();
    };
    arrows(d.arrowsAdded, d.huge.slotsAdded, d.huge.entriesAdded);
    arrows(d.arrowsRemoved, d.huge.slotsRemoved, d.huge.entriesRemoved);
    const auto frameSeg = segmentOfFrame(before, after);
    const auto frames = [&](const std::vector<std::uint64_t>& pfns, std::size_t& nFrames,
                            std::size_t& nPages) {
        std::set<std::pair<int, std::uint64_t>> pages;
        for (std::uint64_t pfn : pfns)
            if (auto seg = frameSeg.find(pfn); seg != frameSeg.end())
                if (auto n = slots.find(seg->second); n != slots.end()) {
                    ++nFrames;
                    pages.insert({seg->second, pfn / n->second});
                }
        nPages = pages.size();
    };
    frames(d.framesAppeared, d.huge.framesAppeared, d.huge.pagesAppeared);
    frames(d.framesFreed, d.huge.framesFreed, d.huge.pagesFreed);
}

} // namespace

bool SnapshotDiff::empty() const {
    return arrowsAdded.empty() && arrowsRemoved.empty() && framesAppeared.empty() && framesFreed.empty() &&
           segments.empty() && segmentsNew.empty() && workersNew.empty() && workersEnded.empty();
}

SnapshotDiff diffSnapshots(const Snapshot& before, const Snapshot& after) {
    SnapshotDiff d;
    diffArrows(d, before, after);
    const auto framesThen = framesOf(before);
    const auto framesNow = framesOf(after);
    std::set_difference(framesNow.begin(), framesNow.end(), framesThen.begin(), framesThen.end(),
                        std::back_inserter(d.framesAppeared));
    std::set_difference(framesThen.begin(), framesThen.end(), framesNow.begin(), framesNow.end(),
                        std::back_inserter(d.framesFreed));
    for (const SegmentView& s : after.segments) {
        const auto old = std::find_if(before.segments.begin(), before.segments.end(),
                                      [&](const SegmentView& b) { return b.id == s.id; });
        if (old == before.segments.end()) {
            d.segmentsNew.push_back(s.id);
            continue;
        }
        if (old->nattch != s.nattch || old->key != s.key || old->exists != s.exists)
            d.segments.push_back({s.id, old->nattch, s.nattch, old->key, s.key, old->exists, s.exists});
    }
    for (const WorkerView& w : after.workers) {
        const auto old = std::find_if(before.workers.begin(), before.workers.end(),
                                      [&](const WorkerView& b) { return b.id == w.id; });
        if (old == before.workers.end())
            d.workersNew.push_back(w.id);
        else if (old->alive && !w.alive)
            d.workersEnded.push_back(w.id);
    }
    countHuge(d, before, after);
    return d;
}

std::string diffSummary(const SnapshotDiff& d) {
    std::vector<std::string> parts;
    if (!d.workersNew.empty())
        parts.push_back(count(d.workersNew.size(), "worker started", "workers started"));
    if (!d.workersEnded.empty())
        parts.push_back(count(d.workersEnded.size(), "worker ended", "workers ended"));
    if (!d.segmentsNew.empty())
        parts.push_back(count(d.segmentsNew.size(), "segment new", "segments new"));
    const auto add = [&](std::size_t n, const char* one, const char* many) {
        if (n)
            parts.push_back(count(n, one, many));
    };
    const auto addHuge = [&](std::size_t n, std::size_t slots, const char* one, const char* many) {
        if (n)
            parts.push_back(count(n, one, many) + " (" + count(slots, "slot", "slots") + " of 4 KiB)");
    };
    add(d.arrowsAdded.size() - d.huge.slotsAdded, "arrow added", "arrows added");
    addHuge(d.huge.entriesAdded, d.huge.slotsAdded, "huge page entry added", "huge page entries added");
    add(d.arrowsRemoved.size() - d.huge.slotsRemoved, "arrow removed", "arrows removed");
    addHuge(d.huge.entriesRemoved, d.huge.slotsRemoved, "huge page entry removed",
            "huge page entries removed");
    add(d.framesAppeared.size() - d.huge.framesAppeared, "frame appeared", "frames appeared");
    addHuge(d.huge.pagesAppeared, d.huge.framesAppeared, "huge page appeared", "huge pages appeared");
    add(d.framesFreed.size() - d.huge.framesFreed, "frame no longer mapped", "frames no longer mapped");
    addHuge(d.huge.pagesFreed, d.huge.framesFreed, "huge page no longer mapped",
            "huge pages no longer mapped");
    for (const SegmentChange& c : d.segments) {
        const std::string seg = "seg " + std::to_string(c.segment);
        if (c.existedBefore && !c.existsAfter) {
            parts.push_back(seg + " destroyed");
            continue;
        }
        if (c.nattchBefore != c.nattchAfter)
            parts.push_back(seg + " nattch " + std::to_string(c.nattchBefore) + " -> " +
                            std::to_string(c.nattchAfter));
        if (c.keyBefore != c.keyAfter)
            parts.push_back(seg + " key " + hex(c.keyBefore, 8) + " -> " + hex(c.keyAfter, 8));
    }
    if (parts.empty())
        return "nothing changed";
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? ", " : "") + parts[i];
    return out;
}

namespace {
// 4 KiB slots per page of segment `id`: 512 for 2 MiB huge pages, else 1.
std::uint64_t slotsOf(const Snapshot& snap, int id) {
    for (const SegmentView& s : snap.segments)
        if (s.id == id && s.hugetlb && snap.pageSize && s.hugePageSize > snap.pageSize)
            return s.hugePageSize / snap.pageSize;
    return 1;
}

// Present entries and frames, with huge pages counted as what they are: one entry and one frame
// each, however many 4 KiB slots pagemap reports for them.
std::string presentText(const Snapshot& snap) {
    std::size_t entries = 0, hugeEntries = 0, hugeSlots = 0;
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments) {
            const std::uint64_t slots = slotsOf(snap, a.segment);
            for (std::size_t i = 0; i < a.entries.size(); ++i) {
                if (!decodePagemapEntry(a.entries[i]).present)
                    continue;
                if (slots == 1) {
                    ++entries;
                    continue;
                }
                ++hugeSlots;
                hugeEntries += i % slots == 0 || !decodePagemapEntry(a.entries[i - i % slots]).present;
            }
        }
    std::size_t frames = 0;
    std::set<std::pair<int, std::uint64_t>> hugeFrames;
    for (const FrameView& f : snap.frames) {
        const std::uint64_t slots = slotsOf(snap, f.segment);
        if (slots == 1)
            ++frames;
        else
            hugeFrames.insert({f.segment, f.pfn / slots});
    }
    const std::string huge = count(hugeEntries, "present huge page entry", "present huge page entries") +
                             " (covering " + count(hugeSlots, "4 KiB slot", "4 KiB slots") + ")";
    std::string out =
        !hugeEntries ? count(entries, "present page table entry", "present page table entries")
        : entries ? count(entries, "present page table entry", "present page table entries") + " and " + huge
                  : huge;
    if (!snap.pfnVisible)
        return out;
    const std::string hugeText = count(hugeFrames.size(), "huge page", "huge pages");
    return out + " pointing at " +
           (hugeFrames.empty() ? count(frames, "frame", "frames")
            : frames           ? count(frames, "frame", "frames") + " and " + hugeText
                               : hugeText);
}

// "1 System V segment and 1 POSIX object", named by kind, or "0 segments".
std::string segmentsText(const Snapshot& snap) {
    std::size_t sysv = 0, posix = 0;
    for (const SegmentView& s : snap.segments)
        (s.kind == SegmentKind::Sysv ? sysv : posix) += s.exists;
    const std::string sysvText = count(sysv, "System V segment", "System V segments");
    const std::string posixText = count(posix, "POSIX object", "POSIX objects");
    if (sysv && posix)
        return sysvText + " and " + posixText;
    return posix ? posixText : sysv ? sysvText : "0 segments";
}
} // namespace

std::string snapshotSummary(const Snapshot& snap) {
    std::size_t alive = 0;
    for (const WorkerView& w : snap.workers)
        alive += w.alive;
    std::string out = "The kernel reports now: " + count(alive, "worker running", "workers running") + ", " +
                      segmentsText(snap) + " of this session in existence, " + presentText(snap) + ".";
    for (const SegmentView& s : snap.segments)
        if (s.exists && s.kind == SegmentKind::Sysv)
            out += " Seg " + std::to_string(s.id) + ": key " + hex(s.key, 8) + ", nattch " +
                   std::to_string(s.nattch) + (s.dest ? ", marked for destruction" : "") + ".";
    return out;
}

} // namespace shmviz::core
