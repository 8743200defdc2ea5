#pragma once
// Reads back the snapshot a `snapshot` step writes into the trace (core::toJson), so a GUI test
// can lay out exactly what the window drew.
#include "core/session/snapshot.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace shmviz::test {

inline std::uint64_t hexValue(const nlohmann::json& j) {
    return std::stoull(j.get<std::string>(), nullptr, 16);
}

inline core::Snapshot snapshotFromJson(const nlohmann::json& j) {
    core::Snapshot s;
    s.generation = 1;
    s.pageSize = j.value("page_size", 4096u);
    s.pfnVisible = j.value("pfn_visible", false);
    for (const nlohmann::json& js : j.at("segments")) {
        core::SegmentView seg;
        seg.id = js.at("id").get<int>();
        seg.kind = js.value("kind", "sysv") == "posix" ? core::SegmentKind::Posix : core::SegmentKind::Sysv;
        seg.size = js.value("size", std::uint64_t{0});
        seg.exists = js.value("exists", true);
        seg.hugetlb = js.value("hugetlb", false);
        seg.hugePageSize = js.value("huge_page_size", std::uint64_t{0});
        seg.name = js.value("name", "");
        seg.linked = js.value("linked", false);
        seg.shmid = js.value("shmid", -1);
        s.segments.push_back(seg);
    }
    for (const nlohmann::json& jw : j.at("workers")) {
        core::WorkerView w;
        w.id = jw.at("id").get<int>();
        w.pid = jw.at("pid").get<int>();
        w.alive = jw.value("alive", true);
        w.parent = jw.value("parent", -1);
        for (const nlohmann::json& ja : jw.at("attachments")) {
            core::AttachmentView a;
            a.segment = ja.at("segment").is_null() ? -1 : ja.at("segment").get<int>();
            a.va = hexValue(ja.at("va"));
            a.size = ja.value("size", std::uint64_t{0});
            a.privateMapping = ja.value("private", false);
            a.anonymous = ja.value("anonymous", false);
            a.inherited = ja.value("inherited", false);
            a.id = static_cast<std::uint32_t>(w.attachments.size() + 1);
            for (const nlohmann::json& jp : ja.at("pages"))
                a.entries.push_back(hexValue(jp.at("entry")));
            w.attachments.push_back(a);
        }
        s.workers.push_back(w);
    }
    for (const nlohmann::json& jf : j.at("frames")) {
        core::FrameView f;
        f.pfn = jf.at("pfn").get<std::uint64_t>();
        f.segment = jf.at("segment").is_null() ? -1 : jf.at("segment").get<int>();
        f.page = jf.at("page").get<std::uint64_t>();
        for (const nlohmann::json& jr : jf.at("mapped_by")) {
            core::FrameRef ref;
            ref.worker = jr.at("worker").get<int>();
            ref.va = hexValue(jr.at("va"));
            const core::WorkerView& w = s.workers.at(static_cast<std::size_t>(ref.worker));
            for (std::size_t i = 0; i < w.attachments.size(); ++i)
                if (ref.va >= w.attachments[i].va && ref.va < w.attachments[i].va + w.attachments[i].size)
                    ref.attachment = i;
            f.mappedBy.push_back(ref);
        }
        s.frames.push_back(f);
    }
    return s;
}

} // namespace shmviz::test
