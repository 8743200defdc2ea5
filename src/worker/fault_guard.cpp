#include "worker/fault_guard.h"

#include <csetjmp>
#include <csignal>
#include <cstdlib>

namespace shmviz::worker {

namespace {

sigjmp_buf g_jump;
volatile sig_atomic_t g_armed = 0;
Fault g_fault;

void onSegv(int sig, siginfo_t* info, void*) {
    if (!g_armed) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    g_fault.signal = sig;
    g_fault.code = info->si_code;
    g_fault.address = reinterpret_cast<std::uint64_t>(info->si_addr);
    siglongjmp(g_jump, 1);
}

} // namespace

void installFaultGuard() {
    struct sigaction sa {};
    sa.sa_sigaction = onSegv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
}

Fault runGuarded(const std::function<void()>& access) {
    g_fault = {};
    if (sigsetjmp(g_jump, 1) == 0) {
        g_armed = 1;
        access();
        g_armed = 0;
        return {};
    }
    g_armed = 0;
    return g_fault;
}

} // namespace shmviz::worker
