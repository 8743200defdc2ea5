#pragma once
// Framed message I/O on a stream socket (see protocol.h). Used by both ends.
#include "core/wire/protocol.h"

#include <chrono>

namespace shmviz::core::proto {

// Writes a whole message; EPIPE if the peer is gone (SIGPIPE is never raised).
Status sendMessage(int fd, MsgType type, bool reply, std::uint32_t seq,
                   std::span<const std::uint8_t> payload);

// Reads one whole message and validates its header. A negative timeout waits forever.
// ETIMEDOUT when nothing complete arrived in time, ECONNRESET when the peer closed.
Result<Message> receiveMessage(int fd, bool expectReply, std::chrono::milliseconds timeout);

} // namespace shmviz::core::proto
