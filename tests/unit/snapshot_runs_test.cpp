// The run form round-trips to the per-page form: pages and frames expand to exactly what they were.
#include "core/session/snapshot_runs.h"

#include <gtest/gtest.h>

#include <random>

namespace shmviz::core {
namespace {

constexpr std::uint64_t kPresent = std::uint64_t{1} << 63;
constexpr std::uint64_t kSwapped = std::uint64_t{1} << 62;
constexpr std::uint64_t kFile = std::uint64_t{1} << 61;

TEST(SnapshotRuns, AFreshlyTouchedSegmentIsOneRun) {
    std::vector<std::uint64_t> entries;
    for (std::uint64_t i = 0; i < 262144; ++i)
        entries.push_back(kPresent | kFile | (0x100000 + i));
    auto runs = pageRuns(entries);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].count, 262144u);
    EXPECT_TRUE(runs[0].steps());
    EXPECT_EQ(expandPageRuns(runs), entries);
}

TEST(SnapshotRuns, HiddenFramesAndAbsentPagesRunWithoutStepping) {
    std::vector<std::uint64_t> entries(10, kPresent | kFile); // present, frame number hidden (zero)
    entries.insert(entries.end(), 5, 0);                      // not present
    entries.push_back(kSwapped | 0x20);                       // swapped: the offset is not a frame
    entries.push_back(kSwapped | 0x40);
    auto runs = pageRuns(entries);
    ASSERT_EQ(runs.size(), 4u);
    EXPECT_FALSE(runs[0].steps());
    EXPECT_EQ(runs[0].count, 10u);
    EXPECT_EQ(runs[1].count, 5u);
    EXPECT_EQ(expandPageRuns(runs), entries);
}

TEST(SnapshotRuns, RandomEntriesRoundTrip) {
    std::mt19937_64 random(12);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::uint64_t> entries;
        std::uint64_t pfn = 0x5000;
        for (int i = 0; i < 2000; ++i) {
            switch (random() % 5) {
            case 0:
                entries.push_back(0);
                break;
            case 1:
                pfn = random() & kPagemapPfnMask;
                [[fallthrough]];
            default:
                entries.push_back(kPresent | kFile | (pfn++ & kPagemapPfnMask));
            }
        }
        auto runs = pageRuns(entries);
        EXPECT_EQ(expandPageRuns(runs), entries);
        std::uint64_t next = 0;
        for (const PageRun& r : runs) {
            EXPECT_EQ(r.first, next) << "runs cover the pages in order, without gaps";
            next += r.count;
        }
    }
}

TEST(SnapshotRuns, FramesRoundTrip) {
    std::vector<FrameView> frames;
    auto add = [&](std::uint64_t pfn, int seg, std::uint64_t page, std::optional<std::uint64_t> count,
                   std::vector<FrameRef> by) {
        frames.push_back(FrameView{pfn, seg, page, count, by, std::nullopt});
    };
    for (std::uint64_t i = 0; i < 100; ++i) // one run: two workers, consecutive everything
        add(0x9000 + i, 0, i, 2, {{0, 0, 0x7f0000000000 + i * 4096}, {1, 0, 0x7e0000000000 + i * 4096}});
    add(0x9064, 0, 100, 3, {{0, 0, 0x7f0000064000}, {1, 0, 0x7e0000064000}}); // map count differs
    add(0x9065, 0, 101, 3, {{0, 0, 0x7f0000065000}});                         // fewer mappers
    add(0x1, 0, 102, 3, {{0, 0, 0x7f0000066000}});                            // frame jumps
    add(0x2, -1, 0, std::nullopt, {{0, 1, 0x7d0000000000}});                  // another segment
    auto runs = frameRuns(frames, 4096);
    ASSERT_EQ(runs.size(), 5u);
    EXPECT_EQ(runs[0].count, 100u);
    EXPECT_EQ(expandFrameRuns(runs, 4096), frames);
}

} // namespace
} // namespace shmviz::core
