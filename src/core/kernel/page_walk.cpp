#include "core/kernel/page_walk.h"

#include "core/kernel/file_text.h"

#include <charconv>

namespace shmviz::core {

namespace {

std::string_view lineValue(std::string_view line) {
    const auto colon = line.find(':');
    std::string_view v = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    return v;
}

bool hasWord(std::string_view list, std::string_view word) {
    while (!list.empty()) {
        const auto sp = list.find(' ');
        if (list.substr(0, sp) == word)
            return true;
        if (sp == std::string_view::npos)
            break;
        list.remove_prefix(sp + 1);
    }
    return false;
}

// "48 bits physical, 57 bits virtual"
bool parseAddressSizes(std::string_view v, int& physical, int& virt) {
    auto number = [&](std::string_view& s, int& out) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec != std::errc())
            return false;
        s.remove_prefix(static_cast<std::size_t>(end - s.data()));
        return true;
    };
    if (!number(v, physical) || !v.starts_with(" bits physical, "))
        return false;
    v.remove_prefix(16);
    return number(v, virt) && v.starts_with(" bits virtual");
}

} // namespace

Result<PagingMode> parseCpuinfoPaging(std::string_view text) {
    PagingMode mode;
    bool sawFlags = false, sawSizes = false;
    while (!text.empty() && !(sawFlags && sawSizes)) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.empty() && (sawFlags || sawSizes))
            break; // the first processor's block ended
        if (!sawFlags && line.starts_with("flags") && line.find(':') != std::string_view::npos) {
            sawFlags = true;
            mode.la57 = hasWord(lineValue(line), "la57");
        } else if (!sawSizes && line.starts_with("address sizes")) {
            sawSizes = parseAddressSizes(lineValue(line), mode.physicalBits, mode.virtualBits);
            if (!sawSizes)
                return makeError(EINVAL, "The \"address sizes\" line of /proc/cpuinfo is not "
                                         "\"N bits physical, M bits virtual\".");
        }
    }
    if (!sawFlags)
        return makeError(EINVAL, "/proc/cpuinfo has no flags line, so the paging mode is unknown "
                                 "(shmviz knows x86-64 paging only).");
    mode.levels = mode.la57 ? 5 : 4;
    return mode;
}

Result<PagingMode> readPagingMode() {
    auto text = readFileText("/proc/cpuinfo");
    if (!text)
        return text.error();
    return parseCpuinfoPaging(*text);
}

AddressSplit splitAddress(std::uint64_t va, int levels, std::uint64_t pageBytes) {
    static constexpr const char* kLinux5[] = {"PGD", "P4D", "PUD", "PMD", "PTE"};
    static constexpr const char* kIntel5[] = {"PML5", "PML4", "PDPT", "PD", "PT"};
    static constexpr const char* kLinux4[] = {"PGD", "PUD", "PMD", "PTE"};
    static constexpr const char* kIntel4[] = {"PML4", "PDPT", "PD", "PT"};
    levels = levels == 5 ? 5 : 4;
    const int leafLevelsCut = pageBytes >= (std::uint64_t{1} << 30) ? 2 : pageBytes >= (1u << 21) ? 1 : 0;
    AddressSplit split;
    split.offsetBits = 12 + 9 * leafLevelsCut;
    split.offset = va & ((std::uint64_t{1} << split.offsetBits) - 1);
    for (int i = 0; i < levels - leafLevelsCut; ++i) {
        WalkLevel l;
        l.linuxName = levels == 5 ? kLinux5[i] : kLinux4[i];
        l.intelName = levels == 5 ? kIntel5[i] : kIntel4[i];
        l.lowBit = 12 + 9 * (levels - 1 - i);
        l.highBit = l.lowBit + 8;
        l.index = static_cast<unsigned>((va >> l.lowBit) & 511);
        split.levels.push_back(l);
    }
    return split;
}

} // namespace shmviz::core
