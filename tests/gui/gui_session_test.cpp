// A teacher's session in the real window (xdotool under Xvfb): a `require` the machine does not
// meet stops the script as headless does, and a new session ends the old workers and segments.
#include "gui_harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace shmviz::test {
namespace {

// Runs drive_keys.sh on SCRIPT with the given key arguments (already shell-quoted); returns the
// replies and other lines of the trace.
std::vector<nlohmann::json> driveWindow(const TempDir& dir, const std::string& script,
                                        const std::string& keys) {
    dir.write("lesson.steps", script);
    const std::string command =
        "cd " + quoted(dir.path()) +
        " && ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
        " xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) + " " +
        quoted(SHMVIZ_APP_PATH) + " lesson.steps " + quoted(dir.file("trace.jsonl")) + " " + keys + " 2>" +
        quoted(dir.file("stderr"));
    EXPECT_EQ(runShell(command), 0) << command;
    return readJsonLines(dir.file("trace.jsonl"));
}

std::vector<std::string> commands(const std::vector<nlohmann::json>& trace) {
    std::vector<std::string> out;
    for (const nlohmann::json& line : trace)
        if (line.contains("cmd"))
            out.push_back(line.value("cmd", ""));
    return out;
}

std::string fileText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(GuiSession, AFailedRequireStopsTheScriptWithItsReasonAndTheCommand) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    // No machine has a million free huge pages, so this require always stops the script.
    // After it, Space must run nothing more: the N key's spawn is the next reply.
    const auto trace = driveWindow(dir, "# needs huge pages\nrequire hugepages 1000000\nspawn 1\nshmget 4K\n",
                                   "space 'space space Next n'");
    EXPECT_EQ(commands(trace), (std::vector<std::string>{"require hugepages 1000000", "spawn"}));
    for (const nlohmann::json& line : trace)
        if (line.value("cmd", "") == "require hugepages 1000000") {
            EXPECT_TRUE(line.value("skipped_rest", false)) << line.dump();
            EXPECT_NE(line.value("explain", "").find("sudo sysctl vm.nr_hugepages="), std::string::npos);
        }
}

// Ctrl+N (File -> New session; choosing a lesson takes the same path) twice: each time the workers
// and segments of the run before are gone from the process list and from ipcs -m, and the script
// starts again at its first line.
TEST(GuiSession, ALessonStartedTwiceStartsFreshEachTime) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    const auto look = [](int i) {
        const std::string n = std::to_string(i);
        return quoted("@ps -e -o pid= > ps.txt" + n + "; ipcs -m > ipcs.txt" + n);
    };
    const auto trace = driveWindow(dir, "# fresh\nspawn 2\nshmget 16K key=0x5eedcafe\nshmat all\n",
                                   "space space space " + look(0) + " 'ctrl+n space' space space " + look(1) +
                                       " 'ctrl+n space' space space " + look(2));
    // Each run: spawn 2, shmget, shmat all; three runs.
    std::vector<std::vector<int>> pids(3);
    std::vector<int> shmids;
    int run_ = -1;
    for (const nlohmann::json& line : trace) {
        if (line.value("session", "") == "new")
            continue;
        const std::string cmd = line.value("cmd", "");
        if (cmd == "spawn 2") {
            ++run_;
            ASSERT_LT(run_, 3);
            ASSERT_EQ(line.value("step", 0), 1) << "a new session numbers its steps from 1: " << line.dump();
            for (const nlohmann::json& w : line.at("workers"))
                pids[run_].push_back(w.value("pid", 0));
        }
        if (cmd.starts_with("shmget")) {
            EXPECT_TRUE(line.value("ok", false)) << line.dump();
            EXPECT_TRUE(line.at("segment").value("created", false)) << "a fresh session creates the key anew";
            shmids.push_back(line.at("segment").value("shmid", -1));
        }
        if (cmd.starts_with("shmat")) {
            EXPECT_TRUE(line.value("ok", false)) << line.dump();
        }
    }
    ASSERT_EQ(run_, 2);
    ASSERT_EQ(shmids.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        std::istringstream ps(fileText(dir.file("ps.txt" + std::to_string(i))));
        std::vector<int> alive;
        for (int pid; ps >> pid;)
            alive.push_back(pid);
        const std::string ipcs = fileText(dir.file("ipcs.txt" + std::to_string(i)));
        for (int j = 0; j < 3; ++j) {
            const bool current = j == i;
            for (int pid : pids[j])
                EXPECT_EQ(std::find(alive.begin(), alive.end(), pid) != alive.end(), current)
                    << "run " << j << "'s worker " << pid << " after run " << i;
            const bool listed = ipcs.find(" " + std::to_string(shmids[j]) + " ") != std::string::npos;
            if (j < i) {
                EXPECT_FALSE(listed) << "run " << j << "'s segment " << shmids[j] << " after run " << i
                                     << ":\n"
                                     << ipcs;
            }
            if (j == i) {
                EXPECT_TRUE(listed) << ipcs;
            }
        }
    }
}

// Runs `sh -c` COMMAND in a private IPC namespace when this machine allows one (root or user
// namespaces), so ipcs -m lists only what the run made; else as it is.
std::string inPrivateIpc(const std::string& command) {
    if (runShell("unshare --ipc true 2>/dev/null") == 0)
        return "unshare --ipc sh -c " + quoted(command);
    return command;
}

// What one look between keys saw: the app's child processes and the ids ipcs -m listed.
struct Look {
    std::vector<int> children;
    std::vector<int> shmids;
};

Look readLook(const TempDir& dir, int i) {
    Look look;
    std::istringstream ps(fileText(dir.file("children.txt" + std::to_string(i))));
    for (int pid; ps >> pid;)
        look.children.push_back(pid);
    std::istringstream ipcs(fileText(dir.file("ipcs.txt" + std::to_string(i))));
    for (std::string line; std::getline(ipcs, line);) { // key shmid owner perms bytes nattch status
        std::istringstream fields(line);
        std::string key;
        int shmid = -1;
        if (fields >> key >> shmid && key.starts_with("0x"))
            look.shmids.push_back(shmid);
    }
    return look;
}

bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

// The lifecycle lesson picked from the window's Lessons menu, then from the menu again, then from
// the script panel's lesson list: the same clicks a teacher makes. After each pick its first five
// lines run (say, shmget under its fixed key, spawn 2, say, shmat all), and the app's child
// processes and ipcs -m are read: only this run's two workers and this run's segment remain, and
// the shmget created the key afresh (the last run's segment under that key is gone).
TEST(GuiSession, ALessonPickedFromTheMenuTwiceStartsFreshEachTime) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    dir.write("start.steps", "# before any lesson\nspawn 1\n");
    const auto look = [](int i) {
        const std::string n = std::to_string(i);
        return quoted("@ps -o pid= --ppid \"$SHMVIZ_APP_PID\" > children.txt" + n + "; ipcs -m > ipcs.txt" +
                      n);
    };
    const std::string fiveLines = " space space space space space ";
    const std::string keys = "space " + look(0) + " open:menu:Lessons pick:lesson:lifecycle" + fiveLines +
                             look(1) + " open:menu:Lessons pick:lesson:lifecycle" + fiveLines + look(2) +
                             " open:lesson-list pick:list:lifecycle" + fiveLines + look(3);
    const std::string drive = "ASAN_OPTIONS=detect_leaks=0 XDG_CONFIG_HOME=" + quoted(dir.file("config")) +
                              " xvfb-run -a -s '-screen 0 1280x800x24' sh " + quoted(SHMVIZ_DRIVE_KEYS) +
                              " " + quoted(SHMVIZ_APP_PATH) + " start.steps " +
                              quoted(dir.file("trace.jsonl")) + " " + keys;
    const std::string command =
        "cd " + quoted(dir.path()) + " && " + inPrivateIpc(drive) + " 2>" + quoted(dir.file("stderr"));
    ASSERT_EQ(runShell(command), 0) << command << "\n" << fileText(dir.file("stderr"));
    const auto trace = readJsonLines(dir.file("trace.jsonl"));

    // Runs: 0 is start.steps, 1..3 the three picks. Each pick's first reply is the lesson's line 1.
    std::vector<std::vector<nlohmann::json>> runs(1);
    std::vector<std::string> picked;
    for (const nlohmann::json& line : trace) {
        if (line.value("session", "") == "new") {
            runs.emplace_back();
            picked.push_back(line.value("script", ""));
        } else if (line.contains("cmd")) {
            runs.back().push_back(line);
        }
    }
    ASSERT_EQ(runs.size(), 4u) << "three picks, three new sessions";
    EXPECT_EQ(picked, (std::vector<std::string>(3, "lifecycle")));
    // The lesson's first five lines (say, shmget under its fixed key, spawn 2, say, shmat all).
    std::vector<std::string> firstLines;
    std::istringstream lesson(fileText(std::string(SHMVIZ_LESSONS) + "/lifecycle.steps"));
    for (std::string line; firstLines.size() < 5 && std::getline(lesson, line);)
        if (!line.empty() && line[0] != '#')
            firstLines.push_back(line);
    ASSERT_EQ(firstLines.size(), 5u);
    EXPECT_TRUE(firstLines[1].starts_with("shmget") && firstLines[2] == "spawn 2" &&
                firstLines[4] == "shmat all")
        << "the test reads workers, segment and attachments from these lines";
    std::vector<std::vector<int>> workers(4);
    std::vector<int> shmids(4, -1);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        ASSERT_FALSE(runs[r].empty()) << "run " << r;
        EXPECT_EQ(runs[r].front().value("step", 0), 1) << "a new session numbers its steps from 1";
        for (const nlohmann::json& reply : runs[r]) {
            EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
            if (reply.value("cmd", "").starts_with("spawn"))
                for (const nlohmann::json& w : reply.at("workers"))
                    workers[r].push_back(w.value("pid", 0));
            if (reply.value("cmd", "").starts_with("shmget")) {
                EXPECT_TRUE(reply.at("segment").value("created", false)) << "the last run's key is gone";
                shmids[r] = reply.at("segment").value("shmid", -1);
            }
        }
        if (r > 0) {
            std::vector<std::string> cmds;
            for (const nlohmann::json& reply : runs[r])
                cmds.push_back(reply.value("cmd", ""));
            EXPECT_EQ(cmds, firstLines) << "the lesson starts again at its first line";
            EXPECT_EQ(workers[r].size(), 2u);
        }
    }
    for (int i = 0; i < 4; ++i) {
        const Look seen = readLook(dir, i);
        for (int r = 0; r < 4; ++r) {
            for (int pid : workers[static_cast<std::size_t>(r)])
                EXPECT_EQ(contains(seen.children, pid), r == i)
                    << "run " << r << "'s worker " << pid << " as a child of the app after run " << i;
            if (shmids[static_cast<std::size_t>(r)] >= 0) {
                EXPECT_EQ(contains(seen.shmids, shmids[static_cast<std::size_t>(r)]), r == i)
                    << "run " << r << "'s segment " << shmids[static_cast<std::size_t>(r)]
                    << " in ipcs -m after run " << i << ":\n"
                    << fileText(dir.file("ipcs.txt" + std::to_string(i)));
            }
        }
    }
}

// The timeline on a clicker: five steps forward, three back with PageUp (the diagram shows step 2,
// read-only), three forward with PageDown to live, and then Space goes on with the script.
TEST(GuiSession, PageUpGoesBackThroughTheTimelineAndPageDownReturnsToLive) {
    if (!haveTools(true))
        GTEST_SKIP() << "xvfb-run or xdotool is not installed (Debian packages xvfb, xdotool)";
    TempDir dir;
    const auto trace =
        driveWindow(dir, "# timeline\nspawn 2\nshmget 16K\nshmat all\ntouch 0 all\ntouch 1 0\nshmdt 1\n",
                    "space space space space space ~Prior ~Prior ~Prior ~Next ~Next ~Next space");
    EXPECT_EQ(commands(trace), (std::vector<std::string>{"spawn 2", "shmget 16K", "shmat all", "touch 0 all",
                                                         "touch 1 0", "shmdt 1"}));
    // The view lines after the fifth reply, in order.
    std::vector<nlohmann::json> views;
    int replies = 0;
    for (const nlohmann::json& line : trace) {
        replies += line.contains("cmd");
        if (replies == 5 && line.contains("timeline") && (views.empty() || views.back() != line["timeline"]))
            views.push_back(line["timeline"]); // a repeat (the live picture redrawn) is no change of view
    }
    ASSERT_GE(views.size(), 7u);
    const std::size_t n = views.size();
    // The last seven: live after step 5, then steps 4, 3, 2, 3, 4 and live again.
    const nlohmann::json& live = views[n - 7];
    EXPECT_TRUE(live.value("live", false)) << live.dump();
    EXPECT_EQ(live.value("present", 0), 5) << live.dump(); // 4 pages in worker 0, 1 in worker 1
    const int expectedSteps[] = {4, 3, 2, 3, 4};
    for (int i = 0; i < 5; ++i) {
        const nlohmann::json& v = views[n - 6 + static_cast<std::size_t>(i)];
        EXPECT_FALSE(v.value("live", true)) << v.dump();
        EXPECT_EQ(v.value("step", 0), expectedSteps[i]) << v.dump();
        EXPECT_EQ(v.value("of", 0), 5) << v.dump();
    }
    // Step 2 (shmget): a segment, nobody attached, no arrow in the diagram drawn from it.
    const nlohmann::json& step2 = views[n - 4];
    EXPECT_EQ(step2.value("segments", -1), 1) << step2.dump();
    EXPECT_EQ(step2.value("attachments", -1), 0) << step2.dump();
    EXPECT_EQ(step2.value("arrows", -1), 0) << step2.dump();
    // Step 3 (shmat all): attached, still no arrow; step 4 (touch 0 all): four arrows.
    EXPECT_EQ(views[n - 5].value("attachments", -1), 2);
    EXPECT_EQ(views[n - 5].value("arrows", -1), 0);
    EXPECT_EQ(views[n - 6].value("arrows", -1), 4);
    EXPECT_EQ(views[n - 2].value("arrows", -1), 4);
    const nlohmann::json& back = views[n - 1];
    EXPECT_TRUE(back.value("live", false)) << back.dump();
    EXPECT_EQ(back.value("arrows", -1), 5) << back.dump();
}

} // namespace
} // namespace shmviz::test
