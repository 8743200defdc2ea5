#include "core/kernel/proc_stat.h"

#include "core/kernel/file_text.h"

#include <charconv>
#include <string>
#include <vector>

namespace shmviz::core {

Result<ProcStat> parseProcStat(std::string_view text) {
    const std::size_t close = text.rfind(')');
    if (close == std::string_view::npos || text.find('(') > close)
        return makeError(EPROTO, "A /proc/PID/stat line has no (command) field.");
    std::vector<std::string_view> fields; // fields[0] is field 3, the state
    std::string_view rest = text.substr(close + 1);
    std::size_t i = 0;
    while (i < rest.size()) {
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\n'))
            ++i;
        const std::size_t start = i;
        while (i < rest.size() && rest[i] != ' ' && rest[i] != '\n')
            ++i;
        if (i > start)
            fields.push_back(rest.substr(start, i - start));
    }
    if (fields.size() < 2 || fields[0].size() != 1)
        return makeError(EPROTO, "A /proc/PID/stat line is too short to hold a state and a parent pid.");
    ProcStat st;
    st.state = fields[0][0];
    auto number = [](std::string_view f, int& out) {
        auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), out);
        return ec == std::errc{} && end == f.data() + f.size();
    };
    int value = 0;
    if (!number(fields[1], value))
        return makeError(EPROTO, "A /proc/PID/stat line has a parent pid that is not a number.");
    st.ppid = value;
    constexpr std::size_t kExitCodeField = 52 - 3;
    if (fields.size() > kExitCodeField && number(fields[kExitCodeField], value))
        st.exitCode = value;
    return st;
}

Result<ProcStat> readProcStat(pid_t pid) {
    auto text = readFileText("/proc/" + std::to_string(pid) + "/stat");
    if (!text)
        return text.error();
    return parseProcStat(*text);
}

std::string describeProcState(char state) {
    const char* meaning = "unknown";
    switch (state) {
    case 'R':
        meaning = "running";
        break;
    case 'S':
        meaning = "sleeping";
        break;
    case 'D':
        meaning = "waiting in the kernel, uninterruptibly";
        break;
    case 'T':
        meaning = "stopped";
        break;
    case 't':
        meaning = "stopped by a debugger";
        break;
    case 'Z':
        meaning = "a zombie: it has ended";
        break;
    case 'X':
        meaning = "dead";
        break;
    }
    return std::string(1, state) + " (" + meaning + ")";
}

} // namespace shmviz::core
