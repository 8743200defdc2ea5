#include "render/index_after_end.h"

#include <algorithm>
#include <cstdint>

namespace shmviz::render {

namespace {

bool samePlaces(const core::AttachmentView& a, const core::AttachmentView& b) {
    return a.id == b.id && a.segment == b.segment && a.va == b.va && a.size == b.size &&
           a.entries == b.entries;
}

bool sameAttachments(const core::WorkerView& a, const core::WorkerView& b) {
    return std::equal(a.attachments.begin(), a.attachments.end(), b.attachments.begin(), b.attachments.end(),
                      samePlaces);
}

// Positions (in Snapshot::workers) of the workers that ended between the two, or nullopt when
// anything else about the workers changed.
std::optional<std::vector<std::size_t>> endedWorkers(const core::Snapshot& before,
                                                     const core::Snapshot& after, bool vouched) {
    if (before.workers.size() != after.workers.size() || before.workers.size() > 64)
        return std::nullopt;
    std::vector<std::size_t> ended;
    for (std::size_t w = 0; w < before.workers.size(); ++w) {
        const core::WorkerView& b = before.workers[w];
        const core::WorkerView& a = after.workers[w];
        if (a.id != b.id)
            return std::nullopt;
        if (b.alive && !a.alive && a.attachments.empty())
            ended.push_back(w);
        else if (a.alive != b.alive || (!vouched && !sameAttachments(a, b)))
            return std::nullopt;
    }
    if (ended.empty())
        return std::nullopt;
    return ended;
}

bool sameFramesWithoutEnded(const core::Snapshot& before, const core::Snapshot& after,
                            const std::vector<std::size_t>& ended) {
    if (before.pfnVisible != after.pfnVisible || before.frames.size() != after.frames.size())
        return false;
    std::vector<int> endedIds;
    for (std::size_t w : ended)
        endedIds.push_back(before.workers[w].id);
    const auto endedRef = [&](const core::FrameRef& r) {
        return std::find(endedIds.begin(), endedIds.end(), r.worker) != endedIds.end();
    };
    for (std::size_t i = 0; i < before.frames.size(); ++i) {
        const core::FrameView& b = before.frames[i];
        const core::FrameView& a = after.frames[i];
        if (a.pfn != b.pfn || a.segment != b.segment || a.page != b.page)
            return false;
        auto kept = a.mappedBy.begin();
        for (const core::FrameRef& r : b.mappedBy) {
            if (endedRef(r))
                continue;
            if (kept == a.mappedBy.end() || !(*kept == r))
                return false;
            ++kept;
        }
        if (kept != a.mappedBy.end())
            return false;
    }
    return true;
}

bool sameSegmentShapes(const core::Snapshot& before, const core::Snapshot& after) {
    return std::equal(before.segments.begin(), before.segments.end(), after.segments.begin(),
                      after.segments.end(), [](const core::SegmentView& a, const core::SegmentView& b) {
                          return a.id == b.id && a.hugetlb == b.hugetlb && a.hugePageSize == b.hugePageSize;
                      });
}

bool anyLargeAttachment(const core::Snapshot& snapshot) {
    return std::any_of(snapshot.workers.begin(), snapshot.workers.end(), [](const core::WorkerView& w) {
        return std::any_of(w.attachments.begin(), w.attachments.end(),
                           [](const core::AttachmentView& a) { return a.entries.size() >= kMapMinPages; });
    });
}

// The map's rows without the ended workers'; false when the map would be laid out otherwise.
bool dropMapRows(LayoutIndex::Map& map, const core::Snapshot& after, const std::vector<std::size_t>& ended) {
    if (!map.shown)
        return true;
    if (!anyLargeAttachment(after))
        return false;
    if (map.rowWorkers == std::vector<int>{-1})
        return false; // one row for more than kMapMaxRows workers: fewer may now get a row each
    for (std::size_t r = map.rowWorkers.size(); r-- > 0;)
        if (std::find(ended.begin(), ended.end(), static_cast<std::size_t>(map.rowWorkers[r])) !=
            ended.end()) {
            map.rowWorkers.erase(map.rowWorkers.begin() + static_cast<std::ptrdiff_t>(r));
            map.rows.erase(map.rows.begin() + static_cast<std::ptrdiff_t>(r));
            map.rowRuns.erase(map.rowRuns.begin() + static_cast<std::ptrdiff_t>(r));
        }
    return !map.rowWorkers.empty();
}

} // namespace

std::optional<LayoutIndex> indexAfterWorkersEnded(LayoutIndex index, std::uint64_t indexStamp,
                                                  const core::Snapshot& before, const core::Snapshot& after) {
    const bool vouched = after.pagesLessEnded != 0 && after.pagesLessEnded == indexStamp &&
                         before.pagesStamp() == indexStamp && before.frames.size() == after.frames.size();
    const auto ended = endedWorkers(before, after, vouched);
    if (!ended || index.pageRuns.size() != before.workers.size() || !sameSegmentShapes(before, after) ||
        (!vouched && !sameFramesWithoutEnded(before, after, *ended)))
        return std::nullopt;
    for (std::size_t w : *ended)
        index.pageRuns[w].clear();
    if (!dropMapRows(index.map, after, *ended))
        return std::nullopt;
    return index;
}

} // namespace shmviz::render
