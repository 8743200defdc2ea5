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

std::optional<std::uint64_t> visiblePfn(const PageEntry& entry, bool pfnVisible) {
    if (!entry.present || !pfnVisible)
        return std::nullopt;
    return entry.pfnBits;
}

} // namespace shmviz::core
