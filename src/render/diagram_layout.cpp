#include "render/diagram_layout.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace shmviz::render {
namespace {

constexpr float kMaxColumnPx = 300; // at a line height of 18 px; grows with the text
constexpr float kWorkerUnits = 1.0f;
constexpr float kFrameUnits = 1.0f;
constexpr float kLaneUnits = 0.62f;
constexpr float kMarginUnits = 0.12f; // each side, so no column touches the canvas edge

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

bool isPresent(std::uint64_t raw) {
    return (raw >> 63) & 1;
}

struct Metrics {
    float line;
    float pad;
    float title;
    float attachmentHeader;
    float attachmentGap;
    float groupHeader;
    float tierGap;
};

Metrics metricsFor(const ViewParams& view) {
    const float line = view.lineHeight;
    // Attachment headers have three lines: what is mapped, how (shared, private, inherited), where.
    // Segment headers in the frames column: title, kind and key, what the segment holds in memory.
    return {line, line * 0.5f, line * 2 + 8, line * 3 + 6, line * 0.8f, line * 3 + 6, line * 1.2f};
}

// Snapshot::frames puts anonymous memory (segment -1) after every segment.
unsigned segmentOrder(int segment) {
    return static_cast<unsigned>(segment);
}

// The first frame whose (segment, page) is not below the given one.
std::size_t lowerFrame(const std::vector<core::FrameView>& frames, int segment, std::uint64_t page) {
    auto it = std::lower_bound(frames.begin(), frames.end(), std::pair{segment, page},
                               [](const core::FrameView& f, const std::pair<int, std::uint64_t>& k) {
                                   return f.segment != k.first
                                              ? segmentOrder(f.segment) < segmentOrder(k.first)
                                              : f.page < k.second;
                               });
    return static_cast<std::size_t>(it - frames.begin());
}

// Visible index range [first, last) of `count` rows starting at `top`.
std::pair<std::uint64_t, std::uint64_t> visibleRows(float top, float pagePx, std::uint64_t count,
                                                    const Rect& canvas) {
    const double first = std::floor((canvas.y0 - top) / pagePx);
    const double last = std::ceil((canvas.y1 - top) / pagePx);
    const auto clamp = [count](double v) {
        return static_cast<std::uint64_t>(std::clamp(v, 0.0, static_cast<double>(count)));
    };
    return {clamp(first), clamp(last)};
}

// Splits the rows [first, last) into bands: single rows when `single`; otherwise whole runs, with
// the leftover of runs shorter than `minRows` merged into mixed buckets of minRows rows.
// emit(first, count, presentCount).
template <class Emit>
void bandRuns(const std::vector<RowRun>& runs, std::uint64_t first, std::uint64_t last, bool single,
              std::uint64_t minRows, Emit emit) {
    if (first >= last || runs.empty())
        return;
    auto r = static_cast<std::size_t>(
        std::upper_bound(runs.begin(), runs.end(), first,
                         [](std::uint64_t v, const RowRun& run) { return v < run.first; }) -
        runs.begin() - 1);
    std::uint64_t i = first;
    while (i < last && r < runs.size()) {
        const std::uint64_t runEnd = std::min(last, runs[r].first + runs[r].count);
        if (single) {
            for (; i < runEnd; ++i)
                emit(i, std::uint64_t{1}, std::uint64_t{runs[r].present});
            ++r;
            continue;
        }
        if (runEnd - i >= minRows) {
            emit(i, runEnd - i, runs[r].present ? runEnd - i : 0);
            i = runEnd;
            ++r;
            continue;
        }
        const std::uint64_t end = std::min(last, i + minRows);
        std::uint64_t present = 0;
        while (r < runs.size() && runs[r].first < end) {
            const std::uint64_t overlap =
                std::min(end, runs[r].first + runs[r].count) - std::max(i, runs[r].first);
            present += runs[r].present ? overlap : 0;
            if (runs[r].first + runs[r].count > end)
                break;
            ++r;
        }
        emit(i, end - i, present);
        i = end;
    }
}

std::vector<RowRun> presentRuns(const std::vector<std::uint64_t>& entries) {
    std::vector<RowRun> runs;
    for (std::uint64_t i = 0; i < entries.size(); ++i) {
        const bool present = isPresent(entries[i]);
        if (runs.empty() || runs.back().present != present)
            runs.push_back({i, 0, present});
        ++runs.back().count;
    }
    return runs;
}

// Workers left to right: each forked child right after its parent (and its parent's earlier
// children), so a fork's columns stand side by side.
std::vector<int> columnOrder(const core::Snapshot& snapshot) {
    const int n = static_cast<int>(snapshot.workers.size());
    std::vector<int> order;
    order.reserve(n);
    std::vector<bool> placed(n, false);
    const auto place = [&](auto& self, int w) -> void {
        placed[w] = true;
        order.push_back(w);
        for (int c = 0; c < n; ++c)
            if (!placed[c] && snapshot.workers[c].parent == snapshot.workers[w].id)
                self(self, c);
    };
    for (int w = 0; w < n; ++w) {
        const int parent = snapshot.workers[w].parent;
        const bool hasParent = std::any_of(snapshot.workers.begin(), snapshot.workers.end(),
                                           [&](const core::WorkerView& p) { return p.id == parent; });
        if (!placed[w] && (parent < 0 || !hasParent))
            place(place, w);
    }
    for (int w = 0; w < n; ++w) // a cycle cannot happen, but never lose a column
        if (!placed[w])
            place(place, w);
    return order;
}

// Where the columns go across the canvas, and which side and tier each worker takes.
struct Plan {
    float unit = 0;
    float framesX0 = 0;
    float framesX1 = 0;
    float leftX0 = 0;
    float rightX0 = 0;
    std::vector<bool> left; // per worker
    std::vector<int> tier;  // per worker
    int tiers = 0;
};

Plan planColumns(const core::Snapshot& snapshot, const Rect& canvas, float lineHeight) {
    const int n = static_cast<int>(snapshot.workers.size());
    Plan plan;
    plan.left.assign(n, true);
    plan.tier.assign(n, 0);
    const std::vector<int> order = columnOrder(snapshot);
    for (int i = 0; i < n; ++i) {
        // A forked child follows its parent in the order, so the two face each other across the frames.
        plan.left[order[i]] = i % 2 == 0;
        plan.tier[order[i]] = i / 2;
    }
    plan.tiers = (n + 1) / 2;
    const float side = kWorkerUnits + kLaneUnits;
    const float units = (n > 0 ? side : 0) + kFrameUnits + (n > 1 ? side : 0) + 2 * kMarginUnits;
    plan.unit = std::min(canvas.width() / units, kMaxColumnPx * lineHeight / 18);
    float x = canvas.x0 + (canvas.width() - units * plan.unit) * 0.5f + kMarginUnits * plan.unit;
    plan.leftX0 = x;
    x += n > 0 ? side * plan.unit : 0;
    plan.framesX0 = x;
    plan.framesX1 = x + kFrameUnits * plan.unit;
    plan.rightX0 = plan.framesX1 + kLaneUnits * plan.unit;
    return plan;
}

float workerHeight(const core::WorkerView& worker, const Metrics& m, float pagePx) {
    float h = m.title;
    for (const core::AttachmentView& a : worker.attachments)
        h += m.attachmentHeader + static_cast<float>(a.entries.size()) * pagePx + m.attachmentGap;
    return worker.attachments.empty() ? h + m.attachmentHeader : h;
}

// Top of every tier relative to the diagram's top, and the end of the last.
std::vector<float> tierTops(const core::Snapshot& snapshot, const Plan& plan, const Metrics& m,
                            float pagePx) {
    std::vector<float> heights(plan.tiers, 0);
    for (std::size_t w = 0; w < snapshot.workers.size(); ++w)
        heights[plan.tier[w]] = std::max(heights[plan.tier[w]], workerHeight(snapshot.workers[w], m, pagePx));
    std::vector<float> tops(plan.tiers + 1, 0);
    for (int t = 0; t < plan.tiers; ++t)
        tops[t + 1] = tops[t] + heights[t] + (t + 1 < plan.tiers ? m.tierGap : 0);
    return tops;
}

// The map: a summary line, one line per row, the axis line, and a gap below.
float mapHeight(const LayoutIndex& index, const Metrics& m) {
    if (!index.map.shown)
        return 0;
    return m.line * static_cast<float>(index.map.rows.size() + 3) + m.pad + m.attachmentGap;
}

float framesHeight(const LayoutIndex& index, const Metrics& m, float pagePx) {
    float h = m.title + mapHeight(index, m);
    for (const LayoutIndex::FrameGroup& g : index.groups)
        h += m.groupHeader + static_cast<float>(g.count) * pagePx + m.attachmentGap;
    return h;
}

float contentNeed(const core::Snapshot& snapshot, const LayoutIndex& index, const Plan& plan,
                  const Metrics& m, float pagePx) {
    return std::max(tierTops(snapshot, plan, m, pagePx).back(), framesHeight(index, m, pagePx));
}

// A title kept in view: at its own place, else at `floor`, but never past the end of what it names.
Rect stick(const Rect& natural, float floor, float limit) {
    const float h = natural.height();
    const float y = std::max(natural.y0, std::min(std::max(natural.y0, floor), limit - h));
    return {natural.x0, y, natural.x1, y + h};
}

// What every part of one layout pass reads.
struct Pass {
    const core::Snapshot& snapshot;
    const LayoutIndex& index;
    const ViewParams& view;
    const Metrics m;
    const Plan plan;
    float pagePx;
    float top; // the diagram's top in window pixels (scrolled)
    std::uint64_t minRows;
    std::vector<float> groupBodyTop;
    DiagramLayout& out;

    float frameRowTop(std::size_t frame) const {
        const auto& groups = index.groups;
        const auto it = std::upper_bound(
            groups.begin(), groups.end(), frame,
            [](std::size_t f, const LayoutIndex::FrameGroup& gr) { return f < gr.firstFrame; });
        const auto g = static_cast<std::size_t>(it - groups.begin() - 1);
        return groupBodyTop[g] + static_cast<float>(frame - groups[g].firstFrame) * pagePx;
    }
};

FrameBand frameBand(const Pass& p, std::size_t g, std::uint64_t row, std::uint64_t count) {
    const LayoutIndex::FrameGroup& group = p.index.groups[g];
    const std::size_t f = group.firstFrame + row;
    const float y0 = p.groupBodyTop[g] + static_cast<float>(row) * p.pagePx;
    FrameBand band;
    band.rect = {p.plan.framesX0, y0, p.plan.framesX1, y0 + static_cast<float>(count) * p.pagePx};
    band.firstFrame = f;
    band.count = count;
    band.segment = group.segment;
    band.firstPage = p.snapshot.frames[f].page;
    return band;
}

void layoutFrameRows(Pass& p, std::size_t g) {
    const LayoutIndex::FrameGroup& group = p.index.groups[g];
    auto [first, last] = visibleRows(p.groupBodyTop[g], p.pagePx, group.count, p.view.canvas);
    const auto& frames = p.snapshot.frames;
    if (!group.hugeRuns.empty()) {
        // One box per huge page, however far the view zooms in.
        for (const RowRun& run : group.hugeRuns) {
            if (run.first + run.count <= first || run.first >= last)
                continue;
            FrameBand band = frameBand(p, g, run.first, run.count);
            band.key = mix(5, frames[band.firstFrame].pfn);
            band.huge = true;
            p.out.frames.push_back(band);
        }
        return;
    }
    bandRuns(group.runs, first, last, p.out.singlePages, p.minRows,
             [&](std::uint64_t row, std::uint64_t count, std::uint64_t) {
                 FrameBand band = frameBand(p, g, row, count);
                 const std::uint64_t pfn = frames[band.firstFrame].pfn;
                 band.key =
                     count == 1
                         ? mix(1, pfn)
                         : mix(mix(mix(2, static_cast<std::uint64_t>(group.segment)), band.firstPage), count);
                 p.out.frames.push_back(band);
             });
}

// Each row's buckets spread over the strip's pixels; neighbours of one segment become one cell,
// and a cell is at least a pixel wide, so a single frame still shows.
void mapCells(const LayoutIndex::Map& map, std::size_t row, const Rect& strip, std::vector<MapCell>& out) {
    const double buckets =
        std::ceil(static_cast<double>(map.pfnLast - map.pfnFirst + 1) / static_cast<double>(map.bucketPfns));
    const double perBucket = strip.width() / buckets;
    const double pfnsPerPx = static_cast<double>(map.pfnLast - map.pfnFirst + 1) / strip.width();
    const std::size_t first = out.size();
    for (const LayoutIndex::MapBucket& b : map.rows[row]) {
        const auto x0 = static_cast<float>(strip.x0 + b.index * perBucket);
        const float x1 =
            std::min(strip.x1, std::max(x0 + 1, static_cast<float>(strip.x0 + (b.index + 1) * perBucket)));
        if (out.size() > first && out.back().segment == b.segment && x0 <= out.back().rect.x1 + 0.01f) {
            out.back().rect.x1 = std::max(out.back().rect.x1, x1);
            out.back().frames += b.frames;
            continue;
        }
        out.push_back({{std::min(x0, x1 - 1), strip.y0, x1, strip.y1}, b.segment, row, b.frames, 1});
    }
    // Frames scattered thinly over a stretch of RAM look faint; frames side by side look solid.
    for (std::size_t i = first; i < out.size(); ++i) {
        const double span = std::max(1.0, static_cast<double>(out[i].rect.width()) * pfnsPerPx);
        out[i].density = static_cast<float>(std::min(1.0, static_cast<double>(out[i].frames) / span));
    }
}

// A huge page is one mark at every zoom: one cell per huge page, a box of its own once it is
// kMapBoxPx wide. [a, b): the run's frame numbers inside the window.
template <class XOf>
void hugeCells(const LayoutIndex::Map::Run& run, std::size_t row, double a, double b, const XOf& xOf,
               const Rect& strip, std::vector<MapCell>& out) {
    const auto slots = static_cast<double>(run.hugeSlots);
    for (double block = std::floor(a / slots) * slots; block < b; block += slots) {
        const double from = std::max(block, static_cast<double>(run.pfn));
        const double to = std::min(block + slots, static_cast<double>(run.pfn + run.count));
        const float x0 = std::max(strip.x0, xOf(from));
        const float x1 = std::min(strip.x1, std::max(x0 + 1, xOf(to)));
        MapCell cell{{std::min(x0, x1 - 1), strip.y0, x1, strip.y1},
                     run.segment,
                     row,
                     static_cast<std::uint64_t>(to - from),
                     1,
                     static_cast<std::uint64_t>(block),
                     xOf(to) - xOf(from) >= kMapBoxPx,
                     true};
        out.push_back(cell);
    }
}

// Zoomed in, or with few frame numbers to show: each row's runs of frames placed by frame number,
// one box per frame once a frame is kMapBoxPx wide. Only the runs inside the window cost anything.
void mapRunCells(const LayoutIndex::Map& map, std::size_t row, const Rect& strip, double first, double span,
                 std::vector<MapCell>& out) {
    const double pxPer = strip.width() / span;
    const double last = first + span;
    const bool boxes = pxPer >= kMapBoxPx;
    const auto& runs = map.rowRuns[row];
    auto it = std::upper_bound(runs.begin(), runs.end(), first, [](double v, const LayoutIndex::Map::Run& r) {
        return v < static_cast<double>(r.pfn + r.count);
    });
    const std::size_t from = out.size();
    const auto xOf = [&](double pfn) { return static_cast<float>(strip.x0 + (pfn - first) * pxPer); };
    for (; it != runs.end() && static_cast<double>(it->pfn) < last; ++it) {
        const double a = std::max(static_cast<double>(it->pfn), std::floor(first));
        const double b = std::min(static_cast<double>(it->pfn + it->count), std::ceil(last));
        if (it->hugeSlots > 0) {
            hugeCells(*it, row, a, b, xOf, strip, out);
            continue;
        }
        if (boxes) {
            const float gap = static_cast<float>(std::min(2.0, pxPer * 0.15));
            for (double pfn = a; pfn < b; ++pfn) {
                const float x0 = std::max(strip.x0, xOf(pfn) + gap * 0.5f);
                const float x1 = std::min(strip.x1, xOf(pfn + 1) - gap * 0.5f);
                if (x1 - x0 >= 1)
                    out.push_back({{x0, strip.y0, x1, strip.y1},
                                   it->segment,
                                   row,
                                   1,
                                   1,
                                   static_cast<std::uint64_t>(pfn),
                                   true});
            }
            continue;
        }
        const float x0 = std::max(strip.x0, xOf(a));
        const float x1 = std::min(strip.x1, std::max(x0 + 1, xOf(b)));
        const auto frames = static_cast<std::uint64_t>(b - a);
        if (out.size() > from && out.back().segment == it->segment && x0 <= out.back().rect.x1 + 0.01f) {
            out.back().rect.x1 = std::max(out.back().rect.x1, x1);
            out.back().frames += frames;
            continue;
        }
        out.push_back({{std::min(x0, x1 - 1), strip.y0, x1, strip.y1},
                       it->segment,
                       row,
                       frames,
                       1,
                       static_cast<std::uint64_t>(a),
                       false});
    }
    for (std::size_t i = from; i < out.size(); ++i) {
        const double covered = std::max(1.0, static_cast<double>(out[i].rect.width()) / pxPer);
        out[i].density = static_cast<float>(std::min(1.0, static_cast<double>(out[i].frames) / covered));
    }
}

void layoutMap(Pass& p, const Rect& box) {
    PhysicalMap map;
    map.box = box;
    const float line = p.m.line;
    const float x0 = box.x0 + p.m.pad * 0.5f;
    const float x1 = box.x1 - p.m.pad * 0.5f;
    map.summary = {x0, box.y0 + p.m.pad * 0.5f, x1, box.y0 + p.m.pad * 0.5f + line};
    map.spread = {x0, map.summary.y1, x1, map.summary.y1 + line};
    float y = map.spread.y1;
    const float labelWidth = line * 1.8f;
    const LayoutIndex::Map& index = p.index.map;
    std::tie(map.pfnFirst, map.pfnSpan) = mapWindow(p.index, p.view);
    map.zoomed = map.pfnSpan < static_cast<double>(index.pfnLast - index.pfnFirst + 1);
    map.boxes = (x1 - x0 - labelWidth) / map.pfnSpan >= kMapBoxPx;
    for (std::size_t r = 0; r < index.rows.size(); ++r) {
        MapRow row;
        row.worker = index.rowWorkers[r];
        row.label = {x0, y, x0 + labelWidth, y + line};
        row.strip = {x0 + labelWidth, y + line * 0.15f, x1, y + line * 0.85f};
        if (map.zoomed || map.boxes)
            mapRunCells(index, r, row.strip, map.pfnFirst, map.pfnSpan, map.cells);
        else
            mapCells(index, r, row.strip, map.cells);
        map.rows.push_back(row);
        y += line;
    }
    map.axis = {x0 + labelWidth, y, x1, y + line};
    p.out.map = std::move(map);
}

void layoutFrameColumn(Pass& p) {
    ColumnBox col;
    col.worker = -1;
    const float x0 = p.plan.framesX0;
    const float x1 = p.plan.framesX1;
    col.title = {x0, p.top, x1, p.top + p.m.title};
    float y = col.title.y1;
    if (p.index.map.shown) {
        layoutMap(p, {x0, y, x1, y + mapHeight(p.index, p.m) - p.m.attachmentGap});
        y += mapHeight(p.index, p.m);
    }
    const auto& groups = p.index.groups;
    p.groupBodyTop.resize(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
        p.out.segments.push_back(
            {{x0, y, x1, y + p.m.groupHeader}, {}, groups[g].segment, groups[g].firstFrame, groups[g].count});
        y += p.m.groupHeader;
        p.groupBodyTop[g] = y;
        y += static_cast<float>(groups[g].count) * p.pagePx + p.m.attachmentGap;
    }
    col.rect = {x0, p.top, x1, y};
    col.stickyTitle = stick(col.title, p.view.canvas.y0, col.rect.y1);
    for (SegmentGroup& group : p.out.segments) {
        const float end =
            p.groupBodyTop[&group - p.out.segments.data()] + static_cast<float>(group.count) * p.pagePx;
        group.stickyHeader = stick(group.header, col.stickyTitle.y1, end);
    }
    p.out.columns.push_back(col);
    for (std::size_t g = 0; g < groups.size(); ++g)
        layoutFrameRows(p, g);
}

// The arrow from one page band of worker w's attachment ai; false when nothing is drawn.
bool pageArrow(const Pass& p, int w, std::size_t ai, const PageBand& band, Arrow& arrow) {
    const core::AttachmentView& att = p.snapshot.workers[w].attachments[ai];
    const auto& frames = p.snapshot.frames;
    const bool leftSide = p.plan.left[w];
    const float fromX = leftSide ? band.rect.x1 : band.rect.x0;
    const float toX = leftSide ? p.plan.framesX0 : p.plan.framesX1;
    const std::uint64_t page = band.firstPage;
    std::size_t fa = lowerFrame(frames, att.segment, page);
    if (band.count == 1) {
        const std::uint64_t pfn = att.entries[page] & core::kPagemapPfnMask;
        while (fa < frames.size() && frames[fa].segment == att.segment && frames[fa].page == page &&
               frames[fa].pfn != pfn)
            ++fa;
        if (fa >= frames.size() || frames[fa].pfn != pfn)
            return false;
        const Vec2 from{fromX, band.rect.center().y};
        const Vec2 to{toX, p.frameRowTop(fa) + p.pagePx * 0.5f};
        arrow.fromTop = arrow.fromBottom = from;
        arrow.toTop = arrow.toBottom = to;
        arrow.single = true;
        arrow.target = pfn;
        arrow.path = {from, to};
        return true;
    }
    const std::size_t fb = lowerFrame(frames, att.segment, page + band.count);
    if (fa >= fb)
        return false;
    arrow.fromTop = {fromX, band.rect.y0};
    arrow.fromBottom = {fromX, band.rect.y1};
    arrow.toTop = {toX, p.frameRowTop(fa)};
    arrow.toBottom = {toX, p.frameRowTop(fb - 1) + p.pagePx};
    arrow.single = false;
    arrow.target = frames[fa].pfn;
    arrow.path = {{fromX, band.rect.center().y}, {toX, (arrow.toTop.y + arrow.toBottom.y) * 0.5f}};
    return true;
}

void layoutPages(Pass& p, int w, std::size_t ai, const Rect& body) {
    const core::WorkerView& worker = p.snapshot.workers[w];
    const core::AttachmentView& att = worker.attachments[ai];
    auto [first, last] = visibleRows(body.y0, p.pagePx, att.entries.size(), p.view.canvas);
    const std::uint64_t attKey = mix(mix(3, static_cast<std::uint64_t>(worker.pid)), att.id);
    bandRuns(p.index.pageRuns[w][ai], first, last, p.out.singlePages, p.minRows,
             [&](std::uint64_t page, std::uint64_t count, std::uint64_t present) {
                 PageBand band;
                 const float py = body.y0 + static_cast<float>(page) * p.pagePx;
                 band.rect = {body.x0, py, body.x1, py + static_cast<float>(count) * p.pagePx};
                 band.worker = w;
                 band.attachment = ai;
                 band.segment = att.segment;
                 band.firstPage = page;
                 band.count = count;
                 band.present = present;
                 band.key = mix(mix(attKey, page), count);
                 p.out.pages.push_back(band);
                 if (band.present == 0 || !p.snapshot.pfnVisible || p.snapshot.frames.empty())
                     return;
                 Arrow arrow;
                 arrow.segment = att.segment;
                 arrow.pageBand = p.out.pages.size() - 1;
                 arrow.key = mix(mix(4, attKey), page) ^ count;
                 arrow.privateMapping = att.privateMapping || att.anonymous;
                 arrow.weight = static_cast<float>(band.present) / static_cast<float>(count);
                 if (pageArrow(p, w, ai, band, arrow))
                     p.out.arrows.push_back(std::move(arrow));
             });
}

void layoutWorker(Pass& p, int w, float tierTop) {
    const core::WorkerView& worker = p.snapshot.workers[w];
    const float x0 = p.plan.left[w] ? p.plan.leftX0 : p.plan.rightX0;
    const float x1 = x0 + kWorkerUnits * p.plan.unit;
    ColumnBox col;
    col.worker = w;
    col.leftOfFrames = p.plan.left[w];
    col.tier = p.plan.tier[w];
    col.title = {x0, tierTop, x1, tierTop + p.m.title};
    col.rect = {x0, tierTop, x1, tierTop + workerHeight(worker, p.m, p.pagePx) - p.m.attachmentGap};
    col.stickyTitle = stick(col.title, p.view.canvas.y0, col.rect.y1);
    float y = col.title.y1;
    for (std::size_t ai = 0; ai < worker.attachments.size(); ++ai) {
        const auto pageCount = static_cast<float>(worker.attachments[ai].entries.size());
        AttachmentBox box;
        box.worker = w;
        box.attachment = ai;
        box.header = {x0, y, x1, y + p.m.attachmentHeader};
        box.body = {x0, box.header.y1, x1, box.header.y1 + pageCount * p.pagePx};
        box.stickyHeader = stick(box.header, col.stickyTitle.y1, box.body.y1);
        p.out.attachments.push_back(box);
        y = box.body.y1 + p.m.attachmentGap;
        layoutPages(p, w, ai, box.body);
    }
    p.out.columns.push_back(col);
}

struct MappedFrame {
    std::uint64_t pfn;
    int segment;
    std::uint64_t workers; // bit w: snapshot.workers[w] maps it (a session has at most 64 workers)
    std::size_t frame;     // index into snapshot.frames
    bool operator<(const MappedFrame& o) const { return pfn < o.pfn; }
};

// Every frame the workers map, by frame number, with who maps it. Read from the session's frames
// (one per frame), not from the 2 million entries they were built of.
std::vector<MappedFrame> mappedFrames(const core::Snapshot& snapshot) {
    std::vector<int> indexOf; // worker id -> index in snapshot.workers (ids count from 0), -1: none
    for (std::size_t w = 0; w < snapshot.workers.size() && w < 64; ++w) {
        const int id = snapshot.workers[w].id;
        if (id < 0 || id >= 4096)
            continue;
        if (indexOf.size() <= static_cast<std::size_t>(id))
            indexOf.resize(static_cast<std::size_t>(id) + 1, -1);
        indexOf[static_cast<std::size_t>(id)] = static_cast<int>(w);
    }
    std::vector<MappedFrame> all;
    all.reserve(snapshot.frames.size());
    for (std::size_t i = 0; i < snapshot.frames.size(); ++i) {
        const core::FrameView& f = snapshot.frames[i];
        std::uint64_t workers = 0;
        for (const core::FrameRef& r : f.mappedBy)
            if (r.worker >= 0 && static_cast<std::size_t>(r.worker) < indexOf.size() &&
                indexOf[static_cast<std::size_t>(r.worker)] >= 0)
                workers |= std::uint64_t{1} << indexOf[static_cast<std::size_t>(r.worker)];
        all.push_back({f.pfn, f.segment, workers, i});
    }
    std::sort(all.begin(), all.end());
    return all;
}

// Each frame number once (the frames of one number merged).
void mergeSamePfn(std::vector<MappedFrame>& all) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (kept > 0 && all[kept - 1].pfn == all[i].pfn)
            all[kept - 1].workers |= all[i].workers;
        else
            all[kept++] = all[i];
    }
    all.resize(kept);
}

// Frame numbers per huge page of each hugetlb segment (by segment id).
std::uint64_t hugeSlotsOf(const core::Snapshot& snapshot, int segment) {
    for (const core::SegmentView& seg : snapshot.segments)
        if (seg.id == segment && seg.hugetlb && seg.hugePageSize > snapshot.pageSize)
            return seg.hugePageSize / snapshot.pageSize;
    return 0;
}

// Runs of consecutive frame numbers among the frames that any worker in `workers` maps.
std::vector<LayoutIndex::Map::Run> pfnRuns(const core::Snapshot& snapshot,
                                           const std::vector<MappedFrame>& frames, std::uint64_t workers) {
    std::vector<LayoutIndex::Map::Run> runs;
    for (const MappedFrame& f : frames) {
        if (!(f.workers & workers))
            continue;
        if (runs.empty() || runs.back().segment != f.segment || runs.back().pfn + runs.back().count != f.pfn)
            runs.push_back({f.pfn, 0, f.segment, hugeSlotsOf(snapshot, f.segment)});
        ++runs.back().count;
    }
    return runs;
}

// The buckets of the frames that any worker in `workers` maps.
std::vector<LayoutIndex::MapBucket> mapBuckets(const std::vector<MappedFrame>& frames,
                                               const LayoutIndex::Map& map, std::uint64_t workers) {
    std::vector<LayoutIndex::MapBucket> out;
    for (const MappedFrame& f : frames) {
        if (!(f.workers & workers))
            continue;
        const auto index = static_cast<std::uint32_t>((f.pfn - map.pfnFirst) / map.bucketPfns);
        if (out.empty() || out.back().index != index || out.back().segment != f.segment)
            out.push_back({index, 0, f.segment});
        ++out.back().frames;
    }
    return out;
}

// The map is for segments too large to see page by page, and only with frame numbers to place.
void indexMap(const core::Snapshot& snapshot, LayoutIndex::Map& map) {
    const bool large = std::any_of(snapshot.workers.begin(), snapshot.workers.end(), [](const auto& w) {
        return std::any_of(w.attachments.begin(), w.attachments.end(),
                           [](const core::AttachmentView& a) { return a.entries.size() >= kMapMinPages; });
    });
    if (!snapshot.pfnVisible || !large)
        return;
    std::vector<MappedFrame> all = mappedFrames(snapshot);
    map.byPfn.reserve(all.size());
    for (const MappedFrame& f : all)
        map.byPfn.push_back(f.frame);
    mergeSamePfn(all);
    std::uint64_t mapping = 0;
    for (const MappedFrame& f : all)
        mapping |= f.workers;
    if (all.empty() || mapping == 0) {
        map.byPfn.clear();
        return;
    }
    std::vector<int> workers;
    for (std::size_t w = 0; w < 64; ++w)
        if (mapping >> w & 1)
            workers.push_back(static_cast<int>(w));
    map.shown = true;
    map.pfnFirst = all.front().pfn;
    map.pfnLast = all.back().pfn;
    map.bucketPfns = std::max<std::uint64_t>(1, (map.pfnLast - map.pfnFirst + kMapBuckets) / kMapBuckets);
    map.frames = all.size();
    for (std::size_t i = 0; i < all.size(); ++i)
        map.runs += i == 0 || all[i].pfn != all[i - 1].pfn + 1 ? 1 : 0;
    if (workers.size() > kMapMaxRows) {
        map.rowWorkers = {-1};
        map.rows = {mapBuckets(all, map, ~std::uint64_t{0})};
        map.rowRuns = {pfnRuns(snapshot, all, ~std::uint64_t{0})};
        return;
    }
    map.rowWorkers = workers;
    for (int w : workers) {
        map.rows.push_back(mapBuckets(all, map, std::uint64_t{1} << w));
        map.rowRuns.push_back(pfnRuns(snapshot, all, std::uint64_t{1} << w));
    }
}

} // namespace

LayoutIndex indexSnapshot(const core::Snapshot& snapshot) {
    LayoutIndex index;
    for (const core::WorkerView& w : snapshot.workers) {
        auto& perWorker = index.pageRuns.emplace_back();
        for (const core::AttachmentView& a : w.attachments)
            perWorker.push_back(presentRuns(a.entries));
    }
    const auto& frames = snapshot.frames;
    std::uint64_t hugeSlots = 0; // 4 KiB frames per huge page of the current group's segment
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (index.groups.empty() || index.groups.back().segment != frames[i].segment) {
            index.groups.push_back({frames[i].segment, i, 0, {}, {}});
            hugeSlots = 0;
            for (const core::SegmentView& seg : snapshot.segments)
                if (seg.id == frames[i].segment && seg.hugetlb && seg.hugePageSize > snapshot.pageSize)
                    hugeSlots = seg.hugePageSize / snapshot.pageSize;
        }
        LayoutIndex::FrameGroup& g = index.groups.back();
        const std::uint64_t row = i - g.firstFrame;
        if (hugeSlots > 0) {
            // pagemap reports a huge page as consecutive pfns from a multiple of hugeSlots.
            const bool sameHuge = row > 0 && frames[i].pfn / hugeSlots == frames[i - 1].pfn / hugeSlots;
            if (!sameHuge)
                g.hugeRuns.push_back({row, 0, true});
            ++g.hugeRuns.back().count;
        }
        const bool continues =
            row > 0 && (frames[i].page == frames[i - 1].page || frames[i].page == frames[i - 1].page + 1);
        if (!continues)
            g.runs.push_back({row, 0, true});
        ++g.runs.back().count;
        ++g.count;
    }
    indexMap(snapshot, index.map);
    return index;
}

float fitPagePx(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view) {
    const Metrics m = metricsFor(view);
    const Plan plan = planColumns(snapshot, view.canvas, view.lineHeight);
    const auto need = [&](float px) { return contentNeed(snapshot, index, plan, m, px); };
    float available = view.canvas.height() - 2 * m.pad;
    if (need(view.maxPagePx) <= available)
        return view.maxPagePx;
    // When titles and headers alone fill the canvas (many workers), the rows still get a canvas of
    // their own and the view scrolls.
    if (need(0) >= available * 0.7f)
        available += need(0);
    float lo = 0;
    float hi = view.maxPagePx;
    for (int i = 0; i < 40; ++i) {
        const float mid = (lo + hi) * 0.5f;
        (need(mid) <= available ? lo : hi) = mid;
    }
    return std::max(lo, 1e-6f);
}

float fitScale(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view,
               float maxScale) {
    const auto fits = [&](float scale) {
        ViewParams v = view;
        v.lineHeight *= scale;
        v.maxPagePx *= scale;
        const Plan plan = planColumns(snapshot, v.canvas, v.lineHeight);
        // Wider text than the columns can give would only be cut.
        const bool wide = plan.unit >= kMaxColumnPx * v.lineHeight / 18 * 0.75f;
        return wide && contentNeed(snapshot, index, plan, metricsFor(v), v.maxPagePx) + v.lineHeight <=
                           v.canvas.height();
    };
    if (!fits(1))
        return 1;
    float lo = 1;
    float hi = maxScale;
    if (fits(hi))
        return hi;
    for (int i = 0; i < 30; ++i) {
        const float mid = (lo + hi) * 0.5f;
        (fits(mid) ? lo : hi) = mid;
    }
    return lo;
}

float fitPagePx(const core::Snapshot& snapshot, const ViewParams& view) {
    return fitPagePx(snapshot, indexSnapshot(snapshot), view);
}

DiagramLayout layoutDiagram(const core::Snapshot& snapshot, const ViewParams& view) {
    return layoutDiagram(snapshot, indexSnapshot(snapshot), view);
}

DiagramLayout layoutDiagram(const core::Snapshot& snapshot, const LayoutIndex& index,
                            const ViewParams& view) {
    DiagramLayout out;
    out.pagePx = view.pagePx > 0 ? view.pagePx : fitPagePx(snapshot, index, view);
    out.singlePages = out.pagePx >= kSinglePagePx;
    const Metrics m = metricsFor(view);
    const auto minRows =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(view.minBandPx / out.pagePx)));
    Pass p{snapshot,
           index,
           view,
           m,
           planColumns(snapshot, view.canvas, view.lineHeight),
           out.pagePx,
           view.canvas.y0 + m.pad - view.scrollY,
           minRows,
           {},
           out};
    layoutFrameColumn(p);
    const std::vector<float> tops = tierTops(snapshot, p.plan, m, out.pagePx);
    for (int w = 0; w < static_cast<int>(snapshot.workers.size()); ++w)
        layoutWorker(p, w, p.top + tops[p.plan.tier[w]]);
    out.contentHeight = contentNeed(snapshot, index, p.plan, m, out.pagePx) + 2 * m.pad;
    const float gutter = kLaneUnits * p.plan.unit;
    const float y1 = p.top + out.contentHeight;
    if (!snapshot.workers.empty())
        out.gutters.push_back({p.plan.framesX0 - gutter, p.top, p.plan.framesX0, y1});
    if (snapshot.workers.size() > 1)
        out.gutters.push_back({p.plan.framesX1, p.top, p.plan.framesX1 + gutter, y1});
    return out;
}

std::pair<double, double> mapWindow(const LayoutIndex& index, const ViewParams& view) {
    const auto first = static_cast<double>(index.map.pfnFirst);
    const double whole = static_cast<double>(index.map.pfnLast - index.map.pfnFirst) + 1;
    if (view.mapSpan <= 0 || view.mapSpan >= whole)
        return {first, whole};
    const double span = std::max(1.0, view.mapSpan);
    return {std::clamp(view.mapFirst, first, first + whole - span), span};
}

ViewParams zoomMap(const LayoutIndex& index, const PhysicalMap& map, const ViewParams& view, double factor,
                   float atX) {
    ViewParams next = view;
    if (map.rows.empty())
        return next;
    const Rect& strip = map.rows.front().strip;
    const double whole = static_cast<double>(index.map.pfnLast - index.map.pfnFirst) + 1;
    const double minSpan =
        std::max(1.0, static_cast<double>(strip.width() / (kMapMaxBoxLines * view.lineHeight)));
    const double span = std::clamp(map.pfnSpan / factor, std::min(minSpan, whole), whole);
    if (span >= whole) {
        next.mapFirst = 0;
        next.mapSpan = 0;
        return next;
    }
    // The frame number under the pointer stays under it; pointing a few pixels beside a mark zooms
    // into that mark's frame, not into the empty RAM next to it.
    const double at = std::clamp(static_cast<double>((atX - strip.x0) / strip.width()), 0.0, 1.0);
    const double pointed = map.pfnFirst + at * map.pfnSpan;
    const double reach = 4 * map.pfnSpan / strip.width();
    double anchor = pointed;
    double best = reach;
    for (const auto& runs : index.map.rowRuns) {
        auto it =
            std::upper_bound(runs.begin(), runs.end(), pointed, [](double v, const LayoutIndex::Map::Run& r) {
                return v < static_cast<double>(r.pfn);
            });
        for (const auto& r : {it, it == runs.begin() ? it : std::prev(it)}) {
            if (r == runs.end())
                continue;
            const double near = std::clamp(pointed, static_cast<double>(r->pfn),
                                           static_cast<double>(r->pfn + r->count - 1) + 0.999);
            if (std::abs(near - pointed) < best) {
                best = std::abs(near - pointed);
                anchor = near == pointed ? pointed : std::floor(near) + 0.5;
            }
        }
    }
    next.mapSpan = span;
    next.mapFirst = (best < reach ? anchor : pointed) - at * span;
    std::tie(next.mapFirst, next.mapSpan) = mapWindow(index, next);
    return next;
}

std::optional<MapSpot> mapSpotAt(const PhysicalMap& map, Vec2 point) {
    for (std::size_t r = 0; r < map.rows.size(); ++r) {
        const Rect& strip = map.rows[r].strip;
        if (!strip.contains(point))
            continue;
        const double perPx = map.pfnSpan / strip.width();
        const double x = point.x - strip.x0;
        const auto first = static_cast<std::uint64_t>(std::floor(map.pfnFirst + x * perPx));
        const auto last = static_cast<std::uint64_t>(std::floor(map.pfnFirst + (x + 1) * perPx));
        return MapSpot{r, first, std::max(last, first + 1)};
    }
    return std::nullopt;
}

std::pair<std::size_t, std::size_t> framesInPfnRange(const core::Snapshot& snapshot, const LayoutIndex& index,
                                                     std::uint64_t first, std::uint64_t last) {
    const auto& by = index.map.byPfn;
    const auto pfnLess = [&](std::size_t f, std::uint64_t pfn) { return snapshot.frames[f].pfn < pfn; };
    const auto b = std::lower_bound(by.begin(), by.end(), first, pfnLess);
    const auto e = std::lower_bound(b, by.end(), last, pfnLess);
    return {static_cast<std::size_t>(b - by.begin()), static_cast<std::size_t>(e - by.begin())};
}

Hit hitTest(const DiagramLayout& layout, Vec2 point) {
    for (std::size_t i = 0; i < layout.pages.size(); ++i)
        if (layout.pages[i].rect.contains(point))
            return {Hit::Kind::Page, i};
    for (std::size_t i = 0; i < layout.frames.size(); ++i)
        if (layout.frames[i].rect.contains(point))
            return {Hit::Kind::Frame, i};
    return {};
}

} // namespace shmviz::render
