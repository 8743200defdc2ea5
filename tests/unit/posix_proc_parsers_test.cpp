#include "core/kernel/hugetlbfs.h"
#include "core/kernel/proc_stat.h"
#include "core/kernel/system_limits.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

using namespace shmviz::core;

TEST(HugetlbfsMount, FindsTheFirstHugetlbfsLine) {
    const char* mounts = "proc /proc proc rw,nosuid 0 0\n"
                         "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n"
                         "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n"
                         "none /mnt/huge2 hugetlbfs rw,pagesize=1G 0 0\n";
    EXPECT_EQ(findHugetlbfsMount(mounts).value_or(""), "/dev/hugepages");
}

TEST(HugetlbfsMount, NoneMountedGivesNothing) {
    EXPECT_FALSE(findHugetlbfsMount("tmpfs /dev/shm tmpfs rw 0 0\nsysfs /sys sysfs rw 0 0\n").has_value());
    EXPECT_FALSE(findHugetlbfsMount("").has_value());
    EXPECT_FALSE(findHugetlbfsMount("garbage\nhugetlbfs\n").has_value());
}

TEST(HugetlbfsMount, DecodesOctalEscapes) {
    EXPECT_EQ(findHugetlbfsMount("none /mnt/huge\\040pages hugetlbfs rw 0 0").value_or(""),
              "/mnt/huge pages");
}

// Found by fuzzing: two spaces leave an empty mount point, which would put files at "/NAME".
TEST(HugetlbfsMount, AnEmptyOrRelativeMountPointIsSkipped) {
    EXPECT_FALSE(findHugetlbfsMount("none  hugetlbfs rw 0 0\n").has_value());
    EXPECT_FALSE(findHugetlbfsMount("none huge hugetlbfs rw 0 0\n").has_value());
    EXPECT_EQ(findHugetlbfsMount("none  hugetlbfs rw 0 0\nnone /h hugetlbfs rw 0 0\n").value_or(""), "/h");
}

TEST(Meminfo, ReadsKilobytesAndCounts) {
    const std::string text =
        "MemTotal:       16314856 kB\nHugePages_Total:       4\nHugepagesize:    2048 kB\n";
    EXPECT_EQ(meminfoField(text, "MemTotal"), 16314856ull * 1024);
    EXPECT_EQ(meminfoField(text, "HugePages_Total"), 4u);
    EXPECT_EQ(meminfoField(text, "Hugepagesize"), 2048u * 1024);
    EXPECT_FALSE(meminfoField(text, "Total").has_value()) << "a key matches at the start of a line only";
}

// Found by fuzzing (issue 15 item 6): a last line without its newline once made a pointer run
// past the text. tests/fuzz/corpus/meminfo/no-trailing-newline replays it under UBSan.
TEST(Meminfo, LastLineWithoutNewline) {
    EXPECT_EQ(meminfoField("MemTotal: 5", "MemTotal"), 5u);
    EXPECT_EQ(meminfoField("MemFree: 1 kB\nMemTotal: 5 kB", "MemTotal"), 5u * 1024);
}

// Found by fuzzing: an empty key never advanced the search past a ':' inside a line.
TEST(Meminfo, AnEmptyKeyEnds) {
    EXPECT_FALSE(meminfoField("a:1\nb:2", "").has_value());
    EXPECT_EQ(meminfoField(":7 kB\n", ""), 7u * 1024);
}

TEST(Meminfo, KilobytesThatOverflowAreRefused) {
    EXPECT_FALSE(meminfoField("MemTotal: 18446744073709551615 kB\n", "MemTotal").has_value());
}

namespace {
// A zombie's line as Linux 6.x writes it (52 fields); exit_code 7 = killed by SIGBUS.
std::string statLine(const std::string& comm, char state, int exitCode) {
    std::string line = "4242 (" + comm + ") " + state + " 4240";
    for (int field = 5; field <= 51; ++field)
        line += " 0";
    return line + " " + std::to_string(exitCode) + "\n";
}
} // namespace

TEST(ProcStat, ReadsStateParentAndExitCode) {
    auto st = parseProcStat(statLine("shmviz-worker", 'Z', SIGBUS));
    ASSERT_TRUE(st.ok()) << st.error().message;
    EXPECT_EQ(st->state, 'Z');
    EXPECT_EQ(st->ppid, 4240);
    ASSERT_TRUE(st->exitCode.has_value());
    EXPECT_TRUE(WIFSIGNALED(*st->exitCode));
    EXPECT_EQ(WTERMSIG(*st->exitCode), SIGBUS);
}

TEST(ProcStat, CommandNamesMayHoldSpacesAndParentheses) {
    auto st = parseProcStat(statLine("a) b (c", 'S', 0));
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->state, 'S');
    EXPECT_EQ(st->ppid, 4240);
}

TEST(ProcStat, MalformedLinesAreErrors) {
    EXPECT_FALSE(parseProcStat("").ok());
    EXPECT_FALSE(parseProcStat("12 (x").ok());
    EXPECT_FALSE(parseProcStat("12 (x) Z").ok());
    EXPECT_FALSE(parseProcStat("12 (x) Z notanumber").ok());
    auto shortLine = parseProcStat("12 (x) R 1 2 3");
    ASSERT_TRUE(shortLine.ok());
    EXPECT_FALSE(shortLine->exitCode.has_value()) << "older kernels have no exit_code field";
}

TEST(ProcStat, ReadsThisProcess) {
    auto st = readProcStat(getpid());
    ASSERT_TRUE(st.ok()) << st.error().message;
    EXPECT_EQ(st->ppid, getppid());
    EXPECT_FALSE(readProcStat(0x3fffffff).ok());
}
