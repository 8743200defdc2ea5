#include "render/diagram_layout.h"

#include <algorithm>
#include <cmath>

namespace shmviz::render {
namespace {

constexpr float kMaxColumnPx = 260;
constexpr float kWorkerUnits = 1.0f;
constexpr float kFrameUnits = 1.0f;
constexpr float kLaneUnits = 0.62f;
constexpr float kGapUnits = 0.12f;
constexpr float kMarginUnits = 0.12f; // each side, so no column touches the canvas edge

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

bool isPresent(std::uint64_t raw) {
    return (raw >> 63) & 1;
}

struct Metrics {
    float pad;
    float title;
    float attachmentHeader;
    float attachmentGap;
    float groupHeader;
};

Metrics metricsFor(const ViewParams& view) {
    const float line = view.lineHeight;
    // Attachment headers have three lines: what is mapped, how (shared, private, inherited), where.
    return {line * 0.5f, line * 2 + 8, line * 3 + 6, line * 0.8f, line * 2 + 6};
}

struct ColumnNeed {
    float fixed = 0;
    std::uint64_t rows = 0;
};

ColumnNeed workerNeed(const core::WorkerView& worker, const Metrics& m) {
    ColumnNeed need{m.title, 0};
    for (const core::AttachmentView& a : worker.attachments) {
        need.fixed += m.attachmentHeader + m.attachmentGap;
        need.rows += a.entries.size();
    }
    return need;
}

ColumnNeed framesNeed(const LayoutIndex& index, const Metrics& m) {
    ColumnNeed need{m.title, 0};
    for (const LayoutIndex::FrameGroup& g : index.groups) {
        need.fixed += m.groupHeader + m.attachmentGap;
        need.rows += g.count;
    }
    return need;
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
    return index;
}

float fitPagePx(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view) {
    const Metrics m = metricsFor(view);
    const float available = view.canvas.height() - 2 * m.pad;
    float best = view.maxPagePx;
    const auto consider = [&](const ColumnNeed& need) {
        if (need.rows > 0)
            best = std::min(best, (available - need.fixed) / static_cast<float>(need.rows));
    };
    for (const core::WorkerView& w : snapshot.workers)
        consider(workerNeed(w, m));
    consider(framesNeed(index, m));
    return std::max(best, 1e-6f);
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
    const Metrics m = metricsFor(view);
    const Rect& canvas = view.canvas;
    out.pagePx = view.pagePx > 0 ? view.pagePx : fitPagePx(snapshot, index, view);
    out.singlePages = out.pagePx >= kSinglePagePx;
    const float pagePx = out.pagePx;
    const std::uint64_t minRows =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(view.minBandPx / pagePx)));

    // Columns, left to right.
    const int n = static_cast<int>(snapshot.workers.size());
    const int left = (n + 1) / 2;
    const int right = n - left;
    const float units = n * kWorkerUnits + kFrameUnits + (left > 0) * kLaneUnits + (right > 0) * kLaneUnits +
                        (std::max(0, left - 1) + std::max(0, right - 1)) * kGapUnits + 2 * kMarginUnits;
    const float unit = std::min(canvas.width() / units, kMaxColumnPx);
    float x = canvas.x0 + (canvas.width() - units * unit) * 0.5f + kMarginUnits * unit;
    const float top = canvas.y0 + m.pad - view.scrollY;
    float framesX = 0;
    const std::vector<int> order = columnOrder(snapshot);
    std::vector<float> workerX(n);
    std::vector<bool> workerLeft(n);
    for (int i = 0; i < left; ++i) {
        workerX[order[i]] = x;
        workerLeft[order[i]] = true;
        x += unit * (kWorkerUnits + (i + 1 < left ? kGapUnits : kLaneUnits));
    }
    framesX = x;
    x += unit * (kFrameUnits + kLaneUnits);
    for (int i = left; i < n; ++i) {
        workerX[order[i]] = x;
        x += unit * (kWorkerUnits + kGapUnits);
    }

    // Physical frames column: groups of frames by segment.
    const auto& groups = index.groups;
    std::vector<float> groupBodyTop(groups.size());
    const float frameW = unit * kFrameUnits;
    {
        ColumnBox col;
        col.worker = -1;
        col.title = {framesX, top, framesX + frameW, top + m.title};
        float y = top + m.title;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            out.segments.push_back({{framesX, y, framesX + frameW, y + m.groupHeader},
                                    groups[g].segment,
                                    groups[g].firstFrame,
                                    groups[g].count});
            y += m.groupHeader;
            groupBodyTop[g] = y;
            y += static_cast<float>(groups[g].count) * pagePx + m.attachmentGap;
        }
        col.rect = {framesX, top, framesX + frameW, y};
        out.contentHeight = std::max(out.contentHeight, y - top + 2 * m.pad);
        out.columns.push_back(col);
    }
    const auto frameRowTop = [&](std::size_t frame) {
        std::size_t g =
            static_cast<std::size_t>(std::upper_bound(groups.begin(), groups.end(), frame,
                                                      [](std::size_t f, const LayoutIndex::FrameGroup& gr) {
                                                          return f < gr.firstFrame;
                                                      }) -
                                     groups.begin() - 1);
        return groupBodyTop[g] + static_cast<float>(frame - groups[g].firstFrame) * pagePx;
    };

    for (std::size_t g = 0; g < groups.size(); ++g) {
        const LayoutIndex::FrameGroup& group = groups[g];
        auto [first, last] = visibleRows(groupBodyTop[g], pagePx, group.count, canvas);
        const auto& frames = snapshot.frames;
        if (!group.hugeRuns.empty()) {
            // One box per huge page, however far the view zooms in.
            for (const RowRun& run : group.hugeRuns) {
                if (run.first + run.count <= first || run.first >= last)
                    continue;
                const std::size_t f = group.firstFrame + run.first;
                const float y0 = groupBodyTop[g] + static_cast<float>(run.first) * pagePx;
                FrameBand band;
                band.rect = {framesX, y0, framesX + frameW, y0 + static_cast<float>(run.count) * pagePx};
                band.firstFrame = f;
                band.count = run.count;
                band.segment = group.segment;
                band.firstPage = frames[f].page;
                band.key = mix(5, frames[f].pfn);
                band.huge = true;
                out.frames.push_back(band);
            }
            continue;
        }
        bandRuns(group.runs, first, last, out.singlePages, minRows,
                 [&](std::uint64_t row, std::uint64_t count, std::uint64_t) {
                     const std::size_t f = group.firstFrame + row;
                     const float y0 = groupBodyTop[g] + static_cast<float>(row) * pagePx;
                     FrameBand band;
                     band.rect = {framesX, y0, framesX + frameW, y0 + static_cast<float>(count) * pagePx};
                     band.firstFrame = f;
                     band.count = count;
                     band.segment = group.segment;
                     band.firstPage = frames[f].page;
                     band.key =
                         count == 1
                             ? mix(1, frames[f].pfn)
                             : mix(mix(mix(2, static_cast<std::uint64_t>(group.segment)), frames[f].page),
                                   count);
                     out.frames.push_back(band);
                 });
    }

    // Worker columns: each attachment's pages in address order, arrows to their frames.
    const float workerW = unit * kWorkerUnits;
    for (int w = 0; w < n; ++w) {
        const core::WorkerView& worker = snapshot.workers[w];
        const bool leftSide = workerLeft[w];
        const float x0 = workerX[w];
        const float x1 = x0 + workerW;
        ColumnBox col;
        col.worker = w;
        col.leftOfFrames = leftSide;
        col.title = {x0, top, x1, top + m.title};
        float y = top + m.title;
        for (std::size_t ai = 0; ai < worker.attachments.size(); ++ai) {
            const core::AttachmentView& att = worker.attachments[ai];
            const auto pageCount = static_cast<std::uint64_t>(att.entries.size());
            AttachmentBox box;
            box.worker = w;
            box.attachment = ai;
            box.header = {x0, y, x1, y + m.attachmentHeader};
            y += m.attachmentHeader;
            const float bodyTop = y;
            box.body = {x0, bodyTop, x1, bodyTop + static_cast<float>(pageCount) * pagePx};
            out.attachments.push_back(box);
            y = box.body.y1 + m.attachmentGap;

            auto [first, last] = visibleRows(bodyTop, pagePx, pageCount, canvas);
            const auto& entries = att.entries;
            const std::uint64_t attKey = mix(mix(3, static_cast<std::uint64_t>(worker.pid)), att.id);
            bandRuns(index.pageRuns[w][ai], first, last, out.singlePages, minRows,
                     [&](std::uint64_t page, std::uint64_t count, std::uint64_t present) {
                         PageBand band;
                         const float py = bodyTop + static_cast<float>(page) * pagePx;
                         band.rect = {x0, py, x1, py + static_cast<float>(count) * pagePx};
                         band.worker = w;
                         band.attachment = ai;
                         band.segment = att.segment;
                         band.firstPage = page;
                         band.count = count;
                         band.present = present;
                         band.key = mix(mix(attKey, page), count);
                         out.pages.push_back(band);
                         if (band.present == 0 || !snapshot.pfnVisible || snapshot.frames.empty())
                             return;

                         Arrow arrow;
                         arrow.segment = att.segment;
                         arrow.pageBand = out.pages.size() - 1;
                         arrow.key = mix(mix(4, attKey), page) ^ count;
                         arrow.privateMapping = att.privateMapping || att.anonymous;
                         const float fromX = leftSide ? x1 : x0;
                         const float toX = leftSide ? framesX : framesX + frameW;
                         std::size_t fa = lowerFrame(snapshot.frames, att.segment, page);
                         if (count == 1) {
                             const std::uint64_t pfn = entries[page] & core::kPagemapPfnMask;
                             while (fa < snapshot.frames.size() &&
                                    snapshot.frames[fa].segment == att.segment &&
                                    snapshot.frames[fa].page == page && snapshot.frames[fa].pfn != pfn)
                                 ++fa;
                             if (fa >= snapshot.frames.size() || snapshot.frames[fa].pfn != pfn)
                                 return;
                             const float fy = frameRowTop(fa) + pagePx * 0.5f;
                             const float cy = py + pagePx * 0.5f;
                             arrow.fromTop = arrow.fromBottom = {fromX, cy};
                             arrow.toTop = arrow.toBottom = {toX, fy};
                             arrow.single = true;
                             arrow.target = pfn;
                         } else {
                             const std::size_t fb = lowerFrame(snapshot.frames, att.segment, page + count);
                             if (fa >= fb)
                                 return;
                             arrow.fromTop = {fromX, band.rect.y0};
                             arrow.fromBottom = {fromX, band.rect.y1};
                             arrow.toTop = {toX, frameRowTop(fa)};
                             arrow.toBottom = {toX, frameRowTop(fb - 1) + pagePx};
                             arrow.single = false;
                             arrow.target = snapshot.frames[fa].pfn;
                         }
                         arrow.weight = static_cast<float>(band.present) / static_cast<float>(count);
                         out.arrows.push_back(arrow);
                     });
        }
        col.rect = {x0, top, x1, y};
        out.contentHeight = std::max(out.contentHeight, y - top + 2 * m.pad);
        out.columns.push_back(col);
    }
    return out;
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
