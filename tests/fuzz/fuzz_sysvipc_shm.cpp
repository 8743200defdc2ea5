// /proc/sysvipc/shm text.
#include "core/kernel/sysvipc_shm.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto rows = shmviz::core::parseSysvShm(shmviz::fuzz::asText(data, size));
    if (rows)
        for (const auto& row : *rows)
            (void)(row.dest() + row.key32());
    return 0;
}
