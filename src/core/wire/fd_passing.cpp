#include "core/wire/fd_passing.h"

#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::core {
namespace {

// One message of `size` bytes at `data` with room for one descriptor. Holds pointers into itself:
// neither copied nor moved.
struct FdMessage {
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov;
    msghdr msg{};

    FdMessage(void* data, std::size_t size) : iov{data, size} {
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
    }
    FdMessage(const FdMessage&) = delete;
    FdMessage& operator=(const FdMessage&) = delete;
};

Status awaitReadable(int socket, std::chrono::milliseconds timeout) {
    pollfd p{socket, POLLIN, 0};
    for (;;) {
        const int r = poll(&p, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
        if (r > 0)
            return Ok{};
        if (r == 0)
            return makeError(ETIMEDOUT, "No message arrived in time.");
        if (errno != EINTR)
            return systemError(errno, "Waiting for a message");
    }
}

} // namespace

Status sendFd(int socket, int fd, std::uint8_t marker) {
    FdMessage m(&marker, 1);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&m.msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    for (;;) {
        if (sendmsg(socket, &m.msg, MSG_NOSIGNAL) == 1)
            return Ok{};
        if (errno != EINTR)
            return systemError(errno, "Passing a file descriptor (sendmsg SCM_RIGHTS)");
    }
}

Result<ReceivedMessage> receiveMessage(int socket, std::span<char> buffer,
                                       std::chrono::milliseconds timeout) {
    if (auto ready = awaitReadable(socket, timeout); !ready)
        return ready.error();
    FdMessage m(buffer.data(), buffer.size());
    ssize_t got;
    while ((got = recvmsg(socket, &m.msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (got < 0)
        return systemError(errno, "Receiving a message (recvmsg)");
    ReceivedMessage r;
    r.bytes = static_cast<std::size_t>(got);
    r.truncated = (m.msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m.msg); c; c = CMSG_NXTHDR(&m.msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
            c->cmsg_len == CMSG_LEN(sizeof(int)) && r.fd < 0)
            std::memcpy(&r.fd, CMSG_DATA(c), sizeof(int));
    if (got == 0 && r.fd < 0)
        return makeError(ECONNRESET, "The other end closed the connection before sending anything.");
    return r;
}

Result<int> receiveFd(int socket, std::chrono::milliseconds timeout, std::uint8_t* marker) {
    char byte = 0;
    auto got = receiveMessage(socket, {&byte, 1}, timeout);
    if (!got) {
        if (got.error().err == ETIMEDOUT)
            return makeError(ETIMEDOUT, "No file descriptor arrived in time.");
        if (got.error().err == ECONNRESET)
            return makeError(ECONNRESET,
                             "The other end closed the connection before passing a file descriptor.");
        return got.error();
    }
    if (marker)
        *marker = static_cast<std::uint8_t>(byte);
    if (got->fd < 0)
        return makeError(EPROTO, "A marker byte arrived without the file descriptor it should carry.");
    return got->fd;
}

} // namespace shmviz::core
