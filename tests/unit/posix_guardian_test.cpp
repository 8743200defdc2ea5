#include "core/wire/guardian_commands.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmviz::core;

TEST(PosixGuardian, TracksHugetlbfsFiles) {
    GuardianLedger ledger(100);
    EXPECT_TRUE(ledger.apply("hugefile /dev/hugepages/shmviz-demo"));
    EXPECT_EQ(ledger.hugeFiles().count("/dev/hugepages/shmviz-demo"), 1u);
    EXPECT_TRUE(ledger.apply("unhugefile /dev/hugepages/shmviz-demo"));
    EXPECT_TRUE(ledger.hugeFiles().empty());
}

TEST(PosixGuardian, RefusesRelativeOrEscapingPaths) {
    GuardianLedger ledger(100);
    EXPECT_FALSE(ledger.apply("hugefile relative/path"));
    EXPECT_FALSE(ledger.apply("hugefile /"));
    EXPECT_FALSE(ledger.apply("hugefile /dev/hugepages/../etc/passwd"));
    EXPECT_FALSE(ledger.apply("hugefile /dev/hugepages/.."));
    EXPECT_TRUE(ledger.hugeFiles().empty());
}

TEST(PosixGuardian, RemovesOnlyFilesThatAreOnHugetlbfs) {
    char path[] = "/tmp/shmviz-guardian-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    GuardianLedger ledger(getpid());
    ASSERT_TRUE(ledger.apply(std::string("hugefile ") + path));
    ledger.cleanUp();
    struct stat st {};
    EXPECT_EQ(stat(path, &st), 0) << "a file outside hugetlbfs is never removed";
    unlink(path);
}
