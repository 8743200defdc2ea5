// The streaming writer against golden files: every key, its order and every value's spelling, for
// replies of each kind and for a snapshot per page and as runs. Regenerate a golden file only after
// checking the change against README "Headless JSON" (SHMVIZ_UPDATE_GOLDEN=1 writes them).
#include "app/json/json_stream.h"
#include "app/json/json_writer.h"
#include "core/kernel/file_text.h"
#include "core/session/snapshot_runs.h"
#include "core/steps/units.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace shmviz {
namespace {

constexpr std::uint64_t kPresent = std::uint64_t{1} << 63;
constexpr std::uint64_t kFileShared = std::uint64_t{1} << 61;
constexpr std::uint64_t kSoftDirty = std::uint64_t{1} << 55;
constexpr std::uint64_t kExclusive = std::uint64_t{1} << 56;

core::Snapshot fixtureSnapshot() {
    core::Snapshot s;
    s.generation = 7;
    s.pfnVisible = true;
    core::SegmentView sysv;
    sysv.id = 0;
    sysv.shmid = 32769;
    sysv.key = 0x5eed;
    sysv.size = 4 * 4096;
    sysv.mode = 0600;
    sysv.nattch = 2;
    sysv.created = true;
    sysv.cpid = 1000;
    sysv.lpid = 1001;
    core::SegmentView posix;
    posix.id = 1;
    posix.kind = core::SegmentKind::Posix;
    posix.name = "/shmviz-\xff-demo"; // not UTF-8: written with U+FFFD
    posix.linked = true;
    posix.inode = 4242;
    posix.size = 2 * 1024 * 1024;
    posix.mode = 0640;
    posix.nattch = 1;
    posix.created = true;
    posix.hugetlb = true;
    posix.hugePageSize = 2 * 1024 * 1024;
    sysv.residentKnown = true;
    sysv.residentBytes = 3 * 4096;
    sysv.swapBytes = 0;
    sysv.residency = "rss and swap of its row in /proc/sysvipc/shm";
    posix.residentKnown = true;
    posix.residentBytes = 2 * 1024 * 1024;
    posix.swapBytes = 0;
    posix.residency = "fstat: blocks the hugetlbfs file holds (huge pages are never swapped)";
    s.segments = {sysv, posix};

    core::WorkerView w0;
    w0.id = 0;
    w0.pid = 1000;
    core::AttachmentView a;
    a.id = 1;
    a.segment = 0;
    a.va = 0x7f0000000000;
    a.size = 4 * 4096;
    a.maps = "7f0000000000-7f0000004000 rw-s 00000000 00:01 32769 /SYSV00005eed (deleted)";
    const std::uint64_t flags = kPresent | kFileShared | kSoftDirty;
    a.entries = {flags | 0x1000, flags | 0x1001, flags | 0x1002, 0};
    a.memory = core::MemoryCounts{3 * 4096, 2 * 4096, 0, 2 * 4096, 0, 4096, 0, 0, 0};
    w0.attachments.push_back(a);
    a.memory.reset();
    w0.memory.total = core::MemoryCounts{3 << 20, 1 << 20, 2 << 20, 4096, 0, 1 << 20, 0, 0, 2 << 20};
    w0.memory.pageTables = 48 * 1024;
    core::AttachmentView anon;
    anon.id = 2;
    anon.segment = -1;
    anon.va = 0x7f1000000000;
    anon.size = 4096;
    anon.privateMapping = true;
    anon.anonymous = true;
    anon.maps = "7f1000000000-7f1000001000 rw-p 00000000 00:00 0";
    anon.entries = {kPresent | kExclusive | kSoftDirty | 0x2000};
    w0.attachments.push_back(anon);
    core::WorkerView w1;
    w1.id = 1;
    w1.pid = 1001;
    a.va = 0x7f2000000000;
    a.inherited = true;
    a.entries = {flags | 0x1000, flags | 0x1001, 0, flags | 0x1003};
    w1.attachments.push_back(a);
    w1.parent = 0;
    core::WorkerView w2;
    w2.id = 2;
    w2.pid = 1002;
    w2.alive = false;
    w2.endedHow = "killed by SIGKILL";
    s.workers = {w0, w1, w2};

    auto frame = [](std::uint64_t pfn, int seg, std::uint64_t page, std::vector<core::FrameRef> by) {
        return core::FrameView{pfn, seg, page, 2, std::move(by), std::nullopt};
    };
    s.mapcountVisible = true;
    s.frames = {frame(0x1000, 0, 0, {{0, 0, 0x7f0000000000}, {1, 0, 0x7f2000000000}}),
                frame(0x1001, 0, 1, {{0, 0, 0x7f0000001000}, {1, 0, 0x7f2000001000}}),
                frame(0x1002, 0, 2, {{0, 0, 0x7f0000002000}}), frame(0x1003, 0, 3, {{1, 0, 0x7f2000003000}}),
                frame(0x2000, -1, 0, {{0, 1, 0x7f1000000000}})};
    s.frames[4].mapcount = std::nullopt;
    s.frames[4].kpageflags = (1u << 12) | (1u << 14) | (1u << 5); // ANON SWAPBACKED LRU
    s.flagsVisible = true;
    s.paging = core::PagingMode{4, false, 57, 48};
    return s;
}

std::vector<core::StepReply> fixtureReplies() {
    auto snap = std::make_shared<const core::Snapshot>(fixtureSnapshot());
    std::vector<core::StepReply> replies(8);
    replies[0].cmd = "shmget 16K key=0x5eed";
    replies[0].data["segment"] = {{"id", 0}, {"shmid", 32769}, {"key", "0x00005eed"}, {"created", true}};
    replies[0].explain = "Created segment 0.";
    replies[1].cmd = "shmat 7";
    replies[1].ok = false;
    replies[1].error = core::makeError(ESRCH, "There is no worker 7; workers are numbered 0 to 1.");
    replies[1].explain = "Nothing was changed by this step; the session goes on.";
    core::labs::RaceResult race;
    race.mode = core::labs::RaceMode::MutexKill;
    race.workers = 4;
    race.perWorker = 20000;
    race.expected = 70000;
    race.actual = 70000;
    race.seconds = 0.0123456;
    race.perSecond = 5670307.3;
    race.recovery = core::labs::MutexRecovery{0, 4321, 10000, 1, 1};
    replies[2].cmd = "race mutex-kill 4 20000";
    replies[2].result = race;
    replies[2].explain = "Worker 0 was killed \"in\" the lock.\n";
    core::labs::TornResult torn;
    torn.seconds = 1.00049;
    torn.readers = 2;
    torn.writes = 1000;
    torn.reads = 3000;
    torn.torn = 150;
    replies[3].cmd = "torn unsync 1";
    replies[3].result = torn;
    core::labs::IpcResult ipc;
    ipc.method = core::labs::IpcMethod::Shm;
    ipc.bytes = ipc.bytesReceived = 8388621;
    ipc.seconds = 0.0021234567;
    ipc.megabytesPerSecond = 3950.55;
    ipc.sender = {0.001, 0.0021, 12};
    ipc.receiver = core::labs::ProcessCpu{0.0004, 0.0, 3};
    ipc.copiesPerByte = 1;
    ipc.chunkBytes = 65536;
    ipc.checksumSent = ipc.checksumReceived = 0xdeadbeef;
    replies[4].cmd = "ipcbench shm 8388621";
    replies[4].result = ipc;
    replies[5].cmd = "require hugepages 4";
    replies[5].data["hugepages"] = {{"free", 0}, {"total", 0}, {"size", 2097152}};
    replies[5].endsScript = true;
    replies[5].explain = "This machine has no huge pages reserved.";
    replies[6].cmd = "snapshot";
    replies[6].result = core::SnapshotReport{false};
    replies[7].cmd = "snapshot runs";
    replies[7].result = core::SnapshotReport{true};
    for (std::size_t i = 0; i < replies.size(); ++i) {
        replies[i].number = static_cast<int>(i + 1);
        replies[i].snapshot = snap;
    }
    return replies;
}

std::string written(const std::vector<core::StepReply>& replies) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    for (const core::StepReply& r : replies)
        app::json::writeReply(out, r);
    std::fclose(out);
    std::string text(data, size);
    std::free(data);
    return text;
}

void expectGolden(const std::string& name, const std::string& text) {
    const std::string path = std::string(SHMVIZ_FIXTURES) + "/json/" + name;
    if (std::getenv("SHMVIZ_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
        return;
    }
    auto golden = core::readFileText(path);
    ASSERT_TRUE(golden.ok()) << path;
    EXPECT_EQ(text, *golden) << "the writer's output differs from " << path;
}

TEST(JsonWriter, RepliesMatchTheGoldenFile) {
    expectGolden("replies.jsonl", written(fixtureReplies()));
}

TEST(JsonWriter, EveryLineIsOneValidObject) {
    std::istringstream lines(written(fixtureReplies()));
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        auto j = nlohmann::ordered_json::parse(line);
        EXPECT_EQ(j.begin().key(), "step");
        EXPECT_EQ(j["step"], ++count);
    }
    EXPECT_EQ(count, 8);
}

TEST(JsonWriter, RunsDescribeTheSamePagesAsThePerPageForm) {
    const std::string text = written(fixtureReplies());
    std::istringstream lines(text);
    std::string line;
    std::vector<nlohmann::json> all;
    while (std::getline(lines, line))
        all.push_back(nlohmann::json::parse(line));
    const nlohmann::json& pages = all[6]["snapshot"];
    const nlohmann::json& runs = all[7]["snapshot"];
    for (std::size_t w = 0; w < pages["workers"].size(); ++w)
        for (std::size_t a = 0; a < pages["workers"][w]["attachments"].size(); ++a) {
            const auto& perPage = pages["workers"][w]["attachments"][a]["pages"];
            std::vector<core::PageRun> parsed;
            for (const auto& r : runs["workers"][w]["attachments"][a]["runs"])
                parsed.push_back(
                    {r["first"], r["count"], std::stoull(r["entry_first"].get<std::string>(), nullptr, 16)});
            auto entries = core::expandPageRuns(parsed);
            ASSERT_EQ(entries.size(), perPage.size());
            for (std::size_t i = 0; i < entries.size(); ++i)
                EXPECT_EQ(core::hex(entries[i], 16), perPage[i]["entry"]);
        }
    EXPECT_EQ(runs["frame_runs"].size(), 4u) << "frames 0x1000-0x1001 are one run";
}

} // namespace
} // namespace shmviz

namespace shmviz::app::json {
namespace {

std::string written(const std::function<void(Writer&)>& write) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    {
        FileStream stream(out);
        Writer w(stream);
        write(w);
    }
    std::fclose(out);
    std::string text(data, size);
    std::free(data);
    return text;
}

// Plain keys and strings are copied whole; anything else still goes through escaping.
TEST(JsonStream, KeysAndStringsThatNeedEscapingAreEscaped) {
    const std::string text = written([](Writer& w) {
        w.StartObject();
        key(w, "plain");
        string(w, "a \"quoted\" \\ word\n");
        key(w, "tab\there");
        string(w, "caf\xc3\xa9 \xff");
        key(w, "\xfe");
        hex(w, 0xab, 4);
        w.EndObject();
    });
    EXPECT_EQ(text,
              "{\"plain\":\"a \\\"quoted\\\" \\\\ word\\n\",\"tab\\there\":\"caf\xc3\xa9 \xef\xbf\xbd\","
              "\"\xef\xbf\xbd\":\"0x00ab\"}");
    const nlohmann::json parsed = nlohmann::json::parse(text);
    EXPECT_EQ(parsed["plain"], "a \"quoted\" \\ word\n");
    EXPECT_EQ(parsed["tab\there"], "caf\xc3\xa9 \xef\xbf\xbd");
}

TEST(JsonStream, AValueLargerThanTheBufferIsWrittenWhole) {
    const std::string big(200000, 'x');
    const std::string text = written([&](Writer& w) {
        w.StartArray();
        string(w, "a");
        string(w, big);
        w.EndArray();
    });
    EXPECT_EQ(text, "[\"a\",\"" + big + "\"]");
}

} // namespace
} // namespace shmviz::app::json
