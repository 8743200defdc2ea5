#include "core/session/snapshot.h"

#include <algorithm>
#include <unistd.h>

namespace shmviz::core {

std::uint64_t SegmentView::pageCount() const {
    const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    return (size + page - 1) / page;
}

std::uint64_t AttachmentView::pageVa(std::size_t page) const {
    return va + page * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

bool Snapshot::sameContent(const Snapshot& o) const {
    return pageSize == o.pageSize && pfnVisible == o.pfnVisible && pfnHiddenReason == o.pfnHiddenReason &&
           mapcountVisible == o.mapcountVisible && segments == o.segments && workers == o.workers &&
           frames == o.frames && machineSegments == o.machineSegments && flagsVisible == o.flagsVisible &&
           flagsHiddenReason == o.flagsHiddenReason && paging == o.paging;
}

namespace {

// What the diagram's index is built from: where each frame is and who maps it, not what the kernel
// last said of it (map count, page flags).
bool sameFramePlaces(const std::vector<FrameView>& a, const std::vector<FrameView>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const FrameView& x, const FrameView& y) {
        return x.pfn == y.pfn && x.segment == y.segment && x.page == y.page && x.mappedBy == y.mappedBy;
    });
}

bool sameWorkerBesideReadings(const WorkerView& x, const WorkerView& y) {
    if (x.id != y.id || x.pid != y.pid || x.alive != y.alive || x.endedHow != y.endedHow ||
        x.parent != y.parent || x.problem != y.problem || x.problemErr != y.problemErr ||
        x.attachments.size() != y.attachments.size())
        return false;
    for (std::size_t i = 0; i < x.attachments.size(); ++i) {
        const AttachmentView& p = x.attachments[i];
        const AttachmentView& q = y.attachments[i];
        if (p.rdonly != q.rdonly || p.privateMapping != q.privateMapping || p.anonymous != q.anonymous ||
            p.inherited != q.inherited || p.maps != q.maps)
            return false;
    }
    return true;
}

} // namespace

bool samePages(const Snapshot& a, const Snapshot& b) {
    if (a.pfnVisible != b.pfnVisible || a.workers.size() != b.workers.size() ||
        !sameFramePlaces(a.frames, b.frames))
        return false;
    for (std::size_t w = 0; w < a.workers.size(); ++w) {
        const WorkerView& x = a.workers[w];
        const WorkerView& y = b.workers[w];
        if (x.id != y.id || x.alive != y.alive || x.attachments.size() != y.attachments.size())
            return false;
        for (std::size_t i = 0; i < x.attachments.size(); ++i) {
            const AttachmentView& p = x.attachments[i];
            const AttachmentView& q = y.attachments[i];
            if (p.id != q.id || p.segment != q.segment || p.va != q.va || p.size != q.size ||
                p.entries != q.entries)
                return false;
        }
    }
    return true;
}

bool differsInReadingsOnly(const Snapshot& a, const Snapshot& b) {
    if (a.pagesStamp() != b.pagesStamp() || a.pageSize != b.pageSize || a.pfnVisible != b.pfnVisible ||
        a.pfnHiddenReason != b.pfnHiddenReason || a.mapcountVisible != b.mapcountVisible ||
        a.flagsVisible != b.flagsVisible || a.flagsHiddenReason != b.flagsHiddenReason ||
        a.paging != b.paging || a.pagingUnknownReason != b.pagingUnknownReason || a.segments != b.segments ||
        a.machineSegments != b.machineSegments || a.workers.size() != b.workers.size())
        return false;
    for (std::size_t w = 0; w < a.workers.size(); ++w)
        if (!sameWorkerBesideReadings(a.workers[w], b.workers[w]))
            return false;
    return true;
}

std::size_t entryCount(const std::vector<WorkerView>& workers) {
    std::size_t entries = 0;
    for (const WorkerView& w : workers)
        for (const AttachmentView& a : w.attachments)
            entries += a.entries.size();
    return entries;
}

std::optional<std::uint64_t> visiblePfn(const PageEntry& entry, bool pfnVisible) {
    if (!entry.present || !pfnVisible)
        return std::nullopt;
    return entry.pfnBits;
}

} // namespace shmviz::core
