// One line of the step language, as typed, scripted or sent by a button.
#include "core/steps/step.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    const std::string_view line = shmviz::fuzz::asText(data, size);
    if (isSkippableLine(line))
        return 0;
    auto step = parseStep(line);
    if (step)
        (void)verbName(step->verb);
    else if (step.error().message.empty())
        __builtin_trap(); // every refusal says why
    return 0;
}
