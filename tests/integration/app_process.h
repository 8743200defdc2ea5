#pragma once
// Runs the real shmviz binary in headless mode with a pipe on its stdin and stdout.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shmviz::testing {

class AppProcess {
  public:
    explicit AppProcess(std::vector<std::string> args);
    ~AppProcess();

    void send(const std::string& line); // writes one line to its stdin
    nlohmann::json reply();             // reads one JSON line (null on EOF/timeout)
    void closeInput();
    void signal(int sig);
    int wait(); // exit status (or 128 + signal)
    pid_t pid() const { return m_pid; }

  private:
    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    std::string m_buffer;
};

// True if pid is gone or a zombie.
bool processGone(pid_t pid);
// True if the System V segment no longer exists.
bool segmentGone(int shmid);
// Polls `gone` for up to `ms` milliseconds.
bool within(int ms, const std::function<bool()>& gone);

} // namespace shmviz::testing
