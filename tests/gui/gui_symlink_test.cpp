// Issue 8, run as root (CI is root): a symbolic link planted at any name the real shmviz binary
// writes, final or temporary, aims at a victim file; the victim must stay unchanged. The old
// code wrote NAME.tmp then renamed, and followed links at shmviz-DATE.png, settings.ini (under an
// inherited XDG_CONFIG_HOME) and shmviz-session-DATE.steps. Each run happens in a private mount
// namespace with an empty tmpfs over /root, so root's real home is neither read nor written.
#include "gui_harness.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVictimText = "the victim's own bytes\n";

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class GuiSymlink : public ::testing::Test {
  protected:
    void SetUp() override {
        if (geteuid() != 0)
            GTEST_SKIP() << "the attack aims at root; run as root (CI does)";
        if (!haveTools(true))
            GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
        m_victim = m_dir.file("victim");
        std::ofstream(m_victim) << kVictimText;
        chmod(m_dir.path().c_str(), 0755); // the planting user must reach the directory
    }

    // A link at `at` to the victim, owned by nobody, as another local user would plant it.
    void plant(const std::string& at) const {
        fs::create_directories(fs::path(at).parent_path());
        ASSERT_EQ(symlink(m_victim.c_str(), at.c_str()), 0) << at;
        ASSERT_EQ(lchown(at.c_str(), 65534, 65534), 0) << at;
    }

    // Links at every name stamped PREFIX-YYYYmmdd-HHMMSS EXT (and EXT.tmp) from now for `seconds`.
    void plantStamped(const std::string& dir, const char* prefix, const char* ext, int seconds,
                      bool finalToo) const {
        const std::time_t now = std::time(nullptr);
        for (std::time_t t = now - 2; t < now + seconds; ++t) {
            std::tm tm{};
            localtime_r(&t, &tm);
            char stamp[32];
            std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
            const std::string name = dir + "/" + prefix + stamp + ext;
            if (finalToo)
                plant(name);
            plant(name + ".tmp");
        }
    }

    // Runs `inner` (a shell command) as root inside a private mount namespace whose /root is an
    // empty tmpfs; `setup` runs there first (e.g. mkdir /root/Pictures).
    int runIsolated(const std::string& inner, const std::string& setup = "true") const {
        const std::string script = "mount -t tmpfs tmpfs /root && " + setup + " && cd " +
                                   quoted(m_dir.path()) + " && ASAN_OPTIONS=detect_leaks=0 " + inner;
        return runShell("unshare --mount --propagation private sh -c " + quoted(script) + " 2>" +
                        quoted(m_dir.file("stderr")));
    }

    std::string driveKeys(const std::string& keys) const {
        return "xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) + " " +
               quoted(SHMVIZ_APP_PATH) + " empty.steps " + quoted(m_dir.file("trace.jsonl")) + " " + keys;
    }

    void expectVictimUnchanged() const {
        EXPECT_EQ(readText(m_victim), kVictimText) << "stderr: " << readText(m_dir.file("stderr"));
    }

    std::vector<nlohmann::json> traceLines(const char* key) const {
        std::vector<nlohmann::json> out;
        for (nlohmann::json& line : readJsonLines(m_dir.file("trace.jsonl")))
            if (line.contains(key))
                out.push_back(std::move(line));
        return out;
    }

    TempDir m_dir;
    std::string m_victim;
};

TEST_F(GuiSymlink, ScreenshotFlagRefusesALinkAnotherUserPlantedAtTheNamedFile) {
    m_dir.write("s.steps", "shmget 16K\n");
    plant(m_dir.file("fig.png"));
    plant(m_dir.file("fig.png.tmp"));
    const int status = runIsolated("xvfb-run -a -s '-screen 0 1280x800x24' " + quoted(SHMVIZ_APP_PATH) +
                                   " --script s.steps --screenshot fig.png --size 640x480");
    EXPECT_NE(status, 0) << "a refused screenshot is a failed run";
    expectVictimUnchanged();
    EXPECT_TRUE(fs::is_symlink(m_dir.file("fig.png")));
    const std::string err = readText(m_dir.file("stderr"));
    EXPECT_NE(err.find("symbolic link owned by another user (uid 65534)"), std::string::npos) << err;
}

TEST_F(GuiSymlink, ScreenshotFlagIsNotFooledByTheOldTempName) {
    m_dir.write("s.steps", "shmget 16K\n");
    plant(m_dir.file("fig.png.tmp"));
    const int status = runIsolated("xvfb-run -a -s '-screen 0 1280x800x24' " + quoted(SHMVIZ_APP_PATH) +
                                   " --script s.steps --screenshot fig.png --size 640x480");
    ASSERT_EQ(status, 0) << readText(m_dir.file("stderr"));
    expectVictimUnchanged();
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(m_dir.file("fig.png"))));
    Image png;
    EXPECT_TRUE(png.load(m_dir.file("fig.png")));
    EXPECT_EQ(png.width, 640);
}

TEST_F(GuiSymlink, F12SaveStepsAndSettingsRefuseLinksAtTheirNames) {
    m_dir.write("empty.steps", "# nothing\n");
    // No /root/Pictures in the namespace: F12 falls back to the current directory.
    plantStamped(m_dir.path(), "shmviz-", ".png", 180, true);
    plantStamped(m_dir.path(), "shmviz-session-", ".steps", 180, true);
    // settings.ini under an XDG_CONFIG_HOME inherited from another user (sudo -E).
    plant(m_dir.file("evil-config/shmviz/settings.ini"));
    plant(m_dir.file("evil-config/shmviz/settings.ini.tmp"));
    const int status =
        runIsolated("XDG_CONFIG_HOME=" + quoted(m_dir.file("evil-config")) + " " + driveKeys("F12 ctrl+s") +
                        " && cp -r /root/.config " + quoted(m_dir.file("root-config")),
                    "true");
    ASSERT_EQ(status, 0) << readText(m_dir.file("stderr"));
    expectVictimUnchanged();

    const auto shots = traceLines("screenshot");
    ASSERT_EQ(shots.size(), 1u);
    EXPECT_FALSE(shots[0].value("ok", true)) << shots[0].dump();
    const auto steps = traceLines("steps");
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_FALSE(steps[0].value("ok", true)) << steps[0].dump();
    // Root's settings went to root's own home, not to the inherited XDG_CONFIG_HOME.
    EXPECT_TRUE(fs::is_regular_file(m_dir.file("root-config/shmviz/settings.ini")));
    EXPECT_TRUE(fs::is_symlink(m_dir.file("evil-config/shmviz/settings.ini")));
}

TEST_F(GuiSymlink, NamedSettingsDirWithALinkIsRefusedWithASentence) {
    m_dir.write("empty.steps", "# nothing\n");
    plant(m_dir.file("cfg/settings.ini"));
    const int status =
        runIsolated("SHMVIZ_TEST_CONFIG_DIR=" + quoted(m_dir.file("cfg")) + " " + driveKeys(""));
    ASSERT_EQ(status, 0) << readText(m_dir.file("stderr"));
    expectVictimUnchanged();
    const std::string err = readText(m_dir.file("stderr"));
    EXPECT_NE(err.find("Did not save the settings"), std::string::npos) << err;
    EXPECT_NE(err.find("(ELOOP)"), std::string::npos) << err;
}

TEST_F(GuiSymlink, F12SavesIntoPicturesAndSaysTheAbsolutePath) {
    m_dir.write("empty.steps", "# nothing\n");
    const int status =
        runIsolated(driveKeys("F12") + " && cp -r /root/Pictures " + quoted(m_dir.file("pictures")),
                    "mkdir /root/Pictures");
    ASSERT_EQ(status, 0) << readText(m_dir.file("stderr"));
    const auto shots = traceLines("screenshot");
    ASSERT_EQ(shots.size(), 1u);
    EXPECT_TRUE(shots[0].value("ok", false)) << shots[0].dump();
    const std::string path = shots[0].value("screenshot", "");
    ASSERT_EQ(path.rfind("/root/Pictures/shmviz-", 0), 0u) << path;
    Image png;
    EXPECT_TRUE(png.load(m_dir.file("pictures/" + fs::path(path).filename().string())));
}

} // namespace
} // namespace shmviz::test
