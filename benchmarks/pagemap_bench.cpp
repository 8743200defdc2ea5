// How fast a worker reads its page table entries, and how fast a whole snapshot is gathered.
// Every ratio printed at the end is measured side by side in this one run.
#include "core/kernel/pagemap.h"
#include "core/session/frame_index.h"
#include "core/session/session.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <sys/mman.h>
#include <unistd.h>

namespace {

const std::uint64_t kPage = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));

// A shared anonymous mapping (shmem, like a segment) with every page faulted in.
struct TouchedRegion {
    explicit TouchedRegion(std::uint64_t bytes) : size(bytes) {
        base = static_cast<unsigned char*>(
            mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
        for (std::uint64_t off = 0; off < size; off += kPage)
            base[off] = 1;
        fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    }
    ~TouchedRegion() {
        munmap(base, size);
        close(fd);
    }
    std::uint64_t pages() const { return size / kPage; }
    std::uint64_t firstPage() const { return reinterpret_cast<std::uint64_t>(base) / kPage; }
    std::uint64_t size;
    unsigned char* base;
    int fd;
};

template <bool kBatched> void readPagemap(benchmark::State& state) {
    TouchedRegion region(static_cast<std::uint64_t>(state.range(0)));
    std::vector<std::uint64_t> entries(region.pages());
    for (auto _ : state) {
        auto st = kBatched ? shmviz::core::readPagemapRange(region.fd, region.firstPage(), entries)
                           : shmviz::core::readPagemapPerPage(region.fd, region.firstPage(), entries);
        if (!st.ok())
            state.SkipWithError(st.error().message.c_str());
        benchmark::DoNotOptimize(entries.data());
    }
    state.counters["pages"] = static_cast<double>(region.pages());
    state.counters["ns_per_page"] =
        benchmark::Counter(static_cast<double>(region.pages()),
                           benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void batchedRead(benchmark::State& state) {
    readPagemap<true>(state);
}
void perPageRead(benchmark::State& state) {
    readPagemap<false>(state);
}

BENCHMARK(batchedRead)->RangeMultiplier(16)->Range(4 << 10, 1 << 30)->Unit(benchmark::kMicrosecond);
BENCHMARK(perPageRead)->RangeMultiplier(16)->Range(4 << 10, 1 << 30)->Unit(benchmark::kMicrosecond);

// The scale target: 1 GiB attached and touched in 8 workers, one snapshot per iteration.
void snapshotOneGiBEightWorkers(benchmark::State& state) {
    shmviz::core::SessionOptions options;
    options.workerPath = SHMVIZ_WORKER_PATH;
    shmviz::core::Session session(options);
    for (const char* line : {"shmget 1G", "spawn 8", "shmat all", "touch all"}) {
        auto reply = session.execute(line);
        if (!reply.ok) {
            state.SkipWithError(reply.error->message.c_str());
            return;
        }
    }
    std::size_t frames = 0;
    for (auto _ : state) {
        auto snap = session.refresh();
        frames = snap->frames.size();
        benchmark::DoNotOptimize(snap.get());
    }
    state.counters["frames"] = static_cast<double>(frames);
    state.counters["pages_per_worker"] = static_cast<double>((1u << 30) / kPage);
}

BENCHMARK(snapshotOneGiBEightWorkers)->Unit(benchmark::kMillisecond)->Iterations(10);

// The extra work of a snapshot after a step changed a page table: matching 2M entries to frames.
void framesOfOneGiBEightWorkers(benchmark::State& state) {
    shmviz::core::SessionOptions options;
    options.workerPath = SHMVIZ_WORKER_PATH;
    shmviz::core::Session session(options);
    for (const char* line : {"shmget 1G", "spawn 8", "shmat all", "touch all"})
        if (auto reply = session.execute(line); !reply.ok) {
            state.SkipWithError(reply.error->message.c_str());
            return;
        }
    const auto gathered = session.refresh();
    for (auto _ : state) {
        state.PauseTiming();
        shmviz::core::Snapshot copy = *gathered;
        state.ResumeTiming();
        shmviz::core::buildFrames(copy);
        benchmark::DoNotOptimize(copy.frames.data());
        state.PauseTiming();
        copy = {};
        state.ResumeTiming();
    }
}

BENCHMARK(framesOfOneGiBEightWorkers)->Unit(benchmark::kMillisecond)->Iterations(5);

// Collects results so the ratios can be printed after the normal report. With
// --benchmark_repetitions=N each size has N runs and aggregate rows (mean, median, stddev, cv);
// the ratio uses the median of the runs and ignores the aggregates.
class RatioReporter : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs)
            if (run.run_type == Run::RT_Iteration && !run.error_occurred)
                m_runs[run.run_name.str()].push_back(run.GetAdjustedRealTime());
        for (auto& [name, times] : m_runs) {
            std::sort(times.begin(), times.end());
            m_ns[name] = times[times.size() / 2];
        }
        ConsoleReporter::ReportRuns(runs);
    }
    void printRatios() const {
        std::printf("\nBatched pagemap read against one pread per page, same run:\n");
        std::printf("  %-12s %14s %14s %8s\n", "size", "batched", "per page", "ratio");
        std::map<std::uint64_t, std::pair<std::string, double>> bySize;
        for (const auto& [name, batched] : m_ns)
            if (name.starts_with("batchedRead/"))
                bySize[std::stoull(name.substr(name.find('/') + 1))] = {name.substr(name.find('/') + 1),
                                                                        batched};
        for (const auto& [bytes, entry] : bySize) {
            const auto& [size, batched] = entry;
            auto slow = m_ns.find("perPageRead/" + size);
            if (slow == m_ns.end())
                continue;
            std::printf("  %-12s %12.1fus %12.1fus %7.1fx\n", size.c_str(), batched, slow->second,
                        slow->second / batched);
        }
    }

  private:
    std::map<std::string, std::vector<double>> m_runs;
    std::map<std::string, double> m_ns;
};

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.printRatios();
    benchmark::Shutdown();
    return 0;
}
