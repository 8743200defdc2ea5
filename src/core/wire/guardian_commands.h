#pragma once
// What the guardian remembers: the app's workers and the kernel objects it must remove if the app
// dies without doing so itself. The app sends one line per change:
//   pid N | unpid N | shm SHMID | unshm SHMID | posix /NAME | unposix /NAME
//   hugefile /PATH | unhugefile /PATH   (a file on a hugetlbfs mount)
// and, for the labs: sem SEMID | unsem SEMID | psem /NAME | unpsem /NAME | mq /NAME | unmq /NAME
#include <set>
#include <string>
#include <string_view>

namespace shmviz::core {

class GuardianLedger {
  public:
    explicit GuardianLedger(int ownerPid) : m_owner(ownerPid) {}

    // Applies one line; returns false (and changes nothing) for a malformed one.
    bool apply(std::string_view line);

    // SIGKILLs the workers still alive, removes the segments the owner created as this user, unlinks the
    // POSIX names. Each removal is checked so an id the kernel reused for someone else is spared.
    void cleanUp() const;

    const std::set<int>& pids() const { return m_pids; }
    const std::set<int>& shmids() const { return m_shmids; }
    const std::set<std::string>& posixNames() const { return m_names; }
    const std::set<std::string>& hugeFiles() const { return m_hugeFiles; }
    const std::set<int>& semids() const { return m_semids; }
    const std::set<std::string>& semaphoreNames() const { return m_semNames; }
    const std::set<std::string>& queueNames() const { return m_queueNames; }

  private:
    int m_owner;
    std::set<int> m_pids;
    std::set<int> m_shmids;
    std::set<std::string> m_names;
    std::set<std::string> m_hugeFiles;  // removed only if still on a hugetlbfs mount
    std::set<int> m_semids;             // System V semaphore sets (labs)
    std::set<std::string> m_semNames;   // POSIX named semaphores (labs)
    std::set<std::string> m_queueNames; // POSIX message queues (labs)
};

} // namespace shmviz::core
