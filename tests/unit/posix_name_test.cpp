#include "core/kernel/posix_name.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(PosixName, AcceptsOneLeadingSlashAndAPlainName) {
    EXPECT_TRUE(checkPosixName("/demo").ok());
    EXPECT_TRUE(checkPosixName("/a").ok());
    EXPECT_TRUE(checkPosixName("/shmviz-lesson.1_x").ok());
    EXPECT_TRUE(checkPosixName("/" + std::string(kMaxPosixNameChars, 'n')).ok());
}

TEST(PosixName, RefusesMissingOrExtraSlashes) {
    for (const char* bad : {"", "demo", "/", "/a/b", "//demo", "/demo/", "./demo"}) {
        auto r = checkPosixName(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().err, EINVAL) << bad;
        EXPECT_EQ(r.error().message.back(), '.') << r.error().message;
    }
}

TEST(PosixName, RefusesDirectoriesAndControlCharacters) {
    EXPECT_EQ(checkPosixName("/.").error().err, EINVAL);
    EXPECT_EQ(checkPosixName("/..").error().err, EINVAL);
    EXPECT_EQ(checkPosixName(std::string("/a\tb")).error().err, EINVAL);
}

TEST(PosixName, RefusesNamesLongerThanShmOpenAllows) {
    auto r = checkPosixName("/" + std::string(kMaxPosixNameChars + 1, 'n'));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().err, ENAMETOOLONG);
    EXPECT_NE(r.error().message.find(std::to_string(kMaxPosixNameChars)), std::string::npos)
        << r.error().message;
}
