#pragma once
// Handing an open file descriptor to another process over a Unix socket (SCM_RIGHTS, unix(7)).
// Each fd travels with one marker byte of its own, so it never rides on a framed protocol
// message that the receiver reads with plain recv() (which would silently drop it).
#include "core/base/error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace shmviz::core {

// Sends `fd` with one byte `marker`; the sender keeps its own copy open.
Status sendFd(int socket, int fd, std::uint8_t marker = 'F');

struct ReceivedMessage {
    std::size_t bytes = 0;
    int fd = -1;            // the descriptor that came with it, close-on-exec, or -1
    bool truncated = false; // more bytes or descriptors were sent than there was room for
};

// Receives one message of at most buffer.size() bytes and the descriptor it may carry. A negative
// timeout waits forever. ETIMEDOUT when nothing came, ECONNRESET when the peer closed first.
Result<ReceivedMessage> receiveMessage(int socket, std::span<char> buffer, std::chrono::milliseconds timeout);

// Receives one marker byte and the fd it carries, close-on-exec. A negative timeout waits forever.
// ECONNRESET when the peer closed, EPROTO when the byte came without an fd.
Result<int> receiveFd(int socket, std::chrono::milliseconds timeout, std::uint8_t* marker = nullptr);

} // namespace shmviz::core
