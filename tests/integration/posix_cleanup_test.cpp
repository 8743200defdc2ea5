// No /dev/shm entry and no worker (forked children included) survives the real shmviz binary,
// however it ends.
#include "app_process.h"
#include "posix_names.h"

#include <csignal>
#include <gtest/gtest.h>
#include <sys/mman.h>

using namespace shmviz::testing;

namespace {

struct Started {
    std::string name;
    std::vector<pid_t> workers;
};

nlohmann::json step(AppProcess& app, const std::string& line) {
    app.send(line);
    auto r = app.reply();
    EXPECT_TRUE(r.is_object() && r["ok"] == true) << line << ": " << r.dump();
    return r;
}

Started startPosix(AppProcess& app, const std::string& what) {
    Started s;
    s.name = uniqueShmName(what);
    shm_unlink(s.name.c_str());
    step(app, "shm_open " + s.name + " size=16K");
    const auto spawned = step(app, "spawn 2");
    for (const auto& w : spawned["workers"])
        s.workers.push_back(w["pid"].get<pid_t>());
    step(app, "mmap all");
    step(app, "mmap 1 private");
    step(app, "touch all");
    step(app, "anon 0 1");
    auto forked = step(app, "fork 0");
    if (forked.contains("worker"))
        s.workers.push_back(forked["worker"]["pid"].get<pid_t>());
    EXPECT_EQ(s.workers.size(), 3u);
    EXPECT_TRUE(inDevShm(s.name));
    return s;
}

void expectAllGone(const Started& s, int ms) {
    EXPECT_TRUE(within(ms, [&] { return !inDevShm(s.name); })) << s.name << " left in /dev/shm";
    for (pid_t pid : s.workers)
        EXPECT_TRUE(within(ms, [&] { return processGone(pid); })) << "worker " << pid << " left behind";
    shm_unlink(s.name.c_str());
}

} // namespace

TEST(PosixCleanup, NothingLeftAfterQuit) {
    AppProcess app({"--headless"});
    Started s = startPosix(app, "quit");
    app.send("quit");
    app.reply();
    EXPECT_EQ(app.wait(), 0);
    expectAllGone(s, 2000);
}

TEST(PosixCleanup, NothingLeftAfterSigterm) {
    AppProcess app({"--headless"});
    Started s = startPosix(app, "sigterm");
    app.signal(SIGTERM);
    app.wait();
    expectAllGone(s, 2000);
}

TEST(PosixCleanup, NothingLeftAfterSigkillWithinTwoSeconds) {
    AppProcess app({"--headless"});
    Started s = startPosix(app, "sigkill");
    app.signal(SIGKILL);
    EXPECT_EQ(app.wait(), 128 + SIGKILL);
    expectAllGone(s, 2000);
}

TEST(PosixCleanup, EveryNewLessonRunsToTheEnd) {
    // posix-lifecycle shows SIGBUS on purpose: that one step fails, so the run exits 1.
    for (std::string lesson : {"posix-lifecycle", "cow-private", "fork-inherit"}) {
        AppProcess app({"--headless", "--lesson", lesson});
        int steps = 0;
        for (auto r = app.reply(); !r.is_null(); r = app.reply()) {
            ++steps;
            const bool sigbus = r["ok"] == false &&
                                r["error"]["message"].get<std::string>().find("SIGBUS") != std::string::npos;
            EXPECT_TRUE(r["ok"] == true || (lesson == "posix-lifecycle" && sigbus))
                << lesson << ": " << r.dump().substr(0, 400);
        }
        EXPECT_GT(steps, 5) << lesson;
        EXPECT_EQ(app.wait(), lesson == "posix-lifecycle" ? 1 : 0) << lesson;
    }
}
