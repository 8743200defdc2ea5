#include "core/guardian_commands.h"

#include "core/file_text.h"

#include <charconv>
#include <cstdio>
#include <csignal>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

bool parseInt(std::string_view text, int& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out > 0;
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

} // namespace

bool GuardianLedger::apply(std::string_view line) {
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
        return false;
    std::string_view verb = line.substr(0, space);
    std::string_view arg = line.substr(space + 1);
    int number = 0;
    if (verb == "posix" || verb == "unposix") {
        if (arg.size() < 2 || arg[0] != '/' || arg.find('/', 1) != std::string_view::npos)
            return false;
        if (verb == "posix")
            m_names.insert(std::string(arg));
        else
            m_names.erase(std::string(arg));
        return true;
    }
    if (!parseInt(arg, number))
        return false;
    if (verb == "pid")
        m_pids.insert(number);
    else if (verb == "unpid")
        m_pids.erase(number);
    else if (verb == "shm")
        m_shmids.insert(number);
    else if (verb == "unshm")
        m_shmids.erase(number);
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
        if (shmctl(shmid, IPC_STAT, &ds) == 0 && ds.shm_cpid == m_owner)
            shmctl(shmid, IPC_RMID, nullptr);
    }
    for (const std::string& name : m_names)
        shm_unlink(name.c_str());
}

} // namespace shmviz::core
