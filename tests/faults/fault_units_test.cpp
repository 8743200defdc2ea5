// Issue 15 without processes: the channel's reader, limit sentences, OOM counters, lossless names.
#include "core/kernel/limit_errors.h"
#include "core/kernel/oom_events.h"
#include "core/session/name_json.h"
#include "core/steps/step.h"
#include "core/wire/channel.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace shmviz::core;

namespace {

struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
    ~SocketPair() {
        close(fds[0]);
        close(fds[1]);
    }
};

// Item 1: a message over the payload limit is read and discarded; the next one arrives intact.
TEST(FaultChannel, AnOversizedMessageIsDiscardedAndTheStreamStaysInStep) {
    SocketPair sp;
    constexpr std::uint32_t kOver = proto::kMaxPayload + 100;
    proto::Header big{
        proto::kMagic, proto::kVersion,
        static_cast<std::uint16_t>(static_cast<std::uint16_t>(proto::MsgType::Report) | proto::kReplyBit), 7,
        kOver};
    std::thread writer([&] {
        ASSERT_EQ(write(sp.fds[0], &big, sizeof big), static_cast<ssize_t>(sizeof big));
        std::vector<std::uint8_t> junk(kOver, 0xAB);
        for (std::size_t done = 0; done < junk.size();) {
            ssize_t n = write(sp.fds[0], junk.data() + done, junk.size() - done);
            ASSERT_GT(n, 0);
            done += static_cast<std::size_t>(n);
        }
        const std::uint8_t body[24] = {};
        ASSERT_TRUE(proto::sendMessage(sp.fds[0], proto::MsgType::Touch, true, 8, body).ok());
    });
    auto first = proto::receiveMessage(sp.fds[1], true, std::chrono::seconds(20));
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error().err, EMSGSIZE);
    EXPECT_NE(first.error().message.find("read and discarded"), std::string::npos) << first.error().message;
    auto second = proto::receiveMessage(sp.fds[1], true, std::chrono::seconds(20));
    writer.join();
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->header.seq, 8u);
    EXPECT_EQ(second->type(), proto::MsgType::Touch);
}

// A message that arrives in pieces, with waits between them, is assembled without losing place.
TEST(FaultChannel, AMessageInPiecesIsAssembled) {
    SocketPair sp;
    const std::uint8_t body[5] = {1, 2, 3, 4, 5};
    auto bytes = proto::encodeMessage(proto::MsgType::Read, true, 3, body);
    proto::MessageReader reader(true);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        ASSERT_EQ(write(sp.fds[0], &bytes[i], 1), 1);
        auto piece = reader.pump(sp.fds[1]);
        ASSERT_TRUE(piece.ok());
        EXPECT_EQ(piece->has_value(), i + 1 == bytes.size());
        if (*piece) {
            EXPECT_EQ((*piece)->message.payload.size(), 5u);
        }
    }
}

// Item 5: errors caused by a limit name it with its value.
TEST(FaultLimits, EmfileNamesRlimitNofile) {
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
    rlimit low{16, old.rlim_max};
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    Error e = limitError(EMFILE, "Creating a socket", "socketpair");
    setrlimit(RLIMIT_NOFILE, &old);
    EXPECT_EQ(e.err, EMFILE);
    EXPECT_NE(e.message.find("RLIMIT_NOFILE = 16"), std::string::npos) << e.message;
    EXPECT_NE(limitSentence(ENOSPC, "shmget").find("kernel.shmmni = "), std::string::npos);
    EXPECT_NE(limitSentence(EAGAIN, "fork").find("RLIMIT_NPROC"), std::string::npos);
    EXPECT_EQ(limitSentence(ENOENT, "shmget"), "");
}

// Item 5: an OOM kill is told from the cgroup's counter.
TEST(FaultOom, CountersAndTheSentence) {
    EXPECT_EQ(parseCgroupPath("0::/user.slice/a.scope\n", ""), "/user.slice/a.scope");
    EXPECT_EQ(parseCgroupPath("4:memory:/docker/abc\n0::/\n", "memory"), "/docker/abc");
    EXPECT_EQ(parseCgroupPath("4:cpu,memory:/x\n", "memory"), "/x");
    EXPECT_EQ(parseOomKills("low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n"), 2u);
    EXPECT_EQ(parseOomKills("oom_kill_disable 0\nunder_oom 0\noom_kill 5\n"), 5u);
    EXPECT_FALSE(parseOomKills("oom 1\n").has_value());
    EXPECT_NE(describeUnexpectedSigkill(1, 2).find("OOM killer"), std::string::npos);
    EXPECT_EQ(describeUnexpectedSigkill(2, 2), "killed by SIGKILL");
    EXPECT_NE(describeUnexpectedSigkill(std::nullopt, 2).find("possibly out of memory"), std::string::npos);
}

// Item 5: a name that is not valid UTF-8 survives JSON, and name_hex= addresses it again.
TEST(FaultNames, InvalidUtf8NamesAreLosslessInJsonAndInSteps) {
    const std::string name = std::string("/caf\xc3\xa9-") + "\xff\xfe";
    nlohmann::json j;
    putPosixName(j, name);
    EXPECT_EQ(j["name"], "/caf\xc3\xa9-\xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(j["name_hex"], "2f636166c3a92dfffe");
    EXPECT_NO_THROW((void)j.dump());
    auto step = parseStep("shm_open name_hex=" + j["name_hex"].get<std::string>() + " size=4K");
    ASSERT_TRUE(step.ok()) << step.error().message;
    EXPECT_EQ(step->word, name);
    nlohmann::json plain;
    putPosixName(plain, "/caf\xc3\xa9");
    EXPECT_FALSE(plain.contains("name_hex"));
    EXPECT_FALSE(parseStep("shm_open name_hex=2f6 size=4K").ok());
    EXPECT_FALSE(parseStep("shm_open name_hex=zz").ok());
    EXPECT_FALSE(parseStep("shm_open /a name_hex=2f61").ok());
}

} // namespace
