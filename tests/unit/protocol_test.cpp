#include "core/wire/channel.h"
#include "core/wire/protocol.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace shmviz::core;
using namespace shmviz::core::proto;

TEST(Protocol, ReportRoundTrips) {
    Attachment a;
    a.id = 3;
    a.segmentTag = 1;
    a.shmid = 32769;
    a.flags = kAttachReadOnly;
    a.address = 0x7f0000000000;
    a.size = 3 * 4096;
    a.maps = "7f0000000000-7f0000003000 r--s 00000000 00:01 32769 /SYSV00000000 (deleted)";
    a.entries = {(1ull << 63) | 42, 0, (1ull << 63) | 43};
    auto bytes = encodeReport(1234, {a, a});
    std::int32_t pid = 0;
    auto decoded = decodeReport(bytes, &pid);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(pid, 1234);
    ASSERT_EQ(decoded->size(), 2u);
    EXPECT_EQ((*decoded)[1].maps, a.maps);
    EXPECT_EQ((*decoded)[1].entries, a.entries);
    EXPECT_EQ((*decoded)[0].address, a.address);
    EXPECT_EQ((*decoded)[0].flags, kAttachReadOnly);
}

// Found by fuzzing (issue 15 item 6): a record with no maps line and no pages once handed
// memcpy a null pointer. tests/fuzz/corpus/protocol/report-empty-record replays it under UBSan.
TEST(Protocol, ReportRecordWithoutPagesDecodes) {
    std::vector<std::uint8_t> bytes;
    append(bytes, ReportHeader{1, 0});
    append(bytes, AttachmentRecord{0, 0, -1, 0, 0, 0, 0, 0, 0});
    auto decoded = decodeReport(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    ASSERT_EQ(decoded->size(), 1u);
    EXPECT_EQ((*decoded)[0].shmid, -1);
    EXPECT_TRUE((*decoded)[0].maps.empty());
    EXPECT_TRUE((*decoded)[0].entries.empty());
}

TEST(Protocol, TruncatedReportIsRejected) {
    Attachment a;
    a.entries = std::vector<std::uint64_t>(8, 1);
    auto bytes = encodeReport(1, {a});
    for (std::size_t cut : {std::size_t{3}, sizeof(ReportHeader) + 10, bytes.size() - 8}) {
        auto decoded = decodeReport(std::span(bytes).first(cut));
        ASSERT_FALSE(decoded.ok()) << cut;
        EXPECT_EQ(decoded.error().err, EPROTO);
    }
    bytes.push_back(0);
    EXPECT_FALSE(decodeReport(bytes).ok()) << "trailing bytes";
}

TEST(Protocol, AbsurdCountsAreRejected) {
    std::vector<std::uint8_t> bytes;
    append(bytes, ReportHeader{1'000'000, 1});
    EXPECT_FALSE(decodeReport(bytes).ok());
    bytes.clear();
    append(bytes, ReportHeader{1, 1});
    append(bytes, AttachmentRecord{1, 0, -1, 0, 0, 0, 0, 0, 1ull << 40});
    EXPECT_FALSE(decodeReport(bytes).ok()) << "page count beyond the message";
}

TEST(Protocol, HeaderValidation) {
    Header good{kMagic, kVersion, static_cast<std::uint16_t>(MsgType::Touch), 1, 24};
    EXPECT_TRUE(validateHeader(good, false).ok());
    EXPECT_FALSE(validateHeader(good, true).ok()) << "a request where a reply was expected";
    Header magic = good;
    magic.magic = 0xdeadbeef;
    EXPECT_FALSE(validateHeader(magic, false).ok());
    Header version = good;
    version.version = kVersion + 1;
    auto v = validateHeader(version, false);
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().message.find("protocol version"), std::string::npos);
    Header type = good;
    type.type = 999;
    EXPECT_FALSE(validateHeader(type, false).ok());
    Header length = good;
    length.length = kMaxPayload + 1;
    EXPECT_FALSE(validateHeader(length, false).ok());
}

TEST(Protocol, MessagesCrossASocketIntact) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    TouchRequest request{7, 0, 2, 3};
    ASSERT_TRUE(sendMessage(fds[0], MsgType::Touch, false, 41, bytesOf(request)).ok());
    auto m = receiveMessage(fds[1], false, std::chrono::milliseconds(1000));
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->type(), MsgType::Touch);
    EXPECT_EQ(m->header.seq, 41u);
    std::span<const std::uint8_t> payload(m->payload);
    auto back = take<TouchRequest>(payload, "touch");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->attachment, 7u);
    EXPECT_EQ(back->pageCount, 3u);
    EXPECT_FALSE(take<TouchRequest>(payload, "touch").ok()) << "nothing left";
    close(fds[0]);
    auto closed = receiveMessage(fds[1], false, std::chrono::milliseconds(1000));
    ASSERT_FALSE(closed.ok());
    EXPECT_EQ(closed.error().err, ECONNRESET);
    close(fds[1]);
}

TEST(Protocol, GarbageOnTheWireIsRejected) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    const char junk[16] = "not a header!!!";
    ASSERT_EQ(write(fds[0], junk, sizeof junk), 16);
    auto m = receiveMessage(fds[1], true, std::chrono::milliseconds(1000));
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().err, EPROTO);
    close(fds[0]);
    close(fds[1]);
}

TEST(Protocol, TimeoutIsReported) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    auto m = receiveMessage(fds[1], true, std::chrono::milliseconds(20));
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().err, ETIMEDOUT);
    close(fds[0]);
    close(fds[1]);
}

TEST(ProtocolBounds, PageIndexesNearTheTopNeverWrapIntoRange) {
    using namespace shmviz::core::proto;
    constexpr std::uint64_t kMax = ~std::uint64_t{0};
    EXPECT_TRUE(fullPageInRange(3, 4 * 4096, 4096));
    EXPECT_FALSE(fullPageInRange(4, 4 * 4096, 4096));
    EXPECT_FALSE(fullPageInRange(kMax, 4 * 4096, 4096));            // (page + 1) * size wraps to 0
    EXPECT_FALSE(fullPageInRange(kMax / 4096 + 1, 4 * 4096, 4096)); // page * size wraps to 0
    EXPECT_FALSE(fullPageInRange(0, 100, 4096)) << "no whole page in a 100-byte segment";
    EXPECT_FALSE(fullPageInRange(0, 4096, 0));
    EXPECT_EQ(pagesCovering(kMax, 4096), kMax / 4096 + 1);
    EXPECT_EQ(pagesCovering(4097, 4096), 2u);
    EXPECT_TRUE(pageRunInRange(0, 4, 4));
    EXPECT_TRUE(pageRunInRange(3, 1, 4));
    EXPECT_FALSE(pageRunInRange(1, kMax, 4)); // first + count wraps to 0
    EXPECT_FALSE(pageRunInRange(kMax, 2, 4));
    EXPECT_FALSE(pageRunInRange(4, 0, 4));
    EXPECT_FALSE(pageRunInRange(0, 0, 4));
}
