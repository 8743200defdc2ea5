// The guardian's ledger lines for lab objects (sem, psem, mq); see core/guardian_commands.h.
#include "core/wire/guardian_commands.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(LabGuardianLedger, TracksLabObjects) {
    GuardianLedger ledger(100);
    EXPECT_TRUE(ledger.apply("sem 7"));
    EXPECT_TRUE(ledger.apply("psem /shmviz-lab-1-0-sem"));
    EXPECT_TRUE(ledger.apply("mq /shmviz-lab-1-1-mq"));
    EXPECT_EQ(ledger.semids().count(7), 1u);
    EXPECT_EQ(ledger.semaphoreNames().count("/shmviz-lab-1-0-sem"), 1u);
    EXPECT_EQ(ledger.queueNames().count("/shmviz-lab-1-1-mq"), 1u);
    EXPECT_TRUE(ledger.apply("unsem 7"));
    EXPECT_TRUE(ledger.apply("unpsem /shmviz-lab-1-0-sem"));
    EXPECT_TRUE(ledger.apply("unmq /shmviz-lab-1-1-mq"));
    EXPECT_TRUE(ledger.semids().empty());
    EXPECT_TRUE(ledger.semaphoreNames().empty());
    EXPECT_TRUE(ledger.queueNames().empty());
    EXPECT_TRUE(ledger.posixNames().empty()) << "lab names never land among POSIX segments";
}

TEST(LabGuardianLedger, IgnoresMalformedLabLines) {
    GuardianLedger ledger(100);
    EXPECT_FALSE(ledger.apply("sem x"));
    EXPECT_FALSE(ledger.apply("sem -1"));
    EXPECT_FALSE(ledger.apply("psem no-slash"));
    EXPECT_FALSE(ledger.apply("mq /a/b"));
    EXPECT_TRUE(ledger.semids().empty());
    EXPECT_TRUE(ledger.queueNames().empty());
}
