#pragma once
// The run form of a snapshot: consecutive pages whose entries continue each other, and
// consecutive frames that the same workers map at consecutive addresses. A freshly touched
// segment whose frames the kernel handed out in order is a handful of runs however large it is.
// Faces that need per-page values expand the runs again; both forms describe the same kernel state.
#include "core/session/snapshot.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace shmviz::core {

// Pages [first, first + count) of an attachment. Page first+i has the raw pagemap entry
// entryFirst + i when the run steps (present with a visible frame number), else entryFirst.
struct PageRun {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    std::uint64_t entryFirst = 0;
    bool steps() const;
    bool operator==(const PageRun&) const = default;
};

// Frames pfnFirst .. pfnFirst + count - 1 holding pages pageFirst.. of one segment; every worker
// in mappedBy maps frame pfnFirst + i at va + i * page size.
struct FrameRun {
    std::uint64_t pfnFirst = 0;
    std::uint64_t count = 0;
    int segment = -1;
    std::uint64_t pageFirst = 0;
    std::optional<std::uint64_t> mapcount;   // the same for every frame of the run
    std::vector<FrameRef> mappedBy;          // va of the first frame
    std::optional<std::uint64_t> kpageflags; // /proc/kpageflags, the same for every frame of the run
    bool operator==(const FrameRun&) const = default;
};

std::vector<PageRun> pageRuns(const std::vector<std::uint64_t>& entries);
std::vector<std::uint64_t> expandPageRuns(const std::vector<PageRun>& runs);

// `frames` sorted as Snapshot::frames is.
std::vector<FrameRun> frameRuns(const std::vector<FrameView>& frames, std::uint32_t pageSize);
std::vector<FrameView> expandFrameRuns(const std::vector<FrameRun>& runs, std::uint32_t pageSize);

} // namespace shmviz::core
