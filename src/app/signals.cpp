#include "app/signals.h"

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace shmviz::app {

namespace {

std::atomic<bool> g_requested{false};
int g_pipe[2] = {-1, -1};

void onTerminate(int) {
    g_requested = true;
    if (g_pipe[1] >= 0) {
        char byte = 1;
        [[maybe_unused]] ssize_t n = write(g_pipe[1], &byte, 1);
    }
}

} // namespace

void installTerminationHandlers() {
    if (g_pipe[0] < 0 && pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        g_pipe[0] = g_pipe[1] = -1; // without the pipe, the flag alone still ends the session
    struct sigaction sa {};
    sa.sa_handler = onTerminate;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

bool terminationRequested() {
    return g_requested;
}

int terminationFd() {
    return g_pipe[0];
}

} // namespace shmviz::app
