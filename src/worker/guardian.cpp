#include "worker/guardian.h"

#include "core/wire/guardian_commands.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace shmviz::worker {

namespace {

// True when `pid` no longer runs: no /proc entry, or a zombie waiting to be reaped (proc(5)).
bool processGone(int pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    std::FILE* f = std::fopen(path, "re");
    if (!f)
        return true;
    char text[512] = {};
    const std::size_t n = std::fread(text, 1, sizeof text - 1, f);
    std::fclose(f);
    const char* close = std::strrchr(text, ')');
    if (n == 0 || !close || close[1] != ' ')
        return true;
    return close[2] == 'Z' || close[2] == 'X';
}

} // namespace

int runGuardian(int pipeFd, int ownerPid) {
    // Only the app that started us may name what we remove and kill when it ends: a guardian run
    // by anyone else with someone else's pid as --parent does nothing at all. An app killed before
    // we got here has left us to init; then its pid no longer runs, and cleaning up after it is
    // exactly our job (the ledger still removes only segments this uid made from that pid).
    if (getppid() != ownerPid && !processGone(ownerPid)) {
        std::fprintf(stderr,
                     "shmviz-worker --guardian: --parent %d is not the process that started it (pid %d); "
                     "exiting without doing anything.\n",
                     ownerPid, static_cast<int>(getppid()));
        return 1;
    }
    // Terminal signals are for the app; the guardian must live to clean up after it.
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    core::GuardianLedger ledger(ownerPid);
    std::string pending;
    char buffer[4096];
    for (;;) {
        ssize_t got = read(pipeFd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        pending.append(buffer, static_cast<std::size_t>(got));
        std::size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            ledger.apply(std::string_view(pending).substr(0, nl));
            pending.erase(0, nl + 1);
        }
    }
    ledger.cleanUp();
    return 0;
}

} // namespace shmviz::worker
