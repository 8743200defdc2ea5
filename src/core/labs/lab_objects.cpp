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

// [SECTION] POSIX names

LabPosixName::LabPosixName(Kind kind, GuardianLink* guardian)
    : m_kind(kind), m_name(labObjectName(kind == Kind::Semaphore ? "sem" : "mq")), m_guardian(guardian) {
    if (!m_guardian)
        return;
    if (m_kind == Kind::Semaphore)
        m_guardian->ownPosixSem(m_name);
    else
        m_guardian->ownMqueue(m_name);
}

LabPosixName::LabPosixName(LabPosixName&& other) noexcept
    : m_kind(other.m_kind), m_name(std::move(other.m_name)),
      m_unlinked(std::exchange(other.m_unlinked, true)), m_guardian(other.m_guardian) {}

LabPosixName::~LabPosixName() {
    unlinkEarly();
}

void LabPosixName::abandon() {
    if (!m_guardian)
        return;
    if (m_kind == Kind::Semaphore)
        m_guardian->forgetPosixSem(m_name);
    else
        m_guardian->forgetMqueue(m_name);
}

void LabPosixName::unlinkEarly() {
    if (m_unlinked)
        return;
    if (m_kind == Kind::Semaphore)
        sem_unlink(m_name.c_str());
    else
        mq_unlink(m_name.c_str());
    m_unlinked = true;
    abandon();
}

// [SECTION] POSIX named semaphore

Result<LabNamedSemaphore> LabNamedSemaphore::create(unsigned initial, GuardianLink* guardian) {
    LabPosixName name(LabPosixName::Kind::Semaphore, guardian);
    sem_t* sem = sem_open(name.name().c_str(), O_CREAT | O_EXCL, 0600, initial);
    if (sem == SEM_FAILED) {
        const int err = errno;
        name.abandon();
        return limitError(err, "Creating the lab's POSIX semaphore " + name.name() + " (sem_open)",
                          "sem_open");
    }
    sem_close(sem);
    name.created();
    return LabNamedSemaphore(std::move(name));
}

// [SECTION] POSIX message queue

Result<LabMessageQueue> LabMessageQueue::create(long messageBytes, GuardianLink* guardian) {
    LabPosixName name(LabPosixName::Kind::MessageQueue, guardian);
    const long maxMessages = std::min(10L, readLimit("/proc/sys/fs/mqueue/msg_max", 10));
    const long limit = readLimit("/proc/sys/fs/mqueue/msgsize_max", 8192);
    // The system's limit even when privileged (CAP_SYS_RESOURCE may exceed it), so a run measures the
    // same thing whoever starts it.
    mq_attr attr{};
    attr.mq_maxmsg = maxMessages;
    attr.mq_msgsize = std::min(messageBytes, limit);
    mqd_t mq = mq_open(name.name().c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &attr);
    if (mq == static_cast<mqd_t>(-1)) {
        const int err = errno;
        name.abandon();
        return limitError(err, "Creating the lab's POSIX message queue " + name.name() + " (mq_open)",
                          "mq_open");
    }
    mq_close(mq);
    name.created();
    return LabMessageQueue(std::move(name), attr.mq_msgsize);
}

} // namespace shmviz::core::labs
