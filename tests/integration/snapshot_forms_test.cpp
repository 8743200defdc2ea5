// A 64 MiB segment in 4 workers: the snapshot per page and as runs, both as the JSON the headless
// face writes, agree entry for entry with /proc/PID/pagemap read directly by the test (as root,
// so frame numbers are visible to both).
#include "app/json/json_writer.h"
#include "core/kernel/pagemap.h"
#include "core/session/snapshot_runs.h"
#include "session_fixture.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace shmviz::testing {
namespace {

class SnapshotFormsTest : public SessionTest {};

nlohmann::json writtenSnapshot(const core::Snapshot& s, bool runs) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    app::json::writeSnapshot(out, s, runs);
    std::fclose(out);
    auto j = nlohmann::json::parse(std::string(data, size));
    std::free(data);
    return j;
}

std::vector<std::uint64_t> pagemapOf(pid_t pid, std::uint64_t va, std::uint64_t pages) {
    std::vector<std::uint64_t> entries(pages);
    const int fd = ::open(("/proc/" + std::to_string(pid) + "/pagemap").c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    EXPECT_TRUE(core::readPagemapRange(fd, va / 4096, entries).ok());
    ::close(fd);
    return entries;
}

TEST_F(SnapshotFormsTest, BothFormsAgreeWithPagemapReadDirectly) {
    if (geteuid() != 0)
        GTEST_SKIP() << "Needs root: /proc/PID/pagemap shows frame numbers only to CAP_SYS_ADMIN.";
    ok("shmget 64M");
    ok("spawn 4");
    ok("shmat all");
    ok("touch all all");
    auto reply = ok("snapshot");
    ASSERT_TRUE(reply.snapshot);
    const core::Snapshot& s = *reply.snapshot;
    ASSERT_TRUE(s.pfnVisible);
    const nlohmann::json pages = writtenSnapshot(s, false);
    const nlohmann::json runs = writtenSnapshot(s, true);
    ASSERT_EQ(pages["workers"].size(), 4u);
    for (std::size_t w = 0; w < 4; ++w) {
        const auto& perPage = pages["workers"][w]["attachments"][0];
        const auto& asRuns = runs["workers"][w]["attachments"][0];
        const std::uint64_t va = std::stoull(perPage["va"].get<std::string>(), nullptr, 16);
        const auto direct = pagemapOf(pages["workers"][w]["pid"].get<pid_t>(), va, 16384);
        std::vector<core::PageRun> parsed;
        for (const auto& r : asRuns["runs"])
            parsed.push_back(
                {r["first"], r["count"], std::stoull(r["entry_first"].get<std::string>(), nullptr, 16)});
        const auto fromRuns = core::expandPageRuns(parsed);
        ASSERT_EQ(perPage["pages"].size(), 16384u);
        ASSERT_EQ(fromRuns.size(), 16384u);
        for (std::size_t i = 0; i < direct.size(); ++i) {
            const core::PageEntry e = core::decodePagemapEntry(direct[i]);
            ASSERT_TRUE(e.present) << "worker " << w << " page " << i;
            ASSERT_EQ(perPage["pages"][i]["pfn"], e.pfnBits) << "worker " << w << " page " << i;
            ASSERT_EQ(fromRuns[i] & core::kPagemapPfnMask, e.pfnBits) << "worker " << w << " page " << i;
            ASSERT_EQ(std::stoull(perPage["pages"][i]["entry"].get<std::string>(), nullptr, 16), fromRuns[i]);
        }
    }
    // Frames as runs expand to the per-page frames.
    std::vector<core::FrameRun> frameRuns;
    for (const auto& r : runs["frame_runs"]) {
        core::FrameRun run{r["pfn_first"], r["count"], r["segment"], r["page_first"],
                           std::nullopt,   {},         std::nullopt};
        if (!r["mapcount"].is_null())
            run.mapcount = r["mapcount"].get<std::uint64_t>();
        for (const auto& m : r["mapped_by"])
            run.mappedBy.push_back(
                {m["worker"], 0, std::stoull(m["va_first"].get<std::string>(), nullptr, 16)});
        frameRuns.push_back(run);
    }
    const auto frames = core::expandFrameRuns(frameRuns, s.pageSize);
    ASSERT_EQ(frames.size(), pages["frames"].size());
    ASSERT_EQ(frames.size(), 16384u) << "one frame per page, shared by all four";
    for (std::size_t i = 0; i < frames.size(); ++i) {
        ASSERT_EQ(pages["frames"][i]["pfn"], frames[i].pfn);
        ASSERT_EQ(pages["frames"][i]["page"], frames[i].page);
        ASSERT_EQ(pages["frames"][i]["mapped_by"].size(), frames[i].mappedBy.size());
        for (std::size_t k = 0; k < frames[i].mappedBy.size(); ++k)
            ASSERT_EQ(std::stoull(pages["frames"][i]["mapped_by"][k]["va"].get<std::string>(), nullptr, 16),
                      frames[i].mappedBy[k].va);
    }
}

// The workers read their pagemaps with PAGEMAP_SCAN where the kernel has it, and with pread alone
// when told to (SHMVIZ_PAGEMAP_READ=pread, inherited by the workers); either way every entry of a
// segment touched in patches, holes between, agrees with /proc/PID/pagemap read directly.
TEST_F(SnapshotFormsTest, ScannedAndPreadReportsAgreeWithPagemap) {
    for (const char* how : {"scan", "pread"}) {
        SCOPED_TRACE(how);
        ASSERT_EQ(::setenv("SHMVIZ_PAGEMAP_READ", how, 1), 0);
        m_session = std::make_unique<core::Session>(options());
        ok("shmget 4M");
        ok("spawn 2");
        ok("shmat all");
        for (const char* line : {"touch 0 0", "touch 0 1", "touch 0 5", "touch 1 100", "touch 1 101",
                                 "touch 1 700", "touch 0 1023"})
            ok(line);
        auto s = snap();
        for (const core::WorkerView& w : s->workers) {
            const core::AttachmentView& a = w.attachments.at(0);
            EXPECT_EQ(a.entries, pagemapOf(w.pid, a.va, a.entries.size())) << "worker " << w.id;
        }
        m_session.reset();
    }
    ::unsetenv("SHMVIZ_PAGEMAP_READ");
}

} // namespace
} // namespace shmviz::testing
