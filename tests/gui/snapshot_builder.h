#pragma once
// Builds snapshots by hand for layout tests: workers, one attachment each, frames sorted as the
// session sorts them.
#include "core/session/snapshot.h"

#include <algorithm>
#include <cstdint>

namespace shmviz::test {

inline constexpr std::uint64_t kPresent = std::uint64_t{1} << 63;

inline core::Snapshot makeSnapshot(int workers, std::uint64_t pages, bool pfnVisible = true) {
    core::Snapshot s;
    s.generation = 1;
    s.pfnVisible = pfnVisible;
    core::SegmentView seg;
    seg.id = 0;
    seg.shmid = 42;
    seg.key = 0x5eed;
    seg.size = pages * 4096;
    seg.nattch = static_cast<std::uint64_t>(workers);
    s.segments.push_back(seg);
    for (int w = 0; w < workers; ++w) {
        core::WorkerView worker;
        worker.id = w;
        worker.pid = 1000 + w;
        core::AttachmentView a;
        a.id = 1;
        a.segment = 0;
        a.va = 0x7f0000000000ULL + static_cast<std::uint64_t>(w) * 0x10000000ULL;
        a.size = pages * 4096;
        a.entries.assign(pages, 0);
        worker.attachments.push_back(a);
        s.workers.push_back(worker);
    }
    return s;
}

// Marks `page` present in `worker` with frame `pfn`, and records the frame when visible.
inline void touch(core::Snapshot& s, int worker, std::uint64_t page, std::uint64_t pfn) {
    core::AttachmentView& a = s.workers[worker].attachments[0];
    a.entries[page] = kPresent | (s.pfnVisible ? pfn : 0);
    if (!s.pfnVisible)
        return;
    for (core::FrameView& f : s.frames)
        if (f.pfn == pfn) {
            f.mappedBy.push_back({worker, 0, a.pageVa(page)});
            return;
        }
    core::FrameView f;
    f.pfn = pfn;
    f.segment = a.segment;
    f.page = page;
    f.mappedBy.push_back({worker, 0, a.pageVa(page)});
    s.frames.push_back(f);
    std::sort(s.frames.begin(), s.frames.end(), [](const core::FrameView& x, const core::FrameView& y) {
        if (x.segment != y.segment) // anonymous memory (-1) last, as core::buildFrames sorts
            return static_cast<unsigned>(x.segment) < static_cast<unsigned>(y.segment);
        return x.page != y.page ? x.page < y.page : x.pfn < y.pfn;
    });
}

} // namespace shmviz::test
