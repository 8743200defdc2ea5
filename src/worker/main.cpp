// shmviz-worker: one process whose address space the app shows. Started by fork + exec so each
// worker gets its own randomised layout. Also runs as the guardian (--guardian).
#include "worker/fault_guard.h"
#include "worker/guardian.h"
#include "worker/lab_main.h"
#include "worker/pagemap_broker.h"
#include "worker/privileges.h"
#include "worker/worker_server.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

int usage() {
    std::fprintf(stderr, "shmviz-worker is started by shmviz; it is not meant to be run by hand.\n"
                         "usage: shmviz-worker --fd N --parent PID | --guardian --fd N --parent PID\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
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
        // The guardian holds no privilege it needs; drop everything at once.
        shmviz::worker::dropAllCapabilities();
        return shmviz::worker::runGuardian(fd, parent);
    }

    // Exec of a binary with file capabilities clears the parent-death signal, so set it here,
    // then make sure the parent did not die before it took effect.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, SIG_IGN); // Ctrl+C in a terminal is for the app, which then ends us itself

    // Exec of a file with capabilities makes the process non-dumpable, which makes its /proc/self
    // files root-owned (proc(5), /proc/pid ownership), so an ordinary user could not open its own
    // pagemap. Dumpable again, it stays safe: ptrace still needs a superset of our capabilities.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    auto pagemap = shmviz::worker::openOwnPagemap();
    // Before dropping: a broker that keeps CAP_SYS_ADMIN alone, so children of `fork W` see frames too.
    const int broker = pagemap.access == shmviz::core::proto::PagemapAccess::FramesVisible
                           ? shmviz::worker::startPagemapBroker()
                           : -1;
    const bool dropped = shmviz::worker::dropAllCapabilities();
    shmviz::worker::installFaultGuard();
    shmviz::worker::WorkerServer server(fd, pagemap, dropped);
    server.setPagemapBroker(broker);
    return server.serve();
}
