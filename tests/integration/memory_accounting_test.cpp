// Every accounting number in a snapshot against an independent read of the kernel's own files,
// made here with plain stream parsing (not shmviz's parsers): smaps_rollup, smaps, status VmPTE,
// /proc/kpageflags, /proc/sysvipc/shm, and the walk indices computed from the address.
#include "posix_names.h"
#include "session_fixture.h"

#include "core/kernel/hugetlbfs.h"
#include "core/kernel/kpageflags.h"
#include "core/kernel/system_limits.h"
#include "core/steps/lessons.h"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shmviz;
using shmviz::testing::PosixSessionTest;

namespace {

using Fields = std::map<std::string, std::uint64_t>; // "Pss" -> bytes

// The "Key: N kB" lines of one area of a smaps file: the one whose header starts with startHex,
// or the first area when startHex is empty (smaps_rollup).
Fields kbFields(const std::string& path, const std::string& startHex = "") {
    std::ifstream in(path);
    std::string line;
    Fields f;
    bool inside = false;
    while (std::getline(in, line)) {
        const bool header = line.find('-') != std::string::npos && line.find('-') < line.find(' ') &&
                            line.find(':') > line.find(' ');
        if (header) {
            if (inside)
                break;
            inside = startHex.empty() || line.rfind(startHex + "-", 0) == 0;
            continue;
        }
        if (!inside)
            continue;
        std::istringstream ls(line);
        std::string key, unit;
        std::uint64_t kb = 0;
        if (ls >> key >> kb >> unit && unit == "kB" && key.back() == ':')
            f[key.substr(0, key.size() - 1)] = kb * 1024;
    }
    return f;
}

std::uint64_t vmPte(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    std::uint64_t kb = 0;
    std::string line;
    while (std::getline(in, line))
        if (std::istringstream(line) >> key >> kb && key == "VmPTE:")
            return kb * 1024;
    ADD_FAILURE() << "no VmPTE for pid " << pid;
    return 0;
}

std::string hexNoPrefix(std::uint64_t v) {
    std::ostringstream s;
    s << std::hex << v;
    return s.str();
}

// rss and swap columns (bytes) of shmid's row in /proc/sysvipc/shm.
std::pair<std::uint64_t, std::uint64_t> sysvRssSwap(int shmid) {
    std::ifstream in("/proc/sysvipc/shm");
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::vector<std::string> cols;
        for (std::string c; ls >> c;)
            cols.push_back(c);
        if (cols.size() >= 16 && std::stoi(cols[1]) == shmid)
            return {std::stoull(cols[14]), std::stoull(cols[15])};
    }
    ADD_FAILURE() << "shmid " << shmid << " is not in /proc/sysvipc/shm";
    return {0, 0};
}

std::optional<std::uint64_t> kpageflagsOf(std::uint64_t pfn) {
    const int fd = ::open("/proc/kpageflags", O_RDONLY);
    if (fd < 0)
        return std::nullopt;
    std::uint64_t word = 0;
    const bool ok = ::pread(fd, &word, 8, static_cast<off_t>(pfn * 8)) == 8;
    ::close(fd);
    return ok ? std::optional(word) : std::nullopt;
}

bool la57InCpuinfo() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("flags", 0) == 0)
            return (line + " ").find(" la57 ") != std::string::npos;
    return false;
}

class MemoryTest : public PosixSessionTest {
  protected:
    // Every worker's rollup, VmPTE and per-attachment smaps against a fresh read of the files.
    void expectWorkersMatchProc(const core::Snapshot& s, const std::string& when) {
        for (const core::WorkerView& w : s.workers) {
            if (!w.alive)
                continue;
            SCOPED_TRACE(when + ", worker " + std::to_string(w.id));
            const std::string proc = "/proc/" + std::to_string(w.pid);
            ASSERT_TRUE(w.memory.total) << w.memory.unreadable;
            ASSERT_TRUE(w.memory.pageTables) << w.memory.unreadable;
            expectTotalsMatch(*w.memory.total, w.id, w.pid);
            EXPECT_EQ(*w.memory.pageTables, vmPte(w.pid));
            for (const core::AttachmentView& a : w.attachments) {
                ASSERT_TRUE(a.memory) << "attachment at " << std::hex << a.va;
                Fields area = kbFields(proc + "/smaps", hexNoPrefix(a.va));
                ASSERT_FALSE(area.empty()) << "no smaps area at " << std::hex << a.va;
                EXPECT_EQ(a.memory->rss, area["Rss"]);
                EXPECT_EQ(a.memory->pss, area["Pss"]);
                EXPECT_EQ(a.memory->sharedClean, area["Shared_Clean"]);
                EXPECT_EQ(a.memory->sharedDirty, area["Shared_Dirty"]);
                EXPECT_EQ(a.memory->privateClean, area["Private_Clean"]);
                EXPECT_EQ(a.memory->privateDirty, area["Private_Dirty"]);
                EXPECT_EQ(a.memory->sharedHugetlb, area["Shared_Hugetlb"]);
                EXPECT_EQ(a.memory->privateHugetlb, area["Private_Hugetlb"]);
            }
        }
    }

    // A process's whole-process totals move on their own: its Pss includes its share of every library
    // page it maps, which changes whenever any other process on the machine maps or unmaps the same
    // library, and its Rss and Private_Dirty include the worker's heap, which grows while it builds a
    // large report. A mismatch is retried with a fresh snapshot: one exact agreement of all four with
    // the file read right after is required.
    void expectTotalsMatch(core::MemoryCounts totals, int workerId, pid_t pid) {
        const std::string path = "/proc/" + std::to_string(pid) + "/smaps_rollup";
        Fields rollup = kbFields(path);
        const auto agree = [&] {
            return totals.rss == rollup["Rss"] && totals.pss == rollup["Pss"] &&
                   totals.privateDirty == rollup["Private_Dirty"] &&
                   totals.sharedClean + totals.sharedDirty == rollup["Shared_Clean"] + rollup["Shared_Dirty"];
        };
        for (int attempt = 0; attempt < 5 && !agree(); ++attempt) {
            for (const core::WorkerView& w : snap()->workers)
                if (w.id == workerId && w.memory.total)
                    totals = *w.memory.total;
            rollup = kbFields(path);
        }
        EXPECT_EQ(totals.rss, rollup["Rss"]) << "whole-process Rss of worker " << workerId;
        EXPECT_EQ(totals.pss, rollup["Pss"]) << "whole-process Pss of worker " << workerId;
        EXPECT_EQ(totals.privateDirty, rollup["Private_Dirty"]) << "Private_Dirty of worker " << workerId;
        EXPECT_EQ(totals.sharedClean + totals.sharedDirty, rollup["Shared_Clean"] + rollup["Shared_Dirty"])
            << "Shared of worker " << workerId;
    }

    void expectSysvResidencyMatches(const core::Snapshot& s, const std::string& when) {
        for (const core::SegmentView& seg : s.segments) {
            if (seg.kind != core::SegmentKind::Sysv || !seg.exists)
                continue;
            SCOPED_TRACE(when + ", segment " + std::to_string(seg.id));
            ASSERT_TRUE(seg.residentKnown) << seg.residency;
            auto [rss, swap] = sysvRssSwap(seg.shmid);
            EXPECT_EQ(seg.residentBytes, rss);
            EXPECT_EQ(seg.swapBytes, swap);
        }
    }

    // Every frame's flags against a pread of /proc/kpageflags; returns false when not readable.
    bool expectFlagsMatch(const core::Snapshot& s) {
        if (!s.flagsVisible)
            return false;
        for (const core::FrameView& f : s.frames) {
            EXPECT_TRUE(f.kpageflags) << "frame " << f.pfn;
            if (!f.kpageflags)
                continue;
            auto word = kpageflagsOf(f.pfn);
            EXPECT_TRUE(word);
            // REFERENCED, ACTIVE and LRU move as the kernel ages pages; the rest must agree.
            const std::uint64_t moving = (1u << 2) | (1u << 5) | (1u << 6) | (1u << 25);
            EXPECT_EQ(*f.kpageflags & ~moving, word.value_or(0) & ~moving) << "frame " << f.pfn;
        }
        return true;
    }

    std::uint64_t segmentPssSum(const core::Snapshot& s, int segment) {
        std::uint64_t sum = 0;
        for (const core::WorkerView& w : s.workers)
            for (const core::AttachmentView& a : w.attachments)
                if (a.segment == segment && a.memory)
                    sum += a.memory->pss;
        return sum;
    }
};

} // namespace

TEST_F(MemoryTest, SysvLifecycleMatchesProcAtEveryStep) {
    ok("shmget 64K");
    ok("spawn 3");
    auto s = snap();
    expectWorkersMatchProc(*s, "spawned");
    expectSysvResidencyMatches(*s, "spawned");
    EXPECT_EQ(segment(*s).residentBytes, 0u) << "nothing touched yet";

    ok("shmat all");
    s = snap();
    expectWorkersMatchProc(*s, "attached");
    for (const core::WorkerView& w : s->workers)
        EXPECT_EQ(w.attachments.at(0).memory->rss, 0u) << "attaching maps no page";

    ok("touch 0 0");
    ok("touch 0 1");
    s = snap();
    expectWorkersMatchProc(*s, "worker 0 touched two pages");
    expectSysvResidencyMatches(*s, "worker 0 touched two pages");
    EXPECT_EQ(segment(*s).residentBytes, 2u * s->pageSize);
    const core::MemoryCounts& alone = *attachment(*s, 0).memory;
    EXPECT_EQ(alone.rss, 2u * s->pageSize);
    EXPECT_EQ(alone.shared(), 0u) << "one mapper: the kernel counts the shared segment's pages as Private";
    EXPECT_EQ(alone.privateDirty, 2u * s->pageSize);

    auto touched = ok("touch all all");
    EXPECT_NE(touched.explain.find("VmPTE"), std::string::npos) << touched.explain;
    s = snap();
    expectWorkersMatchProc(*s, "all touched");
    expectSysvResidencyMatches(*s, "all touched");
    const std::uint64_t size = segment(*s).size;
    EXPECT_EQ(segment(*s).residentBytes, size);
    std::uint64_t rssSum = 0;
    for (const core::WorkerView& w : s->workers) {
        rssSum += w.attachments.at(0).memory->rss;
        EXPECT_EQ(w.attachments.at(0).memory->shared(), size) << "three mappers: every page Shared";
    }
    EXPECT_EQ(rssSum, 3 * size) << "Rss counts the one segment in every worker";
    const std::uint64_t pss = segmentPssSum(*s, 0);
    EXPECT_LE(pss > size ? pss - size : size - pss, 3u * s->pageSize) << "Pss sums to the segment size";
    std::printf("[ measured ] 64 KiB segment, 3 workers: Rss sum %llu, Pss sum %llu, resident %llu\n",
                (unsigned long long)rssSum, (unsigned long long)pss,
                (unsigned long long)segment(*s).residentBytes);
    expectFlagsMatch(*s);

    ok("shmdt 2");
    ok("rmid");
    s = snap();
    expectWorkersMatchProc(*s, "worker 2 detached, IPC_RMID given");
    expectSysvResidencyMatches(*s, "worker 2 detached, IPC_RMID given");
    EXPECT_TRUE(segment(*s).dest);
    const std::uint64_t pss2 = segmentPssSum(*s, 0);
    EXPECT_LE(pss2 > size ? pss2 - size : size - pss2, 2u * s->pageSize) << "two mappers now";

    ok("kill 1");
    s = snap();
    EXPECT_FALSE(s->workers.at(1).memory.total) << "a dead worker has no accounting";
    expectWorkersMatchProc(*s, "worker 1 killed");
    EXPECT_EQ(attachment(*s, 0).memory->privateDirty, size) << "worker 0 is the last mapper";
}

TEST_F(MemoryTest, PssOfEightWorkersSumsToTheSegment) {
    ok("shmget 1M");
    ok("spawn 8");
    ok("shmat all");
    ok("touch all all");
    auto s = snap();
    expectWorkersMatchProc(*s, "eight workers touched 1 MiB");
    const std::uint64_t size = segment(*s).size;
    const std::uint64_t pss = segmentPssSum(*s, 0);
    std::printf("[ measured ] 1 MiB segment, 8 workers: Pss sum %llu, segment %llu, difference %lld\n",
                (unsigned long long)pss, (unsigned long long)size, (long long)pss - (long long)size);
    EXPECT_LE(pss > size ? pss - size : size - pss, 8u * s->pageSize);
}

TEST_F(MemoryTest, WalkIndicesAreTheAddressBits) {
    ok("shmget 16K");
    ok("spawn 2");
    ok("shmat all");
    ok("touch all 3");
    auto s = snap();
    ASSERT_TRUE(s->paging) << s->pagingUnknownReason;
    EXPECT_EQ(s->paging->levels, la57InCpuinfo() ? 5 : 4);
    EXPECT_EQ(s->paging->la57, la57InCpuinfo());
    for (int w = 0; w < 2; ++w) {
        const std::uint64_t va = attachment(*s, w).pageVa(3);
        core::AddressSplit split = core::splitAddress(va, s->paging->levels, s->pageSize);
        ASSERT_EQ(split.levels.size(), static_cast<std::size_t>(s->paging->levels));
        for (int i = 0; i < s->paging->levels; ++i) {
            const int shift = 12 + 9 * (s->paging->levels - 1 - i);
            EXPECT_EQ(split.levels[i].index, (va >> shift) % 512) << "level " << i;
        }
        EXPECT_EQ(split.offset, va % 4096);
    }
    EXPECT_NE(attachment(*s, 0).va, attachment(*s, 1).va) << "different addresses, different indices";
    SKIP_WITHOUT_FRAMES(*s);
    EXPECT_EQ(page(*s, 0, 3).pfnBits, page(*s, 1, 3).pfnBits) << "the same final frame";
}

TEST_F(MemoryTest, CopyOnWriteCopyIsAnonAndPrivate) {
    const std::string n = name("memcow");
    ok("shm_open " + n + " size=8K");
    ok("spawn 2");
    ok("mmap all");
    ok("write 0 0 the object's own bytes");
    ok("mmap 1 private");
    ok("read 1 0 at=1");
    auto s = snap();
    expectWorkersMatchProc(*s, "private mapping read");
    ASSERT_TRUE(segment(*s).residentKnown) << segment(*s).residency;
    struct stat st {};
    ASSERT_EQ(::stat(("/dev/shm" + n).c_str(), &st), 0);
    EXPECT_EQ(segment(*s).residentBytes, static_cast<std::uint64_t>(st.st_blocks) * 512)
        << "no swap: resident is every block the object holds";
    EXPECT_EQ(segment(*s).residentBytes, s->pageSize) << "one page written";
    ok("touch 1 0 at=1");
    s = snap();
    expectWorkersMatchProc(*s, "private copy made");
    const core::AttachmentView& priv = attachment(*s, 1, 1);
    ASSERT_TRUE(priv.privateMapping);
    EXPECT_EQ(priv.memory->privateDirty, s->pageSize) << "the copy belongs to worker 1 alone";
    EXPECT_EQ(segment(*s).residentBytes, s->pageSize) << "the copy is not the object's memory";
    if (!expectFlagsMatch(*s))
        GTEST_SKIP() << "frame flags hidden: " << s->flagsHiddenReason;
    const core::PageEntry copy = page(*s, 1, 0, 1);
    const core::PageEntry shared = page(*s, 0, 0);
    bool sawCopy = false, sawShared = false;
    for (const core::FrameView& f : s->frames) {
        const auto names = core::decodeKpageFlags(*f.kpageflags);
        const bool anon = std::find(names.begin(), names.end(), "ANON") != names.end();
        if (f.pfn == copy.pfnBits) {
            sawCopy = true;
            EXPECT_TRUE(anon) << "a copy-on-write copy is anonymous memory";
        }
        if (f.pfn == shared.pfnBits) {
            sawShared = true;
            EXPECT_FALSE(anon) << "the object's own frame is shared memory (page cache)";
            EXPECT_NE(std::find(names.begin(), names.end(), "SWAPBACKED"), names.end());
        }
    }
    EXPECT_TRUE(sawCopy && sawShared);
}

TEST_F(MemoryTest, HugePagesAppearOnlyAsHugetlbAndEndTheWalkEarly) {
    if (core::readHugePages().free == 0)
        GTEST_SKIP() << "No huge pages are free (HugePages_Free 0 in /proc/meminfo); reserve some with "
                        "`sudo sysctl vm.nr_hugepages=16` to run this test";
    ok("shmget 2M hugetlb");
    ok("spawn 2");
    ok("shmat all");
    ok("touch 0 0");
    auto s = snap();
    expectWorkersMatchProc(*s, "one huge page, one mapper");
    expectSysvResidencyMatches(*s, "one huge page, one mapper");
    const std::uint64_t huge = segment(*s).hugePageSize;
    ASSERT_GT(huge, 0u);
    EXPECT_EQ(attachment(*s, 0).memory->rss, 0u) << "hugetlb stays out of Rss";
    EXPECT_EQ(attachment(*s, 0).memory->privateHugetlb, huge);
    ok("touch 1 7");
    s = snap();
    expectWorkersMatchProc(*s, "one huge page, two mappers");
    expectSysvResidencyMatches(*s, "one huge page, two mappers");
    EXPECT_EQ(attachment(*s, 0).memory->sharedHugetlb, huge);
    EXPECT_EQ(attachment(*s, 1).memory->sharedHugetlb, huge);
    ASSERT_TRUE(s->paging);
    const std::uint64_t va = attachment(*s, 1).pageVa(7);
    core::AddressSplit split = core::splitAddress(va, s->paging->levels, huge);
    EXPECT_EQ(split.levels.size(), static_cast<std::size_t>(s->paging->levels - 1)) << "ends in the PMD";
    EXPECT_EQ(split.offset, va % huge);
    if (!expectFlagsMatch(*s))
        GTEST_SKIP() << "frame flags hidden: " << s->flagsHiddenReason;
    const core::PageEntry head = page(*s, 0, 0);
    const core::PageEntry tail = page(*s, 0, 7);
    for (const core::FrameView& f : s->frames) {
        const auto names = core::decodeKpageFlags(*f.kpageflags);
        const auto has = [&](const char* n) {
            return std::find(names.begin(), names.end(), n) != names.end();
        };
        if (f.pfn == head.pfnBits) {
            EXPECT_TRUE(has("HUGE") && has("COMPOUND_HEAD"));
        }
        if (f.pfn == tail.pfnBits) {
            EXPECT_TRUE(has("HUGE") && has("COMPOUND_TAIL"));
        }
    }
}

TEST_F(MemoryTest, PageTableCostLessonRunsAndVmPteGrows) {
    ok("shmget 8M");
    ok("spawn 2");
    ok("shmat all");
    auto before = snap();
    ok("touch all all");
    auto after = snap();
    expectWorkersMatchProc(*after, "8 MiB touched");
    for (int w = 0; w < 2; ++w) {
        const std::uint64_t was = *before->workers.at(w).memory.pageTables;
        const std::uint64_t now = *after->workers.at(w).memory.pageTables;
        std::printf("[ measured ] worker %d VmPTE %llu -> %llu bytes after touching 8 MiB\n", w,
                    (unsigned long long)was, (unsigned long long)now);
        EXPECT_GE(now, was + 4 * 4096) << "8 MiB of 4 KiB pages need at least 4 last-level tables";
    }
}

// The lesson itself, line by line as the window runs it: the 32 MiB segment touched by 8 workers
// grows every worker's VmPTE by at least the 16 last-level tables its 8192 pages need; with huge
// pages (when 16 are free) each grows by less. Where they are not free, `require` ends the lesson.
TEST_F(MemoryTest, PageTableCostLessonMeasuresEveryWorker) {
    const auto lesson = core::findLesson("page-table-cost");
    ASSERT_TRUE(lesson);
    std::istringstream lines{std::string(lesson->text)};
    std::vector<std::uint64_t> small, huge;
    bool hugeRun = false;
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        hugeRun = hugeRun || (line.starts_with("shmget") && line.find("hugetlb") != std::string::npos);
        const auto before = line.starts_with("touch") ? snap() : nullptr;
        const core::StepReply r = ok(line);
        if (r.endsScript) {
            EXPECT_NE(r.explain.find("huge page"), std::string::npos) << r.explain;
            break;
        }
        if (!before)
            continue;
        const auto after = snap();
        expectWorkersMatchProc(*after, hugeRun ? "huge pages touched" : "32 MiB touched");
        for (std::size_t w = 0; w < after->workers.size(); ++w)
            (hugeRun ? huge : small)
                .push_back(*after->workers[w].memory.pageTables - *before->workers.at(w).memory.pageTables);
    }
    ASSERT_EQ(small.size(), 8u);
    for (std::size_t w = 0; w < small.size(); ++w) {
        std::printf("[ measured ] page-table-cost worker %zu: VmPTE +%llu bytes (4 KiB pages)", w,
                    (unsigned long long)small[w]);
        if (w < huge.size())
            std::printf(", +%llu bytes (huge pages)", (unsigned long long)huge[w]);
        std::printf("\n");
        EXPECT_GE(small[w], 16u * 4096) << "8192 pages need 16 last-level tables";
        if (w < huge.size()) {
            EXPECT_LT(huge[w], small[w]) << "one PMD entry per 2 MiB needs no last-level table";
        }
    }
}
