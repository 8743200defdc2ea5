#include "core/kernel/kpagecount.h"
#include "core/kernel/pagemap.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(Pagemap, DecodesPresentEntryWithFrame) {
    const std::uint64_t raw = (1ull << 63) | (1ull << 61) | (1ull << 56) | (1ull << 55) | 0x1364deull;
    PageEntry e = decodePagemapEntry(raw);
    EXPECT_TRUE(e.present);
    EXPECT_FALSE(e.swapped);
    EXPECT_TRUE(e.fileOrSharedAnon);
    EXPECT_TRUE(e.exclusive);
    EXPECT_TRUE(e.softDirty);
    EXPECT_EQ(e.pfnBits, 0x1364deu);
    EXPECT_EQ(e.raw, raw);
}

TEST(Pagemap, NotPresentEntryHasNoFrame) {
    PageEntry e = decodePagemapEntry(0x12345ull);
    EXPECT_FALSE(e.present);
    EXPECT_EQ(e.pfnBits, 0u) << "bits 0-54 only mean a frame when bit 63 is set";
}

TEST(Pagemap, SwappedEntry) {
    PageEntry e = decodePagemapEntry((1ull << 62) | (5ull << 5) | 2);
    EXPECT_TRUE(e.swapped);
    EXPECT_FALSE(e.present);
}

TEST(Pagemap, HiddenFrameReadsAsZero) {
    // Without CAP_SYS_ADMIN the kernel zeroes bits 0-54 but keeps the flags.
    PageEntry e = decodePagemapEntry((1ull << 63) | (1ull << 61));
    EXPECT_TRUE(e.present);
    EXPECT_EQ(e.pfnBits, 0u);
}

TEST(Pagemap, ParsesLittleEndianBytes) {
    std::vector<std::uint8_t> bytes = {0xde, 0x64, 0x13, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0};
    auto entries = parsePagemapBytes(bytes);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0], (1ull << 63) | 0x1364deull);
    EXPECT_EQ((*entries)[1], 1u);
}

TEST(Pagemap, RejectsPartialEntries) {
    std::vector<std::uint8_t> bytes(12, 0);
    auto entries = parsePagemapBytes(bytes);
    ASSERT_FALSE(entries.ok());
    EXPECT_EQ(entries.error().err, EINVAL);
}

TEST(Kpagecount, CountsLandAtTheirFramesWhateverTheOrder) {
    const std::vector<std::uint64_t> pfns{1000, 5, 70, 6, 5, 200000};
    std::vector<std::pair<std::uint64_t, std::size_t>> reads;
    auto counts = gatherKpageCounts(pfns, [&](std::uint64_t first, std::span<std::uint64_t> buffer) {
        reads.emplace_back(first, buffer.size());
        for (std::size_t i = 0; i < buffer.size(); ++i)
            buffer[i] = first + i + 1; // frame F is mapped F + 1 times
        return buffer.size();
    });
    ASSERT_EQ(counts.size(), pfns.size());
    for (std::size_t i = 0; i < pfns.size(); ++i)
        EXPECT_EQ(counts[i], pfns[i] + 1);
    // 5, 6 and 70 are within 64 frames of each other: one read; 1000 and 200000 alone.
    EXPECT_EQ(reads.size(), 3u);
}

TEST(Kpagecount, ShortReadsLeaveTheRestUnknown) {
    const std::vector<std::uint64_t> pfns{10, 11, 12};
    auto counts = gatherKpageCounts(pfns, [](std::uint64_t, std::span<std::uint64_t> buffer) {
        buffer[0] = 1;
        return std::size_t{1}; // the kernel stops at the last frame it has
    });
    EXPECT_EQ(counts[0], 1u);
    EXPECT_FALSE(counts[1].has_value());
    EXPECT_FALSE(counts[2].has_value());
}
