#include "render/frame_roles.h"

#include <algorithm>
#include <vector>

namespace shmviz::render {

FrameRole frameRole(const core::Snapshot& snapshot, const core::FrameView& frame) {
    if (frame.segment < 0)
        return FrameRole::Anonymous;
    for (const core::FrameRef& ref : frame.mappedBy) {
        if (ref.worker < 0 || ref.worker >= static_cast<int>(snapshot.workers.size()))
            continue;
        const core::WorkerView& w = snapshot.workers[static_cast<std::size_t>(ref.worker)];
        if (ref.attachment >= w.attachments.size())
            continue;
        const core::AttachmentView& a = w.attachments[ref.attachment];
        if (!a.privateMapping)
            return FrameRole::Shared;
        const std::uint64_t page = (ref.va - a.va) / snapshot.pageSize;
        if (page < a.entries.size() && core::decodePagemapEntry(a.entries[page]).fileOrSharedAnon)
            return FrameRole::Shared;
    }
    return frame.mappedBy.empty() ? FrameRole::Shared : FrameRole::PrivateCopy;
}

FrameMappers frameMappers(const core::FrameView& frame) {
    std::vector<int> workers;
    for (const core::FrameRef& ref : frame.mappedBy)
        workers.push_back(ref.worker);
    std::sort(workers.begin(), workers.end());
    FrameMappers m;
    m.someWorkerTwice = std::adjacent_find(workers.begin(), workers.end()) != workers.end();
    m.workers = static_cast<int>(std::unique(workers.begin(), workers.end()) - workers.begin());
    return m;
}

} // namespace shmviz::render
