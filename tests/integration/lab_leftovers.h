#pragma once
// What a lab could leave behind, read from the kernel: lab worker processes of a given app pid,
// System V segments it created, semaphore sets, POSIX semaphores and message queues it named.
#include <dirent.h>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

namespace shmviz::testing::lab {

// pids of live `shmviz-worker --lab ... --parent <appPid>` processes (zombies count as gone).
inline std::vector<pid_t> labWorkersOf(pid_t appPid) {
    std::vector<pid_t> found;
    DIR* proc = opendir("/proc");
    if (!proc)
        return found;
    const std::string parent = "--parent";
    while (dirent* e = readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid <= 0)
            continue;
        std::ifstream status("/proc/" + std::to_string(pid) + "/stat");
        std::string statLine;
        std::getline(status, statLine);
        const auto close = statLine.rfind(')');
        if (close == std::string::npos || close + 2 >= statLine.size() || statLine[close + 2] == 'Z')
            continue;
        std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
        std::string all((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
        std::vector<std::string> args;
        std::stringstream split(all);
        for (std::string a; std::getline(split, a, '\0');)
            args.push_back(a);
        if (args.size() < 7 || args[1] != "--lab")
            continue;
        for (std::size_t i = 0; i + 1 < args.size(); ++i)
            if (args[i] == parent && args[i + 1] == std::to_string(appPid))
                found.push_back(pid);
    }
    closedir(proc);
    return found;
}

// shmids of System V segments whose creator is `pid` (/proc/sysvipc/shm: key shmid perms size cpid ...).
inline std::vector<int> segmentsCreatedBy(pid_t pid) {
    std::vector<int> found;
    std::ifstream in("/proc/sysvipc/shm");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream f(line);
        long key, shmid, perms, size, cpid;
        if (f >> key >> shmid >> perms >> size >> cpid && cpid == pid)
            found.push_back(static_cast<int>(shmid));
    }
    return found;
}

// Every System V semaphore set id on the machine.
inline std::set<int> semaphoreSets() {
    std::set<int> ids;
    std::ifstream in("/proc/sysvipc/sem");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream f(line);
        long key, semid;
        if (f >> key >> semid)
            ids.insert(static_cast<int>(semid));
    }
    return ids;
}

// Names in /dev/shm (POSIX shm and sem.* semaphores) and /dev/mqueue (when mounted) that a lab of
// `pid` created: they all contain "shmviz-lab-<pid>-".
inline std::vector<std::string> namesOf(pid_t pid) {
    std::vector<std::string> found;
    const std::string tag = "shmviz-lab-" + std::to_string(pid) + "-";
    for (const char* dir : {"/dev/shm", "/dev/mqueue"}) {
        DIR* d = opendir(dir);
        if (!d)
            continue;
        while (dirent* e = readdir(d))
            if (std::string(e->d_name).find(tag) != std::string::npos)
                found.push_back(std::string(dir) + "/" + e->d_name);
        closedir(d);
    }
    return found;
}

} // namespace shmviz::testing::lab
