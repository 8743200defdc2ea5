#include "core/labs/lab_objects.h"

#include "core/kernel/limit_errors.h"

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>
#include <utility>

namespace shmviz::core::labs {

namespace {

long readLimit(const char* path, long fallback) {
    FILE* f = std::fopen(path, "r");
    if (!f)
        return fallback;
    long v = fallback;
    if (std::fscanf(f, "%ld", &v) != 1)
        v = fallback;
    std::fclose(f);
    return v;
}

} // namespace

std::string labObjectName(const std::string& kind) {
    static std::atomic<unsigned> counter{0};
    return "/shmviz-lab-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + kind;
}

// [SECTION] System V segment

Result<LabSegment> LabSegment::create(std::size_t bytes, GuardianLink* guardian) {
    LabSegment s;
    s.m_guardian = guardian;
    s.m_shmid = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
    if (s.m_shmid < 0)
        return limitError(errno, "Creating the lab's shared segment (shmget)", "shmget");
    if (guardian)
        guardian->ownSysv(s.m_shmid);
    void* at = shmat(s.m_shmid, nullptr, 0);
    if (at == reinterpret_cast<void*>(-1))
        return limitError(errno, "Attaching the lab's shared segment (shmat)",
                          "shmat"); // ~LabSegment removes it
    s.m_address = at;
    return s;
}

LabSegment::LabSegment(LabSegment&& other) noexcept
    : m_shmid(std::exchange(other.m_shmid, -1)), m_address(std::exchange(other.m_address, nullptr)),
      m_removed(other.m_removed), m_guardian(other.m_guardian) {}

void LabSegment::removeEarly() {
    if (m_shmid < 0 || m_removed)
        return;
    shmctl(m_shmid, IPC_RMID, nullptr);
    m_removed = true;
    if (m_guardian)
        m_guardian->forgetSysv(m_shmid);
}

LabSegment::~LabSegment() {
    if (m_address)
        shmdt(m_address);
    removeEarly();
}

// [SECTION] System V semaphore set

Result<LabSysvSemaphore> LabSysvSemaphore::create(int initial, GuardianLink* guardian) {
    LabSysvSemaphore s;
    s.m_guardian = guardian;
    s.m_semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (s.m_semid < 0)
        return limitError(errno, "Creating the lab's System V semaphore (semget)", "semget");
    if (guardian)
        guardian->ownSysvSem(s.m_semid);
    if (semctl(s.m_semid, 0, SETVAL, initial) != 0)
        return systemError(errno, "Setting the lab's System V semaphore (semctl SETVAL)");
    return s;
}

LabSysvSemaphore::LabSysvSemaphore(LabSysvSemaphore&& other) noexcept
    : m_semid(std::exchange(other.m_semid, -1)), m_guardian(other.m_guardian) {}

LabSysvSemaphore::~LabSysvSemaphore() {
    if (m_semid < 0)
        return;
    semctl(m_semid, 0, IPC_RMID);
    if (m_guardian)
        m_guardian->forgetSysvSem(m_semid);
}

// [SECTION] POSIX named semaphore

Result<LabNamedSemaphore> LabNamedSemaphore::create(unsigned initial, GuardianLink* guardian) {
    LabNamedSemaphore s;
    s.m_guardian = guardian;
    s.m_name = labObjectName("sem");
    if (guardian)
        guardian->ownPosixSem(s.m_name); // before creating: a kill in between still gets it removed
    sem_t* sem = sem_open(s.m_name.c_str(), O_CREAT | O_EXCL, 0600, initial);
    if (sem == SEM_FAILED) {
        const int err = errno;
        if (guardian)
            guardian->forgetPosixSem(s.m_name);
        return limitError(err, "Creating the lab's POSIX semaphore " + s.m_name + " (sem_open)", "sem_open");
    }
    sem_close(sem);
    s.m_unlinked = false;
    return s;
}

LabNamedSemaphore::LabNamedSemaphore(LabNamedSemaphore&& other) noexcept
    : m_name(std::move(other.m_name)), m_unlinked(std::exchange(other.m_unlinked, true)),
      m_guardian(other.m_guardian) {}

void LabNamedSemaphore::unlinkEarly() {
    if (m_unlinked)
        return;
    sem_unlink(m_name.c_str());
    m_unlinked = true;
    if (m_guardian)
        m_guardian->forgetPosixSem(m_name);
}

LabNamedSemaphore::~LabNamedSemaphore() {
    unlinkEarly();
}

// [SECTION] POSIX message queue

Result<LabMessageQueue> LabMessageQueue::create(long messageBytes, GuardianLink* guardian) {
    LabMessageQueue q;
    q.m_guardian = guardian;
    q.m_name = labObjectName("mq");
    if (guardian)
        guardian->ownMqueue(q.m_name);
    const long maxMessages = std::min(10L, readLimit("/proc/sys/fs/mqueue/msg_max", 10));
    const long limit = readLimit("/proc/sys/fs/mqueue/msgsize_max", 8192);
    // The system's limit even when privileged (CAP_SYS_RESOURCE may exceed it), so a run measures the
    // same thing whoever starts it.
    mq_attr attr{};
    attr.mq_maxmsg = maxMessages;
    attr.mq_msgsize = std::min(messageBytes, limit);
    mqd_t mq = mq_open(q.m_name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &attr);
    if (mq == static_cast<mqd_t>(-1)) {
        const int err = errno;
        if (guardian)
            guardian->forgetMqueue(q.m_name);
        return limitError(err, "Creating the lab's POSIX message queue " + q.m_name + " (mq_open)",
                          "mq_open");
    }
    q.m_messageBytes = attr.mq_msgsize;
    mq_close(mq);
    q.m_unlinked = false;
    return q;
}

LabMessageQueue::LabMessageQueue(LabMessageQueue&& other) noexcept
    : m_name(std::move(other.m_name)), m_messageBytes(other.m_messageBytes),
      m_unlinked(std::exchange(other.m_unlinked, true)), m_guardian(other.m_guardian) {}

void LabMessageQueue::unlinkEarly() {
    if (m_unlinked)
        return;
    mq_unlink(m_name.c_str());
    m_unlinked = true;
    if (m_guardian)
        m_guardian->forgetMqueue(m_name);
}

LabMessageQueue::~LabMessageQueue() {
    unlinkEarly();
}

} // namespace shmviz::core::labs
