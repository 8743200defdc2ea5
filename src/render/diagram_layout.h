#pragma once
// Where the diagram puts every worker's pages, the physical frames and the arrows between them,
// as a pure function of a snapshot and the view. No GL, no ImGui: unit tests call it directly.
//
// Columns: the physical-frames column in the middle, workers alternately left and right of it,
// stacked in tiers (tier 0 holds the first two workers, tier 1 the next two, ...). So every
// worker column touches the gutter next to the frames, and every arrow runs only through that
// gutter: it never passes under another worker's pages. Rows: one per page at `pagePx` pixels.
// Titles and headers stick to the top of the canvas while their column scrolls. When a page is thinner than
// kSinglePagePx, contiguous runs of pages with the same present bit become one band, and runs
// thinner than minBandPx merge into mixed bands, so a 1 GiB segment costs a handful of quads.
#include "core/session/snapshot.h"
#include "render/geometry.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace shmviz::render {

inline constexpr float kSinglePagePx = 10.0f; // at or above this, every page is its own box

struct ViewParams {
    Rect canvas;           // window pixels the diagram may use
    float pagePx = 0;      // pixels per page row; 0 fits the tallest column into the canvas
    float scrollY = 0;     // content pixels scrolled off the top
    float lineHeight = 18; // one line of label text, for titles and headers
    float maxPagePx = 30;  // fitting never makes a page taller than this
    float minBandPx = 3;   // thinner runs merge into mixed bands
    // The physical-memory map's axis: frame numbers [mapFirst, mapFirst + mapSpan). 0 shows them all.
    double mapFirst = 0;
    double mapSpan = 0;
};

struct ColumnBox {
    Rect rect; // whole column, title included
    Rect title;
    Rect stickyTitle; // where the title is drawn: kept at the canvas top while the column scrolls
    int worker = -1;  // index into Snapshot::workers; -1 is the physical-frames column
    bool leftOfFrames = true;
    int tier = 0; // row of the stacking: workers 2t and 2t+1 (in column order) share tier t
};

struct AttachmentBox {
    Rect header;
    Rect stickyHeader; // kept below the column's sticky title while the body is in view
    Rect body;
    int worker = 0;
    std::size_t attachment = 0; // index into WorkerView::attachments
};

// One page, or a band of contiguous pages of one attachment.
struct PageBand {
    Rect rect;
    int worker = 0;
    std::size_t attachment = 0;
    int segment = -1;
    std::uint64_t firstPage = 0;
    std::uint64_t count = 1;
    std::uint64_t present = 0; // how many of them have a frame behind them
    std::uint64_t key = 0;     // stable across snapshots while the page range stays the same
};

struct SegmentGroup {
    Rect header;
    Rect stickyHeader;
    int segment = -1;
    std::size_t firstFrame = 0; // index into Snapshot::frames
    std::size_t count = 0;
};

// One frame, or a band of frames of consecutive pages of one segment.
struct FrameBand {
    Rect rect;
    std::size_t firstFrame = 0;
    std::size_t count = 1;
    int segment = -1;
    std::uint64_t firstPage = 0;
    std::uint64_t key = 0;
    bool huge = false; // one huge page: count frames of consecutive pfns that are one physical page
};

// From a page (band) to the frame (band) its page-table entries point at. Every point lies in the
// gutter between the page's column and the physical-frames column.
struct Arrow {
    std::vector<Vec2> path; // polyline of the shaft (single) or of the band's middle, page to frame
    Vec2 fromTop;
    Vec2 fromBottom;
    Vec2 toTop;
    Vec2 toBottom;
    int segment = -1;
    float weight = 1;   // share of the band's pages that are present
    bool single = true; // a single page to a single frame: drawn as a line with a head
    std::size_t pageBand = 0;
    std::uint64_t key = 0;
    std::uint64_t target = 0;    // pfn of the (first) frame it points at: a change means the page moved
    bool privateMapping = false; // from a MAP_PRIVATE or anonymous mapping: copy-on-write
};

// The physical-memory map over the frames column (segments of kMapMinPages pages or more): each
// worker's present pages placed at their frame numbers along one axis, from the lowest frame any
// worker maps to the highest. Scattered 4 KiB frames show as specks, a huge page as one solid
// block, two workers sharing frames as the same marks in both rows.
inline constexpr std::size_t kMapMinPages = 64;
inline constexpr std::size_t kMapBuckets = 4096; // the index's resolution along the axis
inline constexpr std::size_t kMapMaxRows = 8;    // more workers than this share one row
inline constexpr float kMapBoxPx = 4;            // from this many pixels per frame, each frame is a box
inline constexpr float kMapMaxBoxLines = 6;      // zoomed in to the end, a frame box is this many lines wide

struct MapRow {
    Rect label; // "W0", or "all" when the workers share one row
    Rect strip;
    int worker = -1; // -1: every worker
};

// Frames of one segment in a few neighbouring pixels of one row.
struct MapCell {
    Rect rect;
    int segment = -1;
    std::size_t row = 0;
    std::uint64_t frames = 0;
    float density = 1;     // frames per frame number the cell spans: 1 where the frames lie side by side
    std::uint64_t pfn = 0; // the first frame number in it
    bool single = false;   // one frame (or one huge page), wide enough to be drawn as its own box
    bool huge = false;     // one huge page: `frames` slots of consecutive frame numbers
};

struct PhysicalMap {
    Rect box;            // the whole map, inside the frames column
    Rect summary;        // "16384 frames in 12 runs"
    Rect spread;         // "over 1.5 GiB of RAM"
    Rect axis;           // first and last frame numbers under the strips (or each box's, zoomed in)
    double pfnFirst = 0; // the axis shows frame numbers [pfnFirst, pfnFirst + pfnSpan)
    double pfnSpan = 1;
    bool zoomed = false; // the axis shows part of the range
    bool boxes = false;  // frames wide enough to be boxes of their own
    std::vector<MapRow> rows;
    std::vector<MapCell> cells;
};

struct DiagramLayout {
    float pagePx = 0;
    float contentHeight = 0; // tallest column, for scrolling
    bool singlePages = true;
    std::vector<ColumnBox> columns;
    std::vector<AttachmentBox> attachments;
    std::vector<PageBand> pages;
    std::vector<SegmentGroup> segments;
    std::vector<FrameBand> frames;
    std::vector<Arrow> arrows;
    std::vector<Rect> gutters; // the free space arrows run in, left and right of the frames
    std::optional<PhysicalMap> map;
};

// Runs of rows with the same state, computed once per snapshot so that laying out again (zoom,
// pan, resize) costs O(runs + visible rows) instead of O(pages).
struct RowRun {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    bool present = true;
};

struct LayoutIndex {
    struct FrameGroup {
        int segment = -1;
        std::size_t firstFrame = 0;
        std::size_t count = 0;
        std::vector<RowRun> runs; // rows relative to firstFrame with consecutive segment pages
        // hugetlb segments: rows relative to firstFrame that lie in one huge page each.
        std::vector<RowRun> hugeRuns;
    };
    std::vector<std::vector<std::vector<RowRun>>> pageRuns; // [worker][attachment]: present-bit runs
    std::vector<FrameGroup> groups;                         // Snapshot::frames split by segment
    struct MapBucket {
        std::uint32_t index = 0; // along the axis, from pfnFirst, bucketPfns frames each
        std::uint32_t frames = 0;
        int segment = -1;
    };
    struct Map {
        bool shown = false;
        std::uint64_t pfnFirst = 0;
        std::uint64_t pfnLast = 0;                // inclusive
        std::uint64_t bucketPfns = 1;             // frame numbers per bucket
        std::uint64_t frames = 0;                 // distinct frames the workers map
        std::uint64_t runs = 0;                   // of consecutive frame numbers among them
        std::vector<int> rowWorkers;              // -1: one row for every worker
        std::vector<std::vector<MapBucket>> rows; // per row, the buckets holding frames, in order
        struct Run {
            std::uint64_t pfn = 0;
            std::uint64_t count = 0;
            int segment = -1;
            std::uint64_t hugeSlots = 0; // hugetlb: frame numbers per huge page, which stays one box
        };
        std::vector<std::vector<Run>> rowRuns; // per row, runs of consecutive frame numbers, in order
        std::vector<std::size_t> byPfn;        // indices into Snapshot::frames, by frame number
    } map;
};

LayoutIndex indexSnapshot(const core::Snapshot& snapshot);

// The page height at which the tallest column fills the canvas (capped at maxPagePx).
float fitPagePx(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view);
float fitPagePx(const core::Snapshot& snapshot, const ViewParams& view);

// How much larger than `view` (its lineHeight and maxPagePx) the diagram may be drawn so that it
// still fits the canvas in both directions: more than 1 enlarges a small diagram, at most maxScale.
float fitScale(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view,
               float maxScale = 3);

// `index` must come from the same snapshot.
DiagramLayout layoutDiagram(const core::Snapshot& snapshot, const LayoutIndex& index, const ViewParams& view);
DiagramLayout layoutDiagram(const core::Snapshot& snapshot, const ViewParams& view);

// The map's axis for `view`: its zoomed window kept inside the range the frames span.
std::pair<double, double> mapWindow(const LayoutIndex& index, const ViewParams& view);

// The map zoomed by `factor` (above 1 zooms in) about the frame number at window x `atX`, as a new
// view; zoomed out past the whole range, the view shows it all (mapSpan 0).
ViewParams zoomMap(const LayoutIndex& index, const PhysicalMap& map, const ViewParams& view, double factor,
                   float atX);

// What lies under a point of the map: the row and the frame numbers [first, last) of that pixel.
struct MapSpot {
    std::size_t row = 0;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};
std::optional<MapSpot> mapSpotAt(const PhysicalMap& map, Vec2 point);

// Snapshot::frames with frame numbers in [first, last), through LayoutIndex::Map::byPfn:
// positions [begin, end) in byPfn.
std::pair<std::size_t, std::size_t> framesInPfnRange(const core::Snapshot& snapshot, const LayoutIndex& index,
                                                     std::uint64_t first, std::uint64_t last);

struct Hit {
    enum class Kind { None, Page, Frame };
    Kind kind = Kind::None;
    std::size_t index = 0; // into DiagramLayout::pages or ::frames
};

Hit hitTest(const DiagramLayout& layout, Vec2 point);

} // namespace shmviz::render
