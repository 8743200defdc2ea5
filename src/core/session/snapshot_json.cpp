#include "core/session/snapshot_json.h"

#include "core/session/narration.h"
#include "core/steps/units.h"

#include <cstdio>

namespace shmviz::core {

namespace {

nlohmann::json segmentJson(const SegmentView& s) {
    nlohmann::json j = {{"id", s.id},          {"kind", s.kind == SegmentKind::Sysv ? "sysv" : "posix"},
                        {"size", s.size},      {"mode", octal(s.mode)},
                        {"nattch", s.nattch},  {"exists", s.exists},
                        {"kept", s.kept},      {"created", s.created},
                        {"hugetlb", s.hugetlb}};
    if (s.hugetlb)
        j["huge_page_size"] = s.hugePageSize;
    if (s.kind == SegmentKind::Sysv) {
        j["shmid"] = s.shmid;
        j["key"] = hex(s.key, 8);
        j["dest"] = s.dest;
        j["cpid"] = s.cpid;
        j["lpid"] = s.lpid;
    } else {
        j["name"] = s.name;
        j["linked"] = s.linked;
        j["inode"] = s.inode;
    }
    return j;
}

nlohmann::json attachmentJson(const AttachmentView& a, bool pfnVisible, std::uint32_t pageSize) {
    nlohmann::json pages = nlohmann::json::array();
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        PageEntry e = decodePagemapEntry(a.entries[i]);
        auto pfn = visiblePfn(e, pfnVisible);
        pages.push_back({{"index", i},
                         {"va", hex(a.va + i * pageSize)},
                         {"present", e.present},
                         {"pfn", pfn ? nlohmann::json(*pfn) : nlohmann::json(nullptr)},
                         {"entry", hex(e.raw, 16)},
                         {"swapped", e.swapped},
                         {"exclusive", e.exclusive},
                         {"file_shared", e.fileOrSharedAnon},
                         {"soft_dirty", e.softDirty}});
    }
    nlohmann::json j = {{"segment", a.segment >= 0 ? nlohmann::json(a.segment) : nlohmann::json(nullptr)},
                        {"va", hex(a.va)},
                        {"size", a.size},
                        {"rdonly", a.rdonly},
                        {"maps", a.maps},
                        {"pages", std::move(pages)}};
    if (a.privateMapping)
        j["private"] = true;
    if (a.anonymous)
        j["anonymous"] = true;
    if (a.inherited)
        j["inherited"] = true;
    return j;
}

} // namespace

nlohmann::json toJson(const Snapshot& snap) {
    nlohmann::json segments = nlohmann::json::array();
    for (const SegmentView& s : snap.segments)
        segments.push_back(segmentJson(s));
    nlohmann::json workers = nlohmann::json::array();
    for (const WorkerView& w : snap.workers) {
        nlohmann::json attachments = nlohmann::json::array();
        for (const AttachmentView& a : w.attachments)
            attachments.push_back(attachmentJson(a, snap.pfnVisible, snap.pageSize));
        nlohmann::json wj = {
            {"id", w.id}, {"pid", w.pid}, {"alive", w.alive}, {"attachments", std::move(attachments)}};
        if (!w.alive)
            wj["ended"] = w.endedHow;
        if (w.parent >= 0)
            wj["parent"] = w.parent;
        workers.push_back(std::move(wj));
    }
    nlohmann::json frames = nlohmann::json::array();
    for (const FrameView& f : snap.frames) {
        nlohmann::json by = nlohmann::json::array();
        for (const FrameRef& r : f.mappedBy)
            by.push_back({{"worker", r.worker}, {"va", hex(r.va)}});
        frames.push_back({{"pfn", f.pfn},
                          {"segment", f.segment >= 0 ? nlohmann::json(f.segment) : nlohmann::json(nullptr)},
                          {"page", f.page},
                          {"mapcount", f.mapcount ? nlohmann::json(*f.mapcount) : nlohmann::json(nullptr)},
                          {"mapped_by", std::move(by)}});
    }
    nlohmann::json j = {{"page_size", snap.pageSize},
                        {"pfn_visible", snap.pfnVisible},
                        {"segments", std::move(segments)},
                        {"workers", std::move(workers)},
                        {"frames", std::move(frames)}};
    if (!snap.pfnVisible)
        j["pfn_hidden_reason"] = snap.pfnHiddenReason;
    return j;
}

} // namespace shmviz::core
