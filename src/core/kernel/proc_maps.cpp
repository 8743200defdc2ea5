#include "core/kernel/proc_maps.h"

#include "core/base/numbers.h"
#include "core/base/text_lines.h"

#include <algorithm>

namespace shmviz::core {

namespace {

std::string_view nextField(std::string_view& rest) {
    std::size_t begin = rest.find_first_not_of(' ');
    if (begin == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(begin);
    std::size_t end = std::min(rest.find(' '), rest.size());
    std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end);
    return field;
}

Error malformed(std::string_view line, const char* why) {
    return makeError(EINVAL, "Malformed maps line \"" + std::string(line) + "\": " + why + ".");
}

} // namespace

Result<MapsLine> parseMapsLine(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    MapsLine out;
    out.text = std::string(line);
    std::string_view rest = line;
    std::string_view range = nextField(rest);
    std::size_t dash = range.find('-');
    if (dash == std::string_view::npos)
        return malformed(line, "no address range");
    auto start = parseUnsigned(range.substr(0, dash), 16, "Start address");
    auto end = parseUnsigned(range.substr(dash + 1), 16, "End address");
    if (!start || !end || *end < *start)
        return malformed(line, "bad address range");
    out.start = *start;
    out.end = *end;
    std::string_view perms = nextField(rest);
    if (perms.size() != 4)
        return malformed(line, "permissions are not four characters");
    out.perms = std::string(perms);
    auto offset = parseUnsigned(nextField(rest), 16, "Offset");
    if (!offset)
        return malformed(line, "bad offset");
    out.offset = *offset;
    std::string_view device = nextField(rest);
    if (device.find(':') == std::string_view::npos)
        return malformed(line, "bad device");
    out.device = std::string(device);
    auto inode = parseUnsigned(nextField(rest), 10, "Inode");
    if (!inode)
        return malformed(line, "bad inode");
    out.inode = *inode;
    std::size_t pathStart = rest.find_first_not_of(' ');
    if (pathStart != std::string_view::npos)
        out.path = std::string(rest.substr(pathStart));
    return out;
}

Result<std::vector<MapsLine>> parseMaps(std::string_view text) {
    std::vector<MapsLine> lines;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::string_view line = takeLine(text);
        ++number;
        if (line.empty())
            continue;
        auto parsed = parseMapsLine(line);
        if (!parsed)
            return makeError(EINVAL,
                             "Line " + std::to_string(number) + " of maps: " + parsed.error().message);
        lines.push_back(std::move(*parsed));
    }
    return lines;
}

const MapsLine* findMapping(const std::vector<MapsLine>& lines, std::uint64_t address) {
    for (const MapsLine& line : lines)
        if (address >= line.start && address < line.end)
            return &line;
    return nullptr;
}

} // namespace shmviz::core
