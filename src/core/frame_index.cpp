#include "core/frame_index.h"

#include <algorithm>
#include <unordered_map>

namespace shmviz::core {

void buildFrames(Snapshot& snap) {
    snap.frames.clear();
    if (!snap.pfnVisible)
        return;
    std::unordered_map<std::uint64_t, std::size_t> byPfn;
    // slots[segment][page] = index into frames of the frame first seen there, or npos
    std::vector<std::vector<std::size_t>> slots;
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t live = 0;
    for (const WorkerView& w : snap.workers)
        live += w.alive ? 1 : 0;

    for (const WorkerView& w : snap.workers) {
        for (std::size_t ai = 0; ai < w.attachments.size(); ++ai) {
            const AttachmentView& a = w.attachments[ai];
            std::vector<std::size_t>* slot = nullptr;
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
                std::size_t index = kNone;
                if (slot && (*slot)[page] != kNone && snap.frames[(*slot)[page]].pfn == pfn) {
                    index = (*slot)[page];
                } else if (auto it = byPfn.find(pfn); it != byPfn.end()) {
                    index = it->second;
                } else {
                    index = snap.frames.size();
                    FrameView f;
                    f.pfn = pfn;
                    f.segment = a.segment;
                    f.page = page;
                    f.mappedBy.reserve(live);
                    snap.frames.push_back(std::move(f));
                    byPfn.emplace(pfn, index);
                    if (slot && (*slot)[page] == kNone)
                        (*slot)[page] = index;
                }
                snap.frames[index].mappedBy.push_back({w.id, ai, a.pageVa(page)});
            }
        }
    }
    std::sort(snap.frames.begin(), snap.frames.end(), [](const FrameView& x, const FrameView& y) {
        if (x.segment != y.segment)
            return static_cast<unsigned>(x.segment) < static_cast<unsigned>(y.segment);
        if (x.page != y.page)
            return x.page < y.page;
        return x.pfn < y.pfn;
    });
}

} // namespace shmviz::core
