// /proc/PID/maps text: every line parsed, then looked up by the addresses it names.
#include "core/kernel/proc_maps.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    auto lines = parseMaps(shmviz::fuzz::asText(data, size));
    if (lines)
        for (const MapsLine& line : *lines) {
            findMapping(*lines, line.start);
            findMapping(*lines, line.end - 1);
        }
    return 0;
}
