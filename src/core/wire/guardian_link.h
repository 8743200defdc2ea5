#pragma once
// The app's end of the guardian (see worker/guardian.h and guardian_commands.h).
#include "core/base/error.h"

#include <string>
#include <sys/types.h>

namespace shmviz::core {

class GuardianLink {
  public:
    GuardianLink() = default;
    ~GuardianLink();
    GuardianLink(const GuardianLink&) = delete;
    GuardianLink& operator=(const GuardianLink&) = delete;

    Status start(const std::string& workerPath);
    bool running() const { return m_fd >= 0; }

    void ownWorker(pid_t pid) { send("pid " + std::to_string(pid)); }
    void forgetWorker(pid_t pid) { send("unpid " + std::to_string(pid)); }
    void ownSysv(int shmid) { send("shm " + std::to_string(shmid)); }
    void forgetSysv(int shmid) { send("unshm " + std::to_string(shmid)); }
    void ownPosix(const std::string& name) { send("posix " + name); }
    void forgetPosix(const std::string& name) { send("unposix " + name); }
    // A POSIX-style object backed by a file on a hugetlbfs mount (absolute path).
    void ownFile(const std::string& path) { send("hugefile " + path); }
    void forgetFile(const std::string& path) { send("unhugefile " + path); }
    // Lab objects: System V semaphore sets, POSIX named semaphores and message queues ("/name").
    void ownSysvSem(int semid) { send("sem " + std::to_string(semid)); }
    void forgetSysvSem(int semid) { send("unsem " + std::to_string(semid)); }
    void ownPosixSem(const std::string& name) { send("psem " + name); }
    void forgetPosixSem(const std::string& name) { send("unpsem " + name); }
    void ownMqueue(const std::string& name) { send("mq " + name); }
    void forgetMqueue(const std::string& name) { send("unmq " + name); }

    // Closes the pipe (the guardian then removes whatever is still owned) and reaps it.
    void stop();

  private:
    void send(const std::string& line);
    int m_fd = -1;
    pid_t m_pid = -1;
};

} // namespace shmviz::core
