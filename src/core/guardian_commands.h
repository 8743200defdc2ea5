#pragma once
// What the guardian remembers: the app's workers and the kernel objects it must remove if the app
// dies without doing so itself. The app sends one line per change:
//   pid N | unpid N | shm SHMID | unshm SHMID | posix /NAME | unposix /NAME
#include <set>
#include <string>
#include <string_view>

namespace shmviz::core {

class GuardianLedger {
  public:
    explicit GuardianLedger(int ownerPid) : m_owner(ownerPid) {}

    // Applies one line; returns false (and changes nothing) for a malformed one.
    bool apply(std::string_view line);

    // SIGKILLs the workers still alive, removes the segments the owner created, unlinks the
    // POSIX names. Each removal is checked so an id the kernel reused for someone else is spared.
    void cleanUp() const;

    const std::set<int>& pids() const { return m_pids; }
    const std::set<int>& shmids() const { return m_shmids; }
    const std::set<std::string>& posixNames() const { return m_names; }

  private:
    int m_owner;
    std::set<int> m_pids;
    std::set<int> m_shmids;
    std::set<std::string> m_names;
};

} // namespace shmviz::core
