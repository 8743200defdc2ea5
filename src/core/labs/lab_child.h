#pragma once
// The app's handle on one lab worker: `shmviz-worker --lab ROLE --fd 3 --parent PID key=value...`,
// started by fork + exec like every worker, in its own process group, registered with the guardian so
// it dies even if the app is SIGKILLed. Its control socket is fd 3; an optional data descriptor (a pipe
// or socket end for ipcbench) becomes fd 4. Used by the session's thread only.
#include "core/base/error.h"
#include "core/wire/guardian_link.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace shmviz::core::labs {

class LabChild {
  public:
    static Result<LabChild> start(const std::string& workerPath, const std::string& role,
                                  const std::vector<std::string>& args, int dataFd, GuardianLink* guardian);

    LabChild(LabChild&& other) noexcept;
    LabChild& operator=(LabChild&& other) noexcept;
    LabChild(const LabChild&) = delete;
    LabChild& operator=(const LabChild&) = delete;
    ~LabChild(); // SIGKILLs and reaps the process if it still runs

    pid_t pid() const { return m_pid; }
    int fd() const { return m_fd; }
    bool running() const { return m_pid > 0 && !m_reaped; }
    const std::string& endedHow() const { return m_endedHow; }

    Status sendLine(const std::string& line);
    // Reads what is available (non-blocking) and returns the complete lines; `closed` turns true at EOF.
    std::vector<std::string> readLines(bool& closed);
    // Waits up to `ms` for the process to end (it should, after its result); true once reaped.
    bool reap(int ms);
    void kill();

  private:
    LabChild() = default;
    void release();

    pid_t m_pid = -1;
    int m_fd = -1;
    bool m_reaped = false;
    std::string m_endedHow;
    std::string m_pending;
    GuardianLink* m_guardian = nullptr;
};

} // namespace shmviz::core::labs
