#include "ui/diagram_panel.h"

#include "core/kernel/kpageflags.h"
#include "render/index_after_end.h"

#include "core/steps/units.h"
#include "render/diagram_painter.h"
#include "render/diagram_text.h"
#include "render/frame_roles.h"
#include "render/palette.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace shmviz::ui {
namespace {

constexpr float kMaxTextScale = 3; // the wheel enlarges the diagram's text up to this
// Presenter mode: the diagram's text, legend and help line are never smaller, as the step bar's narration
// (letters measure about 25 px from ascender to descender at 1920x1080: the back of a room).
constexpr float kPresenterTextPx = 28;
constexpr float kTextPad = 6;

using render::pagesText;
using render::segmentTitle;
using render::shortHex;

// The font to draw with and the size to draw at: enlarged text comes from the big fonts, scaled down.
std::pair<ImFont*, float> fontOf(const Fonts& fonts, render::LabelFont f, float scale) {
    ImFont* base = f == render::LabelFont::Mono    ? fonts.mono
                   : f == render::LabelFont::Large ? fonts.large
                                                   : fonts.regular;
    ImFont* big = f == render::LabelFont::Mono    ? fonts.bigMono
                  : f == render::LabelFont::Large ? fonts.bigLarge
                                                  : fonts.bigRegular;
    return {scale > 1.2f && big ? big : base, base->FontSize * scale};
}

unsigned toneColour(render::LabelTone tone, const UiState& state) {
    const render::Palette& pal = render::paletteFor(state.theme);
    switch (tone) {
    case render::LabelTone::Muted:
        return toImColor(pal.mutedText);
    case render::LabelTone::Destroyed:
        return toImColor(pal.destroyed);
    case render::LabelTone::OnColour:
        return state.theme == render::ThemeKind::Dark ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE;
    case render::LabelTone::Emphasis:
        return toImColor(pal.selection);
    case render::LabelTone::Text:
        break;
    }
    return toImColor(pal.text);
}

// One page's pagemap entry, bit by bit, and the frame it points at.
void drawPageEntry(const core::Snapshot& snapshot, const core::AttachmentView& att, std::uint64_t pageIndex) {
    const core::PageEntry e = core::decodePagemapEntry(att.entries[pageIndex]);
    ImGui::Text("virtual address  %s", core::hex(att.pageVa(pageIndex), 16).c_str());
    ImGui::Text("pagemap entry    %s", core::hex(e.raw, 16).c_str());
    ImGui::Text("  bit 63 present %d   bit 62 swapped %d   bit 61 file/shared %d", e.present, e.swapped,
                e.fileOrSharedAnon);
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
}

void drawPageTooltip(const core::Snapshot& snapshot, const render::PageBand& page, const Fonts& fonts) {
    const core::WorkerView& worker = snapshot.workers[page.worker];
    const core::AttachmentView& att = worker.attachments[page.attachment];
    ImGui::Text("Worker %d (pid %d), %s, %s", worker.id, static_cast<int>(worker.pid),
                segmentTitle(snapshot, att.segment).c_str(), pagesText(page.firstPage, page.count).c_str());
    ImGui::PushFont(fonts.mono);
    if (page.count == 1) {
        drawPageEntry(snapshot, att, page.firstPage);
    } else {
        ImGui::Text("%" PRIu64 " of %" PRIu64 " pages present", page.present, page.count);
        ImGui::Text("addresses %s - %s", core::hex(att.pageVa(page.firstPage), 16).c_str(),
                    core::hex(att.pageVa(page.firstPage + page.count) - 1, 16).c_str());
        ImGui::TextUnformatted("zoom in (mouse wheel) to see single pages");
    }
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("maps: %s", att.maps.c_str());
    ImGui::PopStyleColor();
}

// The frame's /proc/kpageflags bits by name, when they were read (root only).
void drawFrameFlags(const core::FrameView& f) {
    if (!f.kpageflags)
        return;
    std::string names;
    for (const std::string& name : core::decodeKpageFlags(*f.kpageflags))
        names += (names.empty() ? "" : " ") + name;
    ImGui::Text("flags            %s (/proc/kpageflags)", names.c_str());
}

void drawFrameTooltip(const core::Snapshot& snapshot, const render::FrameBand& band, const Fonts& fonts) {
    const core::FrameView& f = snapshot.frames[band.firstFrame];
    ImGui::PushFont(fonts.mono);
    if (band.huge) {
        const core::FrameView& last = snapshot.frames[band.firstFrame + band.count - 1];
        ImGui::Text("one huge page    pfn %s - %s = physical address %s", shortHex(f.pfn).c_str(),
                    shortHex(last.pfn).c_str(), shortHex(f.pfn * snapshot.pageSize).c_str());
        ImGui::Text("covers           %zu slots of %u bytes, mapped with one page-table entry", band.count,
                    snapshot.pageSize);
        ImGui::Text("holds            %s pages %" PRIu64 "-%" PRIu64,
                    segmentTitle(snapshot, f.segment).c_str(), f.page, last.page);
        drawFrameFlags(f);
    } else if (band.count == 1) {
        ImGui::Text("physical frame   pfn %s = physical address %s", shortHex(f.pfn).c_str(),
                    shortHex(f.pfn * snapshot.pageSize).c_str());
        if (render::frameRole(snapshot, f) == render::FrameRole::PrivateCopy)
            ImGui::TextUnformatted(
                "private copy     made by copy-on-write at a MAP_PRIVATE mapping's first write");
        ImGui::Text("holds            %s page %" PRIu64, segmentTitle(snapshot, f.segment).c_str(), f.page);
        if (f.mapcount)
            ImGui::Text("map count        %" PRIu64 " page-table %s (/proc/kpagecount)", *f.mapcount,
                        *f.mapcount == 1 ? "entry" : "entries");
        drawFrameFlags(f);
        for (const core::FrameRef& ref : f.mappedBy)
            ImGui::Text("mapped by        worker %d at %s", ref.worker, core::hex(ref.va, 16).c_str());
    } else {
        const core::FrameView& last = snapshot.frames[band.firstFrame + band.count - 1];
        ImGui::Text("%zu frames holding %s pages %" PRIu64 "-%" PRIu64, band.count,
                    segmentTitle(snapshot, f.segment).c_str(), f.page, last.page);
    }
    ImGui::PopFont();
}

bool anyPrivateMapping(const core::Snapshot& snapshot) {
    return std::any_of(snapshot.workers.begin(), snapshot.workers.end(), [](const core::WorkerView& w) {
        return std::any_of(w.attachments.begin(), w.attachments.end(),
                           [](const core::AttachmentView& a) { return a.privateMapping || a.anonymous; });
    });
}

} // namespace

void DiagramPanel::updateLayout(const core::Snapshot& snapshot, const render::ViewParams& view, double now) {
    const bool newSnapshot = snapshot.generation != m_generation;
    const bool newView = view.canvas.x0 != m_view.canvas.x0 || view.canvas.y0 != m_view.canvas.y0 ||
                         view.canvas.x1 != m_view.canvas.x1 || view.canvas.y1 != m_view.canvas.y1 ||
                         view.pagePx != m_view.pagePx || view.scrollY != m_view.scrollY ||
                         view.lineHeight != m_view.lineHeight || view.mapFirst != m_view.mapFirst ||
                         view.mapSpan != m_view.mapSpan;
    if (!newSnapshot && !newView)
        return;
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

std::size_t DiagramPanel::presentPages() const {
    std::size_t present = 0;
    for (const auto& worker : m_index.pageRuns)
        for (const auto& runs : worker)
            for (const render::RowRun& run : runs)
                present += run.present ? run.count : 0;
    return present;
}

void DiagramPanel::updateIndex(const FrameContext& ctx) {
    const core::Snapshot& snapshot = ctx.snapshot;
    if (snapshot.pagesStamp() == m_indexStamp) { // a new row of the kernel's table leaves the pages be
        m_retired.reset();                       // the frame that showed the change is on screen by now
        return;
    }
    // A worker's end is drawn at once: its rows leave the index, nothing is indexed again.
    std::optional<render::LayoutIndex> derived;
    if (m_indexed && ctx.shared.get() == &snapshot)
        derived = render::indexAfterWorkersEnded(std::move(m_index), m_indexStamp, *m_indexed, snapshot);
    m_index = derived ? std::move(*derived) : render::indexSnapshot(snapshot);
    m_indexStamp = snapshot.pagesStamp();
    // The one it replaces may be the last hold on 2 million entries: freeing them (tens of ms) waits
    // until the frame showing the change has been drawn.
    m_retired = std::exchange(m_indexed, ctx.shared.get() == &snapshot ? ctx.shared : nullptr);
}

render::ViewParams DiagramPanel::viewFor(const core::Snapshot& snapshot, const UiState& state, ImVec2 origin,
                                         ImVec2 avail) {
    render::ViewParams view;
    // The legend takes the bottom line; the diagram never runs under it.
    m_minTextScale =
        state.presenter ? std::clamp(kPresenterTextPx / ImGui::GetFontSize(), 1.0f, kMaxTextScale) : 1;
    const float legend = (ImGui::GetTextLineHeight() + 12 * state.scale()) * m_minTextScale;
    view.canvas = {origin.x, origin.y, origin.x + std::max(1.0f, avail.x),
                   origin.y + std::max(1.0f, avail.y - legend)};
    const float line = ImGui::GetTextLineHeight();
    m_basePagePx = std::max(line + 12, 32.0f * state.scale());
    view.lineHeight = line;
    view.maxPagePx = m_basePagePx;
    // The diagram's text grows with its zoom: fitted, as far as the canvas allows in both
    // directions; zoomed in, with the pages once they are taller than at the interface's size.
    m_textScale = m_pagePx == 0
                      ? std::max(m_minTextScale, render::fitScale(snapshot, m_index, view, kMaxTextScale))
                      : std::clamp(m_pagePx / m_basePagePx, m_minTextScale, kMaxTextScale);
    view.lineHeight *= m_textScale;
    view.maxPagePx *= m_textScale;
    view.pagePx = m_pagePx;
    view.scrollY = m_scrollY;
    view.mapFirst = m_mapFirst;
    view.mapSpan = m_mapSpan;
    return view;
}

void DiagramPanel::draw(const FrameContext& ctx, UiState& state, const Fonts& fonts) {
    const core::Snapshot& snapshot = ctx.snapshot;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (state.fitDiagram) {
        m_pagePx = 0;
        m_scrollY = 0;
        m_mapFirst = 0;
        m_mapSpan = 0;
        state.fitDiagram = false;
    }
    m_animate = state.animate;
    if (state.forceRelayout)
        m_view.lineHeight = -1;
    updateIndex(ctx);
    const render::ViewParams view = viewFor(snapshot, state, origin, avail);
    updateLayout(snapshot, view, ctx.now);
    updateLabels(snapshot, state, fonts);

    ImGui::InvisibleButton("##diagram", avail.x > 1 && avail.y > 1 ? avail : ImVec2(1, 1));
    handleInput(snapshot, state);

    render::PaintOptions paint;
    paint.theme = state.theme;
    paint.scale = state.scale() * m_textScale;
    paint.hoveredPage = m_hoveredPage;
    paint.selectedWorker = state.selectedWorker;
    paint.selectedPage = state.selectedPage;
    m_quads.clear();
    render::paintDiagram(m_layout, snapshot, paint, m_animation, ctx.now, m_quads);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The diagram's words stay on its canvas: a header scrolled to the bottom never runs into the legend.
    dl->PushClipRect(ImVec2(m_view.canvas.x0, m_view.canvas.y0), ImVec2(m_view.canvas.x1, m_view.canvas.y1),
                     true);
    drawLabels(state, fonts);
    dl->PopClipRect();
    dl->PushClipRect(origin, ImVec2(origin.x + avail.x, origin.y + avail.y), true);
    drawLegend(snapshot, state, fonts);
    dl->PopClipRect();

    if (ImGui::IsItemHovered()) {
        state.readingsShown = true; // a frame's tooltip shows its map count and flags
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const render::Hit hit = render::hitTest(m_layout, {mouse.x, mouse.y});
        if (hit.kind != render::Hit::Kind::None)
            drawTooltip(snapshot, hit, fonts);
        else if (!drawMapTooltip(snapshot, mouse, fonts))
            drawLabelTooltip(mouse);
    }
}

void DiagramPanel::updateLabels(const core::Snapshot& snapshot, const UiState& state, const Fonts& fonts) {
    const float scale = m_textScale;
    const render::MeasureText measure = [&](render::LabelFont f, std::string_view text) {
        const auto [font, size] = fontOf(fonts, f, scale);
        return font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size()).x;
    };
    m_labels =
        render::labelDiagram(snapshot, m_index, m_layout, m_view, kTextPad * state.scale() * scale, measure);
}

void DiagramPanel::drawLabels(const UiState& state, const Fonts& fonts) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (const render::Label& label : m_labels) {
        if (label.text.empty())
            continue;
        const auto [font, size] = fontOf(fonts, label.font, m_textScale);
        dl->AddText(font, size, ImVec2(label.box.x0, label.box.y0), toneColour(label.tone, state),
                    label.text.c_str());
    }
    for (const render::ColumnBox& col : m_layout.columns)
        if (col.worker >= 0 && col.worker == state.selectedWorker)
            dl->AddRect(ImVec2(col.stickyTitle.x0, col.stickyTitle.y0),
                        ImVec2(col.stickyTitle.x1, col.stickyTitle.y1),
                        toImColor(render::paletteFor(state.theme).selection), 0, 0, 2 * state.scale());
}

// A label drawn shorter than its text shows the whole text on hover.
bool DiagramPanel::drawLabelTooltip(ImVec2 mouse) const {
    for (const render::Label& label : m_labels)
        if (label.text != label.full && label.box.contains({mouse.x, mouse.y})) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetIO().DisplaySize.x * 0.4f);
            ImGui::TextUnformatted(label.full.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
            return true;
        }
    return false;
}

void DiagramPanel::zoomWheel(const core::Snapshot& snapshot, float wheel, float mouseY) {
    render::ViewParams fitView = m_view;
    fitView.lineHeight = ImGui::GetTextLineHeight();
    fitView.maxPagePx = m_basePagePx;
    const float scale = std::max(m_minTextScale, render::fitScale(snapshot, m_index, fitView, kMaxTextScale));
    fitView.lineHeight *= scale;
    fitView.maxPagePx *= scale;
    const float fit = render::fitPagePx(snapshot, m_index, fitView);
    const float current = m_layout.pagePx;
    const float next = std::clamp(current * std::pow(1.25f, wheel), fit, m_basePagePx * kMaxTextScale);
    if (next <= fit * 1.0001f) {
        m_pagePx = 0;
        m_scrollY = 0;
        return;
    }
    m_pagePx = next;
    m_scrollY = std::max(0.0f, (m_scrollY + mouseY) * next / current - mouseY);
}

void DiagramPanel::handleInput(const core::Snapshot& snapshot, UiState& state) {
    ImGuiIO& io = ImGui::GetIO();
    m_hoveredPage.reset();
    if (!ImGui::IsItemHovered() && !ImGui::IsItemActive())
        return;
    const render::Hit hit = render::hitTest(m_layout, {io.MousePos.x, io.MousePos.y});
    if (hit.kind == render::Hit::Kind::Page)
        m_hoveredPage = hit.index;
    const bool overMap = m_layout.map && m_layout.map->box.contains({io.MousePos.x, io.MousePos.y});
    if (io.MouseWheel != 0 && ImGui::IsItemHovered()) {
        if (overMap) { // the map zooms along its axis, from specks to a box per frame
            const render::ViewParams next =
                render::zoomMap(m_index, *m_layout.map, m_view, std::pow(2.0, io.MouseWheel), io.MousePos.x);
            m_mapFirst = next.mapFirst;
            m_mapSpan = next.mapSpan;
        } else {
            zoomWheel(snapshot, io.MouseWheel, io.MousePos.y - m_view.canvas.y0);
        }
    }
    if (ImGui::IsItemActivated()) {
        m_dragged = false;
        m_mapDrag = overMap && m_layout.map->zoomed;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        m_dragged = true;
        if (m_mapDrag && !m_layout.map->rows.empty()) {
            const float width = m_layout.map->rows.front().strip.width();
            m_mapFirst = m_layout.map->pfnFirst - io.MouseDelta.x * m_layout.map->pfnSpan / width;
            m_mapSpan = m_layout.map->pfnSpan;
        } else {
            m_scrollY = std::max(0.0f, m_scrollY - io.MouseDelta.y);
        }
    } else if (ImGui::IsItemDeactivated() && !m_dragged && hit.kind == render::Hit::Kind::Page) {
        selectPage(snapshot, m_layout.pages[hit.index], state);
    }
}

void DiagramPanel::selectPage(const core::Snapshot& snapshot, const render::PageBand& page,
                              UiState& state) const {
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

// The legend's text: the interface's, or in presenter mode as large as the diagram's least.
DiagramPanel::LegendText DiagramPanel::legendText(const Fonts& fonts) const {
    const auto [font, size] = fontOf(fonts, render::LabelFont::Regular, m_minTextScale);
    return {font, size, ImGui::GetTextLineHeight() * m_minTextScale};
}

ImVec2 DiagramPanel::LegendText::measure(const char* text) const {
    return font->CalcTextSizeA(size, FLT_MAX, 0, text);
}

void DiagramPanel::drawLegend(const core::Snapshot& snapshot, const UiState& state,
                              const Fonts& fonts) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const render::Palette& pal = render::paletteFor(state.theme);
    const LegendText text = legendText(fonts);
    const float s = state.scale() * m_minTextScale;
    const float line = text.line;
    const float box = line * 0.8f;
    const float gap = 18 * s;
    const float y = m_view.canvas.y1 + 6 * s;
    const int segment = snapshot.segments.empty() ? 0 : snapshot.segments.back().id;
    const unsigned fill = toImColor(render::segmentColor(state.theme, segment, 0));
    const bool anyPrivate = anyPrivateMapping(snapshot);
    // Whole sentences when they fit the width, else the short names (the key's tooltip has the rest).
    const float room = m_view.canvas.width() - 20 * s;
    const auto width = [&](std::initializer_list<const char*> texts, float marks) {
        float w = 0;
        for (const char* t : texts)
            w += text.measure(t).x + box + 6 * s + gap;
        return w + marks;
    };
    const float privateMarks = anyPrivate ? 3 * box : 0;
    const bool full =
        width({"present: points at a frame", "not present: no frame yet",
               anyPrivate ? "private mapping: shared until written" : "", anyPrivate ? "private copy" : ""},
              privateMarks) <= room;
    float x = m_view.canvas.x0 + 10 * s;
    // An item with no room left is not cut at the edge: it goes into the "..." at the end.
    std::string dropped;
    const float end = m_view.canvas.x1 - 10 * s - text.measure("...").x - gap;
    const auto item = [&](const char* label, auto&& mark, float markWidth) {
        const float width = markWidth + 6 * s + text.measure(label).x;
        if (!dropped.empty() || x + width > end) {
            dropped += (dropped.empty() ? "" : "; ") + std::string(label);
            return;
        }
        mark(ImVec2(x, y + (line - box) * 0.5f));
        dl->AddText(text.font, text.size, ImVec2(x + markWidth + 6 * s, y), toImColor(pal.text), label);
        x += width + gap;
    };
    const auto square = [&](bool filled) {
        return [&, filled](ImVec2 a) {
            const ImVec2 b(a.x + box, a.y + box);
            dl->AddRectFilled(a, b, filled ? fill : toImColor(pal.notPresentFill));
            dl->AddRect(a, b, toImColor(filled ? pal.outline : pal.mutedText));
        };
    };
    item(full ? "present: points at a frame" : "present", square(true), box);
    item(full ? "not present: no frame yet" : "not present", square(false), box);
    if (anyPrivate) {
        // The dashed arrow and the hatched frame, as the painter draws them.
        const unsigned arrow = toImColor(render::arrowColor(state.theme, segment));
        item(
            full ? "private mapping: shared until written" : "private mapping",
            [&](ImVec2 a) {
                const float cy = a.y + box * 0.5f;
                for (float d = 0; d < 3 * box; d += 10 * s)
                    dl->AddLine(ImVec2(a.x + d, cy), ImVec2(a.x + std::min(d + 6 * s, 3 * box), cy), arrow,
                                3 * s);
            },
            3 * box);
        item(
            "private copy",
            [&](ImVec2 a) {
                const ImVec2 b(a.x + box, a.y + box);
                dl->AddRectFilled(a, b, fill);
                dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), toImColor(render::withAlpha(pal.text, 0.5f)),
                            2 * s);
                dl->AddRect(a, b, toImColor(pal.text), 0, 0, 2 * s);
            },
            box);
    }
    if (!dropped.empty())
        x = drawDroppedKeys(text, dropped, ImVec2(x, y), pal) + gap;
    drawScaleNote(snapshot, state, text, x, y);
}

float DiagramPanel::drawDroppedKeys(const LegendText& text, const std::string& dropped, ImVec2 at,
                                    const render::Palette& pal) const {
    const ImVec2 size = text.measure("...");
    ImGui::GetWindowDrawList()->AddText(text.font, text.size, at, toImColor(pal.mutedText), "...");
    if (ImGui::IsMouseHoveringRect(at, ImVec2(at.x + size.x, at.y + text.line)))
        ImGui::SetTooltip("Also in the key: %s", dropped.c_str());
    return at.x + size.x;
}

// The scale at the right end of the legend line, then the mouse help as far as it fits: whole
// phrases only, and never over the key, which ends at `keyEnd`.
void DiagramPanel::drawScaleNote(const core::Snapshot& snapshot, const UiState& state, const LegendText& text,
                                 float keyEnd, float y) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const render::Palette& pal = render::paletteFor(state.theme);
    const float s = state.scale() * m_minTextScale;
    char zoom[96];
    if (m_layout.singlePages)
        std::snprintf(zoom, sizeof zoom, "one box = one %u-byte page", snapshot.pageSize);
    else
        std::snprintf(zoom, sizeof zoom, "bands: 1 pixel = %.1f pages", 1.0 / m_layout.pagePx);
    // A figure (--diagram-only) is not interactive: no mouse help.
    const std::string withHelp =
        state.diagramOnly ? zoom : std::string(zoom) + "   wheel: zoom  drag: pan  Home: fit";
    for (const std::string& help : {withHelp, std::string(zoom)}) {
        const ImVec2 size = text.measure(help.c_str());
        if (m_view.canvas.x1 - size.x - 10 * s > keyEnd) {
            dl->AddText(text.font, text.size, ImVec2(m_view.canvas.x1 - size.x - 10 * s, y),
                        toImColor(pal.mutedText), help.c_str());
            break;
        }
    }
}

// Over the physical-memory map: the frames under the pointer, which pages they hold and who maps them.
bool DiagramPanel::drawMapTooltip(const core::Snapshot& snapshot, ImVec2 mouse, const Fonts& fonts) const {
    if (!m_layout.map)
        return false;
    const auto spot = render::mapSpotAt(*m_layout.map, {mouse.x, mouse.y});
    if (!spot)
        return false;
    const int row = m_layout.map->rows[spot->row].worker; // an index into workers; -1: all
    const int worker = row < 0 ? -1 : snapshot.workers[row].id;
    const auto [b, e] = render::framesInPfnRange(snapshot, m_index, spot->first, spot->last);
    std::vector<const core::FrameView*> under;
    for (std::size_t i = b; i < e; ++i) {
        const core::FrameView& f = snapshot.frames[m_index.map.byPfn[i]];
        if (worker < 0 || std::any_of(f.mappedBy.begin(), f.mappedBy.end(),
                                      [&](const core::FrameRef& r) { return r.worker == worker; }))
            under.push_back(&f);
    }
    // Under the map, not over the marks it explains; the pivot follows the pointer across the
    // window, so the tooltip never runs past either edge.
    const float width = ImGui::GetIO().DisplaySize.x;
    ImGui::SetNextWindowPos(ImVec2(mouse.x, m_layout.map->box.y1 + 4), ImGuiCond_Always,
                            ImVec2(std::clamp(mouse.x / width, 0.0f, 1.0f), 0));
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(width * 0.45f);
    ImGui::PushFont(fonts.mono);
    if (spot->last - spot->first == 1)
        ImGui::Text("pfn %s = physical address %s", shortHex(spot->first).c_str(),
                    shortHex(spot->first * snapshot.pageSize).c_str());
    else
        ImGui::Text("pfn %s - %s (%" PRIu64 " frame numbers in this pixel)", shortHex(spot->first).c_str(),
                    shortHex(spot->last - 1).c_str(), spot->last - spot->first);
    if (under.empty())
        ImGui::TextUnformatted(worker < 0 ? "no frame of these workers here"
                                          : "no frame of this worker here");
    constexpr std::size_t kListed = 6;
    for (std::size_t i = 0; i < under.size() && i < kListed; ++i) {
        const core::FrameView& f = *under[i];
        std::string who;
        for (const core::FrameRef& r : f.mappedBy)
            who += (who.empty() ? "W" : ", W") + std::to_string(r.worker);
        ImGui::Text("%s  %s page %" PRIu64 "  mapped by %s", shortHex(f.pfn).c_str(),
                    segmentTitle(snapshot, f.segment).c_str(), f.page, who.empty() ? "nobody" : who.c_str());
    }
    if (!under.empty()) {
        const core::FrameView& f = *under.front();
        for (const core::SegmentView& seg : snapshot.segments)
            if (seg.id == f.segment && seg.hugetlb && seg.hugePageSize > snapshot.pageSize) {
                const std::uint64_t slots = seg.hugePageSize / snapshot.pageSize;
                const std::uint64_t head = f.pfn / slots * slots;
                ImGui::Text("one huge page    pfn %s - %s, mapped with one page-table entry",
                            shortHex(head).c_str(), shortHex(head + slots - 1).c_str());
            }
    }
    if (under.size() > kListed)
        ImGui::Text("... and %zu more frames: zoom in (mouse wheel) to see each", under.size() - kListed);
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(m_layout.map->zoomed ? "wheel: zoom the map  drag: move along it  Home: whole map"
                                                : "wheel over the map: zoom in to single frames");
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    return true;
}

void DiagramPanel::drawTooltip(const core::Snapshot& snapshot, const render::Hit& hit,
                               const Fonts& fonts) const {
    ImGui::BeginTooltip();
    // Long lines (the maps line) wrap, so the tooltip stays inside the window.
    ImGui::PushTextWrapPos(ImGui::GetIO().DisplaySize.x * 0.45f);
    if (hit.kind == render::Hit::Kind::Page)
        drawPageTooltip(snapshot, m_layout.pages[hit.index], fonts);
    else
        drawFrameTooltip(snapshot, m_layout.frames[hit.index], fonts);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

} // namespace shmviz::ui
