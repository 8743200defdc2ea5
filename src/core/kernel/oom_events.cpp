#include "core/kernel/oom_events.h"

#include "core/base/text_lines.h"
#include "core/kernel/file_text.h"

#include <charconv>

namespace shmviz::core {

std::optional<std::string> parseCgroupPath(std::string_view text, std::string_view controller) {
    while (!text.empty()) {
        const std::string_view line = takeLine(text);
        // hierarchy-ID:controller-list:cgroup-path (cgroups(7))
        const std::size_t first = line.find(':');
        const std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
        if (second == std::string_view::npos || second + 1 >= line.size() || line[second + 1] != '/')
            continue;
        std::string_view list = line.substr(first + 1, second - first - 1);
        bool match = list == controller;
        for (std::size_t i = 0; !match && i < list.size();) {
            std::size_t comma = list.find(',', i);
            if (comma == std::string_view::npos)
                comma = list.size();
            match = list.substr(i, comma - i) == controller;
            i = comma + 1;
        }
        if (match)
            return std::string(line.substr(second + 1));
    }
    return std::nullopt;
}

std::optional<std::uint64_t> parseOomKills(std::string_view text) {
    constexpr std::string_view kKey = "oom_kill ";
    while (!text.empty()) {
        const std::string_view line = takeLine(text);
        if (line.starts_with(kKey)) {
            std::string_view number = line.substr(kKey.size());
            std::uint64_t value = 0;
            auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
            if (ec == std::errc{} && ptr == number.data() + number.size())
                return value;
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::uint64_t> readOomKills() {
    auto cgroup = readFileText("/proc/self/cgroup");
    if (!cgroup)
        return std::nullopt;
    auto counter = [](const std::string& file) -> std::optional<std::uint64_t> {
        if (file.find("..") != std::string::npos)
            return std::nullopt;
        auto text = readFileText(file);
        return text ? parseOomKills(*text) : std::nullopt;
    };
    // cgroup v2: memory.events. v1: memory.oom_control has the same line (Linux 4.13 on); inside a
    // container the v1 mount's root is often the container's own cgroup.
    if (auto path = parseCgroupPath(*cgroup, ""))
        if (auto n = counter("/sys/fs/cgroup" + (*path == "/" ? std::string() : *path) + "/memory.events"))
            return n;
    if (auto path = parseCgroupPath(*cgroup, "memory")) {
        if (auto n = counter("/sys/fs/cgroup/memory" + (*path == "/" ? std::string() : *path) +
                             "/memory.oom_control"))
            return n;
        return counter("/sys/fs/cgroup/memory/memory.oom_control");
    }
    return std::nullopt;
}

std::string describeUnexpectedSigkill(std::optional<std::uint64_t> before, std::optional<std::uint64_t> now) {
    if (!before || !now)
        return "killed by SIGKILL, possibly out of memory (shmviz cannot read its cgroup's memory.events to "
               "tell)";
    if (*now > *before)
        return "killed by the kernel's OOM killer (SIGKILL): memory ran out, and its memory cgroup "
               "counts " +
               std::to_string(*now - *before) + " OOM kill(s) since this worker started";
    return "killed by SIGKILL";
}

} // namespace shmviz::core
