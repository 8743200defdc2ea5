// ipcbench with real lab workers: every method delivers every byte (same checksum at both ends),
// a large transfer stops promptly on cancel and on SIGKILL of the app, leaving nothing behind.
#include "app_process.h"
#include "lab_leftovers.h"
#include "session_fixture.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace shmviz::testing {
namespace {

using Clock = std::chrono::steady_clock;

class LabIpcTest : public SessionTest {
  protected:
    void TearDown() override {
        EXPECT_TRUE(lab::labWorkersOf(getpid()).empty());
        EXPECT_TRUE(lab::segmentsCreatedBy(getpid()).empty());
        EXPECT_TRUE(lab::namesOf(getpid()).empty());
        SessionTest::TearDown();
    }
};

TEST_F(LabIpcTest, EveryMethodDeliversEveryByte) {
    std::optional<std::uint64_t> reference;
    // 8 MiB + 13 bytes: a partial last block and a partial last word.
    for (const char* method : {"pipe", "socket", "mqueue", "shm", "memcpy"}) {
        SCOPED_TRACE(method);
        core::StepReply r = ok(std::string("ipcbench ") + method + " 8388621");
        const auto* b = std::get_if<core::labs::IpcResult>(&r.result);
        ASSERT_TRUE(b);
        EXPECT_EQ(nameOf(b->method), method);
        EXPECT_EQ(b->bytes, 8388621u);
        EXPECT_EQ(b->bytesReceived, 8388621u);
        EXPECT_TRUE(b->verified());
        EXPECT_EQ(b->checksumSent, b->checksumReceived);
        if (!reference)
            reference = b->checksumSent;
        EXPECT_EQ(b->checksumSent, reference) << "the same stream whatever carried it";
        EXPECT_GT(b->megabytesPerSecond, 0.0);
        EXPECT_EQ(b->receiver.has_value(), std::string(method) != "memcpy");
        const int copies = std::string(method) == "shm" || std::string(method) == "memcpy" ? 1 : 2;
        EXPECT_EQ(b->copiesPerByte, copies);
    }
}

TEST_F(LabIpcTest, BadArgumentsGiveClearErrors) {
    fails("ipcbench pipe 0", EINVAL);
    fails("ipcbench pipe 1000", EINVAL);
    fails("ipcbench pipe 2G", EINVAL);
    auto r = fails("ipcbench pigeon 1M", EINVAL);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("pipe, socket, mqueue, shm or memcpy"), std::string::npos)
        << r.error->message;
    fails("ipcbench shm", EINVAL);
}

// A session driven on this thread while another thread presses Cancel once bytes are moving.
TEST(LabIpcCancel, CancellingALargeTransferLeavesNothingBehind) {
    std::atomic<bool> cancel{false};
    core::labs::LabProgress progress;
    core::SessionOptions options;
    options.workerPath = SHMVIZ_WORKER_PATH;
    options.cancel = &cancel;
    options.progress = &progress;
    core::Session session(options);
    const auto semsBefore = lab::semaphoreSets();
    int cancelled = 0;
    for (const char* method : {"mqueue", "pipe", "shm"}) {
        SCOPED_TRACE(method);
        cancel = false;
        Clock::time_point pressed{};
        std::thread button([&] {
            const auto deadline = Clock::now() + std::chrono::seconds(10);
            while (progress.done.load() == 0 && Clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            pressed = Clock::now();
            cancel = true;
        });
        core::StepReply r = session.execute(std::string("ipcbench ") + method + " 1G");
        const auto returned = Clock::now();
        button.join();
        EXPECT_FALSE(progress.active()) << "progress is cleared when the lab ends";
        if (r.ok) {
            // Shared memory may move 1 GiB before the first progress report reaches the app.
            EXPECT_STREQ(method, "shm") << "finished before the cancel took effect";
            continue;
        }
        ++cancelled;
        ASSERT_TRUE(r.error);
        EXPECT_EQ(r.error->err, ECANCELED) << r.error->message;
        EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(returned - pressed).count(), 1000)
            << "stops promptly";
        EXPECT_TRUE(lab::labWorkersOf(getpid()).empty());
        EXPECT_TRUE(lab::segmentsCreatedBy(getpid()).empty());
        EXPECT_TRUE(lab::namesOf(getpid()).empty());
    }
    EXPECT_GE(cancelled, 2);

    // A long race cancelled the same way: its System V semaphore set goes too.
    cancel = false;
    std::thread button([&] {
        while (progress.done.load() == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        cancel = true;
    });
    core::StepReply r = session.execute("race sysv-sem 16 10000000");
    button.join();
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error->err, ECANCELED);
    EXPECT_TRUE(lab::labWorkersOf(getpid()).empty());
    EXPECT_TRUE(lab::segmentsCreatedBy(getpid()).empty());
    EXPECT_EQ(lab::semaphoreSets(), semsBefore);
}

// SIGKILL of the app in the middle of labs: the lab workers die with it (parent-death signal) and the
// guardian removes the segment, the System V semaphore set and the POSIX semaphore.
TEST(LabIpcKill, SigkillOfTheAppLeavesNothingBehind) {
    for (const char* line :
         {"race sysv-sem 16 10000000", "race posix-sem 16 10000000", "ipcbench mqueue 1G"}) {
        SCOPED_TRACE(line);
        const auto semsBefore = lab::semaphoreSets();
        AppProcess app({"--headless"});
        ASSERT_GT(app.pid(), 0);
        app.send(line);
        const pid_t pid = app.pid();
        ASSERT_TRUE(within(5000, [&] { return !lab::labWorkersOf(pid).empty(); })) << "the lab started";
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        app.signal(SIGKILL);
        app.wait();
        EXPECT_TRUE(within(2000, [&] { return lab::labWorkersOf(pid).empty(); }));
        EXPECT_TRUE(within(2000, [&] { return lab::segmentsCreatedBy(pid).empty(); }));
        EXPECT_TRUE(within(2000, [&] { return lab::namesOf(pid).empty(); }));
        EXPECT_TRUE(within(2000, [&] { return lab::semaphoreSets() == semsBefore; }));
    }
}

} // namespace
} // namespace shmviz::testing
