// /proc/meminfo text, read for the keys the app asks for and for a key taken from the input:
// the first line up to a tab is the key, the rest is the text.
#include "core/kernel/system_limits.h"
#include "fuzz_input.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    const std::string text(shmviz::fuzz::asText(data, size));
    for (const char* key : {"MemTotal", "HugePages_Total", "HugePages_Free", "Hugepagesize"})
        meminfoField(text, key);
    const std::size_t tab = text.find('\t');
    if (tab != std::string::npos)
        meminfoField(text.substr(tab + 1), text.substr(0, tab));
    return 0;
}
