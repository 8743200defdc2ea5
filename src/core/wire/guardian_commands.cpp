#include "core/wire/guardian_commands.h"

#include "core/kernel/file_text.h"

#include <charconv>
#include <csignal>
#include <cstdio>
#include <linux/magic.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

// IPC ids start at 0 (the first object in a fresh IPC namespace gets id 0, ipc/util.c), so an id
// parses from 0 up; a pid must be above 0, since kill(0, ...) would signal the whole process group.
bool parseNumber(std::string_view text, int minimum, int& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= minimum;
}

bool isWorker(int pid) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/%d/exe", pid);
    char target[4096];
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    std::string_view path(target, static_cast<std::size_t>(n));
    return path.find("shmviz-worker") != std::string_view::npos;
}

// semctl's fourth argument; glibc leaves declaring it to the caller (semctl(2)).
union semun_arg {
    int val;
    semid_ds* buf;
    unsigned short* array;
};

} // namespace

bool GuardianLedger::apply(std::string_view line) {
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
        return false;
    std::string_view verb = line.substr(0, space);
    std::string_view arg = line.substr(space + 1);
    int number = 0;
    if (verb == "hugefile" || verb == "unhugefile") {
        if (arg.size() < 2 || arg[0] != '/' || arg.find("/../") != std::string_view::npos ||
            arg.ends_with("/.."))
            return false;
        if (verb == "hugefile")
            m_hugeFiles.insert(std::string(arg));
        else
            m_hugeFiles.erase(std::string(arg));
        return true;
    }
    std::set<std::string>* names = verb == "posix" || verb == "unposix" ? &m_names
                                   : verb == "psem" || verb == "unpsem" ? &m_semNames
                                   : verb == "mq" || verb == "unmq"     ? &m_queueNames
                                                                        : nullptr;
    if (names) {
        if (arg.size() < 2 || arg[0] != '/' || arg.find('/', 1) != std::string_view::npos)
            return false;
        if (verb.starts_with("un"))
            names->erase(std::string(arg));
        else
            names->insert(std::string(arg));
        return true;
    }
    const bool isPid = verb == "pid" || verb == "unpid";
    if (!parseNumber(arg, isPid ? 1 : 0, number))
        return false;
    if (verb == "pid")
        m_pids.insert(number);
    else if (verb == "unpid")
        m_pids.erase(number);
    else if (verb == "shm")
        m_shmids.insert(number);
    else if (verb == "unshm")
        m_shmids.erase(number);
    else if (verb == "sem")
        m_semids.insert(number);
    else if (verb == "unsem")
        m_semids.erase(number);
    else
        return false;
    return true;
}

void GuardianLedger::cleanUp() const {
    for (int pid : m_pids)
        if (isWorker(pid))
            kill(pid, SIGKILL);
    for (int shmid : m_shmids) {
        shmid_ds ds{};
        // Made by the app (creator pid) as this user (creator uid): an id the kernel reused, or a
        // segment whose owner someone changed to us with IPC_SET, is spared.
        if (shmctl(shmid, IPC_STAT, &ds) == 0 && ds.shm_cpid == m_owner && ds.shm_perm.cuid == geteuid())
            shmctl(shmid, IPC_RMID, nullptr);
    }
    for (const std::string& name : m_names)
        shm_unlink(name.c_str());
    for (const std::string& path : m_hugeFiles) {
        struct statfs fs {};
        if (statfs(path.c_str(), &fs) == 0 && fs.f_type == HUGETLBFS_MAGIC)
            unlink(path.c_str());
    }
    // Semaphore sets keep no creator pid; the labs create them IPC_PRIVATE as this user, so spare any
    // id that no longer matches that.
    for (int semid : m_semids) {
        semid_ds ds{};
        semun_arg arg{};
        arg.buf = &ds;
        if (semctl(semid, 0, IPC_STAT, arg) == 0 && ds.sem_perm.__key == IPC_PRIVATE &&
            ds.sem_perm.cuid == geteuid())
            semctl(semid, 0, IPC_RMID);
    }
    for (const std::string& name : m_semNames)
        sem_unlink(name.c_str());
    for (const std::string& name : m_queueNames)
        mq_unlink(name.c_str());
}

} // namespace shmviz::core
