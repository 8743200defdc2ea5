#pragma once
// What changed between two snapshots: the arrows (present page table entries), frames, attach
// counts and keys. Pure. The narration's one-line summary, the `snapshot` step, the window's
// "what changed" highlight and the comparison of two timeline steps all read it.
#include "core/session/snapshot.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::core {

// One page table entry of one worker's mapping: the arrow the diagram draws from it.
struct PageRef {
    int worker = 0;
    std::uint32_t attachment = 0; // the worker's attachment id
    std::uint64_t page = 0;
    bool operator==(const PageRef&) const = default;
    auto operator<=>(const PageRef&) const = default;
};

struct SegmentChange {
    int segment = 0;
    std::uint64_t nattchBefore = 0, nattchAfter = 0;
    std::uint32_t keyBefore = 0, keyAfter = 0;
    bool existedBefore = true, existsAfter = true;
};

struct SnapshotDiff {
    std::vector<PageRef> arrowsAdded;          // present now and not before, or pointing at another frame
    std::vector<PageRef> arrowsRemoved;        // present before, gone now (unmapped, detached, dropped)
    std::vector<std::uint64_t> framesAppeared; // pfns
    std::vector<std::uint64_t> framesFreed;    // pfns no page of the session points at any more
    std::vector<SegmentChange> segments;       // only those whose nattch, key or existence changed
    std::vector<int> segmentsNew;              // ids
    std::vector<int> workersNew, workersEnded; // ids
    // Of the above, what belongs to huge pages (hugetlb), counted as one entry and one frame per huge
    // page: pagemap reports each 4 KiB slot of a huge page, but the kernel maps it with one entry.
    struct Huge {
        std::size_t slotsAdded = 0, entriesAdded = 0, slotsRemoved = 0, entriesRemoved = 0;
        std::size_t framesAppeared = 0, pagesAppeared = 0, framesFreed = 0, pagesFreed = 0;
    } huge;
    bool empty() const;
};

SnapshotDiff diffSnapshots(const Snapshot& before, const Snapshot& after);

// "2 arrows added, 1 frame appeared, seg 0 nattch 2 -> 1, seg 0 key 0x00005eed -> 0x00000000", or
// "nothing changed".
std::string diffSummary(const SnapshotDiff& diff);

// What a `snapshot` step found: workers, segments, present entries and frames, in one sentence.
std::string snapshotSummary(const Snapshot& snap);

} // namespace shmviz::core
