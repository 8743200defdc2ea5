// Race lab, worker side: add 1 to the shared counter K times in the chosen mode.
#include "core/labs/lab_layouts.h"
#include "worker/lab_link.h"
#include "worker/lab_main.h"

#include <algorithm>
#include <atomic>
#include <fcntl.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

namespace shmviz::worker {

namespace {

using core::labs::RaceMode;
using core::labs::RaceShared;

// Runs op() `count` times in rounds of 4096 so progress reports cost nothing measurable.
template <class Op> void repeat(std::uint64_t count, std::uint64_t& done, LabLink& link, Op op) {
    const std::uint64_t stop = done + count;
    while (done < stop) {
        const std::uint64_t round = std::min<std::uint64_t>(stop - done, 4096);
        for (std::uint64_t j = 0; j < round; ++j)
            op();
        done += round;
        link.progress(done);
    }
}

class RobustLock {
  public:
    RobustLock(RaceShared* shared, LabLink& link) : m_shared(shared), m_link(link) {}

    // pthread_mutex_lock on a robust mutex returns EOWNERDEAD when the previous owner died holding it:
    // we own it now, must repair what it protects, then mark it consistent (pthread_mutexattr_setrobust(3)).
    void lock() {
        const int r = pthread_mutex_lock(&m_shared->mutex);
        if (r == EOWNERDEAD) {
            ++ownerDead;
            if (m_shared->journal.active) {
                m_shared->counter = m_shared->journal.before; // undo the dead owner's half-done add
                m_shared->journal.active = 0;
                ++rolledBack;
            }
            pthread_mutex_consistent(&m_shared->mutex);
        } else if (r != 0) {
            errno = r;
            m_link.failErrno("Locking the shared mutex");
        }
    }
    void unlock() { pthread_mutex_unlock(&m_shared->mutex); }

    // Starts an add under the lock: journal first, then the counter.
    void beginAdd(std::uint32_t index) {
        m_shared->journal.owner = index;
        m_shared->journal.before = m_shared->counter;
        m_shared->journal.active = 1;
        m_shared->counter = m_shared->journal.before + 1;
    }
    void commitAdd(std::uint32_t index) {
        m_shared->completed[index].value += 1;
        m_shared->journal.active = 0;
    }

    std::uint64_t ownerDead = 0;
    std::uint64_t rolledBack = 0;

  private:
    RaceShared* m_shared;
    LabLink& m_link;
};

// Pins worker `index` to the (index mod n)-th CPU it may use, so the workers are spread over all cores
// and really run at the same time (left to itself, the scheduler often runs them one after another on
// the core that woke them, and a run of a million adds lasts only a millisecond or two).
void spreadOverCpus(std::uint32_t index) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return;
    const int count = CPU_COUNT(&allowed);
    if (count <= 1)
        return;
    int wanted = static_cast<int>(index % static_cast<std::uint32_t>(count));
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &allowed) || wanted-- != 0)
            continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        sched_setaffinity(0, sizeof one, &one);
        return;
    }
}

// The mutex modes. The mutex-kill victim does half its adds, then takes the lock, starts an add and
// waits there for the app's SIGKILL.
void mutexAdds(std::uint64_t k, bool victim, std::uint32_t index, RobustLock& lock, std::uint64_t& done,
               LabLink& link) {
    auto add = [&] {
        lock.lock();
        lock.beginAdd(index);
        lock.commitAdd(index);
        lock.unlock();
    };
    repeat(victim ? k / 2 : k, done, link, add);
    if (!victim)
        return;
    lock.lock();
    lock.beginAdd(index);
    link.send("holding\n");
    for (;;)
        pause();
}

// The semaphore modes: each add between taking and giving back a System V semaphore (`semid`), or
// the named POSIX one when `named` is set.
void semaphoreAdds(std::uint64_t k, int semid, sem_t* named, RaceShared* shared, std::uint64_t& done,
                   LabLink& link) {
    volatile std::uint64_t* counter = &shared->counter;
    if (named) {
        repeat(k, done, link, [&] {
            while (sem_wait(named) != 0)
                if (errno != EINTR)
                    link.failErrno("Waiting on the POSIX semaphore (sem_wait)");
            *counter = *counter + 1;
            sem_post(named);
        });
        return;
    }
    sembuf down{0, -1, SEM_UNDO};
    sembuf up{0, 1, SEM_UNDO};
    repeat(k, done, link, [&] {
        while (semop(semid, &down, 1) != 0)
            if (errno != EINTR)
                link.failErrno("Taking the System V semaphore (semop)");
        *counter = *counter + 1;
        if (semop(semid, &up, 1) != 0)
            link.failErrno("Giving back the System V semaphore (semop)");
    });
}

} // namespace

int runRaceWorker(const LabArgs& args, LabLink& link) {
    const auto mode = core::labs::raceModeFrom(args.text("mode"));
    const std::uint64_t k = args.number("k");
    const auto index = static_cast<std::uint32_t>(args.number("index"));
    if (!mode || k == 0 || index >= core::labs::kMaxWorkers)
        link.fail(EINVAL, "A race worker got incomplete arguments.");
    void* at = shmat(static_cast<int>(args.number("shmid")), nullptr, 0);
    if (at == reinterpret_cast<void*>(-1))
        link.failErrno("Attaching the race segment (shmat)");
    auto* shared = static_cast<RaceShared*>(at);

    sem_t* named = nullptr;
    if (*mode == RaceMode::PosixSem) {
        named = sem_open(args.text("sem").c_str(), 0);
        if (named == SEM_FAILED)
            link.failErrno("Opening the POSIX semaphore " + args.text("sem") + " (sem_open)");
    }
    const int semid = static_cast<int>(args.number("semid"));
    spreadOverCpus(index);

    link.ready();
    link.waitGo();
    if (*mode != RaceMode::MutexKill) {
        // mutex-kill starts its workers one after another on purpose; the others line up first.
        std::atomic_ref<std::uint32_t> arrived(shared->arrived);
        arrived.fetch_add(1);
        while (arrived.load() < args.number("workers"))
            sched_yield();
    }
    const std::uint64_t start = nowNs();
    std::uint64_t done = 0;
    RobustLock lock(shared, link);

    switch (*mode) {
    case RaceMode::Unsync: {
        // volatile: one load and one store per add, never fused or kept in a register.
        volatile std::uint64_t* counter = &shared->counter;
        repeat(k, done, link, [counter] { *counter = *counter + 1; });
        break;
    }
    case RaceMode::Atomic: {
        std::atomic_ref<std::uint64_t> counter(shared->counter);
        repeat(k, done, link, [&counter] { counter.fetch_add(1, std::memory_order_relaxed); });
        break;
    }
    case RaceMode::Mutex:
    case RaceMode::MutexKill:
        mutexAdds(k, *mode == RaceMode::MutexKill && args.number("victim") == 1, index, lock, done, link);
        break;
    case RaceMode::SysvSem:
    case RaceMode::PosixSem:
        semaphoreAdds(k, semid, named, shared, done, link);
        break;
    }
    const std::uint64_t end = nowNs();
    link.result({{"completed", done},
                 {"start_ns", start},
                 {"end_ns", end},
                 {"eownerdead", lock.ownerDead},
                 {"rolled_back", lock.rolledBack}});
    if (named)
        sem_close(named);
    shmdt(at);
    return 0;
}

} // namespace shmviz::worker
