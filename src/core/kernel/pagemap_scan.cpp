#include "core/kernel/pagemap_scan.h"

#include "core/kernel/pagemap.h"

#include <cerrno>
#include <sys/ioctl.h>

namespace shmviz::core {

Result<std::vector<MappedRun>> scanMappedRuns(int fd, std::uint64_t firstPage, std::uint64_t pages,
                                              std::uint64_t pageSize) {
    std::vector<MappedRun> runs;
    const std::uint64_t start = firstPage * pageSize;
    const std::uint64_t end = (firstPage + pages) * pageSize;
    std::vector<uapi::PageRegion> regions(512);
    std::uint64_t at = start;
    while (at < end) {
        uapi::PmScanArg arg{};
        arg.size = sizeof arg;
        arg.start = at;
        arg.end = end;
        arg.vec = reinterpret_cast<std::uintptr_t>(regions.data());
        arg.vecLen = regions.size();
        arg.categoryAnyofMask = uapi::kPageIsPresent | uapi::kPageIsSwapped;
        arg.returnMask = uapi::kPageIsPresent | uapi::kPageIsSwapped;
        const int got = ::ioctl(fd, uapi::kPagemapScan, &arg);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return systemError(errno, "Scanning /proc/self/pagemap with PAGEMAP_SCAN");
        }
        if (static_cast<std::uint64_t>(got) > regions.size() || arg.walkEnd <= at || arg.walkEnd > end)
            return makeError(EIO, "PAGEMAP_SCAN answered outside the range it was asked about.");
        for (int i = 0; i < got; ++i) {
            const uapi::PageRegion& r = regions[static_cast<std::size_t>(i)];
            const std::uint64_t lastEnd =
                runs.empty() ? start : (firstPage + runs.back().first + runs.back().count) * pageSize;
            if (r.start < lastEnd || r.end <= r.start || r.end > arg.walkEnd || r.start % pageSize ||
                r.end % pageSize)
                return makeError(EIO, "PAGEMAP_SCAN returned a region out of order or outside the range.");
            const std::uint64_t first = r.start / pageSize - firstPage;
            const std::uint64_t count = (r.end - r.start) / pageSize;
            if (!runs.empty() && runs.back().first + runs.back().count == first)
                runs.back().count += count; // present next to swapped: one run of mapped pages
            else
                runs.push_back({first, count});
        }
        at = arg.walkEnd;
    }
    return runs;
}

namespace {

// A run with no page table entry: every page of one mapping reads the same, so its ends decide.
Status readHole(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out) {
    if (out.size() <= 2)
        return readPagemapRange(fd, firstPage, out);
    if (auto s = readPagemapRange(fd, firstPage, out.first(1)); !s)
        return s;
    if (auto s = readPagemapRange(fd, firstPage + out.size() - 1, out.last(1)); !s)
        return s;
    if (out.front() != out.back() || (out.front() >> 62) != 0) // ends differ, or not a hole after all
        return readPagemapRange(fd, firstPage, out);
    for (std::uint64_t& e : out)
        e = out.front();
    return Ok{};
}

} // namespace

Status readPagemapEntries(int fd, std::uint64_t firstPage, std::span<std::uint64_t> out,
                          std::uint64_t pageSize, PagemapRead how, bool* scanned) {
    if (scanned)
        *scanned = false;
    if (how == PagemapRead::Pread || out.empty())
        return readPagemapRange(fd, firstPage, out);
    auto runs = scanMappedRuns(fd, firstPage, out.size(), pageSize);
    if (!runs)
        return readPagemapRange(fd, firstPage,
                                out); // ENOTTY, EINVAL: older kernel; anything else: the sure way
    if (scanned)
        *scanned = true;
    std::uint64_t at = 0;
    for (const MappedRun& run : *runs) {
        if (run.first > at)
            if (auto s = readHole(fd, firstPage + at, out.subspan(at, run.first - at)); !s)
                return s;
        if (auto s = readPagemapRange(fd, firstPage + run.first, out.subspan(run.first, run.count)); !s)
            return s;
        at = run.first + run.count;
    }
    if (at < out.size())
        return readHole(fd, firstPage + at, out.subspan(at));
    return Ok{};
}

} // namespace shmviz::core
