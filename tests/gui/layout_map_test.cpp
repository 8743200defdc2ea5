// The physical-memory map of a large segment: frames placed at their frame numbers, so a
// contiguous run is one mark, scattered frames are many, two workers sharing frames have the same
// marks, a private copy has its own, and the map stays inside the frames column.
#include "render/diagram_labels.h"
#include "render/diagram_layout.h"
#include "render/diagram_text.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace shmviz::render {
namespace {

// `pages` pages in each of `workers` workers, every page present at pfnOf(page).
template <class PfnOf> core::Snapshot large(int workers, std::uint64_t pages, PfnOf pfnOf) {
    core::Snapshot s = test::makeSnapshot(workers, pages);
    for (int w = 0; w < workers; ++w)
        for (std::uint64_t p = 0; p < pages; ++p)
            s.workers[w].attachments[0].entries[p] = test::kPresent | pfnOf(p);
    for (std::uint64_t p = 0; p < pages; ++p) {
        core::FrameView f;
        f.pfn = pfnOf(p);
        f.segment = 0;
        f.page = p;
        for (int w = 0; w < workers; ++w)
            f.mappedBy.push_back({w, 0, s.workers[w].attachments[0].pageVa(p)});
        s.frames.push_back(f);
    }
    return s;
}

// Worker 1's page 5 (the last worker's) now at `pfn`, a copy of its own; the frames change as the
// session builds them from the entries.
void privateCopy(core::Snapshot& s, std::uint64_t pfn) {
    s.workers[1].attachments[0].entries[5] = test::kPresent | pfn;
    s.frames[5].mappedBy.pop_back();
    core::FrameView copy;
    copy.pfn = pfn;
    copy.segment = 0;
    copy.page = 5;
    copy.mappedBy.push_back({1, 0, s.workers[1].attachments[0].pageVa(5)});
    s.frames.insert(s.frames.begin() + 6, copy);
}

ViewParams view1080() {
    ViewParams v;
    v.canvas = {300, 40, 1560, 860};
    return v;
}

std::vector<MapCell> rowCells(const PhysicalMap& map, std::size_t row) {
    std::vector<MapCell> out;
    for (const MapCell& c : map.cells)
        if (c.row == row)
            out.push_back(c);
    return out;
}

TEST(PhysicalMap, ContiguousFramesAreOneMarkAndSharedFramesTheSameInEveryRow) {
    const core::Snapshot s = large(2, 16384, [](std::uint64_t p) { return 0x100000 + p; });
    const DiagramLayout l = layoutDiagram(s, view1080());
    ASSERT_TRUE(l.map);
    ASSERT_EQ(l.map->rows.size(), 2u);
    const auto a = rowCells(*l.map, 0);
    const auto b = rowCells(*l.map, 1);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_FLOAT_EQ(a[0].rect.x0, b[0].rect.x0);
    EXPECT_FLOAT_EQ(a[0].rect.x1, b[0].rect.x1);
    EXPECT_EQ(a[0].frames, 16384u);
    EXPECT_NEAR(a[0].rect.width(), l.map->rows[0].strip.width(), 0.5f) << "one run fills the axis";
    EXPECT_NEAR(a[0].density, 1.0f, 0.01f) << "frames side by side are drawn solid";
}

TEST(PhysicalMap, ScatteredFramesAreManyMarksAtTheirFrameNumbers) {
    const core::Snapshot s = large(1, 256, [](std::uint64_t p) { return 0x200000 + (p * 97) % 4096 * 8; });
    const DiagramLayout l = layoutDiagram(s, view1080());
    ASSERT_TRUE(l.map);
    const auto cells = rowCells(*l.map, 0);
    EXPECT_GT(cells.size(), 20u) << "scattered frames must not look like one block";
    const Rect& strip = l.map->rows[0].strip;
    for (const MapCell& c : cells) {
        EXPECT_GE(c.rect.x0, strip.x0 - 0.01f);
        EXPECT_LE(c.rect.x1, strip.x1 + 0.01f);
        EXPECT_GE(c.rect.width(), 1.0f) << "a single frame still shows";
        EXPECT_LT(c.density, 0.5f) << "frames 8 apart must not look like a solid block";
    }
    // The lowest frame is at the left end, the highest at the right end.
    EXPECT_NEAR(cells.front().rect.x0, strip.x0, 0.5f);
    EXPECT_NEAR(cells.back().rect.x1, strip.x1, 1.5f);
}

TEST(PhysicalMap, APrivateCopyHasItsOwnMarks) {
    core::Snapshot s = large(2, 128, [](std::uint64_t p) { return 0x300000 + p; });
    // Worker 1's page 5 was copied on write to a frame far away.
    privateCopy(s, 0x380000);
    const DiagramLayout l = layoutDiagram(s, view1080());
    ASSERT_TRUE(l.map);
    EXPECT_EQ(rowCells(*l.map, 0).size(), 1u);
    const auto copied = rowCells(*l.map, 1);
    ASSERT_EQ(copied.size(), 2u) << "the shared run and, far from it, the copy";
    EXPECT_NEAR(copied.back().rect.x1, l.map->rows[1].strip.x1, 0.5f);
    EXPECT_LT(rowCells(*l.map, 0).back().rect.x1, copied.back().rect.x0) << "worker 0 has no mark there";
}

TEST(PhysicalMap, StaysInsideTheFramesColumnAndAboveItsFrames) {
    for (const int workers : {1, 4, 16}) {
        const core::Snapshot s = large(workers, 4096, [](std::uint64_t p) { return 0x100000 + 2 * p; });
        const DiagramLayout l = layoutDiagram(s, view1080());
        ASSERT_TRUE(l.map);
        EXPECT_LE(l.map->rows.size(), kMapMaxRows);
        const auto frames =
            std::find_if(l.columns.begin(), l.columns.end(), [](auto& c) { return c.worker < 0; });
        ASSERT_NE(frames, l.columns.end());
        EXPECT_GE(l.map->box.x0, frames->rect.x0);
        EXPECT_LE(l.map->box.x1, frames->rect.x1);
        EXPECT_GE(l.map->box.y0, frames->title.y1);
        for (const SegmentGroup& g : l.segments)
            EXPECT_GE(g.header.y0, l.map->box.y1) << "the map must not cover a segment's frames";
        for (const Arrow& a : l.arrows)
            for (const Vec2& p : a.path)
                EXPECT_FALSE(l.map->box.contains(p)) << "an arrow ends in the map";
    }
}

TEST(PhysicalMap, SmallSegmentsKeepTheirBoxesWithoutAMap) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 1, 0x1234);
    EXPECT_FALSE(layoutDiagram(s, view1080()).map);
    core::Snapshot hidden = large(2, 256, [](std::uint64_t p) { return p; });
    hidden.pfnVisible = false;
    EXPECT_FALSE(layoutDiagram(hidden, view1080()).map) << "no frame numbers, nothing to place";
}

TEST(PhysicalMap, SaysHowManyFramesInHowManyRuns) {
    const core::Snapshot s =
        large(2, 16384, [](std::uint64_t p) { return 0x100000 + p + (p >= 8192 ? 100 : 0); });
    ViewParams v = view1080();
    const LayoutIndex index = indexSnapshot(s);
    const DiagramLayout l = layoutDiagram(s, index, v);
    const auto measure = [](LabelFont, std::string_view t) { return 8.3f * static_cast<float>(t.size()); };
    const std::vector<Label> labels = labelDiagram(s, index, l, v, 6, measure);
    const bool said = std::any_of(labels.begin(), labels.end(), [](const Label& x) {
        return x.full.find("16384 frames in 2 contiguous runs") != std::string::npos;
    });
    EXPECT_TRUE(said);
    const std::string last = shortHex(index.map.pfnLast);
    const bool ends =
        std::any_of(labels.begin(), labels.end(), [&](const Label& x) { return x.text == last; });
    EXPECT_TRUE(ends) << "the last frame number " << last << " is written at the axis' right end";
}

// Wheel steps over the map's middle, each zooming by 1.5 about that point, as the window does.
std::vector<DiagramLayout> zoomSteps(const core::Snapshot& s, const LayoutIndex& index, int steps) {
    std::vector<DiagramLayout> out;
    ViewParams v = view1080();
    out.push_back(layoutDiagram(s, index, v));
    for (int i = 0; i < steps; ++i) {
        const Rect& strip = out.back().map->rows.front().strip;
        v = zoomMap(index, *out.back().map, v, 1.5, strip.x0 + strip.width() * 0.3f);
        out.push_back(layoutDiagram(s, index, v));
    }
    return out;
}

TEST(PhysicalMap, ZoomingInMovesContinuouslyFromTheMapToOneBoxPerFrame) {
    // Two workers share a contiguous 64 MiB segment; worker 1 has a private copy far away.
    core::Snapshot s = large(2, 16384, [](std::uint64_t p) { return 0x100000 + p; });
    privateCopy(s, 0x380000);
    const LayoutIndex index = indexSnapshot(s);
    const std::vector<DiagramLayout> steps = zoomSteps(s, index, 40);
    ASSERT_TRUE(steps.front().map);
    EXPECT_FALSE(steps.front().map->zoomed);
    EXPECT_FALSE(steps.front().map->boxes);
    const PhysicalMap& deepest = *steps.back().map;
    ASSERT_TRUE(deepest.boxes) << "zoomed in to the end, every frame is a box";
    double pointed = -1;
    for (const DiagramLayout& l : steps) {
        const PhysicalMap& m = *l.map;
        const Rect& strip = m.rows.front().strip;
        // The frame number under the pointer stays under it, step after step: a continuous zoom.
        const double at = m.pfnFirst + 0.3 * m.pfnSpan;
        if (pointed >= 0) {
            EXPECT_NEAR(at, pointed, std::max(1.0, m.pfnSpan * 1e-6));
        }
        pointed = at;
        for (const MapCell& c : m.cells) {
            EXPECT_GE(c.rect.x0, strip.x0 - 0.01f);
            EXPECT_LE(c.rect.x1, strip.x1 + 0.01f);
            if (m.boxes) {
                EXPECT_TRUE(c.single);
                EXPECT_EQ(c.frames, 1u);
                EXPECT_GE(static_cast<double>(c.pfn), std::floor(m.pfnFirst));
                EXPECT_LT(static_cast<double>(c.pfn), m.pfnFirst + m.pfnSpan);
            }
        }
    }
    // Each box sits at its frame number: a spot inside it names exactly that frame, and the frame
    // holds the page the workers map there.
    for (const MapCell& c : deepest.cells) {
        const auto spot = mapSpotAt(deepest, c.rect.center());
        ASSERT_TRUE(spot);
        EXPECT_EQ(spot->row, c.row);
        EXPECT_EQ(spot->first, c.pfn);
        EXPECT_EQ(spot->last, c.pfn + 1);
        const auto [b, e] = framesInPfnRange(s, index, c.pfn, c.pfn + 1);
        ASSERT_EQ(e - b, 1u);
        EXPECT_EQ(s.frames[index.map.byPfn[b]].page, c.pfn - 0x100000);
    }
    // Zoomed out again past the whole range, the view shows it all.
    ViewParams v = view1080();
    v.mapFirst = deepest.pfnFirst;
    v.mapSpan = deepest.pfnSpan;
    for (int i = 0; i < 60; ++i)
        v = zoomMap(index, *layoutDiagram(s, index, v).map, v, 1 / 1.5, 900);
    EXPECT_EQ(v.mapSpan, 0);
    EXPECT_FALSE(layoutDiagram(s, index, v).map->zoomed);
}

TEST(PhysicalMap, ZoomedBoxesSayTheirFrameNumberAndPage) {
    const core::Snapshot s = large(2, 4096, [](std::uint64_t p) { return 0x200000 + p; });
    const LayoutIndex index = indexSnapshot(s);
    const DiagramLayout l = zoomSteps(s, index, 40).back();
    ASSERT_TRUE(l.map && l.map->boxes);
    ASSERT_FALSE(l.map->cells.empty());
    ViewParams v = view1080();
    const auto measure = [](LabelFont f, std::string_view t) {
        return (f == LabelFont::Mono ? 9.0f : 8.3f) * static_cast<float>(t.size());
    };
    const std::vector<Label> labels = labelDiagram(s, index, l, v, 6, measure);
    std::size_t whole = 0;
    for (const MapCell& c : l.map->cells) {
        const std::string pfn = shortHex(c.pfn);
        if (c.rect.width() < measure(LabelFont::Mono, pfn) + 6)
            continue; // cut at an end of the strip
        ++whole;
        const std::string page = std::to_string(c.pfn - 0x200000);
        const auto named = [&](const std::string& text) {
            return std::any_of(labels.begin(), labels.end(), [&](const Label& x) {
                return x.text == text && x.box.x0 >= c.rect.x0 && x.box.x1 <= c.rect.x1 + 0.01f;
            });
        };
        EXPECT_TRUE(named(pfn)) << "box of frame " << pfn << " has no frame number under it";
        EXPECT_TRUE(named("page " + page) || named("p" + page)) << "box of frame " << pfn;
    }
    EXPECT_GT(whole, 0u);
    for (const Label& x : labels)
        EXPECT_LE(measure(x.font, x.text), x.box.width() + 0.01f) << x.text;
}

TEST(PhysicalMap, AHugePageStaysOneMarkAtEveryZoom) {
    core::Snapshot s = large(2, 512, [](std::uint64_t p) { return 0x270a00 + p; });
    s.segments[0].hugetlb = true;
    s.segments[0].hugePageSize = 2 << 20;
    const LayoutIndex index = indexSnapshot(s);
    bool boxed = false;
    for (const DiagramLayout& l : zoomSteps(s, index, 30)) {
        ASSERT_TRUE(l.map);
        if (!l.map->zoomed)
            continue;
        for (std::size_t row = 0; row < l.map->rows.size(); ++row) {
            const auto cells = rowCells(*l.map, row);
            ASSERT_EQ(cells.size(), 1u) << "one huge page, one mark, not 512";
            EXPECT_TRUE(cells[0].huge);
            EXPECT_EQ(cells[0].pfn, 0x270a00u);
            boxed = boxed || cells[0].single;
        }
    }
    EXPECT_TRUE(boxed) << "zoomed in, the huge page is drawn as one box";
}

} // namespace
} // namespace shmviz::render
