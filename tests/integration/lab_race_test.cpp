// Race lab with real lab workers: lost updates without synchronisation, exact totals with it, and a
// robust mutex that survives its holder being killed.
#include "lab_leftovers.h"
#include "session_fixture.h"

#include <csignal>

namespace shmviz::testing {
namespace {

class LabRaceTest : public SessionTest {
  protected:
    core::labs::RaceResult race(const std::string& line) {
        core::StepReply r = ok(line);
        const auto* result = std::get_if<core::labs::RaceResult>(&r.result);
        EXPECT_TRUE(result) << line;
        EXPECT_FALSE(r.explain.empty());
        return result ? *result : core::labs::RaceResult{};
    }
    void TearDown() override {
        EXPECT_TRUE(lab::labWorkersOf(getpid()).empty());
        EXPECT_TRUE(lab::segmentsCreatedBy(getpid()).empty());
        EXPECT_TRUE(lab::namesOf(getpid()).empty());
        SessionTest::TearDown();
    }
};

TEST_F(LabRaceTest, UnsynchronizedAddsLoseUpdates) {
    constexpr int kAttempts = 6;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        auto r = race("race unsync 4 1000000");
        ASSERT_EQ(r.expected, 4'000'000u);
        ASSERT_EQ(static_cast<std::int64_t>(r.actual) + r.lost, 4'000'000);
        ASSERT_GE(r.lost, 0);
        if (r.lost > 0)
            return;
    }
    GTEST_SKIP() << "No update was lost in " << kAttempts
                 << " runs of 4 workers x 10^6 unsynchronised adds: the "
                 << "workers never overlapped on this machine, so the race was not shown (not a pass).";
}

TEST_F(LabRaceTest, SynchronizedModesGiveTheExactTotal) {
    // System V semaphores hand over to a sleeping waiter on every release (a wakeup per add), so they
    // get fewer adds to keep the suite quick.
    for (auto [mode, k] : {std::pair{"atomic", 50'000u}, std::pair{"mutex", 50'000u},
                           std::pair{"sysv-sem", 5'000u}, std::pair{"posix-sem", 50'000u}}) {
        SCOPED_TRACE(mode);
        auto r = race(std::string("race ") + mode + " 4 " + std::to_string(k));
        EXPECT_EQ(nameOf(r.mode), mode);
        EXPECT_EQ(r.workers, 4);
        EXPECT_EQ(r.expected, 4u * k);
        EXPECT_EQ(r.actual, 4u * k);
        EXPECT_EQ(r.lost, 0);
        EXPECT_GT(r.seconds, 0.0);
        EXPECT_GT(r.perSecond, 0.0);
    }
}

TEST_F(LabRaceTest, KilledMutexHolderDoesNotStopTheOthers) {
    auto r = race("race mutex-kill 4 20000");
    ASSERT_TRUE(r.recovery);
    const auto& rec = *r.recovery;
    EXPECT_EQ(rec.killedWorker, 0);
    EXPECT_EQ(rec.killedCompleted, 10'000u); // it died holding the lock after half its adds
    EXPECT_EQ(rec.ownerDead, 1);             // exactly one locker inherited the dead owner's lock
    EXPECT_EQ(rec.rolledBack, 1);            // and undid its half-done add
    // Only completed increments count: three full workers and the killed one's first half.
    EXPECT_EQ(r.expected, 3u * 20'000u + 10'000u);
    EXPECT_EQ(r.actual, r.expected);
    EXPECT_EQ(r.lost, 0);
    const pid_t killed = rec.killedPid;
    EXPECT_NE(::kill(killed, 0), 0) << "the killed worker is gone and reaped";
}

TEST_F(LabRaceTest, BadArgumentsGiveClearErrors) {
    fails("race atomic 0 1000", EINVAL);
    fails("race atomic 17 1000", EINVAL);
    fails("race atomic 4 0", EINVAL);
    fails("race atomic 4 10000001", EINVAL);
    fails("race sideways 4 1000", EINVAL);
    fails("race mutex-kill 1 1000", EINVAL);
    fails("race atomic 4", EINVAL);
    auto r = fails("race atomic 17 1000", EINVAL);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("between 1 and 16 workers"), std::string::npos) << r.error->message;
    r = fails("race sideways 4 1000", EINVAL);
    EXPECT_NE(r.error->message.find("unsync, atomic, mutex"), std::string::npos) << r.error->message;
}

} // namespace
} // namespace shmviz::testing
