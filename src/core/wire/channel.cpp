#include "core/wire/channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::core::proto {

namespace {

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

Status readExactly(int fd, std::uint8_t* out, std::size_t size, Clock::time_point deadline, bool forever) {
    std::size_t done = 0;
    while (done < size) {
        if (auto ready = waitReadable(fd, deadline, forever); !ready)
            return ready;
        ssize_t got = recv(fd, out + done, size - done, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return systemError(errno, "Reading from the worker's socket");
        if (got == 0)
            return makeError(ECONNRESET, "The other end closed the connection.");
        done += static_cast<std::size_t>(got);
    }
    return Ok{};
}

} // namespace

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

Result<Message> receiveMessage(int fd, bool expectReply, std::chrono::milliseconds timeout) {
    const bool forever = timeout.count() < 0;
    const auto deadline = Clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
    Message m;
    if (auto st =
            readExactly(fd, reinterpret_cast<std::uint8_t*>(&m.header), sizeof m.header, deadline, forever);
        !st)
        return st.error();
    if (auto valid = validateHeader(m.header, expectReply); !valid)
        return valid.error();
    m.payload.resize(m.header.length);
    if (auto st = readExactly(fd, m.payload.data(), m.payload.size(), deadline, forever); !st)
        return st.error();
    return m;
}

} // namespace shmviz::core::proto
