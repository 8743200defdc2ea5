// The headless `snapshot` step at scale, as ratios against reading the same page tables directly.
// For each size and worker count it starts `shmviz --headless`, attaches and touches one System V
// segment in every worker, then times, from the client's side (written the line, read the reply
// to its end):
//   - `snapshot` (per page) and `snapshot runs`,
//   - against one pread of each worker's /proc/PID/pagemap range for the segment, done here,
// and prints JSON bytes per page table entry and the app's peak resident memory (VmHWM).
// Needs root (frame numbers) and as much free memory as the largest size.
// usage: shmviz_scale_bench [path/to/shmviz] [max size in MiB, default 1024] [repetitions, default 3]
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
}

class App {
  public:
    explicit App(const char* path) {
        int in[2], out[2];
        if (pipe(in) != 0 || pipe(out) != 0)
            std::exit(1);
        m_pid = fork();
        if (m_pid == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            execl(path, path, "--headless", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        m_in = in[1];
        m_out = out[0];
    }
    ~App() {
        step("quit");
        close(m_in);
        close(m_out);
        waitpid(m_pid, nullptr, 0);
    }
    // Sends one line and reads its reply to the end; returns the reply (kept only when `keep`).
    std::string step(const std::string& line, bool keep = true, std::size_t* bytes = nullptr) {
        const std::string text = line + "\n";
        if (write(m_in, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
            return {};
        std::string reply;
        std::size_t total = 0;
        for (;;) {
            std::size_t nl = m_pending.find('\n');
            if (nl != std::string::npos) {
                total += nl + 1;
                if (keep)
                    reply += m_pending.substr(0, nl);
                m_pending.erase(0, nl + 1);
                break;
            }
            total += m_pending.size();
            if (keep)
                reply += m_pending;
            m_pending.clear();
            static char buffer[1 << 20];
            ssize_t got = read(m_out, buffer, sizeof buffer);
            if (got <= 0)
                break;
            m_pending.assign(buffer, static_cast<std::size_t>(got));
        }
        if (bytes)
            *bytes = total;
        return reply;
    }
    // Peak resident memory of the app so far, in MiB.
    double peakMiB() const {
        std::ifstream status("/proc/" + std::to_string(m_pid) + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("VmHWM:", 0) == 0)
                return std::stod(line.substr(6)) / 1024.0;
        return 0;
    }

  private:
    pid_t m_pid = -1;
    int m_in = -1, m_out = -1;
    std::string m_pending;
};

struct Range {
    int fd;
    std::uint64_t offset;
    std::size_t bytes;
};

// One pread per worker of its whole range, as the fastest the kernel gives those entries.
double preadSeconds(const std::vector<Range>& ranges, std::vector<std::uint64_t>& buffer) {
    const auto start = Clock::now();
    for (const Range& r : ranges) {
        buffer.resize(r.bytes / 8);
        std::size_t done = 0;
        while (done < r.bytes) {
            ssize_t got = pread(r.fd, reinterpret_cast<char*>(buffer.data()) + done, r.bytes - done,
                                static_cast<off_t>(r.offset + done));
            if (got <= 0)
                break;
            done += static_cast<std::size_t>(got);
        }
    }
    return seconds(start);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void measure(const char* app, std::uint64_t mib, int workers, int repetitions) {
    App a(app);
    for (std::string line : {"shmget " + std::to_string(mib) + "M", "spawn " + std::to_string(workers),
                             std::string("shmat all"), std::string("touch all all")}) {
        auto reply = nlohmann::json::parse(a.step(line));
        if (!reply.value("ok", false)) {
            std::printf("%s failed: %s\n", line.c_str(), reply.dump().c_str());
            return;
        }
    }
    std::size_t runsBytes = 0, pageBytes = 0;
    std::vector<double> runsTimes, pageTimes, preadTimes;
    auto snap = nlohmann::json::parse(a.step("snapshot runs", true, &runsBytes))["snapshot"];
    std::vector<Range> ranges;
    std::uint64_t entries = 0;
    std::size_t pageRuns = 0;
    for (const auto& w : snap["workers"])
        for (const auto& at : w["attachments"]) {
            pageRuns += at["runs"].size();
            const int fd =
                open(("/proc/" + std::to_string(w["pid"].get<int>()) + "/pagemap").c_str(), O_RDONLY);
            const std::uint64_t va = std::stoull(at["va"].get<std::string>(), nullptr, 16);
            const std::uint64_t pages = at["size"].get<std::uint64_t>() / 4096;
            ranges.push_back({fd, va / 4096 * 8, pages * 8});
            entries += pages;
        }
    std::vector<std::uint64_t> buffer;
    for (int i = 0; i < repetitions; ++i) {
        preadTimes.push_back(preadSeconds(ranges, buffer));
        auto start = Clock::now();
        a.step("snapshot runs", false, &runsBytes);
        runsTimes.push_back(seconds(start));
        start = Clock::now();
        a.step("snapshot", false, &pageBytes);
        pageTimes.push_back(seconds(start));
    }
    for (const Range& r : ranges)
        close(r.fd);
    const double pread = median(preadTimes);
    std::printf("%5llu MiB x %d | %9.2f ms | %10.1f ms %6.1fx | %8.1f ms %5.1fx | %7.1f MB %5.0f B/entry | "
                "%9zu B | %8zu | %8zu | %6.0f MiB\n",
                static_cast<unsigned long long>(mib), workers, pread * 1e3, median(pageTimes) * 1e3,
                median(pageTimes) / pread, median(runsTimes) * 1e3, median(runsTimes) / pread,
                static_cast<double>(pageBytes) / 1e6,
                static_cast<double>(pageBytes) / static_cast<double>(entries), runsBytes, pageRuns,
                snap["frame_runs"].size(), a.peakMiB());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    const char* app = argc > 1 ? argv[1] : "build/bin/shmviz";
    const std::uint64_t maxMiB = argc > 2 ? std::stoull(argv[2]) : 1024;
    const int repetitions = argc > 3 ? std::stoi(argv[3]) : 3;
    if (geteuid() != 0)
        std::printf("Not root: frame numbers are hidden, so the snapshot carries no frames.\n");
    std::printf("medians of %d; the client reads every reply to its end\n", repetitions);
    // Runs compress only where the kernel handed out consecutive frames: with 4 KiB shmem pages the
    // frames of a fresh segment are scattered; with shmem THP (shmem_enabled "always", or "advise"
    // plus MADV_HUGEPAGE) they come in 2 MiB runs (Documentation/admin-guide/mm/transhuge.rst).
    std::ifstream thp("/sys/kernel/mm/transparent_hugepage/shmem_enabled");
    std::string thpLine;
    std::getline(thp, thpLine);
    std::printf("shmem THP (/sys/kernel/mm/transparent_hugepage/shmem_enabled): %s\n",
                thpLine.empty() ? "unreadable" : thpLine.c_str());
    std::printf(
        "segment      | 1 pread each | snapshot (per page)  | snapshot runs     | per-page JSON            "
        "| runs JSON   | page runs | frame runs | app peak RSS\n");
    for (std::uint64_t mib : {4, 64, 256, 1024})
        for (int workers : {2, 8})
            if (mib <= maxMiB)
                measure(app, mib, workers, repetitions);
    return 0;
}
