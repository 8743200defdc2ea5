#include "ui/diagram_panel.h"

#include "core/steps/units.h"
#include "render/diagram_painter.h"
#include "render/frame_roles.h"
#include "render/palette.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace shmviz::ui {
namespace {

constexpr float kMaxZoomPagePx = 64;
constexpr float kTextPad = 6;

std::string shortHex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

std::string pagesText(std::uint64_t first, std::uint64_t count) {
    return count == 1 ? "page " + std::to_string(first)
                      : "pages " + std::to_string(first) + "-" + std::to_string(first + count - 1);
}

const core::SegmentView* segmentById(const core::Snapshot& snapshot, int id) {
    for (const core::SegmentView& s : snapshot.segments)
        if (s.id == id)
            return &s;
    return nullptr;
}

// The first of the texts that fits `width`, or nothing.
void textIn(ImDrawList* dl, ImFont* font, ImVec2 pos, unsigned color,
            std::initializer_list<std::string> texts, float width) {
    const float size = font->FontSize;
    for (const std::string& text : texts)
        if (font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str()).x <= width) {
            dl->AddText(font, size, pos, color, text.c_str());
            return;
        }
}

void textIn(ImDrawList* dl, ImFont* font, ImVec2 pos, unsigned color, const std::string& text, float width) {
    textIn(dl, font, pos, color, {text}, width);
}

// How an attachment maps its memory, in the words of the call that made it.
struct MappingText {
    std::string full;
    std::string brief;
    bool emphasised = false; // a contrast the lesson is about: private, inherited, a second mapping
};

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

// Who maps a frame, when that is the point: a private copy, one process at two addresses.
std::string frameCaption(const core::Snapshot& snapshot, const core::FrameView& frame) {
    const render::FrameRole role = render::frameRole(snapshot, frame);
    const render::FrameMappers mappers = render::frameMappers(frame);
    if (frame.mappedBy.empty())
        return "";
    const std::string first = "W" + std::to_string(frame.mappedBy.front().worker);
    if (role == render::FrameRole::PrivateCopy)
        return "copy for " + first;
    if (mappers.workers == 1 && mappers.someWorkerTwice)
        return first + " twice";
    // "W0+W1", with "twice" after a worker that maps it at two addresses.
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

} // namespace

void DiagramPanel::updateLayout(const core::Snapshot& snapshot, const render::ViewParams& view, double now) {
    const bool newSnapshot = snapshot.generation != m_generation;
    const bool newView = view.canvas.x0 != m_view.canvas.x0 || view.canvas.y0 != m_view.canvas.y0 ||
                         view.canvas.x1 != m_view.canvas.x1 || view.canvas.y1 != m_view.canvas.y1 ||
                         view.pagePx != m_view.pagePx || view.scrollY != m_view.scrollY ||
                         view.lineHeight != m_view.lineHeight;
    if (!newSnapshot && !newView)
        return;
    if (newSnapshot)
        m_index = render::indexSnapshot(snapshot);
    render::DiagramLayout next = render::layoutDiagram(snapshot, m_index, view);
    const float maxScroll = std::max(0.0f, next.contentHeight - view.canvas.height());
    if (view.scrollY > maxScroll) {
        m_scrollY = maxScroll;
        render::ViewParams clamped = view;
        clamped.scrollY = maxScroll;
        next = render::layoutDiagram(snapshot, m_index, clamped);
        m_view = clamped;
    } else {
        m_view = view;
    }
    if (newSnapshot && m_generation != ~std::uint64_t{0} && m_animate)
        m_animation.onSnapshotChanged(m_layout, next, now);
    m_generation = snapshot.generation;
    m_layout = std::move(next);
}

void DiagramPanel::draw(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    const core::Snapshot& snapshot = ctx.snapshot;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    render::ViewParams view;
    view.canvas = {origin.x, origin.y, origin.x + std::max(1.0f, avail.x),
                   origin.y + std::max(1.0f, avail.y)};
    view.lineHeight = ImGui::GetTextLineHeight();
    view.maxPagePx = std::max(view.lineHeight + 12, 32.0f * state.scale());
    if (state.fitDiagram) {
        m_pagePx = 0;
        m_scrollY = 0;
        state.fitDiagram = false;
    }
    m_animate = state.animate;
    view.pagePx = m_pagePx;
    view.scrollY = m_scrollY;
    if (state.forceRelayout)
        m_view.lineHeight = -1;
    updateLayout(snapshot, view, ctx.now);

    ImGui::InvisibleButton("##diagram", ImVec2(view.canvas.width(), view.canvas.height()));
    handleInput(snapshot, state);

    render::PaintOptions paint;
    paint.theme = state.theme;
    paint.scale = state.scale();
    paint.hoveredPage = m_hoveredPage;
    paint.selectedWorker = state.selectedWorker;
    paint.selectedPage = state.selectedPage;
    m_quads.clear();
    render::paintDiagram(m_layout, snapshot, paint, m_animation, ctx.now, m_quads);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(ImVec2(m_view.canvas.x0, m_view.canvas.y0), ImVec2(m_view.canvas.x1, m_view.canvas.y1),
                     true);
    drawLabels(snapshot, state, fonts);
    drawLegend(snapshot, state);
    dl->PopClipRect();

    if (ImGui::IsItemHovered()) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const render::Hit hit = render::hitTest(m_layout, {mouse.x, mouse.y});
        if (hit.kind != render::Hit::Kind::None)
            drawTooltip(snapshot, hit, fonts);
    }
}

void DiagramPanel::handleInput(const core::Snapshot& snapshot, UiState& state) {
    ImGuiIO& io = ImGui::GetIO();
    m_hoveredPage.reset();
    if (!ImGui::IsItemHovered() && !ImGui::IsItemActive())
        return;
    const render::Hit hit = render::hitTest(m_layout, {io.MousePos.x, io.MousePos.y});
    if (hit.kind == render::Hit::Kind::Page)
        m_hoveredPage = hit.index;

    if (io.MouseWheel != 0 && ImGui::IsItemHovered()) {
        const float fit = render::fitPagePx(snapshot, m_index, m_view);
        const float current = m_layout.pagePx;
        const float next = std::clamp(current * std::pow(1.25f, io.MouseWheel), fit, kMaxZoomPagePx);
        const float mouseY = io.MousePos.y - m_view.canvas.y0;
        if (next <= fit * 1.0001f) {
            m_pagePx = 0;
            m_scrollY = 0;
        } else {
            m_pagePx = next;
            m_scrollY = std::max(0.0f, (m_scrollY + mouseY) * next / current - mouseY);
        }
    }
    if (ImGui::IsItemActivated())
        m_dragged = false;
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        m_dragged = true;
        m_scrollY = std::max(0.0f, m_scrollY - io.MouseDelta.y);
    } else if (ImGui::IsItemDeactivated() && !m_dragged && hit.kind == render::Hit::Kind::Page) {
        const render::PageBand& page = m_layout.pages[hit.index];
        const core::WorkerView& worker = snapshot.workers[page.worker];
        const core::AttachmentView& att = worker.attachments[page.attachment];
        state.selectedWorker = page.worker;
        state.selectedPage = page.firstPage;
        if (att.segment >= 0)
            state.selectedSegment = att.segment;
        // Page steps name the mapping: the nth of this segment (or of anonymous memory) in the worker.
        state.pageTarget.anon = att.anonymous;
        state.pageTarget.at = 0;
        for (std::size_t i = 0; i < page.attachment; ++i)
            if (worker.attachments[i].anonymous == att.anonymous &&
                (att.anonymous || worker.attachments[i].segment == att.segment))
                ++state.pageTarget.at;
    }
}

void DiagramPanel::drawLabels(const core::Snapshot& snapshot, const UiState& state,
                              const Fonts& fonts) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const render::Palette& pal = render::paletteFor(state.theme);
    const unsigned text = toImColor(pal.text);
    const unsigned muted = toImColor(pal.mutedText);
    const unsigned destroyed = toImColor(pal.destroyed);
    const unsigned onColour =
        state.theme == render::ThemeKind::Dark ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE;
    const float line = m_view.lineHeight;
    const float pad = kTextPad * state.scale();

    for (const render::ColumnBox& col : m_layout.columns) {
        const float w = col.title.width() - pad;
        const ImVec2 p(col.title.x0 + pad * 0.5f, col.title.y0 + 2);
        if (col.worker < 0) {
            textIn(dl, fonts.large, p, text, {"Physical memory", "Physical", "RAM"}, w);
            // A huge page counts as one frame: that is what the kernel maps with one entry.
            std::size_t n = 0;
            std::size_t huge = 0;
            for (const render::LayoutIndex::FrameGroup& g : m_index.groups) {
                n += g.hugeRuns.empty() ? g.count : 0;
                huge += g.hugeRuns.size();
            }
            std::string count = std::to_string(n) + (n == 1 ? " frame" : " frames");
            if (huge > 0)
                count = std::to_string(huge) + (huge == 1 ? " huge frame" : " huge frames") +
                        (n > 0 ? ", " + count : std::string());
            if (snapshot.pfnVisible)
                textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 2), muted,
                       {count + ", by segment page", count}, w);
            else
                textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 2), muted,
                       {"frame numbers hidden", "hidden"}, w);
            continue;
        }
        const core::WorkerView& worker = snapshot.workers[col.worker];
        const bool selected = col.worker == state.selectedWorker;
        const std::string id = std::to_string(worker.id);
        const std::string pid = "pid " + std::to_string(worker.pid);
        if (!worker.alive) {
            // A dead worker stays on screen, struck out, with how it ended in plain words.
            textIn(dl, fonts.large, p, destroyed, {"Worker " + id + " (dead)", "W" + id + " dead", id}, w);
            textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 2), destroyed,
                   {pid + " " + worker.endedHow, worker.endedHow, "ended"}, w);
            const float y = col.title.y1 + 4;
            dl->AddRect(ImVec2(col.title.x0, col.title.y0), ImVec2(col.title.x1, col.title.y1), destroyed, 0,
                        0, 2 * state.scale());
            textIn(dl, fonts.regular, ImVec2(p.x, y), muted,
                   {"the kernel removed all its mappings", "mappings removed", "gone"}, w);
            continue;
        }
        textIn(dl, fonts.large, p, selected ? text : muted,
               {(selected ? "> Worker " : "Worker ") + id, "W" + id, id}, w);
        const unsigned subColour = worker.parent >= 0 ? text : muted;
        if (worker.parent >= 0) {
            const std::string parent = std::to_string(worker.parent);
            textIn(
                dl, fonts.regular, ImVec2(p.x, p.y + line + 2), subColour,
                {pid + ", forked from worker " + parent, pid + ", fork of W" + parent, "fork of W" + parent},
                w);
        } else {
            textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 2), subColour, pid, w);
        }
        if (worker.attachments.empty())
            textIn(dl, fonts.regular, ImVec2(p.x, col.title.y1 + 4), muted, "nothing attached", w);
    }

    for (const render::AttachmentBox& box : m_layout.attachments) {
        const core::AttachmentView& att = snapshot.workers[box.worker].attachments[box.attachment];
        const core::SegmentView* seg = segmentById(snapshot, att.segment);
        const float w = box.header.width() - pad * 1.5f;
        const ImVec2 p(box.header.x0 + pad * 1.5f, box.header.y0 + 2);
        std::string title = segmentTitle(snapshot, att.segment);
        std::string brief = att.segment < 0 ? std::string("anonymous") : "seg " + std::to_string(att.segment);
        if (att.rdonly)
            title += "  read-only";
        // One process, the same segment twice: say so on the second mapping's first line.
        int nth = 0;
        const core::WorkerView& owner = snapshot.workers[box.worker];
        for (std::size_t i = 0; i <= box.attachment; ++i)
            nth += att.segment >= 0 && owner.attachments[i].segment == att.segment ? 1 : 0;
        const bool again = nth > 1;
        if (again) {
            const std::string n = nth == 2 ? "2nd" : nth == 3 ? "3rd" : std::to_string(nth) + "th";
            brief += ", " + n + " time here";
            title = brief;
        }
        textIn(dl, fonts.regular, p,
               seg && seg->dest ? destroyed
               : again          ? toImColor(pal.selection)
                                : text,
               {title, brief, "seg " + std::to_string(att.segment)}, w);
        const MappingText how = mappingText(snapshot.workers[box.worker], box.attachment, seg);
        textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 1), how.emphasised ? text : muted,
               {how.full, how.brief}, w);
        textIn(dl, fonts.mono, ImVec2(p.x, p.y + 2 * line + 1), muted,
               {"at " + core::hex(att.va, 12), shortHex(att.va)}, w);
    }

    for (const render::SegmentGroup& group : m_layout.segments) {
        const core::SegmentView* seg = segmentById(snapshot, group.segment);
        const float w = group.header.width() - pad * 1.5f;
        const ImVec2 p(group.header.x0 + pad * 1.5f, group.header.y0 + 3);
        textIn(dl, fonts.regular, p, seg && seg->dest ? destroyed : text,
               {segmentTitle(snapshot, group.segment), "seg " + std::to_string(group.segment)}, w);
        const ImVec2 p2(p.x, p.y + line + 1);
        if (!seg) {
            textIn(dl, fonts.regular, p2, muted, {"MAP_PRIVATE | MAP_ANONYMOUS", "MAP_ANONYMOUS", "private"},
                   w);
            continue;
        }
        if (seg->kind == core::SegmentKind::Posix) {
            // shm_unlink removes the name at once; the frames stay while a mapping remains.
            if (seg->linked && seg->hugetlb)
                textIn(dl, fonts.regular, p2, muted,
                       {"on hugetlbfs, " + core::formatSize(seg->hugePageSize) + " pages", "on hugetlbfs"},
                       w);
            else if (seg->linked)
                textIn(dl, fonts.regular, p2, muted,
                       {"in /dev/shm, inode " + std::to_string(seg->inode), "in /dev/shm"}, w);
            else
                textIn(dl, fonts.regular, p2, destroyed,
                       {"unlinked: name gone, still mapped", "unlinked, still mapped", "unlinked"}, w);
            continue;
        }
        if (seg->hugetlb) {
            textIn(dl, fonts.regular, p2, muted,
                   {"SHM_HUGETLB, " + core::formatSize(seg->hugePageSize) + " pages", "SHM_HUGETLB"}, w);
            continue;
        }
        // The key as the kernel reports it now: IPC_RMID turns it to 0.
        std::string key = seg->dest       ? "key " + core::hex(seg->key, 8) + " IPC_RMID"
                          : seg->key == 0 ? "key IPC_PRIVATE"
                                          : "key " + core::hex(seg->key, 8);
        if (fonts.mono->CalcTextSizeA(fonts.mono->FontSize, FLT_MAX, 0, key.c_str()).x > w && seg->dest)
            key = "key 0 (IPC_RMID)";
        textIn(dl, fonts.mono, p2, seg->dest ? destroyed : muted, {key, seg->dest ? "IPC_RMID" : ""}, w);
    }

    for (const render::ColumnBox& col : m_layout.columns) {
        if (col.worker >= 0)
            continue;
        // Segments with no frame to draw: not touched yet, or gone from the kernel.
        float y = col.rect.y1 + 2;
        for (const core::SegmentView& seg : snapshot.segments) {
            const std::string id = "seg " + std::to_string(seg.id);
            const ImVec2 at(col.rect.x0 + pad * 0.5f, y);
            const float w = col.rect.width() - pad;
            if (!seg.exists) {
                textIn(dl, fonts.regular, at, destroyed, {id + " freed by the kernel", id + " freed"}, w);
            } else if (snapshot.pfnVisible &&
                       std::none_of(m_index.groups.begin(), m_index.groups.end(),
                                    [&](const auto& g) { return g.segment == seg.id; })) {
                textIn(dl, fonts.regular, at, muted,
                       {id + " (" + core::formatSize(seg.size) + "): no frames yet", id + ": no frames yet"},
                       w);
            } else {
                continue;
            }
            y += line;
        }
    }

    const float font = fonts.mono->FontSize;
    for (const render::PageBand& page : m_layout.pages) {
        if (page.rect.height() < font || page.rect.y1 < m_view.canvas.y0 || page.rect.y0 > m_view.canvas.y1)
            continue;
        const core::AttachmentView& att = snapshot.workers[page.worker].attachments[page.attachment];
        const unsigned color = page.present == page.count ? onColour : text;
        const ImVec2 p(page.rect.x0 + pad, page.rect.center().y - font * 0.5f);
        const float w = page.rect.width() - 2 * pad;
        if (page.count == 1) {
            // The address matters most: it differs between workers for the same page.
            const std::string va = shortHex(att.pageVa(page.firstPage));
            const std::string full = "p" + std::to_string(page.firstPage) + " " + va;
            if (fonts.mono->CalcTextSizeA(font, FLT_MAX, 0, full.c_str()).x <= w)
                dl->AddText(fonts.mono, font, p, color, full.c_str());
            else if (fonts.mono->CalcTextSizeA(font, FLT_MAX, 0, va.c_str()).x <= w)
                dl->AddText(fonts.mono, font, p, color, va.c_str());
            else
                textIn(dl, fonts.mono, p, color, "p" + std::to_string(page.firstPage), w);
        } else {
            const std::string state = page.present == page.count ? "present"
                                      : page.present == 0        ? "not present"
                                                                 : "mixed";
            std::string pages = pagesText(page.firstPage, page.count);
            const core::SegmentView* seg = segmentById(snapshot, page.segment);
            if (seg && seg->hugetlb) // the slots of huge pages: 4 KiB each, mapped a huge page at a time
                pages = std::to_string(page.count) + " slots of 4 KiB,";
            textIn(dl, fonts.regular, p, color,
                   {pages + "  " + state, pages, std::to_string(page.count) + " pages", state}, w);
        }
    }

    for (const render::FrameBand& frame : m_layout.frames) {
        if (frame.rect.height() < font)
            continue;
        const ImVec2 p(frame.rect.x0 + pad, frame.rect.center().y - font * 0.5f);
        const float w = frame.rect.width() - 2 * pad;
        if (frame.huge) {
            const core::FrameView& f = snapshot.frames[frame.firstFrame];
            const core::SegmentView* seg = segmentById(snapshot, frame.segment);
            const std::string size = seg ? core::formatSize(seg->hugePageSize) : "huge";
            const ImVec2 top(frame.rect.x0 + pad, std::max(frame.rect.y0, m_view.canvas.y0) + 4);
            textIn(dl, fonts.regular, top, onColour, {"ONE " + size + " huge frame", size + " frame", "huge"},
                   w);
            textIn(dl, fonts.mono, ImVec2(top.x, top.y + line), onColour,
                   {"pfn " + shortHex(f.pfn) + "..", shortHex(f.pfn)}, w);
            textIn(dl, fonts.regular, ImVec2(top.x, top.y + 2 * line), onColour,
                   {"covers " + std::to_string(frame.count) + " slots of 4 KiB",
                    std::to_string(frame.count) + " x 4 KiB"},
                   w);
        } else if (frame.count == 1) {
            const core::FrameView& f = snapshot.frames[frame.firstFrame];
            const std::string pfn = "pfn " + shortHex(f.pfn);
            const std::string who = frameCaption(snapshot, f);
            const float pfnWidth = fonts.mono->CalcTextSizeA(font, FLT_MAX, 0, pfn.c_str()).x;
            textIn(dl, fonts.mono, p, onColour, {pfn, shortHex(f.pfn)}, w);
            const std::string brief = who.rfind("copy", 0) == 0 ? "copy" : who;
            if (!who.empty() && pfnWidth + pad < w)
                textIn(dl, fonts.regular, ImVec2(p.x + pfnWidth + pad, p.y), onColour, {who, brief},
                       w - pfnWidth - pad);
        } else {
            textIn(dl, fonts.regular, p, onColour,
                   {std::to_string(frame.count) + " frames", std::to_string(frame.count)}, w);
        }
    }

    if (snapshot.workers.empty() && snapshot.segments.empty()) {
        const char* hint =
            "Nothing here yet: press N to spawn a worker process, G to create a segment (shmget).";
        const ImVec2 size = ImGui::CalcTextSize(hint);
        dl->AddText(ImVec2(m_view.canvas.center().x - size.x * 0.5f, m_view.canvas.center().y), text, hint);
    }
}

void DiagramPanel::drawLegend(const core::Snapshot& snapshot, const UiState& state) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const render::Palette& pal = render::paletteFor(state.theme);
    const float s = state.scale();
    const float line = m_view.lineHeight;
    const float box = line * 0.8f;
    float x = m_view.canvas.x0 + 10 * s;
    const float y = m_view.canvas.y1 - line - 8 * s;
    dl->AddRectFilled(ImVec2(m_view.canvas.x0, y - 4 * s), ImVec2(m_view.canvas.x1, m_view.canvas.y1),
                      toImColor(render::withAlpha(pal.canvas, 0.92f)));
    const int segment = snapshot.segments.empty() ? 0 : snapshot.segments.back().id;
    const unsigned fill = toImColor(render::segmentColor(state.theme, segment, 0));
    const auto item = [&](bool filled, const char* label) {
        const ImVec2 a(x, y + (line - box) * 0.5f);
        const ImVec2 b(x + box, a.y + box);
        if (filled)
            dl->AddRectFilled(a, b, fill);
        else
            dl->AddRectFilled(a, b, toImColor(pal.notPresentFill));
        dl->AddRect(a, b, toImColor(filled ? pal.outline : pal.mutedText));
        dl->AddText(ImVec2(b.x + 6 * s, y), toImColor(pal.text), label);
        x = b.x + 6 * s + ImGui::CalcTextSize(label).x + 18 * s;
    };
    item(true, "present: points at a frame");
    item(false, "not present: no frame yet");
    const bool anyPrivate = std::any_of(snapshot.workers.begin(), snapshot.workers.end(), [](const auto& w) {
        return std::any_of(w.attachments.begin(), w.attachments.end(),
                           [](const auto& a) { return a.privateMapping || a.anonymous; });
    });
    if (anyPrivate) {
        // The dashed arrow and the hatched frame, as the painter draws them.
        const unsigned arrow = toImColor(render::arrowColor(state.theme, segment));
        const float cy = y + line * 0.5f;
        for (float d = 0; d < 3 * box; d += 10 * s)
            dl->AddLine(ImVec2(x + d, cy), ImVec2(x + std::min(d + 6 * s, 3 * box), cy), arrow, 3 * s);
        const char* label = "private mapping: shared until written";
        dl->AddText(ImVec2(x + 3 * box + 6 * s, y), toImColor(pal.text), label);
        x += 3 * box + 6 * s + ImGui::CalcTextSize(label).x + 18 * s;
        const ImVec2 a(x, y + (line - box) * 0.5f);
        const ImVec2 b(a.x + box, a.y + box);
        dl->AddRectFilled(a, b, fill);
        dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), toImColor(render::withAlpha(pal.text, 0.5f)), 2 * s);
        dl->AddRect(a, b, toImColor(pal.text), 0, 0, 2 * s);
        const char* copy = "private copy";
        dl->AddText(ImVec2(b.x + 6 * s, y), toImColor(pal.text), copy);
        x = b.x + 6 * s + ImGui::CalcTextSize(copy).x + 18 * s;
    }
    char zoom[96];
    if (m_layout.singlePages)
        std::snprintf(zoom, sizeof zoom, "one box = one %u-byte page", snapshot.pageSize);
    else
        std::snprintf(zoom, sizeof zoom, "bands: 1 pixel = %.1f pages (wheel zooms in)",
                      1.0 / m_layout.pagePx);
    std::string help = std::string(zoom) + "   wheel: zoom  drag: pan  Home: fit";
    const ImVec2 size = ImGui::CalcTextSize(help.c_str());
    if (m_view.canvas.x1 - size.x - 10 * s > x)
        dl->AddText(ImVec2(m_view.canvas.x1 - size.x - 10 * s, y), toImColor(pal.mutedText), help.c_str());
}

void DiagramPanel::drawTooltip(const core::Snapshot& snapshot, const render::Hit& hit,
                               const Fonts& fonts) const {
    ImGui::BeginTooltip();
    if (hit.kind == render::Hit::Kind::Page) {
        const render::PageBand& page = m_layout.pages[hit.index];
        const core::WorkerView& worker = snapshot.workers[page.worker];
        const core::AttachmentView& att = worker.attachments[page.attachment];
        ImGui::Text("Worker %d (pid %d), %s, %s", worker.id, static_cast<int>(worker.pid),
                    segmentTitle(snapshot, att.segment).c_str(),
                    pagesText(page.firstPage, page.count).c_str());
        ImGui::PushFont(fonts.mono);
        if (page.count == 1) {
            const core::PageEntry e = core::decodePagemapEntry(att.entries[page.firstPage]);
            ImGui::Text("virtual address  %s", core::hex(att.pageVa(page.firstPage), 16).c_str());
            ImGui::Text("pagemap entry    %s", core::hex(e.raw, 16).c_str());
            ImGui::Text("  bit 63 present %d   bit 62 swapped %d   bit 61 file/shared %d", e.present,
                        e.swapped, e.fileOrSharedAnon);
            ImGui::Text("  bit 56 exclusive %d  bit 55 soft-dirty %d", e.exclusive, e.softDirty);
            if (att.privateMapping || att.anonymous)
                ImGui::TextUnformatted(e.present && !e.fileOrSharedAnon && !att.anonymous
                                           ? "private mapping  bit 61 clear: this page is the private copy"
                                           : "private mapping  a write gives this page a copy of its own");
            if (!e.present)
                ImGui::TextUnformatted("frame            none: not present, no arrow");
            else if (!snapshot.pfnVisible)
                ImGui::TextUnformatted("frame            hidden (bits 0-54 read as 0 without CAP_SYS_ADMIN)");
            else {
                const std::uint64_t pfn = e.pfnBits;
                ImGui::Text("frame (pfn)      %s  = physical %s", shortHex(pfn).c_str(),
                            shortHex(pfn * snapshot.pageSize).c_str());
                for (const core::FrameView& f : snapshot.frames)
                    if (f.pfn == pfn) {
                        if (f.mapcount)
                            ImGui::Text("map count        %" PRIu64 " (from /proc/kpagecount)", *f.mapcount);
                        ImGui::Text("mapped by        %zu worker(s) of this session", f.mappedBy.size());
                        break;
                    }
            }
        } else {
            ImGui::Text("%" PRIu64 " of %" PRIu64 " pages present", page.present, page.count);
            ImGui::Text("addresses %s - %s", core::hex(att.pageVa(page.firstPage), 16).c_str(),
                        core::hex(att.pageVa(page.firstPage + page.count) - 1, 16).c_str());
            ImGui::TextUnformatted("zoom in (mouse wheel) to see single pages");
        }
        ImGui::PopFont();
        ImGui::TextDisabled("maps: %s", att.maps.c_str());
    } else {
        const render::FrameBand& band = m_layout.frames[hit.index];
        const core::FrameView& f = snapshot.frames[band.firstFrame];
        ImGui::PushFont(fonts.mono);
        if (band.huge) {
            const core::FrameView& last = snapshot.frames[band.firstFrame + band.count - 1];
            ImGui::Text("one huge page    pfn %s - %s = physical address %s", shortHex(f.pfn).c_str(),
                        shortHex(last.pfn).c_str(), shortHex(f.pfn * snapshot.pageSize).c_str());
            ImGui::Text("covers           %zu slots of %u bytes, mapped with one page-table entry",
                        band.count, snapshot.pageSize);
            ImGui::Text("holds            %s pages %" PRIu64 "-%" PRIu64,
                        segmentTitle(snapshot, f.segment).c_str(), f.page, last.page);
        } else if (band.count == 1) {
            ImGui::Text("physical frame   pfn %s = physical address %s", shortHex(f.pfn).c_str(),
                        shortHex(f.pfn * snapshot.pageSize).c_str());
            if (render::frameRole(snapshot, f) == render::FrameRole::PrivateCopy)
                ImGui::TextUnformatted(
                    "private copy     made by copy-on-write at a MAP_PRIVATE mapping's first write");
            ImGui::Text("holds            %s page %" PRIu64, segmentTitle(snapshot, f.segment).c_str(),
                        f.page);
            if (f.mapcount)
                ImGui::Text("map count        %" PRIu64 " page-table %s (/proc/kpagecount)", *f.mapcount,
                            *f.mapcount == 1 ? "entry" : "entries");
            for (const core::FrameRef& ref : f.mappedBy)
                ImGui::Text("mapped by        worker %d at %s", ref.worker, core::hex(ref.va, 16).c_str());
        } else {
            const core::FrameView& last = snapshot.frames[band.firstFrame + band.count - 1];
            ImGui::Text("%zu frames holding %s pages %" PRIu64 "-%" PRIu64, band.count,
                        segmentTitle(snapshot, f.segment).c_str(), f.page, last.page);
        }
        ImGui::PopFont();
    }
    ImGui::EndTooltip();
}

} // namespace shmviz::ui
