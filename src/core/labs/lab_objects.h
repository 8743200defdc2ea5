#pragma once
// The kernel objects a lab creates, each removed when its owner goes out of scope (a finished,
// failed or cancelled lab), and registered with the guardian in between so a SIGKILLed app leaves
// none behind. Once every lab worker has opened an object the lab removes its name early
// (IPC_RMID, sem_unlink, mq_unlink): the kernel keeps it alive for those holding it and frees it
// when the last one lets go.
#include "core/base/error.h"
#include "core/wire/guardian_link.h"

#include <cstddef>
#include <mqueue.h>
#include <string>
#include <utility>

namespace shmviz::core::labs {

// "/shmviz-lab-<pid>-<n>-<kind>", unique within this process.
std::string labObjectName(const std::string& kind);

class LabSegment {
  public:
    static Result<LabSegment> create(std::size_t bytes, GuardianLink* guardian);
    LabSegment(LabSegment&& other) noexcept;
    LabSegment& operator=(LabSegment&&) = delete;
    ~LabSegment();

    int shmid() const { return m_shmid; }
    // The app's own attachment, used to initialise the segment and read the result.
    void* address() const { return m_address; }
    // IPC_RMID now: the segment lives on while attached and goes with the last detach.
    void removeEarly();

  private:
    LabSegment() = default;
    int m_shmid = -1;
    void* m_address = nullptr;
    bool m_removed = false;
    GuardianLink* m_guardian = nullptr;
};

class LabSysvSemaphore {
  public:
    static Result<LabSysvSemaphore> create(int initial, GuardianLink* guardian);
    LabSysvSemaphore(LabSysvSemaphore&& other) noexcept;
    LabSysvSemaphore& operator=(LabSysvSemaphore&&) = delete;
    ~LabSysvSemaphore();
    int semid() const { return m_semid; }

  private:
    LabSysvSemaphore() = default;
    int m_semid = -1;
    GuardianLink* m_guardian = nullptr;
};

// A POSIX IPC name the lab made (a semaphore's or a message queue's), registered with the guardian
// from before the object exists, so a kill in between still gets it removed. Unlinked early or when
// it goes out of scope, once the object was created.
class LabPosixName {
  public:
    enum class Kind { Semaphore, MessageQueue };
    LabPosixName(Kind kind, GuardianLink* guardian); // a fresh name, registered with the guardian
    LabPosixName(LabPosixName&& other) noexcept;
    LabPosixName& operator=(LabPosixName&&) = delete;
    ~LabPosixName();
    const std::string& name() const { return m_name; }
    void created() { m_unlinked = false; } // the object exists: unlink it in the end
    void abandon();                        // creating it failed: the guardian forgets the name
    void unlinkEarly();                    // sem_unlink or mq_unlink now

  private:
    Kind m_kind;
    std::string m_name;
    bool m_unlinked = true;
    GuardianLink* m_guardian = nullptr;
};

class LabNamedSemaphore {
  public:
    static Result<LabNamedSemaphore> create(unsigned initial, GuardianLink* guardian);
    const std::string& name() const { return m_name.name(); }
    void unlinkEarly() { m_name.unlinkEarly(); }

  private:
    explicit LabNamedSemaphore(LabPosixName name) : m_name(std::move(name)) {}
    LabPosixName m_name;
};

class LabMessageQueue {
  public:
    // Messages of `messageBytes`, or the system's limit (/proc/sys/fs/mqueue/msgsize_max, 8 KiB by
    // default) when that is lower.
    static Result<LabMessageQueue> create(long messageBytes, GuardianLink* guardian);
    const std::string& name() const { return m_name.name(); }
    long messageBytes() const { return m_messageBytes; }
    void unlinkEarly() { m_name.unlinkEarly(); }

  private:
    LabMessageQueue(LabPosixName name, long messageBytes)
        : m_name(std::move(name)), m_messageBytes(messageBytes) {}
    LabPosixName m_name;
    long m_messageBytes = 0;
};

} // namespace shmviz::core::labs
