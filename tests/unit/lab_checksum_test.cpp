#include "core/labs/stream_checksum.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace shmviz::core::labs;

namespace {

// The stream's bytes as a receiver would see them: blocks of the pattern stamped c + 1.
std::vector<unsigned char> streamBytes(std::size_t bytes) {
    const auto pattern = makePattern();
    std::vector<unsigned char> out(bytes);
    for (std::size_t off = 0, c = 0; off < bytes; off += kBlockBytes, ++c) {
        const std::size_t len = std::min(kBlockBytes, bytes - off);
        std::memcpy(out.data() + off, pattern.data(), len);
        const std::uint64_t stamp = c + 1;
        std::memcpy(out.data() + off, &stamp, std::min<std::size_t>(8, len));
    }
    return out;
}

} // namespace

TEST(StreamChecksum, PieceSizesDoNotMatter) {
    const auto bytes = streamBytes(3 * kBlockBytes + 13);
    StreamChecksum whole;
    whole.feed(bytes.data(), bytes.size());
    for (std::size_t piece : {1u, 3u, 7u, 8u, 4093u, 65536u}) {
        StreamChecksum parts;
        for (std::size_t off = 0; off < bytes.size(); off += piece)
            parts.feed(bytes.data() + off, std::min(piece, bytes.size() - off));
        EXPECT_EQ(parts.value(), whole.value()) << piece;
        EXPECT_EQ(parts.bytes(), bytes.size());
    }
}

TEST(StreamChecksum, SenderShortcutMatchesTheBytes) {
    const auto bytes = streamBytes(4 * kBlockBytes);
    StreamChecksum received;
    received.feed(bytes.data(), bytes.size());
    StreamChecksum sent;
    for (std::uint64_t c = 0; c < 4; ++c)
        sent.addPatternBlock(c + 1);
    EXPECT_EQ(sent.value(), received.value());
    EXPECT_EQ(sent.bytes(), received.bytes());
}

TEST(StreamChecksum, LostRepeatedOrSwappedBlocksChangeIt) {
    auto bytes = streamBytes(4 * kBlockBytes);
    StreamChecksum good;
    good.feed(bytes.data(), bytes.size());

    auto swapped = bytes;
    std::swap_ranges(swapped.begin(), swapped.begin() + kBlockBytes, swapped.begin() + kBlockBytes);
    StreamChecksum s;
    s.feed(swapped.data(), swapped.size());
    EXPECT_NE(s.value(), good.value());

    auto repeated = bytes;
    std::copy(bytes.begin(), bytes.begin() + kBlockBytes, repeated.begin() + kBlockBytes);
    StreamChecksum r;
    r.feed(repeated.data(), repeated.size());
    EXPECT_NE(r.value(), good.value());

    auto flipped = bytes;
    flipped[100] ^= 1;
    StreamChecksum f;
    f.feed(flipped.data(), flipped.size());
    EXPECT_NE(f.value(), good.value());
}
