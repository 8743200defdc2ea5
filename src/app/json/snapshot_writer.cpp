#include "app/json/snapshot_writer.h"

#include "app/json/raw_text.h"

#include "core/kernel/kpagecount.h"
#include "core/kernel/kpageflags.h"
#include "core/session/name_json.h"
#include "core/session/snapshot_runs.h"

#include <algorithm>
#include <vector>

#include <cstdio>

namespace shmviz::app::json {

namespace {

// "segment": its id, or null for anonymous memory.
void segmentField(Writer& w, int segment) {
    key(w, "segment");
    if (segment >= 0)
        w.Int(segment);
    else
        w.Null();
}

void optionalUint(Writer& w, const std::optional<std::uint64_t>& v) {
    if (v)
        w.Uint64(*v);
    else
        w.Null();
}

// smaps counts in bytes.
void counts(Writer& w, const core::MemoryCounts& c) {
    w.StartObject();
    for (auto [name, value] :
         {std::pair{"rss", c.rss}, std::pair{"pss", c.pss}, std::pair{"shared_clean", c.sharedClean},
          std::pair{"shared_dirty", c.sharedDirty}, std::pair{"private_clean", c.privateClean},
          std::pair{"private_dirty", c.privateDirty}, std::pair{"swap", c.swap},
          std::pair{"shared_hugetlb", c.sharedHugetlb}, std::pair{"private_hugetlb", c.privateHugetlb}})
        field(w, name, value);
    w.EndObject();
}

void memory(Writer& w, const core::WorkerMemory& m) {
    key(w, "memory");
    w.StartObject();
    key(w, "total");
    if (m.total)
        counts(w, *m.total);
    else
        w.Null();
    key(w, "page_tables");
    optionalUint(w, m.pageTables);
    if (!m.unreadable.empty())
        field(w, "unreadable", m.unreadable);
    w.EndObject();
}

void segment(Writer& w, const core::SegmentView& s) {
    const bool sysv = s.kind == core::SegmentKind::Sysv;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", s.mode);
    w.StartObject();
    field(w, "id", s.id);
    field(w, "kind", sysv ? "sysv" : "posix");
    if (sysv) {
        field(w, "shmid", s.shmid);
        key(w, "key");
        hex(w, s.key, 8);
    }
    field(w, "size", s.size);
    field(w, "mode", mode);
    field(w, "nattch", s.nattch);
    if (sysv) {
        field(w, "dest", s.dest);
    }
    field(w, "exists", s.exists);
    field(w, "kept", s.kept);
    field(w, "created", s.created);
    if (sysv) {
        field(w, "cpid", s.cpid);
        field(w, "lpid", s.lpid);
    }
    field(w, "hugetlb", s.hugetlb);
    if (s.hugetlb) {
        field(w, "huge_page_size", s.hugePageSize);
    }
    if (!sysv) {
        field(w, "name", s.name);
        if (const std::string hex = core::posixNameHex(s.name); !hex.empty()) {
            field(w, "name_hex", hex);
        }
        field(w, "linked", s.linked);
        field(w, "inode", s.inode);
        if (s.inodeFromMaps) {
            field(w, "inode_from", "maps");
        }
    }
    if (s.residentKnown) {
        field(w, "resident_bytes", s.residentBytes);
        field(w, "swap_bytes", s.swapBytes);
    }
    if (!s.residency.empty())
        field(w, "residency", s.residency);
    w.EndObject();
}

void pfnOrNull(RawText& t, std::uint64_t raw, bool pfnVisible) {
    if (auto pfn = core::visiblePfn(core::decodePagemapEntry(raw), pfnVisible))
        t.decimal(*pfn);
    else
        t.add("null");
}

void pages(Writer& w, const core::AttachmentView& a, const core::Snapshot& s) {
    key(w, "pages");
    w.StartArray();
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        const core::PageEntry e = core::decodePagemapEntry(a.entries[i]);
        RawText t;
        t.add("{\"index\":").decimal(i).add(",\"va\":\"").hex(a.va + i * s.pageSize);
        t.add("\",\"present\":").boolean(e.present).add(",\"pfn\":");
        pfnOrNull(t, e.raw, s.pfnVisible);
        t.add(",\"entry\":\"").hex(e.raw, 16).add("\",\"swapped\":").boolean(e.swapped);
        t.add(",\"exclusive\":").boolean(e.exclusive).add(",\"file_shared\":").boolean(e.fileOrSharedAnon);
        t.add(",\"soft_dirty\":").boolean(e.softDirty).add("}");
        w.PlainValue(rapidjson::kObjectType, t.view());
    }
    w.EndArray();
}

void runs(Writer& w, const core::AttachmentView& a, const core::Snapshot& s) {
    key(w, "runs");
    w.StartArray();
    for (const core::PageRun& r : core::pageRuns(a.entries)) {
        RawText t;
        t.add("{\"first\":").decimal(r.first).add(",\"count\":").decimal(r.count);
        t.add(",\"present\":").boolean(core::decodePagemapEntry(r.entryFirst).present).add(",\"pfn_first\":");
        pfnOrNull(t, r.entryFirst, s.pfnVisible);
        t.add(",\"entry_first\":\"").hex(r.entryFirst, 16).add("\"}");
        w.PlainValue(rapidjson::kObjectType, t.view());
    }
    w.EndArray();
}

void attachment(Writer& w, const core::AttachmentView& a, const core::Snapshot& s, bool asRuns) {
    w.StartObject();
    segmentField(w, a.segment);
    key(w, "va");
    hex(w, a.va);
    field(w, "size", a.size);
    field(w, "rdonly", a.rdonly);
    field(w, "maps", a.maps);
    if (const std::uint64_t pages = (a.size + s.pageSize - 1) / s.pageSize; pages > a.entries.size()) {
        field(w, "pages_not_reported", pages - a.entries.size());
    }
    for (auto [name, set] : {std::pair{"private", a.privateMapping}, std::pair{"anonymous", a.anonymous},
                             std::pair{"inherited", a.inherited}})
        if (set) {
            key(w, name);
            w.Bool(true);
        }
    if (a.memory) {
        key(w, "memory");
        counts(w, *a.memory);
    }
    if (asRuns)
        runs(w, a, s);
    else
        pages(w, a, s);
    w.EndObject();
}

void worker(Writer& w, const core::WorkerView& v, const core::Snapshot& s, bool asRuns) {
    w.StartObject();
    field(w, "id", v.id);
    field(w, "pid", v.pid);
    field(w, "alive", v.alive);
    if (!v.alive) {
        field(w, "ended", v.endedHow);
    }
    if (!v.problem.empty()) {
        field(w, "problem", v.problem);
    }
    if (v.parent >= 0) {
        field(w, "parent", v.parent);
    }
    key(w, "attachments");
    w.StartArray();
    for (const core::AttachmentView& a : v.attachments)
        attachment(w, a, s, asRuns);
    w.EndArray();
    if (v.alive)
        memory(w, v.memory);
    w.EndObject();
}

void mapcount(Writer& w, const std::optional<std::uint64_t>& count) {
    key(w, "mapcount");
    if (count)
        w.Uint64(*count);
    else
        w.Null();
}

void mappedBy(Writer& w, const std::vector<core::FrameRef>& refs, const char* vaKey) {
    key(w, "mapped_by");
    w.StartArray();
    for (const core::FrameRef& r : refs) {
        w.StartObject();
        field(w, "worker", r.worker);
        key(w, vaKey);
        hex(w, r.va);
        w.EndObject();
    }
    w.EndArray();
}

// "flags": the /proc/kpageflags bits by name; absent when they were not read.
void flagNames(Writer& w, const std::optional<std::uint64_t>& flags) {
    if (!flags)
        return;
    key(w, "flags");
    w.StartArray();
    for (const std::string& name : core::decodeKpageFlags(*flags))
        string(w, name);
    w.EndArray();
}

// What a frame and a run of frames both end with: the map count, who maps it, and its flags.
void sharing(Writer& w, const std::optional<std::uint64_t>& count, const std::vector<core::FrameRef>& refs,
             const char* vaKey, const std::optional<std::uint64_t>& flags) {
    mapcount(w, count);
    mappedBy(w, refs, vaKey);
    flagNames(w, flags);
}

void frame(Writer& w, const core::FrameView& f) {
    w.StartObject();
    field(w, "pfn", f.pfn);
    segmentField(w, f.segment);
    field(w, "page", f.page);
    sharing(w, f.mapcount, f.mappedBy, "va", f.kpageflags);
    w.EndObject();
}

// One huge page is one frame: frames[first, last) lie in it, one per 4 KiB slot it backs.
void hugeFrame(Writer& w, const core::Snapshot& s, const core::SegmentView& seg, std::size_t first,
               std::size_t last) {
    const std::uint64_t slots = seg.hugePageSize / s.pageSize;
    const core::FrameView& head = s.frames[first];
    w.StartObject();
    field(w, "pfn", head.pfn / slots * slots);
    segmentField(w, head.segment);
    field(w, "page", head.page);
    field(w, "huge", true);
    field(w, "size", seg.hugePageSize);
    mapcount(w, head.mapcount);
    std::vector<core::FrameRef> by; // each worker once, at its lowest slot's address
    std::size_t heads = 0;
    std::size_t tails = 0;
    bool flagsKnown = true;
    key(w, "slots");
    w.StartArray();
    for (std::size_t i = first; i < last; ++i) {
        const core::FrameView& f = s.frames[i];
        w.StartObject();
        field(w, "page", f.page);
        field(w, "pfn", f.pfn);
        w.EndObject();
        for (const core::FrameRef& r : f.mappedBy)
            if (std::none_of(by.begin(), by.end(),
                             [&](const core::FrameRef& b) { return b.worker == r.worker; }))
                by.push_back(r);
        flagsKnown = flagsKnown && f.kpageflags.has_value();
        heads += f.kpageflags ? (*f.kpageflags >> core::kKpfCompoundHead) & 1 : 0;
        tails += f.kpageflags ? (*f.kpageflags >> core::kKpfCompoundTail) & 1 : 0;
    }
    w.EndArray();
    mappedBy(w, by, "va");
    // The kernel's own word on it: one compound page, a head frame and its tails.
    if (flagsKnown) {
        key(w, "kpageflags");
        w.StartObject();
        field(w, "compound_head", heads);
        field(w, "compound_tail", tails);
        w.EndObject();
    }
    flagNames(w, head.kpageflags); // the head frame's: COMPOUND_HEAD, HUGE, ...
    w.EndObject();
}

void frames(Writer& w, const core::Snapshot& s) {
    key(w, "frames");
    w.StartArray();
    for (std::size_t i = 0; i < s.frames.size();) {
        const core::FrameView& f = s.frames[i];
        const auto seg = std::find_if(s.segments.begin(), s.segments.end(),
                                      [&](const core::SegmentView& v) { return v.id == f.segment; });
        if (seg == s.segments.end() || !seg->hugetlb || seg->hugePageSize <= s.pageSize) {
            frame(w, f);
            ++i;
            continue;
        }
        // pagemap reports a huge page as consecutive pfns from a multiple of its slot count.
        const std::uint64_t slots = seg->hugePageSize / s.pageSize;
        std::size_t j = i + 1;
        while (j < s.frames.size() && s.frames[j].segment == f.segment &&
               s.frames[j].pfn / slots == f.pfn / slots)
            ++j;
        hugeFrame(w, s, *seg, i, j);
        i = j;
    }
    w.EndArray();
}

void frameRuns(Writer& w, const core::Snapshot& s) {
    key(w, "frame_runs");
    w.StartArray();
    for (const core::FrameRun& r : core::frameRuns(s.frames, s.pageSize)) {
        w.StartObject();
        field(w, "pfn_first", r.pfnFirst);
        field(w, "count", r.count);
        segmentField(w, r.segment);
        field(w, "page_first", r.pageFirst);
        sharing(w, r.mapcount, r.mappedBy, "va_first", r.kpageflags);
        w.EndObject();
    }
    w.EndArray();
}

} // namespace

void snapshot(Writer& w, const core::Snapshot& s, bool asRuns) {
    w.StartObject();
    field(w, "page_size", s.pageSize);
    field(w, "pfn_visible", s.pfnVisible);
    if (!s.pfnVisible) {
        field(w, "pfn_hidden_reason", s.pfnHiddenReason);
    }
    key(w, "segments");
    w.StartArray();
    for (const core::SegmentView& seg : s.segments)
        segment(w, seg);
    w.EndArray();
    key(w, "workers");
    w.StartArray();
    for (const core::WorkerView& v : s.workers)
        worker(w, v, s, asRuns);
    w.EndArray();
    if (asRuns)
        frameRuns(w, s);
    else
        frames(w, s);
    field(w, "flags_visible", s.flagsVisible);
    if (!s.flagsVisible)
        field(w, "flags_hidden_reason", s.flagsHiddenReason);
    key(w, "paging");
    w.StartObject();
    if (s.paging) {
        field(w, "levels", s.paging->levels);
        field(w, "la57", s.paging->la57);
        field(w, "virtual_bits", s.paging->virtualBits);
        field(w, "physical_bits", s.paging->physicalBits);
    } else {
        field(w, "unknown", s.pagingUnknownReason);
    }
    w.EndObject();
    w.EndObject();
}

} // namespace shmviz::app::json
