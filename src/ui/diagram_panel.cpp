#include "ui/diagram_panel.h"

#include "core/units.h"
#include "render/diagram_painter.h"
#include "render/palette.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>

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
        state.selectedWorker = page.worker;
        state.selectedPage = page.firstPage;
        state.selectedSegment = page.segment;
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
            const std::size_t n = snapshot.frames.size();
            const std::string count = std::to_string(n) + (n == 1 ? " frame" : " frames");
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
        textIn(dl, fonts.large, p, selected ? text : muted,
               {(selected ? "> Worker " : "Worker ") + id, "W" + id, id}, w);
        std::string sub = worker.alive ? "pid " + std::to_string(worker.pid) : worker.endedHow;
        textIn(dl, fonts.regular, ImVec2(p.x, p.y + line + 2), worker.alive ? muted : destroyed, sub, w);
        if (worker.alive && worker.attachments.empty())
            textIn(dl, fonts.regular, ImVec2(p.x, col.title.y1 + 4), muted, "nothing attached", w);
    }

    for (const render::AttachmentBox& box : m_layout.attachments) {
        const core::AttachmentView& att = snapshot.workers[box.worker].attachments[box.attachment];
        const core::SegmentView* seg = segmentById(snapshot, att.segment);
        const float w = box.header.width() - pad * 1.5f;
        const ImVec2 p(box.header.x0 + pad * 1.5f, box.header.y0 + 2);
        std::string title = segmentTitle(snapshot, att.segment);
        if (att.rdonly)
            title += "  read-only";
        if (att.privateMapping)
            title += "  private";
        textIn(dl, fonts.regular, p, seg && seg->dest ? destroyed : text,
               {title, "seg " + std::to_string(att.segment)}, w);
        textIn(dl, fonts.mono, ImVec2(p.x, p.y + line + 1), muted,
               {"at " + core::hex(att.va, 12), shortHex(att.va)}, w);
    }

    for (const render::SegmentGroup& group : m_layout.segments) {
        const core::SegmentView* seg = segmentById(snapshot, group.segment);
        const float w = group.header.width() - pad * 1.5f;
        const ImVec2 p(group.header.x0 + pad * 1.5f, group.header.y0 + 3);
        textIn(dl, fonts.regular, p, seg && seg->dest ? destroyed : text,
               {segmentTitle(snapshot, group.segment), "seg " + std::to_string(group.segment)}, w);
        if (!seg || seg->kind != core::SegmentKind::Sysv)
            continue;
        // The key as the kernel reports it now: IPC_RMID turns it to 0.
        std::string key = seg->dest       ? "key " + core::hex(seg->key, 8) + " IPC_RMID"
                          : seg->key == 0 ? "key IPC_PRIVATE"
                                          : "key " + core::hex(seg->key, 8);
        const ImVec2 p2(p.x, p.y + line + 1);
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
            const std::string pages = pagesText(page.firstPage, page.count);
            textIn(dl, fonts.regular, p, color,
                   {pages + "  " + state, pages, std::to_string(page.count) + " pages", state}, w);
        }
    }

    for (const render::FrameBand& frame : m_layout.frames) {
        if (frame.rect.height() < font)
            continue;
        const ImVec2 p(frame.rect.x0 + pad, frame.rect.center().y - font * 0.5f);
        const float w = frame.rect.width() - 2 * pad;
        if (frame.count == 1) {
            const core::FrameView& f = snapshot.frames[frame.firstFrame];
            std::string label = "pfn " + shortHex(f.pfn);
            textIn(dl, fonts.mono, p, onColour, {label, shortHex(f.pfn)}, w);
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
    char zoom[96];
    if (m_layout.singlePages)
        std::snprintf(zoom, sizeof zoom, "one box = one %u-byte page", snapshot.pageSize);
    else
        std::snprintf(zoom, sizeof zoom, "bands: 1 pixel = %.0f pages (wheel zooms in)",
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
        if (band.count == 1) {
            ImGui::Text("physical frame   pfn %s = physical address %s", shortHex(f.pfn).c_str(),
                        shortHex(f.pfn * snapshot.pageSize).c_str());
            ImGui::Text("holds            %s page %" PRIu64, segmentTitle(snapshot, f.segment).c_str(),
                        f.page);
            if (f.mapcount)
                ImGui::Text("map count        %" PRIu64 " page-table entries (/proc/kpagecount)",
                            *f.mapcount);
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
