#pragma once
// Runs a memory access and turns a SIGSEGV it raises into a value instead of a crash, so a write
// to a read-only attachment can be shown without losing the worker. SIGBUS is not caught: past
// the end of a shrunk object the worker dies, which is the lesson.
#include <cstdint>
#include <functional>

namespace shmviz::worker {

struct Fault {
    int signal = 0; // 0 when the access completed
    int code = 0;   // si_code, e.g. SEGV_ACCERR
    std::uint64_t address = 0;
};

void installFaultGuard();

Fault runGuarded(const std::function<void()>& access);

} // namespace shmviz::worker
