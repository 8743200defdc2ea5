#include "core/session/frame_index.h"

#include <algorithm>
#include <unordered_map>

namespace shmviz::core {

namespace {

bool frameOrder(const FrameView& x, const FrameView& y) {
    if (x.segment != y.segment)
        return static_cast<unsigned>(x.segment) < static_cast<unsigned>(y.segment);
    if (x.page != y.page)
        return x.page < y.page;
    return x.pfn < y.pfn;
}

} // namespace

void buildFrames(Snapshot& snap) {
    snap.frames.clear();
    if (!snap.pfnVisible)
        return;
    constexpr std::uint32_t kNone = UINT32_MAX;
    // slots[segment][page]: the frame first seen at that page of that segment. Pages of a shared
    // segment at the same index are the same frame, so most lookups end here without hashing.
    std::vector<std::vector<std::uint32_t>> slots;
    // Frames that differ from their slot (a private copy after copy-on-write) or belong to no
    // segment (anonymous memory) are found by frame number.
    std::unordered_map<std::uint64_t, std::uint32_t> others;
    std::size_t live = 0;
    for (const WorkerView& w : snap.workers)
        live += w.alive ? 1 : 0;
    const std::uint64_t pageSize = snap.pageSize;
    std::vector<std::size_t> largest; // pages of each segment's largest attachment: one frame each, usually
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments)
            if (a.segment >= 0) {
                if (largest.size() <= static_cast<std::size_t>(a.segment))
                    largest.resize(static_cast<std::size_t>(a.segment) + 1, 0);
                largest[static_cast<std::size_t>(a.segment)] =
                    std::max(largest[static_cast<std::size_t>(a.segment)], a.entries.size());
            }
    std::size_t expected = 0;
    for (std::size_t n : largest)
        expected += n;
    snap.frames.reserve(expected);

    for (const WorkerView& w : snap.workers) {
        for (std::size_t ai = 0; ai < w.attachments.size(); ++ai) {
            const AttachmentView& a = w.attachments[ai];
            std::vector<std::uint32_t>* slot = nullptr;
            if (a.segment >= 0) {
                if (slots.size() <= static_cast<std::size_t>(a.segment))
                    slots.resize(static_cast<std::size_t>(a.segment) + 1);
                slot = &slots[static_cast<std::size_t>(a.segment)];
                if (slot->size() < a.entries.size())
                    slot->resize(a.entries.size(), kNone);
            }
            for (std::size_t page = 0; page < a.entries.size(); ++page) {
                const std::uint64_t raw = a.entries[page];
                if (!(raw >> 63))
                    continue;
                const std::uint64_t pfn = raw & kPagemapPfnMask;
                std::uint32_t index = kNone;
                const bool slotEmpty = slot && (*slot)[page] == kNone;
                if (slot && !slotEmpty && snap.frames[(*slot)[page]].pfn == pfn) {
                    index = (*slot)[page];
                } else if (!slotEmpty) {
                    if (auto it = others.find(pfn); it != others.end())
                        index = it->second;
                }
                if (index == kNone) {
                    index = static_cast<std::uint32_t>(snap.frames.size());
                    FrameView& f = snap.frames.emplace_back();
                    f.pfn = pfn;
                    f.segment = a.segment;
                    f.page = page;
                    f.mappedBy.reserve(live);
                    if (slotEmpty)
                        (*slot)[page] = index;
                    else
                        others.emplace(pfn, index);
                }
                snap.frames[index].mappedBy.push_back({w.id, ai, a.va + page * pageSize});
            }
        }
    }
    if (!std::is_sorted(snap.frames.begin(), snap.frames.end(), frameOrder))
        std::sort(snap.frames.begin(), snap.frames.end(), frameOrder);
}

} // namespace shmviz::core
