#include "core/session/snapshot_runs.h"

namespace shmviz::core {

namespace {

constexpr std::uint64_t kPresentBit = std::uint64_t{1} << 63;

bool entrySteps(std::uint64_t entry) {
    return (entry & kPresentBit) && (entry & kPagemapPfnMask) != 0;
}

// True when `next` is the entry that follows `last` in a run starting at `first`.
bool continues(std::uint64_t first, std::uint64_t last, std::uint64_t next) {
    if (!entrySteps(first))
        return next == first;
    return (last & kPagemapPfnMask) != kPagemapPfnMask && next == last + 1;
}

bool frameContinues(const FrameView& last, const FrameView& next, std::uint32_t pageSize) {
    if (next.pfn != last.pfn + 1 || next.segment != last.segment || next.page != last.page + 1 ||
        next.mapcount != last.mapcount || next.kpageflags != last.kpageflags ||
        next.mappedBy.size() != last.mappedBy.size())
        return false;
    for (std::size_t i = 0; i < next.mappedBy.size(); ++i) {
        const FrameRef& a = last.mappedBy[i];
        const FrameRef& b = next.mappedBy[i];
        if (a.worker != b.worker || a.attachment != b.attachment || b.va != a.va + pageSize)
            return false;
    }
    return true;
}

} // namespace

bool PageRun::steps() const {
    return entrySteps(entryFirst);
}

std::vector<PageRun> pageRuns(const std::vector<std::uint64_t>& entries) {
    std::vector<PageRun> runs;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!runs.empty() && continues(runs.back().entryFirst, entries[i - 1], entries[i])) {
            ++runs.back().count;
            continue;
        }
        runs.push_back(PageRun{i, 1, entries[i]});
    }
    return runs;
}

std::vector<std::uint64_t> expandPageRuns(const std::vector<PageRun>& runs) {
    std::vector<std::uint64_t> entries;
    for (const PageRun& r : runs)
        for (std::uint64_t i = 0; i < r.count; ++i)
            entries.push_back(r.entryFirst + (r.steps() ? i : 0));
    return entries;
}

std::vector<FrameRun> frameRuns(const std::vector<FrameView>& frames, std::uint32_t pageSize) {
    std::vector<FrameRun> runs;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const FrameView& f = frames[i];
        if (!runs.empty() && frameContinues(frames[i - 1], f, pageSize)) {
            ++runs.back().count;
            continue;
        }
        runs.push_back(FrameRun{f.pfn, 1, f.segment, f.page, f.mapcount, f.mappedBy, f.kpageflags});
    }
    return runs;
}

std::vector<FrameView> expandFrameRuns(const std::vector<FrameRun>& runs, std::uint32_t pageSize) {
    std::vector<FrameView> frames;
    for (const FrameRun& r : runs)
        for (std::uint64_t i = 0; i < r.count; ++i) {
            FrameView f{r.pfnFirst + i, r.segment, r.pageFirst + i, r.mapcount, r.mappedBy, r.kpageflags};
            for (FrameRef& ref : f.mappedBy)
                ref.va += i * pageSize;
            frames.push_back(std::move(f));
        }
    return frames;
}

} // namespace shmviz::core
