// /proc/PID/stat text (the command name may hold spaces and parentheses).
#include "core/kernel/proc_stat.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto stat = shmviz::core::parseProcStat(shmviz::fuzz::asText(data, size));
    if (stat)
        (void)(stat->state + stat->ppid + stat->exitCode.value_or(0));
    return 0;
}
