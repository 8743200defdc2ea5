#include "render/diagram_labels.h"

#include "core/steps/units.h"
#include "render/diagram_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace shmviz::render {
namespace {

bool wordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == ',';
}

// The longest prefix ending at a word boundary, and not in a number, that fits with the ellipsis;
// empty when none does.
std::string cutToFit(const std::string& text, float width, LabelFont font, const MeasureText& measure) {
    for (std::size_t n = text.size(); n-- > 0;) {
        if (n > 0 && wordChar(text[n - 1]) && wordChar(text[n]))
            continue; // never inside a word or a number
        std::string head = text.substr(0, n);
        while (!head.empty() && head.back() == ' ')
            head.pop_back();
        if (head.empty())
            break;
        // "135893..." would read as a number cut short: keep the word after a number, or neither.
        if (std::isdigit(static_cast<unsigned char>(head.back())) != 0)
            continue;
        head += kEllipsis;
        if (measure(font, head) <= width)
            return head;
    }
    const std::string dots(kEllipsis);
    return measure(font, dots) <= width ? dots : std::string();
}

struct Writer {
    const core::Snapshot& snapshot;
    const LayoutIndex& index;
    const DiagramLayout& layout;
    const ViewParams& view;
    float pad;
    const MeasureText& measure;
    std::vector<Label> out;

    float line() const { return view.lineHeight; }
    void add(float x0, float y, float x1, LabelFont font, LabelTone tone,
             const std::vector<std::string>& forms) {
        if (forms.empty() || x1 <= x0)
            return;
        out.push_back(fitLabel({x0, y, x1, y + line()}, font, tone, forms, measure));
    }
};

void physicalTitle(Writer& w, const ColumnBox& col) {
    const float x0 = col.stickyTitle.x0 + w.pad * 0.5f;
    const float x1 = col.stickyTitle.x1 - w.pad * 0.5f;
    const float y = col.stickyTitle.y0 + 2;
    w.add(x0, y, x1, LabelFont::Large, LabelTone::Text, {"Physical memory", "Physical", "RAM"});
    // Frames the workers map now (a kept segment may hold more: its header says so). A huge page
    // counts as one frame: that is what the kernel maps with one entry.
    std::size_t n = 0;
    std::size_t huge = 0;
    for (const LayoutIndex::FrameGroup& g : w.index.groups) {
        n += g.hugeRuns.empty() ? g.count : 0;
        huge += g.hugeRuns.size();
    }
    std::string count = std::to_string(n) + (n == 1 ? " frame" : " frames");
    if (huge > 0)
        count = std::to_string(huge) + (huge == 1 ? " huge frame" : " huge frames") +
                (n > 0 ? ", " + count : std::string());
    if (w.snapshot.pfnVisible)
        w.add(x0, y + w.line() + 2, x1, LabelFont::Regular, LabelTone::Muted,
              huge > 0
                  ? std::vector<std::string>{count + " mapped, by segment page", count + " mapped", count}
                  : std::vector<std::string>{count + " mapped, by segment page", count + " mapped", count,
                                             std::to_string(n)});
    else
        w.add(x0, y + w.line() + 2, x1, LabelFont::Regular, LabelTone::Muted,
              {"frame numbers hidden", "hidden"});
}

void workerTitle(Writer& w, const ColumnBox& col) {
    const core::WorkerView& worker = w.snapshot.workers[col.worker];
    const float x0 = col.stickyTitle.x0 + w.pad * 0.5f;
    const float x1 = col.stickyTitle.x1 - w.pad * 0.5f;
    const float y = col.stickyTitle.y0 + 2;
    const std::string id = std::to_string(worker.id);
    const std::string pid = "pid " + std::to_string(worker.pid);
    if (!worker.alive) {
        // A dead worker stays on screen, struck out, with how it ended in plain words.
        w.add(x0, y, x1, LabelFont::Large, LabelTone::Destroyed,
              {"Worker " + id + " (dead)", "W" + id + " dead"});
        w.add(x0, y + w.line() + 2, x1, LabelFont::Regular, LabelTone::Destroyed,
              {pid + " " + worker.endedHow, worker.endedHow});
        w.add(x0, col.title.y1 + 4, x1, LabelFont::Regular, LabelTone::Muted,
              {"the kernel removed all its mappings", "mappings removed"});
        return;
    }
    w.add(x0, y, x1, LabelFont::Large, LabelTone::Text, {"Worker " + id, "W" + id});
    if (worker.parent >= 0) {
        const std::string parent = std::to_string(worker.parent);
        w.add(x0, y + w.line() + 2, x1, LabelFont::Regular, LabelTone::Text,
              {pid + ", forked from worker " + parent, pid + ", fork of W" + parent, "fork of W" + parent});
    } else {
        w.add(x0, y + w.line() + 2, x1, LabelFont::Regular, LabelTone::Muted, {pid});
    }
    if (worker.attachments.empty())
        w.add(x0, col.title.y1 + 4, x1, LabelFont::Regular, LabelTone::Muted, {"nothing attached"});
}

void attachmentHeader(Writer& w, const AttachmentBox& box) {
    const core::WorkerView& owner = w.snapshot.workers[box.worker];
    const core::AttachmentView& att = owner.attachments[box.attachment];
    const core::SegmentView* seg = segmentById(w.snapshot, att.segment);
    const Rect& h = box.stickyHeader;
    const float x0 = h.x0 + w.pad * 1.5f;
    const float x1 = h.x1 - w.pad * 0.5f;
    std::string title = segmentTitle(w.snapshot, att.segment);
    std::string brief = att.segment < 0 ? std::string("anonymous") : "seg " + std::to_string(att.segment);
    if (att.rdonly)
        title += "  read-only";
    // One process, the same segment twice: say so on the second mapping's first line.
    int nth = 0;
    for (std::size_t i = 0; i <= box.attachment; ++i)
        nth += att.segment >= 0 && owner.attachments[i].segment == att.segment ? 1 : 0;
    LabelTone tone = seg && seg->dest ? LabelTone::Destroyed : LabelTone::Text;
    if (nth > 1) {
        const std::string n = nth == 2 ? "2nd" : nth == 3 ? "3rd" : std::to_string(nth) + "th";
        title = brief + ", " + n + " time here";
        brief += ", " + n;
        tone = LabelTone::Emphasis;
    }
    w.add(x0, h.y0 + 2, x1, LabelFont::Regular, tone, {title, brief});
    const MappingText how = mappingText(owner, box.attachment, seg);
    w.add(x0, h.y0 + 2 + w.line() + 1, x1, LabelFont::Regular,
          how.emphasised ? LabelTone::Text : LabelTone::Muted, {how.full, how.brief});
    w.add(x0, h.y0 + 2 + 2 * w.line() + 1, x1, LabelFont::Mono, LabelTone::Muted,
          {"at " + core::hex(att.va, 12), shortHex(att.va)});
}

// The second line of a segment's group header: what kind of object it is and its state.
std::vector<std::string> segmentState(const core::SegmentView& seg, LabelTone& tone) {
    tone = LabelTone::Muted;
    const std::string inode = "inode " + std::to_string(seg.inode);
    if (seg.kind == core::SegmentKind::Posix) {
        // shm_unlink removes the name at once; the frames stay while a mapping remains.
        if (seg.linked && seg.hugetlb)
            return {"on hugetlbfs, " + core::formatSize(seg.hugePageSize) + " pages", "on hugetlbfs"};
        if (seg.linked)
            return {"in /dev/shm, " + inode, inode};
        tone = LabelTone::Destroyed;
        if (seg.inode != 0)
            return {"unlinked, still mapped, " + inode, "unlinked, " + inode, "unlinked"};
        return {"unlinked: name gone, still mapped", "unlinked, still mapped", "unlinked"};
    }
    if (seg.hugetlb)
        return {"SHM_HUGETLB, " + core::formatSize(seg.hugePageSize) + " pages", "SHM_HUGETLB"};
    // The key as the kernel reports it now: IPC_RMID turns it to 0.
    if (seg.dest) {
        tone = LabelTone::Destroyed;
        return {"key " + core::hex(seg.key, 8) + " IPC_RMID", "key 0 (IPC_RMID)", "IPC_RMID"};
    }
    return {seg.key == 0 ? "key IPC_PRIVATE" : "key " + core::hex(seg.key, 8)};
}

// What the kernel says the segment holds in memory, beside the frames the workers map now.
std::vector<std::string> residentForms(const Writer& w, const core::SegmentView& seg,
                                       const SegmentGroup& group) {
    const std::string held = core::formatSize(seg.residentBytes);
    const std::string swap = seg.swapBytes > 0 ? ", " + core::formatSize(seg.swapBytes) + " swapped" : "";
    std::size_t mapped = group.count;
    std::string unit = mapped == 1 ? " frame" : " frames";
    for (const LayoutIndex::FrameGroup& g : w.index.groups)
        if (g.segment == group.segment && !g.hugeRuns.empty()) {
            mapped = g.hugeRuns.size(); // a huge page is one frame
            unit = mapped == 1 ? " huge frame" : " huge frames";
        }
    const std::string frames = std::to_string(mapped) + unit + " mapped";
    // Some kernels count a hugetlb segment's rss once per 4 KiB slot of each huge page, so it
    // exceeds the segment's size; say what the kernel reports rather than that it "holds" it.
    if (seg.residentBytes > seg.size && seg.size > 0)
        return {"kernel rss " + held + " (more than its size); " + frames, "kernel rss " + held + " > size",
                "kernel rss " + held};
    return {"holds " + held + swap + "; " + frames, "holds " + held + swap, "holds " + held};
}

void segmentHeader(Writer& w, const SegmentGroup& group) {
    const core::SegmentView* seg = segmentById(w.snapshot, group.segment);
    const Rect& h = group.stickyHeader;
    const float x0 = h.x0 + w.pad * 1.5f;
    const float x1 = h.x1 - w.pad * 0.5f;
    const float y = h.y0 + 3;
    w.add(x0, y, x1, LabelFont::Regular, seg && seg->dest ? LabelTone::Destroyed : LabelTone::Text,
          {segmentTitle(w.snapshot, group.segment),
           group.segment < 0 ? "anonymous" : "seg " + std::to_string(group.segment)});
    if (!seg) {
        w.add(x0, y + w.line() + 1, x1, LabelFont::Regular, LabelTone::Muted,
              {"MAP_PRIVATE | MAP_ANONYMOUS", "MAP_ANONYMOUS", "private"});
        return;
    }
    LabelTone tone;
    const std::vector<std::string> forms = segmentState(*seg, tone);
    w.add(x0, y + w.line() + 1, x1,
          seg->kind == core::SegmentKind::Posix ? LabelFont::Regular : LabelFont::Mono, tone, forms);
    if (seg->residentKnown)
        w.add(x0, y + 2 * w.line() + 1, x1, LabelFont::Regular, LabelTone::Muted,
              residentForms(w, *seg, group));
}

// A stretch of RAM in one decimal: "14.8 GiB", "3.0 MiB", "12 KiB".
std::string roughSize(std::uint64_t bytes) {
    char text[32];
    if (bytes >= (std::uint64_t{1} << 30))
        std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
    else if (bytes >= (std::uint64_t{1} << 20))
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    else
        std::snprintf(text, sizeof text, "%llu KiB", static_cast<unsigned long long>(bytes >> 10));
    return text;
}

// Zoomed in to boxes: each box's frame number under it and, inside it, the segment page it holds,
// when every box has room for them; false (nothing written) when the boxes are too narrow.
bool mapBoxLabels(Writer& w, const PhysicalMap& map) {
    std::vector<const MapCell*> boxes;
    for (const MapCell& c : map.cells)
        if (c.single)
            boxes.push_back(&c);
    const auto fits = [&](const MapCell& c) {
        return w.measure(LabelFont::Mono, shortHex(c.pfn)) + w.pad <= c.rect.width();
    };
    // Boxes cut at the strip's ends may be too narrow; every whole box must have room.
    const float whole = map.rows.front().strip.width() / static_cast<float>(map.pfnSpan) * 0.8f;
    if (boxes.empty() || !std::all_of(boxes.begin(), boxes.end(),
                                      [&](const MapCell* c) { return fits(*c) || c->rect.width() < whole; }))
        return false;
    std::uint64_t lastPfn = ~std::uint64_t{0};
    std::sort(boxes.begin(), boxes.end(), [](const MapCell* a, const MapCell* b) { return a->pfn < b->pfn; });
    for (const MapCell* c : boxes) {
        if (!fits(*c))
            continue;
        const float x0 = c->rect.x0 + w.pad * 0.5f;
        const MapRow& row = map.rows[c->row];
        const auto [b, e] = framesInPfnRange(w.snapshot, w.index, c->pfn, c->pfn + 1);
        if (c->huge) {
            const std::string slots = std::to_string(c->frames);
            w.add(x0, row.label.y0, c->rect.x1, LabelFont::Regular, LabelTone::OnColour,
                  {"one huge page: " + slots + " slots of 4 KiB", "one huge page", "huge page"});
            if (w.out.back().cut)
                w.out.pop_back();
        } else if (b < e) {
            const core::FrameView& f = w.snapshot.frames[w.index.map.byPfn[b]];
            const std::string page = std::to_string(f.page);
            w.add(x0, row.label.y0, c->rect.x1, LabelFont::Regular, LabelTone::OnColour,
                  {"page " + page, "p" + page});
            if (w.out.back().cut)
                w.out.pop_back(); // the frame number below still names the box; its tooltip says the rest
        }
        if (c->pfn != lastPfn)
            w.add(x0, map.axis.y0, c->rect.x1, LabelFont::Mono, LabelTone::Muted, {shortHex(c->pfn)});
        lastPfn = c->pfn;
    }
    return true;
}

// The map's words: how many frames in how many runs over how much RAM, whose row is whose, and
// the frame numbers at both ends of the axis.
void mapLabels(Writer& w, const PhysicalMap& map, float floor) {
    const LayoutIndex::Map& m = w.index.map;
    if (map.summary.y0 < floor) // scrolled under the column's sticky title
        return;
    std::string frames = std::to_string(m.frames) + (m.frames == 1 ? " frame" : " frames");
    std::size_t huge = 0;
    std::size_t hugeSlots = 0;
    for (const LayoutIndex::FrameGroup& g : w.index.groups)
        if (!g.hugeRuns.empty()) {
            huge += g.hugeRuns.size();
            hugeSlots += g.count;
        }
    if (huge > 0 && hugeSlots == m.frames) // a huge page is one frame, here as everywhere
        frames = std::to_string(huge) + (huge == 1 ? " huge frame" : " huge frames");
    const std::string runs = std::to_string(m.runs) + (m.runs == 1 ? " contiguous run" : " contiguous runs");
    const std::string span = roughSize((m.pfnLast - m.pfnFirst + 1) * w.snapshot.pageSize);
    const std::string briefRuns = std::to_string(m.runs) + (m.runs == 1 ? " run" : " runs");
    w.add(map.summary.x0, map.summary.y0, map.summary.x1, LabelFont::Regular, LabelTone::Text,
          {"where they lie: " + frames + " in " + runs, frames + " in " + runs, frames + " in " + briefRuns,
           frames + ", " + briefRuns, frames});
    if (map.zoomed) { // the strips show part of the range: say how much, so no one reads it as all
        const auto shown = static_cast<std::uint64_t>(std::ceil(map.pfnSpan));
        const std::string part = roughSize(shown * w.snapshot.pageSize);
        const std::string count = std::to_string(shown) + (shown == 1 ? " frame number" : " frame numbers");
        w.add(map.spread.x0, map.spread.y0, map.spread.x1, LabelFont::Regular, LabelTone::Emphasis,
              {"zoomed: " + count + " (" + part + ") of " + span, "zoomed: " + part + " of " + span,
               "zoomed: " + part, "zoomed in"});
    } else {
        w.add(map.spread.x0, map.spread.y0, map.spread.x1, LabelFont::Regular, LabelTone::Muted,
              {"spread over " + span + " of physical memory", "over " + span + " of RAM", "over " + span});
    }
    for (const MapRow& row : map.rows)
        w.add(row.label.x0, row.label.y0, row.label.x1, LabelFont::Regular, LabelTone::Text,
              {row.worker < 0 ? "all" : "W" + std::to_string(w.snapshot.workers[row.worker].id)});
    const bool anyBox =
        std::any_of(map.cells.begin(), map.cells.end(), [](const MapCell& c) { return c.single; });
    if (anyBox && mapBoxLabels(w, map))
        return;
    // The axis's ends: the whole range, or the zoomed window's first and last frame numbers.
    const std::string first = shortHex(static_cast<std::uint64_t>(std::floor(map.pfnFirst)));
    const std::string last = shortHex(static_cast<std::uint64_t>(std::ceil(map.pfnFirst + map.pfnSpan)) - 1);
    w.add(map.axis.x0, map.axis.y0, map.axis.x1, LabelFont::Mono, LabelTone::Muted, {"pfn " + first, first});
    const float used = w.out.back().cut ? map.axis.width() : w.measure(LabelFont::Mono, w.out.back().text);
    const float width = w.measure(LabelFont::Mono, last);
    if (last != first && map.axis.x0 + used + w.pad + width + 1 <= map.axis.x1)
        w.add(map.axis.x1 - width - 1, map.axis.y0, map.axis.x1, LabelFont::Mono, LabelTone::Muted, {last});
}

// Segments with no frame to draw, under the frames column: not touched yet, or gone from the kernel.
void framelessSegments(Writer& w, const ColumnBox& col) {
    float y = col.rect.y1 + 2;
    const float x0 = col.rect.x0 + w.pad * 0.5f;
    const float x1 = col.rect.x1 - w.pad * 0.5f;
    for (const core::SegmentView& seg : w.snapshot.segments) {
        const std::string id = "seg " + std::to_string(seg.id);
        const bool hasFrames = std::any_of(w.index.groups.begin(), w.index.groups.end(),
                                           [&](const auto& g) { return g.segment == seg.id; });
        if (!seg.exists)
            w.add(x0, y, x1, LabelFont::Regular, LabelTone::Destroyed,
                  {id + " freed by the kernel", id + " freed"});
        else if (w.snapshot.pfnVisible && !hasFrames && seg.residentKnown &&
                 seg.residentBytes + seg.swapBytes > 0)
            // Nobody maps it, yet the kernel keeps its pages: the data stays in the segment.
            w.add(
                x0, y, x1, LabelFont::Regular, LabelTone::Text,
                {id + " holds " + core::formatSize(seg.residentBytes + seg.swapBytes) + ", mapped by nobody",
                 id + " holds " + core::formatSize(seg.residentBytes + seg.swapBytes), id + ": unmapped"});
        else if (w.snapshot.pfnVisible && !hasFrames)
            w.add(x0, y, x1, LabelFont::Regular, LabelTone::Muted,
                  {id + " (" + core::formatSize(seg.size) + "): no frames yet", id + ": no frames yet",
                   id + ": none"});
        else
            continue;
        y += w.line();
    }
}

// Where the rows of an attachment (or a segment's frames) may show text: below its sticky header.
float rowsFloor(const Writer& w, const PageBand& page) {
    for (const AttachmentBox& box : w.layout.attachments)
        if (box.worker == page.worker && box.attachment == page.attachment)
            return std::max(box.stickyHeader.y1, w.view.canvas.y0);
    return w.view.canvas.y0;
}

float framesFloor(const Writer& w, const FrameBand& frame) {
    for (const SegmentGroup& g : w.layout.segments)
        if (frame.firstFrame >= g.firstFrame && frame.firstFrame < g.firstFrame + g.count)
            return std::max(g.stickyHeader.y1, w.view.canvas.y0);
    return w.view.canvas.y0;
}

std::vector<std::string> bandForms(const PageBand& page, const core::SegmentView* seg) {
    const std::string n = std::to_string(page.count);
    const std::string state = page.present == page.count ? "all present"
                              : page.present == 0        ? "none present"
                                                  : std::to_string(page.present) + " of " + n + " present";
    std::string pages = pagesText(page.firstPage, page.count);
    if (seg && seg->hugetlb) // the slots of huge pages: 4 KiB each, mapped a huge page at a time
        pages = n + " slots of 4 KiB";
    return {pages + ": " + state, pages, n + " pages", state};
}

void pageLabels(Writer& w) {
    const float line = w.line();
    for (const PageBand& page : w.layout.pages) {
        const float y = page.rect.center().y - line * 0.5f;
        if (page.rect.height() < line * 0.9f || y < rowsFloor(w, page) || y > w.view.canvas.y1)
            continue;
        const core::AttachmentView& att = w.snapshot.workers[page.worker].attachments[page.attachment];
        const LabelTone tone = page.present == page.count ? LabelTone::OnColour : LabelTone::Text;
        const float x0 = page.rect.x0 + w.pad;
        const float x1 = page.rect.x1 - w.pad;
        if (page.count == 1) {
            // The address matters most: it differs between workers for the same page.
            const std::string va = shortHex(att.pageVa(page.firstPage));
            const std::string p = "p" + std::to_string(page.firstPage);
            w.add(x0, y, x1, LabelFont::Mono, tone, {p + " " + va, va, p});
        } else {
            w.add(x0, y, x1, LabelFont::Regular, tone,
                  bandForms(page, segmentById(w.snapshot, page.segment)));
        }
    }
}

void hugeFrameLabel(Writer& w, const FrameBand& frame, float floor) {
    const core::FrameView& f = w.snapshot.frames[frame.firstFrame];
    const core::SegmentView* seg = segmentById(w.snapshot, frame.segment);
    const std::string size = seg ? core::formatSize(seg->hugePageSize) : "huge";
    const float x0 = frame.rect.x0 + w.pad;
    const float x1 = frame.rect.x1 - w.pad;
    const float y = std::max(frame.rect.y0, floor) + 4;
    if (y + 3 * w.line() > frame.rect.y1)
        return;
    const std::string slots = std::to_string(frame.count);
    w.add(x0, y, x1, LabelFont::Regular, LabelTone::OnColour,
          {"ONE " + size + " huge frame", size + " frame"});
    w.add(x0, y + w.line(), x1, LabelFont::Mono, LabelTone::OnColour,
          {"pfn " + shortHex(f.pfn), shortHex(f.pfn)});
    w.add(x0, y + 2 * w.line(), x1, LabelFont::Regular, LabelTone::OnColour,
          {"covers " + slots + " slots of 4 KiB, pages " + std::to_string(f.page) + "-" +
               std::to_string(f.page + frame.count - 1),
           "covers " + slots + " slots of 4 KiB", slots + " x 4 KiB"});
}

void frameLabels(Writer& w) {
    const float line = w.line();
    for (const FrameBand& frame : w.layout.frames) {
        const float floor = framesFloor(w, frame);
        if (frame.huge) {
            hugeFrameLabel(w, frame, floor);
            continue;
        }
        const float y = frame.rect.center().y - line * 0.5f;
        if (frame.rect.height() < line * 0.9f || y < floor || y > w.view.canvas.y1)
            continue;
        const float x0 = frame.rect.x0 + w.pad;
        const float x1 = frame.rect.x1 - w.pad;
        const core::FrameView& f = w.snapshot.frames[frame.firstFrame];
        if (frame.count != 1) {
            const std::string n = std::to_string(frame.count);
            const core::FrameView& last = w.snapshot.frames[frame.firstFrame + frame.count - 1];
            w.add(x0, y, x1, LabelFont::Regular, LabelTone::OnColour,
                  {n + " frames: pages " + std::to_string(f.page) + "-" + std::to_string(last.page),
                   n + " frames", n});
            continue;
        }
        const std::string pfn = "pfn " + shortHex(f.pfn);
        w.add(x0, y, x1, LabelFont::Mono, LabelTone::OnColour, {pfn, shortHex(f.pfn)});
        const float after = x0 + w.measure(LabelFont::Mono, w.out.back().text) + w.pad;
        // Which page the frame holds, and who maps it now.
        const std::string page = std::to_string(f.page);
        const std::string who = frameCaption(w.snapshot, f);
        const std::string brief = who.rfind("copy", 0) == 0 ? "copy" : who;
        if (who.empty())
            w.add(after, y, x1, LabelFont::Regular, LabelTone::OnColour,
                  {"page " + page + ", mapped by nobody", "p" + page});
        else
            w.add(after, y, x1, LabelFont::Regular, LabelTone::OnColour,
                  {"page " + page + ": " + who, "p" + page + ": " + who, "p" + page + ": " + brief,
                   "p" + page});
    }
}

} // namespace

Label fitLabel(const Rect& box, LabelFont font, LabelTone tone, const std::vector<std::string>& forms,
               const MeasureText& measure) {
    Label label;
    label.box = box;
    label.font = font;
    label.tone = tone;
    label.full = forms.front();
    for (const std::string& form : forms)
        if (measure(font, form) <= box.width()) {
            label.text = form;
            return label;
        }
    label.text = cutToFit(forms.back(), box.width(), font, measure);
    label.cut = true;
    return label;
}

std::vector<Label> labelDiagram(const core::Snapshot& snapshot, const LayoutIndex& index,
                                const DiagramLayout& layout, const ViewParams& view, float pad,
                                const MeasureText& measure) {
    Writer w{snapshot, index, layout, view, pad, measure, {}};
    // Rows first: the headers drawn after them stay readable where they stick over the rows.
    pageLabels(w);
    frameLabels(w);
    for (const AttachmentBox& box : layout.attachments)
        attachmentHeader(w, box);
    for (const SegmentGroup& group : layout.segments)
        segmentHeader(w, group);
    for (const ColumnBox& col : layout.columns) {
        if (col.worker >= 0) {
            workerTitle(w, col);
        } else {
            physicalTitle(w, col);
            if (layout.map)
                mapLabels(w, *layout.map, col.stickyTitle.y0 != col.title.y0 ? col.stickyTitle.y1 : -1e9f);
            framelessSegments(w, col);
        }
    }
    return std::move(w.out);
}

} // namespace shmviz::render
