#include "core/kernel/sysvipc_shm.h"

#include "core/kernel/file_text.h"

#include <charconv>

namespace shmviz::core {

namespace {

template <class T> bool field(std::string_view& rest, T& out, int base = 10) {
    std::size_t begin = rest.find_first_not_of(" \t");
    if (begin == std::string_view::npos)
        return false;
    rest.remove_prefix(begin);
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), out, base);
    if (ec != std::errc{} || (end != rest.data() + rest.size() && *end != ' ' && *end != '\t'))
        return false;
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    return true;
}

} // namespace

Result<std::vector<SysvShmRow>> parseSysvShm(std::string_view text) {
    std::vector<SysvShmRow> rows;
    std::size_t number = 0;
    bool sawHeader = false;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        if (!sawHeader) {
            if (line.find("key") == std::string_view::npos || line.find("shmid") == std::string_view::npos)
                return makeError(EINVAL, "/proc/sysvipc/shm does not start with its header line.");
            sawHeader = true;
            continue;
        }
        SysvShmRow r;
        std::string_view rest = line;
        bool good = field(rest, r.key) && field(rest, r.shmid) && field(rest, r.perms, 8) &&
                    field(rest, r.size) && field(rest, r.cpid) && field(rest, r.lpid) &&
                    field(rest, r.nattch) && field(rest, r.uid) && field(rest, r.gid) &&
                    field(rest, r.cuid) && field(rest, r.cgid) && field(rest, r.atime) &&
                    field(rest, r.dtime) && field(rest, r.ctime);
        // rss and swap were added in Linux 2.6.x; older kernels stop at ctime.
        if (good && rest.find_first_not_of(" \t") != std::string_view::npos)
            good = field(rest, r.rss) && field(rest, r.swap);
        if (!good)
            return makeError(EINVAL, "Line " + std::to_string(number) +
                                         " of /proc/sysvipc/shm is malformed: \"" + std::string(line) +
                                         "\".");
        rows.push_back(r);
    }
    if (!sawHeader)
        return makeError(EINVAL, "/proc/sysvipc/shm is empty; it should at least have its header line.");
    return rows;
}

Result<std::vector<SysvShmRow>> readSysvShm(const char* path) {
    auto text = readFileText(path);
    if (!text)
        return text.error();
    return parseSysvShm(*text);
}

} // namespace shmviz::core
