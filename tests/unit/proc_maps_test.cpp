#include "core/kernel/proc_maps.h"
#include "fixture.h"

using namespace shmviz::core;

TEST(ProcMaps, ParsesEveryFieldOfASysvLine) {
    auto lines = parseMaps(fixture("maps.txt"));
    ASSERT_TRUE(lines.ok()) << lines.error().message;
    ASSERT_EQ(lines->size(), 6u);
    const MapsLine& sysv = (*lines)[1];
    EXPECT_EQ(sysv.start, 0x7f1c2a400000u);
    EXPECT_EQ(sysv.end, 0x7f1c2a404000u);
    EXPECT_EQ(sysv.perms, "rw-s");
    EXPECT_EQ(sysv.device, "00:01");
    EXPECT_EQ(sysv.inode, 32769u);
    EXPECT_EQ(sysv.path, "/SYSV5348560a (deleted)");
}

TEST(ProcMaps, AnonymousLineHasEmptyPath) {
    auto lines = parseMaps(fixture("maps.txt"));
    ASSERT_TRUE(lines.ok());
    EXPECT_EQ(lines->back().path, "");
    EXPECT_EQ((*lines)[4].path, "[stack]");
}

TEST(ProcMaps, FindsTheMappingContainingAnAddress) {
    auto lines = parseMaps(fixture("maps.txt"));
    ASSERT_TRUE(lines.ok());
    const MapsLine* hit = findMapping(*lines, 0x7f1c2a405fffu);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->perms, "r--s");
    EXPECT_EQ(findMapping(*lines, 0x7f1c2a406000u), nullptr);
}

TEST(ProcMaps, RejectsMalformedLinesWithTheirNumber) {
    auto bad = parseMaps("7f00-7f10 rw-s 0 00:01 1 /x\nnot a maps line\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().err, EINVAL);
    EXPECT_NE(bad.error().message.find("Line 2"), std::string::npos);
    EXPECT_FALSE(parseMapsLine("7f10-7f00 rw-s 0 00:01 1").ok()) << "end before start";
    EXPECT_FALSE(parseMapsLine("7f00-7f10 rw 0 00:01 1").ok()) << "short perms";
    EXPECT_FALSE(parseMapsLine("7f00-7f10 rw-s 0 0001 1").ok()) << "device without colon";
    EXPECT_FALSE(parseMapsLine("7f00-7f10 rw-s 0 00:01 x").ok()) << "inode not a number";
}
