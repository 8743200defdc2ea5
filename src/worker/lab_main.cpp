#include "worker/lab_main.h"

#include "worker/lab_link.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>

namespace shmviz::worker {

int labMain(int argc, char** argv) {
    // argv: --lab ROLE --fd 3 --parent PID key=value...
    if (argc < 7 || std::string_view(argv[3]) != "--fd" || std::string_view(argv[5]) != "--parent") {
        std::fprintf(stderr,
                     "shmviz-worker --lab is started by shmviz; it is not meant to be run by hand.\n");
        return 2;
    }
    const std::string_view role = argv[2];
    const int fd = std::atoi(argv[4]);
    const int parent = std::atoi(argv[6]);
    // Die with the app: the parent-death signal, then a check that the parent did not die before it
    // took effect (as for every worker).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); // a lab never runs another program

    LabArgs args;
    LabLink link(fd);
    if (!args.parse(argc, argv, 7))
        link.fail(EINVAL, "A lab worker got a malformed argument.");
    if (role == "race")
        return runRaceWorker(args, link);
    if (role == "torn-writer")
        return runTornWriter(args, link);
    if (role == "torn-reader")
        return runTornReader(args, link);
    if (role == "ipc-send")
        return runIpcSender(args, link);
    if (role == "ipc-recv")
        return runIpcReceiver(args, link);
    if (role == "ipc-memcpy")
        return runIpcMemcpy(args, link);
    link.fail(EINVAL, "The lab role \"" + std::string(role) + "\" is unknown to this worker.");
}

} // namespace shmviz::worker
