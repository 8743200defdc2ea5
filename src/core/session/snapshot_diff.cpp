#include "core/session/snapshot_diff.h"

#include "core/steps/units.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace shmviz::core {
namespace {

// Every present entry of every mapping, with its frame number when visible.
std::map<PageRef, std::optional<std::uint64_t>> arrowsOf(const Snapshot& snap) {
    std::map<PageRef, std::optional<std::uint64_t>> out;
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments)
            for (std::size_t i = 0; i < a.entries.size(); ++i) {
                const PageEntry e = decodePagemapEntry(a.entries[i]);
                if (e.present)
                    out[{w.id, a.id, i}] = visiblePfn(e, snap.pfnVisible);
            }
    return out;
}

std::set<std::uint64_t> framesOf(const Snapshot& snap) {
    std::set<std::uint64_t> out;
    for (const FrameView& f : snap.frames)
        out.insert(f.pfn);
    return out;
}

std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

bool SnapshotDiff::empty() const {
    return arrowsAdded.empty() && arrowsRemoved.empty() && framesAppeared.empty() && framesFreed.empty() &&
           segments.empty() && segmentsNew.empty() && workersNew.empty() && workersEnded.empty();
}

SnapshotDiff diffSnapshots(const Snapshot& before, const Snapshot& after) {
    SnapshotDiff d;
    const auto was = arrowsOf(before);
    const auto is = arrowsOf(after);
    for (const auto& [ref, pfn] : is)
        if (auto it = was.find(ref); it == was.end() || it->second != pfn)
            d.arrowsAdded.push_back(ref);
    for (const auto& [ref, pfn] : was)
        if (auto it = is.find(ref); it == is.end() || it->second != pfn)
            d.arrowsRemoved.push_back(ref);
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
    if (!d.arrowsAdded.empty())
        parts.push_back(count(d.arrowsAdded.size(), "arrow added", "arrows added"));
    if (!d.arrowsRemoved.empty())
        parts.push_back(count(d.arrowsRemoved.size(), "arrow removed", "arrows removed"));
    if (!d.framesAppeared.empty())
        parts.push_back(count(d.framesAppeared.size(), "frame appeared", "frames appeared"));
    if (!d.framesFreed.empty())
        parts.push_back(count(d.framesFreed.size(), "frame no longer mapped", "frames no longer mapped"));
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

std::string snapshotSummary(const Snapshot& snap) {
    std::size_t alive = 0, present = 0, segments = 0;
    for (const WorkerView& w : snap.workers) {
        alive += w.alive;
        for (const AttachmentView& a : w.attachments)
            for (std::uint64_t e : a.entries)
                present += decodePagemapEntry(e).present;
    }
    for (const SegmentView& s : snap.segments)
        segments += s.exists;
    std::string out = "The kernel reports now: " + count(alive, "worker running", "workers running") + ", " +
                      count(segments, "segment", "segments") + " of this session in existence, " +
                      count(present, "present page table entry", "present page table entries");
    if (snap.pfnVisible)
        out += " pointing at " + count(snap.frames.size(), "frame", "frames");
    out += ".";
    for (const SegmentView& s : snap.segments)
        if (s.exists && s.kind == SegmentKind::Sysv)
            out += " Seg " + std::to_string(s.id) + ": key " + hex(s.key, 8) + ", nattch " +
                   std::to_string(s.nattch) + (s.dest ? ", marked for destruction" : "") + ".";
    return out;
}

} // namespace shmviz::core
