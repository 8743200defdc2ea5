// POSIX shared memory names as a step or a user gives them.
#include "core/kernel/posix_name.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto status = shmviz::core::checkPosixName(shmviz::fuzz::asText(data, size));
    if (!status && status.error().message.empty())
        __builtin_trap(); // every refusal says why
    return 0;
}
