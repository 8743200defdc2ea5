#include "core/wire/fd_passing.h"

#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::core {

Status sendFd(int socket, int fd, std::uint8_t marker) {
    char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&marker, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    for (;;) {
        if (sendmsg(socket, &msg, MSG_NOSIGNAL) == 1)
            return Ok{};
        if (errno != EINTR)
            return systemError(errno, "Passing a file descriptor (sendmsg SCM_RIGHTS)");
    }
}

Result<int> receiveFd(int socket, std::chrono::milliseconds timeout, std::uint8_t* marker) {
    pollfd p{socket, POLLIN, 0};
    for (;;) {
        const int r = poll(&p, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
        if (r > 0)
            break;
        if (r == 0)
            return makeError(ETIMEDOUT, "No file descriptor arrived in time.");
        if (errno != EINTR)
            return systemError(errno, "Waiting for a file descriptor");
    }
    std::uint8_t byte = 0;
    char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&byte, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got;
    while ((got = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (got < 0)
        return systemError(errno, "Receiving a file descriptor (recvmsg)");
    if (got == 0)
        return makeError(ECONNRESET, "The other end closed the connection before passing a file descriptor.");
    if (marker)
        *marker = byte;
    for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
            cmsg->cmsg_len == CMSG_LEN(sizeof(int))) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
            return fd;
        }
    }
    return makeError(EPROTO, "A marker byte arrived without the file descriptor it should carry.");
}

} // namespace shmviz::core
