// The real shmviz binary, driven through its stdin like another program would.
#include "app_process.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmviz::testing;

namespace {

struct Started {
    int shmid = -1;
    std::vector<pid_t> workers;
};

// Creates a segment, two attached workers with touched pages; returns what to look for afterwards.
Started startLesson(AppProcess& app) {
    Started s;
    app.send("shmget 16K");
    auto created = app.reply();
    EXPECT_TRUE(created["ok"].get<bool>()) << created.dump();
    s.shmid = created["segment"]["shmid"].get<int>();
    app.send("spawn 2");
    auto spawned = app.reply();
    for (auto& w : spawned["workers"])
        s.workers.push_back(w["pid"].get<pid_t>());
    app.send("shmat all");
    EXPECT_TRUE(app.reply()["ok"].get<bool>());
    app.send("touch all");
    EXPECT_TRUE(app.reply()["ok"].get<bool>());
    EXPECT_EQ(s.workers.size(), 2u);
    EXPECT_FALSE(segmentGone(s.shmid));
    return s;
}

void expectAllGone(const Started& s, int ms) {
    EXPECT_TRUE(within(ms, [&] { return segmentGone(s.shmid); })) << "segment " << s.shmid << " left behind";
    for (pid_t pid : s.workers)
        EXPECT_TRUE(within(ms, [&] { return processGone(pid); })) << "worker " << pid << " left behind";
}

} // namespace

TEST(HeadlessApp, OneJsonObjectPerStepWithTheDocumentedFields) {
    AppProcess app({"--headless"});
    app.send("shmget 16K key=0x5356a003");
    auto r = app.reply();
    EXPECT_EQ(r["step"], 1);
    EXPECT_EQ(r["cmd"], "shmget 16K key=0x5356a003");
    EXPECT_EQ(r["ok"], true);
    EXPECT_FALSE(r["explain"].get<std::string>().empty());
    app.send("bogus step");
    r = app.reply();
    EXPECT_EQ(r["step"], 2);
    EXPECT_EQ(r["ok"], false);
    EXPECT_EQ(r["error"]["errno"], "EINVAL");
    app.send("spawn 2");
    app.reply();
    app.send("shmat all");
    app.reply();
    app.send("touch 0 0");
    app.reply();
    app.send("snapshot");
    r = app.reply();
    ASSERT_TRUE(r.contains("snapshot")) << r.dump();
    auto& snap = r["snapshot"];
    EXPECT_EQ(snap["page_size"], 4096);
    ASSERT_EQ(snap["segments"].size(), 1u);
    auto& seg = snap["segments"][0];
    for (const char* key : {"id", "kind", "shmid", "key", "size", "mode", "nattch", "dest", "exists", "kept"})
        EXPECT_TRUE(seg.contains(key)) << key;
    EXPECT_EQ(seg["kind"], "sysv");
    EXPECT_EQ(seg["key"], "0x5356a003");
    EXPECT_EQ(seg["mode"], "0600");
    EXPECT_EQ(seg["nattch"], 2);
    auto& page = snap["workers"][0]["attachments"][0]["pages"][0];
    for (const char* key : {"index", "va", "present", "pfn", "entry"})
        EXPECT_TRUE(page.contains(key)) << key;
    EXPECT_EQ(page["present"], true);
    EXPECT_EQ(page["entry"].get<std::string>().size(), 18u) << "0x + 16 hex digits";
    EXPECT_EQ(snap["workers"][1]["attachments"][0]["pages"][0]["present"], false);
    if (snap["pfn_visible"] == true) {
        ASSERT_EQ(snap["frames"].size(), 1u);
        EXPECT_EQ(snap["frames"][0]["mapped_by"].size(), 1u);
        EXPECT_EQ(snap["frames"][0]["pfn"], page["pfn"]);
    } else {
        EXPECT_TRUE(page["pfn"].is_null()) << "never an invented frame number";
    }
    app.send("quit");
    EXPECT_EQ(app.reply()["ok"], true);
    EXPECT_EQ(app.wait(), 1) << "one step failed";
}

TEST(HeadlessApp, ExitStatusIsZeroWhenEveryStepSucceeds) {
    AppProcess app({"--headless", "--lesson", "lifecycle"});
    int steps = 0;
    while (!app.reply().is_null())
        ++steps;
    EXPECT_GT(steps, 10);
    EXPECT_EQ(app.wait(), 0);
}

TEST(HeadlessApp, UsageErrorExitsWithTwo) {
    AppProcess app({"--headless", "--no-such-flag"});
    EXPECT_EQ(app.wait(), 2);
    AppProcess lesson({"--headless", "--lesson", "no-such-lesson"});
    EXPECT_EQ(lesson.wait(), 2);
}

TEST(HeadlessApp, NothingLeftAfterQuit) {
    AppProcess app({"--headless"});
    Started s = startLesson(app);
    app.send("quit");
    app.reply();
    EXPECT_EQ(app.wait(), 0);
    expectAllGone(s, 2000);
}

TEST(HeadlessApp, NothingLeftAfterSigterm) {
    AppProcess app({"--headless"});
    Started s = startLesson(app);
    app.signal(SIGTERM);
    app.wait();
    expectAllGone(s, 2000);
}

TEST(HeadlessApp, NothingLeftAfterSigint) {
    AppProcess app({"--headless"});
    Started s = startLesson(app);
    app.signal(SIGINT);
    app.wait();
    expectAllGone(s, 2000);
}

TEST(HeadlessApp, NothingLeftAfterSigkillWithinTwoSeconds) {
    AppProcess app({"--headless"});
    Started s = startLesson(app);
    app.signal(SIGKILL);
    EXPECT_EQ(app.wait(), 128 + SIGKILL);
    expectAllGone(s, 2000);
}

TEST(HeadlessApp, KeptSegmentSurvivesAndPersistsAcrossRuns) {
    const key_t key = 0x5348560a; // the persistence lessons' key
    if (int stale = shmget(key, 0, 0); stale >= 0)
        shmctl(stale, IPC_RMID, nullptr);
    {
        AppProcess first({"--headless", "--lesson", "persistence-1"});
        while (!first.reply().is_null()) {
        }
        EXPECT_EQ(first.wait(), 0);
    }
    const int shmid = shmget(key, 0, 0);
    ASSERT_GE(shmid, 0) << "the kept segment outlives the first run";
    shmid_ds ds{};
    ASSERT_EQ(shmctl(shmid, IPC_STAT, &ds), 0);
    EXPECT_EQ(ds.shm_nattch, 0u);
    {
        AppProcess second({"--headless", "--lesson", "persistence-2"});
        std::string text;
        bool opened = false;
        for (auto r = second.reply(); !r.is_null(); r = second.reply()) {
            if (r["cmd"].get<std::string>().starts_with("shmget"))
                opened =
                    r["ok"] == true && r["segment"]["created"] == false && r["segment"]["shmid"] == shmid;
            if (r.contains("text"))
                text = r["text"];
        }
        EXPECT_TRUE(opened) << "the second run opened the existing segment";
        EXPECT_EQ(text, "written by the first run");
        EXPECT_EQ(second.wait(), 0);
    }
    EXPECT_TRUE(segmentGone(shmid)) << "the second run removed it";
}

// Issue 8: run as root (sudo keeps some of the caller's environment), SHMVIZ_WORKER must not
// choose the program shmviz runs. A wrapper that leaves a mark, then runs the real worker,
// would be used if it were trusted.
TEST(HeadlessApp, AsRootShmvizWorkerFromTheEnvironmentIsIgnored) {
    if (geteuid() != 0)
        GTEST_SKIP() << "the environment is trusted when shmviz runs without privileges";
    char dir[] = "/tmp/shmviz-worker-env-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string wrapper = std::string(dir) + "/fake-worker";
    const std::string mark = std::string(dir) + "/ran";
    {
        std::ofstream out(wrapper);
        out << "#!/bin/sh\ntouch '" << mark << "'\nexec '" << SHMVIZ_WORKER_PATH << "' \"$@\"\n";
    }
    chmod(wrapper.c_str(), 0755);
    setenv("SHMVIZ_WORKER", wrapper.c_str(), 1);
    AppProcess app({"--headless"});
    unsetenv("SHMVIZ_WORKER");
    app.send("spawn 1");
    const nlohmann::json reply = app.reply();
    EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
    app.closeInput();
    EXPECT_EQ(app.wait(), 0);
    EXPECT_NE(access(mark.c_str(), F_OK), 0) << "shmviz ran the program SHMVIZ_WORKER named";
    std::filesystem::remove_all(dir);
}

// Predict, then reveal: an ask prints its question at once, and the next step that acts carries
// the true answer read from the snapshots (a say in between does not answer it).
TEST(HeadlessApp, AnAskPrintsTheQuestionThenTheTrueAnswer) {
    AppProcess app({"--headless"});
    for (const char* line : {"spawn 2", "shmget 16K", "shmat all", "touch 0 0"}) {
        app.send(line);
        EXPECT_TRUE(app.reply()["ok"].get<bool>()) << line;
    }
    app.send("ask frame 1 0: Worker 1 touches page 0. A new frame, or the one worker 0 uses?");
    auto asked = app.reply();
    ASSERT_TRUE(asked["ok"].get<bool>()) << asked.dump();
    EXPECT_EQ(asked["ask"]["kind"], "frame");
    EXPECT_EQ(asked["ask"]["question"], "Worker 1 touches page 0. A new frame, or the one worker 0 uses?");
    EXPECT_FALSE(asked.contains("answer"));
    app.send("say a word in between");
    EXPECT_FALSE(app.reply().contains("answer"));
    app.send("touch 1 0");
    auto answered = app.reply();
    ASSERT_TRUE(answered.contains("answer")) << answered.dump();
    EXPECT_EQ(answered["answer"]["question"], asked["ask"]["question"]);
    app.send("snapshot");
    auto snap = app.reply();
    const bool pfnVisible = snap["snapshot"]["pfn_visible"].get<bool>();
    if (pfnVisible) {
        EXPECT_EQ(answered["answer"]["value"], "a frame already in use") << answered.dump();
        EXPECT_NE(answered["explain"].get<std::string>().find("Answer: page 0 of worker 1 points at frame"),
                  std::string::npos);
    } else {
        EXPECT_TRUE(answered["answer"]["value"].is_null()) << answered.dump();
    }
    app.send("ask nattch: What will nattch be after worker 1 detaches?");
    app.reply();
    app.send("shmdt 1");
    auto detached = app.reply();
    EXPECT_EQ(detached["answer"]["value"], 1) << detached.dump();
    app.send("ask present 0 1: Will page 1 of worker 0 be present?");
    app.reply();
    app.send("read 0 0");
    EXPECT_EQ(app.reply()["answer"]["value"], "no"); // System V: no fault-around
}
