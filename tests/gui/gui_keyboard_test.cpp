// Synthetic key presses on the real window (xdotool under Xvfb) go through shmget, shmat and
// touch; the trace of replies shows each step ran and the page became present.
#include "gui_harness.h"

#include <gtest/gtest.h>

namespace shmviz::test {
namespace {

TEST(GuiKeyboard, SpawnShmgetShmatTouchFromTheKeyboard) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    dir.write("empty.steps", "# driven from the keyboard\n");
    // detect_leaks=0: under a sanitizer build, Mesa and Xlib keep allocations until exit.
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 SHMVIZ_TEST_CONFIG_DIR=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) + " " +
        quoted(SHMVIZ_APP_PATH) + " empty.steps " + quoted(dir.file("trace.jsonl")) + " n g a t 2>" +
        quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << command;

    std::vector<nlohmann::json> trace;
    for (nlohmann::json& line : readJsonLines(dir.file("trace.jsonl")))
        if (line.contains("cmd"))
            trace.push_back(std::move(line));
    ASSERT_GE(trace.size(), 4u);
    const char* expected[] = {"spawn", "shmget 16K", "shmat 0", "touch 0 0"};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(trace[i].value("cmd", ""), expected[i]);
        EXPECT_TRUE(trace[i].value("ok", false)) << trace[i].dump();
    }
    const nlohmann::json& touched = trace[3].at("touched");
    ASSERT_EQ(touched.size(), 1u);
    EXPECT_EQ(touched[0].value("worker", -1), 0);
    EXPECT_EQ(touched[0].value("first", -1), 0);
    EXPECT_NE(trace[3].value("explain", "").find("page 0"), std::string::npos);
}

// The number on a worker's label is the key that selects it: 0 selects worker 0 and 9 worker 9, so
// "3 then K" kills worker 3 in front of the class.
TEST(GuiKeyboard, NumberKeysSelectTheWorkerWithThatNumber) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    dir.write("empty.steps", "# driven from the keyboard\n");
    std::string keys;
    for (int i = 0; i < 10; ++i)
        keys += " n";
    keys += " '9 k' '0 k' '3 k' 'KP_5 k'";
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) + " " +
        quoted(SHMVIZ_APP_PATH) + " empty.steps " + quoted(dir.file("trace.jsonl")) + keys + " 2>" +
        quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << command;

    std::vector<std::string> kills;
    for (const nlohmann::json& line : readJsonLines(dir.file("trace.jsonl")))
        if (line.value("cmd", "").starts_with("kill")) {
            kills.push_back(line.value("cmd", ""));
            EXPECT_TRUE(line.value("ok", false)) << line.dump();
        }
    EXPECT_EQ(kills, (std::vector<std::string>{"kill 9", "kill 0", "kill 3", "kill 5"}));
}

} // namespace
} // namespace shmviz::test
