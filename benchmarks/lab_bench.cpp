// The labs measured with Google Benchmark: each transfer method moving the same bytes between two
// real lab worker processes, and each race mode doing the same increments. Time is the labs' own
// (first worker's start to last worker's end), reported as manual time. After the run the program
// prints the ratios the README quotes, all from this one run on this one machine.
#include "core/labs/labs.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace shmviz::core;
using namespace shmviz::core::labs;

constexpr std::uint64_t kTransferBytes = 256ull << 20;
constexpr int kRaceWorkers = 4;

// Units (bytes or increments) per second, per benchmark, over all its iterations.
struct Rate {
    double units = 0;
    double seconds = 0;
    double perSecond() const { return seconds > 0 ? units / seconds : 0; }
};
std::map<std::string, Rate>& rates() {
    static std::map<std::string, Rate> r;
    return r;
}

LabContext context() {
    return LabContext{SHMVIZ_WORKER_PATH, nullptr, nullptr, nullptr};
}

void transfer(benchmark::State& state, IpcMethod method) {
    Rate& rate = rates()[std::string(nameOf(method))];
    double cpu = 0;
    for (auto _ : state) {
        auto r = runIpcBench(IpcParams{method, kTransferBytes}, context());
        if (!r) {
            state.SkipWithError(r.error().message.c_str());
            return;
        }
        state.SetIterationTime(r->seconds);
        rate.units += static_cast<double>(r->bytes);
        rate.seconds += r->seconds;
        cpu += r->sender.userSeconds + r->sender.systemSeconds;
        if (r->receiver)
            cpu += r->receiver->userSeconds + r->receiver->systemSeconds;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kTransferBytes));
    state.counters["copies_per_byte"] = copiesPerByte(method);
    state.counters["cpu_s_per_GiB"] =
        cpu / static_cast<double>(state.iterations()) / (static_cast<double>(kTransferBytes) / (1 << 30));
}

void race(benchmark::State& state, RaceMode mode, std::uint64_t increments) {
    Rate& rate = rates()[std::string(nameOf(mode))];
    for (auto _ : state) {
        auto r = runRace(RaceParams{mode, kRaceWorkers, increments}, context());
        if (!r) {
            state.SkipWithError(r.error().message.c_str());
            return;
        }
        state.SetIterationTime(r->seconds);
        rate.units += static_cast<double>(r->expected);
        rate.seconds += r->seconds;
        state.counters["lost"] = static_cast<double>(r->lost);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRaceWorkers * increments));
}

void printRatios() {
    auto& r = rates();
    auto per = [&](const char* name) { return r.count(name) ? r[name].perSecond() : 0.0; };
    std::printf("\nRatios measured side by side in this run (%d workers for race, %llu MiB per transfer):\n",
                kRaceWorkers, static_cast<unsigned long long>(kTransferBytes >> 20));
    const double pipe = per("pipe");
    for (const char* m : {"pipe", "socket", "mqueue", "shm", "memcpy"})
        if (per(m) > 0 && pipe > 0)
            std::printf("  %-8s %8.0f MB/s   %5.2fx pipe\n", m, per(m) / 1e6, per(m) / pipe);
    const double unsync = per("unsync");
    for (const char* m : {"unsync", "atomic", "mutex", "posix-sem", "sysv-sem"})
        if (per(m) > 0 && unsync > 0)
            std::printf("  %-10s %12.0f increments/s   unsync is %6.1fx faster\n", m, per(m),
                        unsync / per(m));
}

} // namespace

BENCHMARK_CAPTURE(transfer, pipe, IpcMethod::Pipe)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(transfer, socket, IpcMethod::Socket)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(transfer, mqueue, IpcMethod::Mqueue)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(transfer, shm, IpcMethod::Shm)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(transfer, memcpy, IpcMethod::Memcpy)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(race, unsync, RaceMode::Unsync, 10'000'000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(race, atomic, RaceMode::Atomic, 10'000'000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(race, mutex, RaceMode::Mutex, 1'000'000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(race, posix_sem, RaceMode::PosixSem, 1'000'000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(race, sysv_sem, RaceMode::SysvSem, 20'000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    printRatios();
    return 0;
}
