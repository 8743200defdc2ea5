#include "core/session/snapshot.h"

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

bool samePages(const Snapshot& a, const Snapshot& b) {
    if (a.pfnVisible != b.pfnVisible || a.workers.size() != b.workers.size() || a.frames != b.frames)
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

std::optional<std::uint64_t> visiblePfn(const PageEntry& entry, bool pfnVisible) {
    if (!entry.present || !pfnVisible)
        return std::nullopt;
    return entry.pfnBits;
}

} // namespace shmviz::core
