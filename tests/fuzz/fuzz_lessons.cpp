// A lesson file: the first line up to a newline is its file name, the rest its text. The title
// comes from the text; every line of the text then goes through the step parser as a script would.
#include "core/steps/lessons.h"
#include "core/steps/step.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace shmviz::core;
    std::string_view input = shmviz::fuzz::asText(data, size);
    const std::size_t nl = input.find('\n');
    const std::string_view name = input.substr(0, nl);
    std::string_view text = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    const Lesson lesson = lessonFromFile(name, text);
    if (lesson.title.find('\n') != std::string::npos)
        __builtin_trap(); // a title is one line
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (!isSkippableLine(line))
            (void)parseStep(line);
    }
    return 0;
}
