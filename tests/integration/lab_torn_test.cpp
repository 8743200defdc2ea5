// Torn reads with real lab workers: a 4 KiB record tears without synchronisation, never with a
// seqlock or the mutex.
#include "lab_leftovers.h"
#include "session_fixture.h"

namespace shmviz::testing {
namespace {

class LabTornTest : public SessionTest {
  protected:
    core::labs::TornResult torn(const std::string& line) {
        core::StepReply r = ok(line);
        EXPECT_FALSE(r.explain.empty());
        const auto* result = std::get_if<core::labs::TornResult>(&r.result);
        EXPECT_TRUE(result) << line;
        return result ? *result : core::labs::TornResult{};
    }
    void TearDown() override {
        EXPECT_TRUE(lab::labWorkersOf(getpid()).empty());
        EXPECT_TRUE(lab::segmentsCreatedBy(getpid()).empty());
        SessionTest::TearDown();
    }
};

TEST_F(LabTornTest, UnsynchronizedReadersSeeTornRecords) {
    auto r = torn("torn unsync 1");
    EXPECT_GT(r.writes, 0u);
    EXPECT_GT(r.reads, 0u);
    if (r.torn == 0)
        GTEST_SKIP()
            << "No torn record in 1 second: the writer and readers never overlapped here (not a pass).";
    EXPECT_LE(r.torn, r.reads);
}

TEST_F(LabTornTest, SeqlockAndMutexNeverTear) {
    for (const char* mode : {"seqlock", "mutex"}) {
        SCOPED_TRACE(mode);
        auto r = torn(std::string("torn ") + mode + " 1");
        EXPECT_EQ(nameOf(r.mode), mode);
        EXPECT_GT(r.reads, 0u);
        EXPECT_GT(r.writes, 0u);
        EXPECT_EQ(r.torn, 0u);
        EXPECT_GE(r.seconds, 0.9);
    }
}

TEST_F(LabTornTest, BadArgumentsGiveClearErrors) {
    fails("torn unsync 0", EINVAL);
    fails("torn unsync 61", EINVAL);
    fails("torn wobbly 1", EINVAL);
}

} // namespace
} // namespace shmviz::testing
