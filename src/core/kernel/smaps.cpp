#include "core/kernel/smaps.h"

#include "core/base/text_lines.h"
#include "core/kernel/file_text.h"

#include <charconv>

namespace shmviz::core {

namespace {

bool parseU64(std::string_view text, std::uint64_t& out, int base = 10) {
    if (text.empty())
        return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return ec == std::errc() && end == text.data() + text.size();
}

std::uint64_t* field(MemoryCounts& c, std::string_view key) {
    if (key == "Rss")
        return &c.rss;
    if (key == "Pss")
        return &c.pss;
    if (key == "Shared_Clean")
        return &c.sharedClean;
    if (key == "Shared_Dirty")
        return &c.sharedDirty;
    if (key == "Private_Clean")
        return &c.privateClean;
    if (key == "Private_Dirty")
        return &c.privateDirty;
    if (key == "Swap")
        return &c.swap;
    if (key == "Shared_Hugetlb")
        return &c.sharedHugetlb;
    if (key == "Private_Hugetlb")
        return &c.privateHugetlb;
    return nullptr;
}

// "Key:    123 kB" -> key and bytes. False when the line is not of that form.
bool parseKbLine(std::string_view line, std::string_view& key, std::uint64_t& bytes) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    key = line.substr(0, colon);
    if (key.find(' ') != std::string_view::npos)
        return false;
    std::string_view rest = trim(line.substr(colon + 1));
    if (!rest.ends_with(" kB"))
        return false;
    std::uint64_t kb = 0;
    if (!parseU64(trim(rest.substr(0, rest.size() - 3)), kb) || kb > (UINT64_MAX >> 10))
        return false;
    bytes = kb << 10;
    return true;
}

// "7f12a000-7f12b000 rw-s 00000000 00:01 32769   /SYSV00000000 (deleted)"
bool parseHeader(std::string_view line, SmapsArea& area) {
    const auto dash = line.find('-');
    const auto space = line.find(' ');
    if (dash == std::string_view::npos || space == std::string_view::npos || dash > space)
        return false;
    if (!parseU64(line.substr(0, dash), area.start, 16) ||
        !parseU64(line.substr(dash + 1, space - dash - 1), area.end, 16) || area.end < area.start)
        return false;
    std::string_view rest = line.substr(space + 1);
    const auto permsEnd = rest.find(' ');
    if (permsEnd != 4)
        return false;
    area.perms = std::string(rest.substr(0, 4));
    // offset, device, inode, then the path (which may hold spaces) after the padding.
    for (int i = 0; i < 4; ++i) {
        const auto next = rest.find(' ');
        if (next == std::string_view::npos) {
            if (i < 3)
                return false;
            rest = {};
            break;
        }
        rest = rest.substr(next + 1);
        while (i < 3 && !rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
    }
    area.path = std::string(trim(rest));
    return true;
}

Error malformed(std::string_view what, std::string_view line) {
    return makeError(EINVAL, std::string(what) + " has a line shmviz cannot read: \"" +
                                 std::string(line.substr(0, 80)) + "\".");
}

} // namespace

Result<std::vector<SmapsArea>> parseSmaps(std::string_view text) {
    std::vector<SmapsArea> areas;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (trim(line).empty())
            continue;
        std::string_view key;
        std::uint64_t bytes = 0;
        if (parseKbLine(line, key, bytes)) {
            if (areas.empty())
                return malformed("smaps", line);
            if (std::uint64_t* f = field(areas.back().counts, key))
                *f = bytes;
            continue;
        }
        SmapsArea area;
        if (parseHeader(line, area)) {
            areas.push_back(std::move(area));
            continue;
        }
        // Lines such as "VmFlags: rd wr sh" or "THPeligible: 0" carry no sizes.
        if (line.find(':') != std::string_view::npos && !areas.empty() && !trim(line).ends_with(" kB") &&
            line.substr(0, line.find(':')).find(' ') == std::string_view::npos)
            continue;
        return malformed("smaps", line);
    }
    return areas;
}

Result<MemoryCounts> parseSmapsRollup(std::string_view text) {
    auto areas = parseSmaps(text);
    if (!areas)
        return areas.error();
    if (areas->size() != 1 || areas->front().path != "[rollup]")
        return makeError(EINVAL, "smaps_rollup does not start with one [rollup] line.");
    return areas->front().counts;
}

Result<std::vector<SmapsArea>> readSmaps(pid_t pid) {
    auto text = readFileText("/proc/" + std::to_string(pid) + "/smaps");
    if (!text)
        return text.error();
    return parseSmaps(*text);
}

Result<MemoryCounts> readSmapsRollup(pid_t pid) {
    auto text = readFileText("/proc/" + std::to_string(pid) + "/smaps_rollup");
    if (!text)
        return text.error();
    return parseSmapsRollup(*text);
}

} // namespace shmviz::core
