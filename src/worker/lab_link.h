#pragma once
// A lab worker's side of its control socket (fd 3): it says `ready`, waits for `go`, reports
// `progress` now and then and ends with one `result` or `error` line (see core/labs/lab_message.h).
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <utility>

namespace shmviz::worker {

// key=value arguments from the command line.
class LabArgs {
  public:
    bool parse(int argc, char** argv, int first);
    std::string text(const std::string& key) const;
    std::uint64_t number(const std::string& key) const; // 0 when absent or malformed

  private:
    std::map<std::string, std::string> m_values;
};

class LabLink {
  public:
    explicit LabLink(int fd) : m_fd(fd) {}

    void ready() { send("ready\n"); }
    // Blocks until the app says go; exits the process if the app went away instead.
    void waitGo();
    // Sends `progress DONE` at most every 100 ms.
    void progress(std::uint64_t done);
    void send(const std::string& line);
    void result(std::initializer_list<std::pair<std::string_view, std::uint64_t>> fields);
    // Reports one sentence with its errno and ends the process.
    [[noreturn]] void fail(int err, const std::string& sentence);
    [[noreturn]] void failErrno(const std::string& doing); // "<doing> failed: <strerror>."

  private:
    int m_fd;
    std::uint64_t m_lastProgress = 0;
};

// CLOCK_MONOTONIC in nanoseconds, comparable across processes.
std::uint64_t nowNs();

// This process's CPU time and context switches since `start`, as result fields.
struct CpuMark {
    rusage usage{};
    static CpuMark now();
};
struct CpuSpent {
    std::uint64_t userUs = 0, sysUs = 0, switches = 0;
};
CpuSpent cpuSince(const CpuMark& start);

} // namespace shmviz::worker
