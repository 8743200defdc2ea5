// The guardian's command lines ("pid N", "shm SHMID", "posix /NAME", ...). Only apply() runs:
// cleanUp() would kill and remove real things.
#include "core/wire/guardian_commands.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    shmviz::core::GuardianLedger ledger(1);
    std::string_view text = shmviz::fuzz::asText(data, size);
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        ledger.apply(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    }
    return 0;
}
