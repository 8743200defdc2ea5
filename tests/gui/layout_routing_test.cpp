// Arrows run through free space only: for 1..16 workers, several and double attachments, forks,
// private copies and anonymous memory, no arrow enters a column other than its page's and the
// physical-frames column, and every arrow starts at its page and ends at its frame.
#include "render/diagram_layout.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace shmviz::render {
namespace {

// Does the segment a-b pass through the inside of r (touching its edge is allowed)?
bool segmentEntersRect(Vec2 a, Vec2 b, Rect r) {
    constexpr float kEdge = 0.5f;
    r = {r.x0 + kEdge, r.y0 + kEdge, r.x1 - kEdge, r.y1 - kEdge};
    if (r.x1 <= r.x0 || r.y1 <= r.y0)
        return false;
    float t0 = 0;
    float t1 = 1;
    const float d[2] = {b.x - a.x, b.y - a.y};
    const float lo[2] = {r.x0 - a.x, r.y0 - a.y};
    const float hi[2] = {r.x1 - a.x, r.y1 - a.y};
    for (int i = 0; i < 2; ++i) {
        if (d[i] == 0) {
            if (lo[i] > 0 || hi[i] < 0)
                return false;
            continue;
        }
        float e0 = lo[i] / d[i];
        float e1 = hi[i] / d[i];
        if (e0 > e1)
            std::swap(e0, e1);
        t0 = std::max(t0, e0);
        t1 = std::min(t1, e1);
        if (t0 >= t1)
            return false;
    }
    return true;
}

TEST(SegmentEntersRect, SeesCrossingsAndIgnoresTouching) {
    const Rect r{10, 10, 20, 20};
    EXPECT_TRUE(segmentEntersRect({0, 15}, {30, 15}, r));
    EXPECT_TRUE(segmentEntersRect({0, 0}, {30, 30}, r));
    EXPECT_FALSE(segmentEntersRect({0, 15}, {10, 15}, r)); // ends on the edge
    EXPECT_FALSE(segmentEntersRect({0, 0}, {30, 5}, r));
    EXPECT_FALSE(segmentEntersRect({20, 0}, {20, 30}, r));
}

// Every segment of the arrow's path and the outline of a band's ribbon.
std::vector<std::pair<Vec2, Vec2>> arrowSegments(const Arrow& a) {
    std::vector<std::pair<Vec2, Vec2>> out;
    for (std::size_t i = 0; i + 1 < a.path.size(); ++i)
        out.emplace_back(a.path[i], a.path[i + 1]);
    out.emplace_back(a.fromTop, a.toTop);
    out.emplace_back(a.fromBottom, a.toBottom);
    return out;
}

::testing::AssertionResult routedThroughFreeSpace(const core::Snapshot& s, const DiagramLayout& l,
                                                  const Rect& canvas) {
    for (const Arrow& a : l.arrows) {
        const PageBand& page = l.pages[a.pageBand];
        if (a.path.size() < 2)
            return ::testing::AssertionFailure() << "arrow without a path";
        const Vec2 start = a.path.front();
        const Vec2 end = a.path.back();
        if (start.y < page.rect.y0 || start.y > page.rect.y1 ||
            (start.x != page.rect.x0 && start.x != page.rect.x1))
            return ::testing::AssertionFailure()
                   << "arrow of worker " << page.worker << " starts off its page";
        const bool onFrame = std::any_of(l.frames.begin(), l.frames.end(), [&](const FrameBand& f) {
            return (end.x == f.rect.x0 || end.x == f.rect.x1) && end.y >= f.rect.y0 && end.y <= f.rect.y1 &&
                   s.frames[f.firstFrame].segment == a.segment;
        });
        // Frames scrolled out of the canvas are not laid out; their arrows still end at the column's edge.
        const bool offCanvas = (end.y < canvas.y0 || end.y > canvas.y1) &&
                               std::any_of(l.columns.begin(), l.columns.end(), [&](const ColumnBox& c) {
                                   return c.worker < 0 && (end.x == c.rect.x0 || end.x == c.rect.x1);
                               });
        if (!onFrame && !offCanvas)
            return ::testing::AssertionFailure() << "arrow of worker " << page.worker << " ends off a frame";
        for (const ColumnBox& c : l.columns) {
            if (c.worker < 0 || c.worker == page.worker)
                continue;
            for (const auto& [p, q] : arrowSegments(a))
                if (segmentEntersRect(p, q, c.rect))
                    return ::testing::AssertionFailure() << "arrow of worker " << page.worker
                                                         << " crosses worker " << c.worker << "'s column";
        }
    }
    return ::testing::AssertionSuccess();
}

core::AttachmentView attachment(std::uint32_t id, int segment, std::uint64_t va, std::uint64_t pages) {
    core::AttachmentView a;
    a.id = id;
    a.segment = segment;
    a.va = va;
    a.size = pages * 4096;
    a.entries.assign(pages, 0);
    return a;
}

void present(core::Snapshot& s, int w, std::size_t ai, std::uint64_t page, std::uint64_t pfn) {
    core::AttachmentView& a = s.workers[w].attachments[ai];
    a.entries[page] = test::kPresent | pfn;
    for (core::FrameView& f : s.frames)
        if (f.pfn == pfn) {
            f.mappedBy.push_back({w, a.id, a.pageVa(page)});
            return;
        }
    core::FrameView f;
    f.pfn = pfn;
    f.segment = a.segment;
    f.page = page;
    f.mappedBy.push_back({w, a.id, a.pageVa(page)});
    s.frames.push_back(f);
}

void sortFrames(core::Snapshot& s) {
    std::sort(s.frames.begin(), s.frames.end(), [](const core::FrameView& x, const core::FrameView& y) {
        if (x.segment != y.segment)
            return static_cast<unsigned>(x.segment) < static_cast<unsigned>(y.segment);
        return x.page != y.page ? x.page < y.page : x.pfn < y.pfn;
    });
}

// n workers on segment 0 (8 pages); every third maps it twice, every fourth was forked from the
// one before and maps it privately with a copy of page 1, and every worker has two anonymous pages
// and a second segment. Pages are touched so that distant workers share frames.
core::Snapshot busy(int n) {
    core::Snapshot s = test::makeSnapshot(n, 8);
    core::SegmentView second = s.segments[0];
    second.id = 1;
    second.shmid = 43;
    s.segments.push_back(second);
    for (int w = 0; w < n; ++w) {
        core::WorkerView& worker = s.workers[w];
        if (w % 3 == 2)
            worker.attachments.push_back(attachment(2, 0, 0x7e0000000000ULL + w * 0x100000ULL, 8));
        worker.attachments.push_back(attachment(3, 1, 0x7d0000000000ULL + w * 0x100000ULL, 4));
        worker.attachments.push_back(attachment(4, -1, 0x7c0000000000ULL, 2));
        worker.attachments.back().anonymous = true;
        if (w % 4 == 3) {
            worker.parent = w - 1;
            worker.attachments[0].privateMapping = true;
        }
    }
    for (int w = 0; w < n; ++w) {
        const std::size_t last = s.workers[w].attachments.size() - 1;
        present(s, w, 0, (w * 3) % 8, 0x1000 + (w * 3) % 8);
        present(s, w, 0, 7, 0x1007);
        if (w % 4 == 3)
            present(s, w, 0, 1, 0x9000 + w); // the private copy
        else
            present(s, w, 0, 1, 0x1001);
        if (w % 3 == 2)
            present(s, w, 1, 5, 0x1005); // the second mapping of segment 0
        present(s, w, last - 1, w % 4, 0x2000 + w % 4);
        present(s, w, last, 0, 0x3000 + w / 2); // anonymous, shared after fork in pairs
    }
    sortFrames(s);
    return s;
}

ViewParams view(float w, float h, float line) {
    ViewParams v;
    v.canvas = {20, 40, 20 + w, 40 + h};
    v.lineHeight = line;
    v.maxPagePx = std::max(line + 12, 32.0f * line / 18);
    return v;
}

TEST(DiagramRouting, NoArrowCrossesAnotherWorkersColumnFrom1To16Workers) {
    for (int n = 1; n <= 16; ++n) {
        const core::Snapshot s = busy(n);
        for (const ViewParams& v : {view(620, 460, 18), view(1200, 760, 18), view(1800, 950, 36)}) {
            const DiagramLayout l = layoutDiagram(s, v);
            ASSERT_FALSE(l.arrows.empty());
            EXPECT_TRUE(routedThroughFreeSpace(s, l, v.canvas))
                << n << " workers, canvas " << v.canvas.width();
            ViewParams zoomed = v;
            zoomed.pagePx = 40;
            zoomed.scrollY = 300;
            EXPECT_TRUE(routedThroughFreeSpace(s, layoutDiagram(s, zoomed), v.canvas))
                << n << " workers, zoomed";
        }
    }
}

TEST(DiagramRouting, WithThreeWorkersTheArrowsOfWorkersZeroAndTwoStayOutOfWorkerOne) {
    core::Snapshot s = test::makeSnapshot(3, 4);
    test::touch(s, 0, 0, 0x10);
    test::touch(s, 2, 0, 0x10);
    const ViewParams v = view(1000, 600, 18);
    const DiagramLayout l = layoutDiagram(s, v);
    ASSERT_EQ(l.arrows.size(), 2u);
    EXPECT_TRUE(routedThroughFreeSpace(s, l, v.canvas));
}

TEST(DiagramRouting, BandsOfAGibibyteStayInTheirGutters) {
    constexpr std::uint64_t kPages = 262144;
    core::Snapshot s = test::makeSnapshot(4, kPages);
    for (int w = 0; w < 4; ++w)
        for (std::uint64_t p = w * 1000; p < kPages; p += 3)
            s.workers[w].attachments[0].entries[p] = test::kPresent | (0x100000 + p);
    for (std::uint64_t p = 0; p < kPages; ++p) {
        core::FrameView f;
        f.pfn = 0x100000 + p;
        f.page = p;
        f.segment = 0;
        s.frames.push_back(f);
    }
    const ViewParams v = view(1200, 700, 18);
    const DiagramLayout l = layoutDiagram(s, v);
    EXPECT_FALSE(l.singlePages);
    EXPECT_TRUE(routedThroughFreeSpace(s, l, v.canvas));
}

} // namespace
} // namespace shmviz::render
