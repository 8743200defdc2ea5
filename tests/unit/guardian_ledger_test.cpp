#include "core/wire/guardian_commands.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(GuardianLedger, TracksWhatTheAppOwns) {
    GuardianLedger ledger(100);
    EXPECT_TRUE(ledger.apply("pid 42"));
    EXPECT_TRUE(ledger.apply("shm 32769"));
    EXPECT_TRUE(ledger.apply("posix /shmviz-demo"));
    EXPECT_TRUE(ledger.apply("shm 5"));
    EXPECT_TRUE(ledger.apply("unshm 5"));
    EXPECT_EQ(ledger.pids().count(42), 1u);
    EXPECT_EQ(ledger.shmids().size(), 1u);
    EXPECT_EQ(ledger.posixNames().count("/shmviz-demo"), 1u);
    EXPECT_TRUE(ledger.apply("unposix /shmviz-demo"));
    EXPECT_TRUE(ledger.posixNames().empty());
}

TEST(GuardianLedger, IgnoresMalformedLines) {
    GuardianLedger ledger(100);
    EXPECT_FALSE(ledger.apply(""));
    EXPECT_FALSE(ledger.apply("pid"));
    EXPECT_FALSE(ledger.apply("pid -3"));
    EXPECT_FALSE(ledger.apply("pid 12x"));
    EXPECT_FALSE(ledger.apply("rm -rf /"));
    EXPECT_FALSE(ledger.apply("posix no-slash"));
    EXPECT_FALSE(ledger.apply("posix /a/b"));
    EXPECT_TRUE(ledger.pids().empty());
}

// The first segment or semaphore set in a fresh IPC namespace has id 0 (issue 15, item 3).
TEST(GuardianLedger, RegistersIpcIdZeroButNeverPidZero) {
    GuardianLedger ledger(100);
    EXPECT_TRUE(ledger.apply("shm 0"));
    EXPECT_TRUE(ledger.apply("sem 0"));
    EXPECT_EQ(ledger.shmids().count(0), 1u);
    EXPECT_EQ(ledger.semids().count(0), 1u);
    EXPECT_FALSE(ledger.apply("shm -1"));
    EXPECT_FALSE(ledger.apply("pid 0"));
    EXPECT_TRUE(ledger.pids().empty());
    EXPECT_TRUE(ledger.apply("unshm 0"));
    EXPECT_TRUE(ledger.shmids().empty());
}
