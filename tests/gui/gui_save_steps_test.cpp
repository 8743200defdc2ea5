// File -> Save steps (Ctrl+S) after both labs and some buttons: the saved script holds every line
// the session ran, in order, lab runs included, and replaying it headless runs the same steps with
// the same outcomes.
#include "gui_harness.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fstream>

namespace shmviz::test {
namespace {

std::string savedStepsIn(const std::string& dir) {
    std::string found;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            if (name.starts_with("shmviz-session-") && name.ends_with(".steps"))
                found = dir + "/" + name;
        }
        closedir(d);
    }
    return found;
}

std::vector<std::string> stepLines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#')
            lines.push_back(line);
    return lines;
}

std::vector<nlohmann::json> repliesIn(const std::string& path) {
    std::vector<nlohmann::json> replies;
    for (nlohmann::json& line : readJsonLines(path))
        if (line.contains("cmd"))
            replies.push_back(std::move(line));
    return replies;
}

TEST(GuiSaveSteps, BothLabsAndButtonsReplayAsTheSameSession) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    // Space runs the script's next line through the script panel; a lab line opens its lab panel, whose
    // Run buttons are then clicked with the mouse (the panels' defaults: unsync race, 4 workers, a
    // million adds each; unsync torn reads for 2 s; a pipe carrying 64M). The window is tall enough
    // for the torn-reads button to show without scrolling the lab panel.
    dir.write("labs.steps", "spawn 2\nshmget 16K\nshmat all\nrace atomic 2 2000\ntorn seqlock 1\n"
                            "ipcbench shm 1M\n");
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
        " SHMVIZ_TEST_SIZE=1280x1000 xvfb-run -a -s '-screen 0 1280x1024x24' sh " +
        quoted(SHMVIZ_DRIVE_KEYS) + " " + quoted(SHMVIZ_APP_PATH) + " labs.steps " +
        quoted(dir.file("trace.jsonl")) +
        " space space space space click:race-run click:torn-run space space click:ipcbench-run t w r save"
        " 2>" +
        quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << command;

    const std::vector<nlohmann::json> gui = repliesIn(dir.file("trace.jsonl"));
    ASSERT_EQ(gui.size(), 12u);
    const std::string saved = savedStepsIn(dir.path());
    ASSERT_FALSE(saved.empty()) << "no shmviz-session-*.steps in " << dir.path();
    const std::vector<std::string> lines = stepLines(saved);
    ASSERT_EQ(lines.size(), gui.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(lines[i], gui[i].value("cmd", "")) << "line " << i + 1;
        EXPECT_TRUE(gui[i].value("ok", false)) << gui[i].dump();
    }
    EXPECT_EQ(lines[3], "race atomic 2 2000");
    EXPECT_EQ(lines[4], "race unsync 4 1000000"); // clicked
    EXPECT_EQ(lines[5], "torn unsync 2");         // clicked
    EXPECT_EQ(lines[6], "torn seqlock 1");
    EXPECT_EQ(lines[7], "ipcbench shm 1M");
    EXPECT_EQ(lines[8], "ipcbench pipe 64M"); // clicked

    const std::string replay = "cd " + quoted(dir.path()) + " && ASAN_OPTIONS=detect_leaks=0 " +
                               quoted(SHMVIZ_APP_PATH) + " --headless --script " + quoted(saved) + " > " +
                               quoted(dir.file("replay.jsonl")) + " 2>>" + quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(replay), 0) << replay;
    const std::vector<nlohmann::json> headless = repliesIn(dir.file("replay.jsonl"));
    ASSERT_EQ(headless.size(), gui.size());
    for (std::size_t i = 0; i < gui.size(); ++i) {
        EXPECT_EQ(headless[i].value("cmd", ""), gui[i].value("cmd", ""));
        EXPECT_EQ(headless[i].value("ok", false), gui[i].value("ok", true)) << headless[i].dump();
        // The same kind of result: the lab's own fields, the page touched, the text read back.
        for (const char* key : {"race", "torn", "ipcbench", "touched", "written", "text"})
            EXPECT_EQ(headless[i].contains(key), gui[i].contains(key)) << key << " in " << gui[i].dump();
    }
    EXPECT_EQ(headless[11].value("text", ""), gui[11].value("text", "?"));
}

} // namespace
} // namespace shmviz::test
