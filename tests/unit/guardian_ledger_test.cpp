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
