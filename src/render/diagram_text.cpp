#include "render/diagram_text.h"

#include "render/frame_roles.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>
#include <vector>

namespace shmviz::render {

const core::SegmentView* segmentById(const core::Snapshot& snapshot, int id) {
    for (const core::SegmentView& s : snapshot.segments)
        if (s.id == id)
            return &s;
    return nullptr;
}

std::string shortHex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

std::string pagesText(std::uint64_t first, std::uint64_t count) {
    return count == 1 ? "page " + std::to_string(first)
                      : "pages " + std::to_string(first) + "-" + std::to_string(first + count - 1);
}

std::string segmentTitle(const core::Snapshot& snapshot, int segment) {
    if (segment < 0)
        return "anonymous memory";
    const core::SegmentView* s = segmentById(snapshot, segment);
    if (!s)
        return "seg " + std::to_string(segment);
    if (s->kind == core::SegmentKind::Posix)
        return "seg " + std::to_string(segment) + "  " + s->name;
    return "seg " + std::to_string(segment) + "  shmid " + std::to_string(s->shmid);
}

MappingText mappingText(const core::WorkerView& worker, std::size_t index, const core::SegmentView* seg) {
    const core::AttachmentView& att = worker.attachments[index];
    MappingText t;
    if (att.anonymous) {
        t = {"anonymous, private (copy-on-write)", "anon, copy-on-write", true};
    } else if (att.privateMapping) {
        t = {"MAP_PRIVATE (copy-on-write)", "MAP_PRIVATE (COW)", true};
    } else if (seg && seg->kind == core::SegmentKind::Posix) {
        t = {"MAP_SHARED", "MAP_SHARED", false};
    } else {
        t = {"shmat (shared)", "shmat", false};
    }
    if (att.inherited) {
        const std::string from = "W" + std::to_string(worker.parent);
        t = {t.brief + ", inherited from " + from, "inherited from " + from, true};
    }
    return t;
}

std::string frameCaption(const core::Snapshot& snapshot, const core::FrameView& frame) {
    const FrameRole role = frameRole(snapshot, frame);
    const FrameMappers mappers = frameMappers(frame);
    if (frame.mappedBy.empty())
        return "";
    const std::string first = "W" + std::to_string(frame.mappedBy.front().worker);
    if (role == FrameRole::PrivateCopy)
        return "copy for " + first;
    if (mappers.workers == 1 && mappers.someWorkerTwice)
        return first + " twice";
    // "W0, W1", with "twice" after a worker that maps it at two addresses.
    std::vector<std::pair<int, int>> workers; // worker, mappings
    for (const core::FrameRef& ref : frame.mappedBy) {
        auto it = std::find_if(workers.begin(), workers.end(),
                               [&](const auto& w) { return w.first == ref.worker; });
        if (it == workers.end())
            workers.emplace_back(ref.worker, 1);
        else
            ++it->second;
    }
    std::string all;
    for (const auto& [w, n] : workers)
        all += (all.empty() ? "W" : ", W") + std::to_string(w) +
               (n == 2  ? " twice"
                : n > 2 ? " " + std::to_string(n) + " times"
                        : "");
    return all;
}

} // namespace shmviz::render
