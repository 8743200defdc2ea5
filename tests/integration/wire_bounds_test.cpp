// Hostile requests on a real worker's socket: page indexes and counts chosen to wrap around
// 64-bit arithmetic. Each gets a clean error, nothing is written, and the worker serves on.
#include "core/wire/protocol.h"
#include "core/wire/worker_client.h"

#include <gtest/gtest.h>
#include <limits>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

using namespace shmviz::core;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kPages = 4;

class WireBoundsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto started = WorkerClient::start(SHMVIZ_WORKER_PATH);
        ASSERT_TRUE(started) << started.error().message;
        m_worker.emplace(std::move(*started));
        m_page = m_worker->hello().pageSize;
        m_shmid = shmget(IPC_PRIVATE, kPages * m_page, IPC_CREAT | 0600);
        ASSERT_GE(m_shmid, 0);
        // An anonymous guard of kPages pages with the segment attached right above it: a write that
        // wraps below the segment would land in the guard's last page.
        auto probe = anonMap(2 * kPages + 2, 0);
        ASSERT_TRUE(detach(probe.attachment));
        m_guard = anonMap(kPages, probe.address);
        proto::AttachSysvRequest at{m_shmid, 0, m_guard.address + kPages * m_page, 0, 0};
        auto reply = call(proto::MsgType::AttachSysv, proto::bytesOf(at));
        ASSERT_EQ(reply.status.err, 0);
        m_segment = body<proto::AttachReply>(reply);
        ASSERT_EQ(m_guard.address, probe.address) << "the guard did not land where asked";
        ASSERT_EQ(m_segment.address, m_guard.address + kPages * m_page) << "the segment is not right above";
    }
    void TearDown() override {
        if (m_shmid >= 0)
            shmctl(m_shmid, IPC_RMID, nullptr);
        if (m_worker)
            m_worker->stop();
    }

    WorkerReply call(proto::MsgType type, std::span<const std::uint8_t> payload) {
        auto reply = m_worker->call(type, payload, 10s);
        EXPECT_TRUE(reply) << (reply ? "" : reply.error().message);
        return reply ? *reply : WorkerReply{};
    }
    template <class T> T body(const WorkerReply& reply) {
        std::span<const std::uint8_t> bytes(reply.body);
        auto value = proto::take<T>(bytes, "reply");
        EXPECT_TRUE(value);
        return value ? *value : T{};
    }
    proto::AttachReply anonMap(std::uint64_t pages, std::uint64_t hint) {
        proto::AnonMapRequest request{pages, hint};
        auto reply = call(proto::MsgType::AnonMap, proto::bytesOf(request));
        EXPECT_EQ(reply.status.err, 0);
        return body<proto::AttachReply>(reply);
    }
    bool detach(std::uint32_t attachment) {
        proto::DetachRequest request{attachment, 0};
        return call(proto::MsgType::Detach, proto::bytesOf(request)).status.err == 0;
    }
    int write(std::uint32_t attachment, std::uint64_t page, std::string_view text) {
        proto::WriteRequest request{attachment, static_cast<std::uint32_t>(text.size()), page};
        std::vector<std::uint8_t> payload;
        proto::append(payload, request);
        payload.insert(payload.end(), text.begin(), text.end());
        return call(proto::MsgType::Write, payload).status.err;
    }
    int read(std::uint32_t attachment, std::uint64_t page) {
        proto::ReadRequest request{attachment, 64, page};
        return call(proto::MsgType::Read, proto::bytesOf(request)).status.err;
    }
    int touch(std::uint32_t attachment, std::uint64_t first, std::uint64_t count, std::uint32_t access = 0) {
        proto::TouchRequest request{attachment, access, first, count};
        return call(proto::MsgType::Touch, proto::bytesOf(request)).status.err;
    }
    // Every page of the guard and the segment as present/absent and, for the segment, its bytes.
    void expectNothingWritten() {
        auto reply = call(proto::MsgType::Report, {});
        ASSERT_EQ(reply.status.err, 0);
        auto report = proto::decodeReport(reply.body);
        ASSERT_TRUE(report);
        for (const proto::Attachment& a : *report)
            for (std::uint64_t e : a.entries)
                EXPECT_EQ(e >> 63, 0u) << "a page at 0x" << std::hex << a.address << " became present";
        auto* bytes = static_cast<unsigned char*>(shmat(m_shmid, nullptr, SHM_RDONLY));
        ASSERT_NE(bytes, reinterpret_cast<unsigned char*>(-1));
        for (std::uint64_t i = 0; i < kPages * m_page; ++i)
            ASSERT_EQ(bytes[i], 0) << "byte " << i << " of the segment was written";
        shmdt(bytes);
    }

    std::optional<WorkerClient> m_worker;
    std::uint32_t m_page = 0;
    int m_shmid = -1;
    proto::AttachReply m_guard{};
    proto::AttachReply m_segment{};
};

} // namespace

TEST_F(WireBoundsTest, WrappingPageIndexesAreRefusedAndNothingIsWritten) {
    const std::uint32_t seg = m_segment.attachment;
    const std::uint64_t wrapsToZero = kMax / m_page + 1; // (page + 1) * pageSize wraps to pageSize
    for (std::uint64_t page : {kMax, kMax - 1, wrapsToZero, wrapsToZero - 1, kMax / 2, kPages}) {
        EXPECT_EQ(write(seg, page, "overflow"), ERANGE) << "write page " << page;
        EXPECT_EQ(read(seg, page), ERANGE) << "read page " << page;
        EXPECT_EQ(touch(seg, page, 1), ERANGE) << "touch page " << page;
    }
    EXPECT_EQ(touch(seg, 1, kMax), ERANGE);
    EXPECT_EQ(touch(seg, kMax, 2), ERANGE);
    EXPECT_EQ(touch(seg, 0, 0), ERANGE);
    EXPECT_EQ(touch(seg, 0, 1, 7), EPROTO) << "an unknown access kind";
    expectNothingWritten();
}

TEST_F(WireBoundsTest, OversizedLengthsAndUnknownIdsAreRefused) {
    EXPECT_EQ(write(m_segment.attachment, 0, std::string(m_page, 'x')), ERANGE) << "no room for the NUL";
    // A text length that disagrees with the bytes that follow.
    proto::WriteRequest lying{m_segment.attachment, 0xFFFFFFFFu, 0};
    EXPECT_EQ(call(proto::MsgType::Write, proto::bytesOf(lying)).status.err, EPROTO);
    EXPECT_EQ(write(9999, 0, "x"), ENOENT);
    EXPECT_EQ(read(9999, 0), ENOENT);
    for (std::uint64_t pages : {kMax, kMax / m_page + 1, std::uint64_t{0}}) {
        proto::AnonMapRequest request{pages, 0};
        EXPECT_EQ(call(proto::MsgType::AnonMap, proto::bytesOf(request)).status.err, EINVAL) << pages;
    }
    proto::MapPosixRequest posix{};
    std::strcpy(posix.name, "/shmviz-wire-bounds-missing");
    posix.length = kMax;
    EXPECT_NE(call(proto::MsgType::MapPosix, proto::bytesOf(posix)).status.err, 0);
    // A truncated request: shorter than its fixed part.
    const std::uint8_t stub[3] = {1, 2, 3};
    EXPECT_EQ(call(proto::MsgType::Touch, stub).status.err, EPROTO);
    expectNothingWritten();
    // And the worker still serves the valid range.
    EXPECT_EQ(write(m_segment.attachment, kPages - 1, "last"), 0);
    EXPECT_EQ(read(m_segment.attachment, kPages - 1), 0);
}
