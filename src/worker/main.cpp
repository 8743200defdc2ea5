// shmviz-worker: one process whose address space the app shows. Started by fork + exec so each
// worker gets its own randomised layout. Also runs as the guardian (--guardian).
#include "worker/fault_guard.h"
#include "worker/guardian.h"
#include "worker/lab_main.h"
#include "worker/privileges.h"
#include "worker/worker_server.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>
#include <utility>

namespace {

int usage() {
    std::fprintf(stderr, "shmviz-worker is started by shmviz; it is not meant to be run by hand.\n"
                         "usage: shmviz-worker --fd N --parent PID | --guardian --fd N --parent PID\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    shmviz::worker::giveUpCapabilitiesOrExit("shmviz-worker");
    if (argc > 1 && std::string_view(argv[1]) == "--lab")
        return shmviz::worker::labMain(argc, argv); // a lab worker (race, torn, ipcbench)
    int fd = -1;
    int parent = -1;
    bool guardian = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--fd" && i + 1 < argc)
            fd = std::atoi(argv[++i]);
        else if (a == "--parent" && i + 1 < argc)
            parent = std::atoi(argv[++i]);
        else if (a == "--guardian")
            guardian = true;
        else
            return usage();
    }
    if (fd < 0 || parent <= 0)
        return usage();

    if (guardian) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); // the guardian never runs another program
        return shmviz::worker::runGuardian(fd, parent);
    }

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, SIG_IGN); // Ctrl+C in a terminal is for the app, which then ends us itself

    // No PR_SET_NO_NEW_PRIVS here: it would keep shmviz-pagemap from receiving its file capability.
    auto pagemap = shmviz::worker::openPagemap();
    shmviz::worker::installFaultGuard();
    shmviz::worker::WorkerServer server(fd, std::move(pagemap));
    return server.serve();
}
