#include "core/base/safe_file.h"
#include "core/base/user_dirs.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmviz::core;
namespace fs = std::filesystem;

namespace {

class SafeFile : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/shmviz-safe-file-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        m_victim = m_dir + "/victim";
        std::ofstream(m_victim) << "victim";
    }
    void TearDown() override { fs::remove_all(m_dir); }

    static std::string read(const std::string& path) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    // Names in the directory other than the victim: a failed or finished write leaves no temp file.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(m_dir))
            out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

    std::string m_dir;
    std::string m_victim;
};

} // namespace

TEST_F(SafeFile, WritesANewFileWithTheUmaskMode) {
    const mode_t old = umask(027);
    const std::string path = m_dir + "/fig.png";
    const Status s = writeFileAtomically(path, std::string_view("png bytes"));
    umask(old);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(read(path), "png bytes");
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    EXPECT_EQ(names(), (std::vector<std::string>{"fig.png", "victim"}));
}

TEST_F(SafeFile, ReplacesAnExistingFileAsAWhole) {
    const std::string path = m_dir + "/settings.ini";
    std::ofstream(path) << "a much longer old content that must not survive";
    ASSERT_TRUE(writeFileAtomically(path, std::string_view("new")).ok());
    EXPECT_EQ(read(path), "new");
}

TEST_F(SafeFile, ALinkAtANameTheAppChoseIsRefused) {
    const std::string path = m_dir + "/shmviz-20260101-120000.png";
    ASSERT_EQ(symlink(m_victim.c_str(), path.c_str()), 0);
    const Status s =
        writeFileAtomically(path, std::string_view("evil"), LinkPolicy::Refuse, "the screenshot");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().err, ELOOP);
    EXPECT_NE(s.error().message.find("symbolic link"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("(ELOOP)"), std::string::npos) << s.error().message;
    EXPECT_EQ(read(m_victim), "victim");
    EXPECT_TRUE(fs::is_symlink(path)) << "the link is left as it was";
    EXPECT_EQ(names().size(), 2u) << "no temporary file left behind";
}

TEST_F(SafeFile, TheOldPredictableTempNameIsNeverUsed) {
    // The old code wrote NAME.tmp and renamed it; a link planted there sent the bytes anywhere.
    const std::string path = m_dir + "/fig.png";
    ASSERT_EQ(symlink(m_victim.c_str(), (path + ".tmp").c_str()), 0);
    ASSERT_TRUE(writeFileAtomically(path, std::string_view("png")).ok());
    EXPECT_EQ(read(m_victim), "victim");
    EXPECT_EQ(read(path), "png");
    EXPECT_TRUE(fs::is_symlink(path + ".tmp"));
}

TEST_F(SafeFile, AUserNamedLinkTheUserOwnsIsFollowed) {
    const std::string target = m_dir + "/real.png";
    std::ofstream(target) << "old";
    const std::string path = m_dir + "/fig.png";
    ASSERT_EQ(symlink("real.png", path.c_str()), 0); // relative, as ln -s makes them
    const Status s = writeFileAtomically(path, std::string_view("new"), LinkPolicy::FollowOwn);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(read(target), "new");
    EXPECT_TRUE(fs::is_symlink(path)) << "the link still points at the file";
}

TEST_F(SafeFile, AUserNamedLinkSomeoneElseOwnsIsRefused) {
    if (geteuid() != 0)
        GTEST_SKIP() << "needs root to plant a link owned by another user";
    const std::string path = m_dir + "/fig.png";
    ASSERT_EQ(symlink(m_victim.c_str(), path.c_str()), 0);
    ASSERT_EQ(lchown(path.c_str(), 65534, 65534), 0);
    const Status s = writeFileAtomically(path, std::string_view("evil"), LinkPolicy::FollowOwn);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().err, EPERM);
    EXPECT_NE(s.error().message.find("uid 65534"), std::string::npos) << s.error().message;
    EXPECT_EQ(read(m_victim), "victim");
}

TEST_F(SafeFile, ALinkLoopEnds) {
    const std::string path = m_dir + "/loop";
    ASSERT_EQ(symlink("loop", path.c_str()), 0);
    const Status s = writeFileAtomically(path, std::string_view("x"), LinkPolicy::FollowOwn);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().err, ELOOP);
}

TEST_F(SafeFile, AMissingDirectoryIsOnePlainSentence) {
    const Status s = writeFileAtomically(m_dir + "/no/such/dir/fig.png", std::string_view("x"),
                                         LinkPolicy::Refuse, "the screenshot");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().err, ENOENT);
    EXPECT_NE(s.error().message.find("(ENOENT)."), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("the screenshot"), std::string::npos) << s.error().message;
}

TEST_F(SafeFile, OpenForWritingRefusesALinkTheAppDidNotExpect) {
    const std::string path = m_dir + "/trace.jsonl";
    ASSERT_EQ(symlink(m_victim.c_str(), path.c_str()), 0);
    if (geteuid() == 0)
        ASSERT_EQ(lchown(path.c_str(), 65534, 65534), 0);
    else
        GTEST_SKIP() << "needs root to plant a link owned by another user";
    auto fd = openForWriting(path, LinkPolicy::FollowOwn);
    EXPECT_FALSE(fd.ok());
    EXPECT_EQ(read(m_victim), "victim");
}

TEST(UserDirs, PicturesFromUserDirsFile) {
    const std::string text = "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\n"
                             "XDG_PICTURES_DIR=\"$HOME/Bilder\"\n";
    EXPECT_EQ(parseUserDirsPictures(text, "/home/ann").value_or(""), "/home/ann/Bilder");
    EXPECT_FALSE(parseUserDirsPictures("XDG_PICTURES_DIR=\"$HOME/\"\n", "/home/ann").has_value())
        << "a dir equal to HOME means disabled";
    EXPECT_FALSE(parseUserDirsPictures("XDG_PICTURES_DIR=\"relative\"\n", "/home/ann").has_value());
}

TEST(UserDirs, AsRootTheEnvironmentIsNotTrusted) {
    if (!runningPrivileged())
        GTEST_SKIP() << "runs as root (CI is root)";
    setenv("XDG_CONFIG_HOME", "/tmp/another-users-config", 1);
    setenv("SHMVIZ_WORKER", "/tmp/evil", 1);
    EXPECT_FALSE(trustedEnv("SHMVIZ_WORKER").has_value());
    EXPECT_NE(configDir().value_or(""), "/tmp/another-users-config");
    EXPECT_EQ(configDir().value_or(""), homeDir().value_or("?") + "/.config");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("SHMVIZ_WORKER");
}
