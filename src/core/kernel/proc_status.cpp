#include "core/kernel/proc_status.h"

#include "core/kernel/file_text.h"

#include <charconv>

namespace shmviz::core {

Result<std::uint64_t> parseVmPte(std::string_view text) {
    constexpr std::string_view kKey = "VmPTE:";
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t nl = text.find('\n', at);
        std::string_view line =
            text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        at = nl == std::string_view::npos ? text.size() : nl + 1;
        if (!line.starts_with(kKey))
            continue;
        line.remove_prefix(kKey.size());
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        std::uint64_t kb = 0;
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), kb);
        if (ec != std::errc() || std::string_view(end, line.data() + line.size() - end) != " kB" ||
            kb > (UINT64_MAX >> 10))
            return makeError(EINVAL, "The VmPTE line of /proc/PID/status is not \"VmPTE: N kB\".");
        return kb << 10;
    }
    return makeError(EINVAL,
                     "/proc/PID/status has no VmPTE line (a kernel thread, or a process that ended).");
}

Result<std::uint64_t> readVmPte(pid_t pid) {
    auto text = readFileText("/proc/" + std::to_string(pid) + "/status");
    if (!text)
        return text.error();
    return parseVmPte(*text);
}

} // namespace shmviz::core
