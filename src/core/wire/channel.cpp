#include "core/wire/channel.h"

#include <algorithm>
#include <new>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::core::proto {

using Clock = std::chrono::steady_clock;

Status waitReadable(int fd, Clock::time_point deadline, bool forever) {
    for (;;) {
        int ms = -1;
        if (!forever) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0)
                return makeError(ETIMEDOUT, "The worker did not answer in time.");
            ms = static_cast<int>(std::min<long long>(left, 1000 * 60 * 60));
        }
        pollfd p{fd, POLLIN, 0};
        int r = poll(&p, 1, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return systemError(errno, "Waiting for the worker");
        if (r > 0)
            return Ok{};
    }
}

namespace {

// Bytes read per recv while throwing away an oversized message.
constexpr std::size_t kDiscardChunk = 64 * 1024;

// One non-blocking recv into `out`; 0 bytes when nothing is waiting.
Result<std::size_t> readSome(int fd, std::uint8_t* out, std::size_t size) {
    for (;;) {
        ssize_t got = recv(fd, out, size, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return std::size_t{0};
        if (got < 0)
            return systemError(errno, "Reading from the worker's socket");
        if (got == 0)
            return makeError(ECONNRESET, "The other end closed the connection.");
        return static_cast<std::size_t>(got);
    }
}

} // namespace

bool MessageReader::allocateBody() {
    // An allocation that fails here must not leave the reader believing it has a buffer: the rest
    // of the message is then read into a discard buffer, and the next message starts in step.
    try {
        m_message.payload.assign(m_message.header.length, 0);
        return true;
    } catch (const std::bad_alloc&) {
        m_message.payload = {};
        return false;
    }
}

Result<std::optional<MessageReader::Piece>> MessageReader::pump(int fd) {
    constexpr std::size_t kHeader = sizeof(Header);
    for (;;) {
        if (m_got < kHeader) {
            auto got =
                readSome(fd, reinterpret_cast<std::uint8_t*>(&m_message.header) + m_got, kHeader - m_got);
            if (!got)
                return got.error();
            if (*got == 0)
                return std::optional<Piece>{};
            m_got += *got;
            if (m_got < kHeader)
                continue;
            Header limited = m_message.header;
            limited.length = std::min(limited.length, kMaxPayload);
            if (auto valid = validateHeader(limited, m_expectReply); !valid)
                return valid.error();
            m_discarding = m_message.header.length > kMaxPayload;
            m_outOfMemory = !m_discarding && !allocateBody();
            m_discarding = m_discarding || m_outOfMemory;
        }
        const std::size_t total = kHeader + m_message.header.length;
        if (m_got < total) {
            const std::size_t want = total - m_got;
            std::vector<std::uint8_t> sink;
            std::uint8_t* into = nullptr;
            std::size_t size = want;
            if (m_discarding) {
                sink.resize(std::min(want, kDiscardChunk));
                into = sink.data();
                size = sink.size();
            } else {
                into = m_message.payload.data() + (m_got - kHeader);
            }
            auto got = readSome(fd, into, size);
            if (!got)
                return got.error();
            if (*got == 0)
                return std::optional<Piece>{};
            m_got += *got;
            continue;
        }
        Piece piece{std::move(m_message), m_discarding, m_outOfMemory};
        m_message = Message{};
        m_got = 0;
        m_discarding = false;
        m_outOfMemory = false;
        return std::optional<Piece>{std::move(piece)};
    }
}

Status sendMessage(int fd, MsgType type, bool reply, std::uint32_t seq,
                   std::span<const std::uint8_t> payload) {
    auto bytes = encodeMessage(type, reply, seq, payload);
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t sent = send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0)
            return systemError(errno, "Sending a message");
        done += static_cast<std::size_t>(sent);
    }
    return Ok{};
}

Error oversizedError(const Header& header) {
    return makeError(EMSGSIZE, "A " +
                                   std::string(msgTypeName(static_cast<MsgType>(header.type & ~kReplyBit))) +
                                   " message of " + std::to_string(header.length) +
                                   " bytes was over the protocol's limit of " + std::to_string(kMaxPayload) +
                                   " bytes (64 MiB); it was read and discarded.");
}

Error noMemoryError(const Header& header) {
    return makeError(ENOMEM, "shmviz had no memory left for a " +
                                 std::string(msgTypeName(static_cast<MsgType>(header.type & ~kReplyBit))) +
                                 " message of " + std::to_string(header.length) +
                                 " bytes; it was read and discarded, so the channel stays in step. Free "
                                 "some memory or raise the limit (ulimit -v) and try again.");
}

Result<Message> receiveMessage(int fd, bool expectReply, std::chrono::milliseconds timeout) {
    const bool forever = timeout.count() < 0;
    const auto deadline = Clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
    MessageReader reader(expectReply);
    for (;;) {
        auto piece = reader.pump(fd);
        if (!piece)
            return piece.error();
        if (*piece) {
            if ((*piece)->outOfMemory)
                return noMemoryError((*piece)->message.header);
            if ((*piece)->oversized)
                return oversizedError((*piece)->message.header);
            return std::move((*piece)->message);
        }
        if (auto ready = waitReadable(fd, deadline, forever); !ready)
            return ready.error();
    }
}

} // namespace shmviz::core::proto
