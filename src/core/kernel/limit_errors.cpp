#include "core/kernel/limit_errors.h"

#include "core/kernel/file_text.h"

#include <charconv>
#include <cstdint>
#include <sstream>
#include <sys/resource.h>

namespace shmviz::core {

namespace {

std::string rlimitText(int resource) {
    rlimit r{};
    if (getrlimit(resource, &r) != 0)
        return "unknown";
    return r.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(r.rlim_cur);
}

bool rlimitFinite(int resource) {
    rlimit r{};
    return getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY;
}

// The first line of a /proc/sys file, trimmed; "unknown" if unreadable.
std::string sysctlText(const char* path) {
    auto text = readFileText(path);
    if (!text)
        return "unknown";
    std::string value = *text;
    while (!value.empty() && (value.back() == '\n' || value.back() == ' '))
        value.pop_back();
    // kernel.shmall and kernel.shmmax default to ULONG_MAX - 2^24 (include/uapi/linux/shm.h): a
    // 20-digit number that means no limit; say so rather than leave a student to decode it.
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec == std::errc{} && end == value.data() + value.size() && number >= (std::uint64_t{1} << 62))
        value += " (no practical limit)";
    return value;
}

std::string semLimits() {
    // /proc/sys/kernel/sem: SEMMSL SEMMNS SEMOPM SEMMNI (proc(5)).
    std::istringstream in(sysctlText("/proc/sys/kernel/sem"));
    std::string msl, mns, opm, mni;
    if (!(in >> msl >> mns >> opm >> mni))
        return "System V semaphores are limited by kernel.sem.";
    return "System V semaphores are limited by kernel.sem to SEMMNI = " + mni + " sets and SEMMNS = " + mns +
           " semaphores in all (sysctl kernel.sem).";
}

} // namespace

std::string limitSentence(int err, std::string_view call) {
    if (err == EMFILE)
        return "Open files per process are limited to RLIMIT_NOFILE = " + rlimitText(RLIMIT_NOFILE) +
               " (ulimit -n).";
    if (err == ENFILE && call == "mq_open")
        return "Message queues are limited to fs.mqueue.queues_max = " +
               sysctlText("/proc/sys/fs/mqueue/queues_max") + " on this system.";
    if (err == ENFILE)
        return "Open files on the whole system are limited to fs.file-max = " +
               sysctlText("/proc/sys/fs/file-max") + ".";
    if (err == EAGAIN && (call == "fork" || call == "clone"))
        return "Processes per user are limited to RLIMIT_NPROC = " + rlimitText(RLIMIT_NPROC) +
               " (ulimit -u), and the system to kernel.threads-max = " +
               sysctlText("/proc/sys/kernel/threads-max") + ".";
    if (err == ENOSPC && call == "shmget")
        return "System V segments are limited to kernel.shmmni = " + sysctlText("/proc/sys/kernel/shmmni") +
               " on the system, and their pages to kernel.shmall = " + sysctlText("/proc/sys/kernel/shmall") +
               ".";
    if (err == EINVAL && call == "shmget")
        return "A System V segment may be at most kernel.shmmax = " + sysctlText("/proc/sys/kernel/shmmax") +
               " bytes.";
    if (err == ENOSPC && call == "semget")
        return semLimits();
    if (err == ENOMEM && call == "mq_open")
        return "Message queue memory is limited to RLIMIT_MSGQUEUE = " + rlimitText(RLIMIT_MSGQUEUE) +
               " bytes per user.";
    if (err == ENOMEM && rlimitFinite(RLIMIT_AS))
        return "Address space is limited to RLIMIT_AS = " + rlimitText(RLIMIT_AS) + " bytes (ulimit -v).";
    return {};
}

Error limitError(int err, const std::string& doing, std::string_view call) {
    Error e = systemError(err, doing);
    if (std::string limit = limitSentence(err, call); !limit.empty())
        e.message += " " + limit;
    return e;
}

} // namespace shmviz::core
