#include "worker/guardian.h"

#include "core/wire/guardian_commands.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace shmviz::worker {

int runGuardian(int pipeFd, int ownerPid) {
    // Only the app that started us may name what we remove and kill when it ends: a guardian run
    // by anyone else with someone else's pid as --parent does nothing at all.
    if (getppid() != ownerPid) {
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
