#include "core/wire/fd_passing.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace shmviz::core;

TEST(FdPassing, AnFdCrossesASocketAndStillWorks) {
    int pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    int pipeFds[2];
    ASSERT_EQ(pipe(pipeFds), 0);
    ASSERT_TRUE(sendFd(pair[0], pipeFds[1], 'X').ok());
    close(pipeFds[1]);
    std::uint8_t marker = 0;
    auto got = receiveFd(pair[1], std::chrono::seconds(1), &marker);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(marker, 'X');
    EXPECT_TRUE(fcntl(*got, F_GETFD) & FD_CLOEXEC) << "received fds must not leak into exec'd workers";
    ASSERT_EQ(write(*got, "hi", 2), 2);
    char buffer[2];
    ASSERT_EQ(read(pipeFds[0], buffer, 2), 2);
    EXPECT_EQ(std::string(buffer, 2), "hi");
    close(*got);
    close(pipeFds[0]);
    close(pair[0]);
    close(pair[1]);
}

TEST(FdPassing, ABytewithoutAnFdOrAClosedPeerIsAnError) {
    int pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    ASSERT_EQ(write(pair[0], "E", 1), 1);
    auto plain = receiveFd(pair[1], std::chrono::seconds(1));
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(plain.error().err, EPROTO);
    auto none = receiveFd(pair[1], std::chrono::milliseconds(20));
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().err, ETIMEDOUT);
    close(pair[0]);
    auto closed = receiveFd(pair[1], std::chrono::seconds(1));
    ASSERT_FALSE(closed.ok());
    EXPECT_EQ(closed.error().err, ECONNRESET);
    close(pair[1]);
}
