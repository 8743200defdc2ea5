// One line a lab worker sends the app ("ready", "progress N", "result k=v...", "error ERRNO text").
#include "core/labs/lab_message.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto message = shmviz::core::labs::parseLabMessage(shmviz::fuzz::asText(data, size));
    if (message)
        (void)(message->get("completed") + message->has("sent_sum"));
    return 0;
}
