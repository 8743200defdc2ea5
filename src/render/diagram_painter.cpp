#include "render/diagram_painter.h"

#include "render/frame_roles.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

namespace shmviz::render {
namespace {

Vec2 lerp(Vec2 a, Vec2 b, float t) {
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

// Horizontal spans not covered by a column, left to right: a band's ribbon is only drawn there,
// since the columns hide the rest (software GL pays for every hidden pixel).
using Spans = std::vector<std::pair<float, float>>;

Spans openSpans(const DiagramLayout& layout) {
    std::vector<std::pair<float, float>> cols;
    for (const ColumnBox& c : layout.columns)
        cols.emplace_back(c.rect.x0, c.rect.x1);
    std::sort(cols.begin(), cols.end());
    Spans open;
    for (std::size_t i = 0; i + 1 < cols.size(); ++i)
        if (cols[i + 1].first > cols[i].second)
            open.emplace_back(cols[i].second, cols[i + 1].first);
    return open;
}

void clippedRibbon(Vec2 fromTop, Vec2 fromBottom, Vec2 toTop, Vec2 toBottom, const Spans& open, Rgba color,
                   QuadList& out) {
    const float x0 = std::min(fromTop.x, toTop.x);
    const float x1 = std::max(fromTop.x, toTop.x);
    const float dx = toTop.x - fromTop.x;
    if (dx == 0)
        return;
    const auto at = [&](float x) {
        const float t = (x - fromTop.x) / dx;
        return std::pair{lerp(fromTop, toTop, t), lerp(fromBottom, toBottom, t)};
    };
    for (const auto& [a, b] : open) {
        const float lo = std::max(a, x0);
        const float hi = std::min(b, x1);
        if (hi <= lo)
            continue;
        auto [topA, bottomA] = at(lo);
        auto [topB, bottomB] = at(hi);
        out.ribbon(topA, bottomA, topB, bottomB, color);
    }
}

// A private (copy-on-write) mapping's arrow is dashed: its page shares a frame only until a write.
void dashedLine(Vec2 from, Vec2 to, float width, float dash, Rgba color, QuadList& out) {
    const float dx = to.x - from.x;
    const float dy = to.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    for (float at = 0; at < len; at += 2 * dash) {
        const float end = std::min(len, at + dash);
        out.line({from.x + dx * at / len, from.y + dy * at / len},
                 {from.x + dx * end / len, from.y + dy * end / len}, width, color);
    }
}

void paintArrow(const Arrow& arrow, float progress, float opacity, bool emphasised, ThemeKind theme,
                float scale, const Spans& open, QuadList& out) {
    const Rgba color = arrowColor(theme, arrow.segment);
    if (arrow.single) {
        const ArrowShaft shaft = arrowShaft(arrow, progress);
        const float width = kArrowWidth * scale * (emphasised ? 1.7f : 1.0f);
        const float head = 9 * scale;
        const Vec2 tip = shaft.to;
        const Vec2 dir{tip.x - shaft.from.x, tip.y - shaft.from.y};
        const float len = std::max(1e-3f, std::abs(dir.x) + std::abs(dir.y));
        const float back = std::min(head, len) / len;
        const Vec2 shaftEnd{tip.x - dir.x * back * 0.9f, tip.y - dir.y * back * 0.9f};
        out.rect({shaft.from.x - 3 * scale, shaft.from.y - 3 * scale, shaft.from.x + 3 * scale,
                  shaft.from.y + 3 * scale},
                 withAlpha(color, opacity));
        if (arrow.privateMapping)
            dashedLine(shaft.from, shaftEnd, width, 7 * scale, withAlpha(color, opacity), out);
        else
            out.line(shaft.from, shaftEnd, width, withAlpha(color, opacity));
        out.arrowHead(shaft.from, tip, head, head * 0.55f, withAlpha(color, opacity));
        return;
    }
    const Vec2 toTop = lerp(arrow.fromTop, arrow.toTop, progress);
    const Vec2 toBottom = lerp(arrow.fromBottom, arrow.toBottom, progress);
    const float alpha = (emphasised ? 0.6f : 0.32f) * (0.4f + 0.6f * arrow.weight) * opacity;
    clippedRibbon(arrow.fromTop, arrow.fromBottom, toTop, toBottom, open, withAlpha(color, alpha), out);
    out.line(arrow.fromTop, toTop, 1.2f * scale, withAlpha(color, opacity * 0.8f));
    out.line(arrow.fromBottom, toBottom, 1.2f * scale, withAlpha(color, opacity * 0.8f));
}

// Diagonal stripes across r, clipped to it.
void hatch(const Rect& r, float spacing, float width, Rgba color, QuadList& out) {
    const float h = r.height();
    for (float x = r.x0 - h; x < r.x1; x += spacing) {
        // The stripe runs from (x, y1) up to (x + h, y0); clip it to [x0, x1].
        float t0 = std::max(0.0f, (r.x0 - x) / h);
        float t1 = std::min(1.0f, (r.x1 - x) / h);
        if (t1 <= t0)
            continue;
        out.line({x + h * t0, r.y1 - h * t0}, {x + h * t1, r.y1 - h * t1}, width, color);
    }
}

void paintFrame(const FrameBand& frame, FrameRole role, float opacity, ThemeKind theme, float scale,
                QuadList& out) {
    const Palette& pal = paletteFor(theme);
    const Rgba fill = segmentColor(theme, frame.segment, frame.count == 1 ? frame.firstPage : 0);
    out.rect(frame.rect, withAlpha(fill, opacity));
    if (role == FrameRole::PrivateCopy)
        // Stripes in the text colour's opposite of the label: the label stays readable.
        hatch(frame.rect, 8 * scale, 2 * scale, withAlpha(pal.text, 0.4f * opacity), out);
    if (frame.huge)
        out.outline(frame.rect, 3 * scale, withAlpha(pal.outline, opacity));
    else if (frame.rect.height() >= 4 * scale)
        out.outline(frame.rect, role == FrameRole::PrivateCopy ? 2 * scale : scale,
                    withAlpha(role == FrameRole::PrivateCopy ? pal.text : pal.outline, opacity));
}

FrameRole bandRole(const FrameBand& frame, const core::Snapshot& snapshot) {
    if (frame.count != 1 || frame.firstFrame >= snapshot.frames.size())
        return FrameRole::Shared;
    return frameRole(snapshot, snapshot.frames[frame.firstFrame]);
}

// A thin scatter stays visible; frames side by side are solid.
float mapAlpha(const MapCell& cell) {
    return 0.3f + 0.7f * cell.density;
}

// The physical-memory map: a strip per row, each frame a mark in its segment's colour.
void paintMap(const PhysicalMap& map, ThemeKind theme, float s, QuadList& out) {
    const Palette& pal = paletteFor(theme);
    out.rect({map.box.x0 - 4 * s, map.box.y0, map.box.x1 + 4 * s, map.box.y1}, pal.columnFill);
    for (const MapRow& row : map.rows)
        out.rect(row.strip, pal.notPresentFill);
    for (const MapCell& cell : map.cells) {
        out.rect(cell.rect, withAlpha(segmentColor(theme, cell.segment, 0), mapAlpha(cell)));
        if (cell.single) // zoomed in: one box per frame, as in the frames column
            out.outline(cell.rect, s, pal.outline);
    }
    for (const MapRow& row : map.rows)
        out.outline(row.strip, s, pal.mutedText);
}

// A tinted header with the segment's colour bar, on an opaque ground: headers stick over the rows.
void header(const Rect& r, int segment, ThemeKind theme, float s, QuadList& out) {
    out.rect(r, paletteFor(theme).columnFill);
    out.rect(r, withAlpha(segmentColor(theme, segment, 0), 0.22f));
    out.rect({r.x0, r.y0, r.x0 + 4 * s, r.y1}, segmentColor(theme, segment, 0));
}

void paintHeaders(const DiagramLayout& layout, const core::Snapshot& snapshot, ThemeKind theme, float s,
                  QuadList& out) {
    for (const AttachmentBox& box : layout.attachments)
        header(box.stickyHeader, snapshot.workers[box.worker].attachments[box.attachment].segment, theme, s,
               out);
    for (const SegmentGroup& group : layout.segments)
        header(group.stickyHeader, group.segment, theme, s, out);
    for (const ColumnBox& col : layout.columns)
        if (col.stickyTitle.y0 != col.title.y0)
            out.rect({col.stickyTitle.x0 - 4 * s, col.stickyTitle.y0, col.stickyTitle.x1 + 4 * s,
                      col.stickyTitle.y1},
                     paletteFor(theme).columnFill);
}

} // namespace

ArrowShaft arrowShaft(const Arrow& arrow, float progress) {
    return {arrow.fromTop, lerp(arrow.fromTop, arrow.toTop, progress)};
}

void paintDiagram(const DiagramLayout& layout, const core::Snapshot& snapshot, const PaintOptions& options,
                  const DiagramAnimation& animation, double now, QuadList& out) {
    const ThemeKind theme = options.theme;
    const Palette& pal = paletteFor(theme);
    const float s = options.scale;

    // Bands cover their columns; a background behind them would only cost fill rate.
    for (const ColumnBox& col : layout.columns)
        out.rect({col.rect.x0 - 4 * s, col.rect.y0, col.rect.x1 + 4 * s,
                  layout.singlePages ? col.rect.y1 : col.title.y1},
                 pal.columnFill);

    // Arrows go under the columns: one that crosses another worker's column shows only in the gaps.
    const Spans open = openSpans(layout);
    for (const auto& fading : animation.fadingArrows())
        paintArrow(fading.arrow, 1, DiagramAnimation::fadeOpacity(fading.start, now), false, theme, s, open,
                   out);
    const auto paintLive = [&](const Arrow& arrow) {
        Arrow moving = arrow;
        std::tie(moving.toTop, moving.toBottom) = animation.arrowTarget(arrow, now);
        paintArrow(moving, animation.arrowProgress(arrow.key, now), 1, options.hoveredPage == arrow.pageBand,
                   theme, s, open, out);
    };
    for (const Arrow& arrow : layout.arrows)
        if (!arrow.single)
            paintLive(arrow);
    for (const Arrow& arrow : layout.arrows)
        if (arrow.single)
            paintLive(arrow);

    for (std::size_t i = 0; i < layout.pages.size(); ++i) {
        const PageBand& page = layout.pages[i];
        const Rgba present = segmentColor(theme, page.segment, page.count == 1 ? page.firstPage : 0);
        const float share = static_cast<float>(page.present) / static_cast<float>(page.count);
        const bool bordered = page.rect.height() >= 4 * s;
        Rgba fill = pal.notPresentFill;
        if (share >= 1)
            fill = present;
        else if (share > 0)
            fill = {pal.notPresentFill.r + (present.r - pal.notPresentFill.r) * share,
                    pal.notPresentFill.g + (present.g - pal.notPresentFill.g) * share,
                    pal.notPresentFill.b + (present.b - pal.notPresentFill.b) * share, 1};
        // Fill, then a thin outline on top: every pixel is drawn about once (software GL is fill-bound).
        out.rect(page.rect, fill);
        if (bordered)
            out.outline(page.rect, s, page.present == 0 ? pal.mutedText : pal.outline);
        const bool selected = page.worker == options.selectedWorker && options.selectedPage &&
                              *options.selectedPage >= page.firstPage &&
                              *options.selectedPage < page.firstPage + page.count;
        if (selected)
            out.outline(
                {page.rect.x0 - 2 * s, page.rect.y0 - 1 * s, page.rect.x1 + 2 * s, page.rect.y1 + 1 * s},
                2 * s, pal.selection);
        if (options.hoveredPage == i)
            out.outline(page.rect, std::max(1.0f, 1.5f * s), pal.selection);
    }

    for (const FrameBand& frame : layout.frames)
        paintFrame(frame, bandRole(frame, snapshot), animation.frameOpacity(frame.key, now), theme, s, out);
    if (layout.map)
        paintMap(*layout.map, theme, s, out);
    for (const auto& fading : animation.fadingFrames())
        paintFrame(fading.frame, FrameRole::Shared, DiagramAnimation::fadeOpacity(fading.start, now), theme,
                   s, out);
    paintHeaders(layout, snapshot, theme, s, out);
}

} // namespace shmviz::render
