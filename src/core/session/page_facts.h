#pragma once
// What the snapshots before and after a step show about one mapping's pages, and the sentences
// that say so. Pure: narration states what the kernel did, never what a step usually does.
#include "core/session/snapshot.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shmviz::core {

// Worker `worker`'s attachment with the worker's id `attachment`, or null.
const AttachmentView* findAttachment(const Snapshot& snap, int worker, std::uint32_t attachment);
bool pagePresent(const Snapshot& snap, int worker, std::uint32_t attachment, std::uint64_t page);

struct PresenceChange {
    std::uint64_t pages = 0;         // in the mapping
    std::uint64_t presentBefore = 0; // with a page table entry before the step
    std::uint64_t presentAfter = 0;
    std::uint64_t became = 0; // present after, not before
};
// `before` may be null (no snapshot yet) or lack the mapping (just attached): nothing was present.
PresenceChange presenceChange(const Snapshot* before, const Snapshot& after, int worker,
                              std::uint32_t attachment);

// Who last stored text in a page, as the session recorded it.
struct WrittenBy {
    int worker = -1;
    int step = 0;
};

// How many 4 KiB slots one page of segment `segment` covers: 512 for a 2 MiB huge page, else 1.
std::uint64_t slotsPerPage(const Snapshot& snap, int segment);

// "Worker 1 wrote to all 16 pages: 16 faulted in now ..." from the counts, true in every case.
// `slots` > 1: the mapping is made of huge pages of that many 4 KiB slots, one entry and one fault
// each, so the counts are of huge pages, not of 4 KiB entries.
std::string touchAllSentence(int worker, const PresenceChange& change, std::uint64_t slots = 1);
// What a one-page read or write did to the page tables: already present, faulted in, faulted in
// with neighbours (fault-around, counted), or faulted in as a whole huge page (`slots` > 1).
std::string accessPresenceSentence(const char* access, std::uint64_t page, bool wasPresent,
                                   const PresenceChange& change, std::uint64_t slots = 1);
// Whether any page of the snapshot points at frame `pfn`.
bool frameMapped(const Snapshot& snap, std::uint64_t pfn);
// What an empty read means: never written, and whether this read or an earlier access faulted it in.
// `alreadyMappedBy`: the other workers whose pages pointed at the frame before this read (its frame
// was in memory already, though not in this page table), or empty.
std::string emptyReadSentence(bool wasPresent, bool privateMapping,
                              const std::vector<int>& alreadyMappedBy = {});
// Where a write's bytes can be seen: the private copy, every attachment of a System V segment, or
// every shared mapping of a POSIX object. `copiedBy`: workers whose MAP_PRIVATE mapping of the object
// holds a copy of this page (they do not see the write).
std::string writeReachSentence(bool privateMapping, bool posix, const std::vector<int>& copiedBy = {});
// Workers with a MAP_PRIVATE mapping of segment `segment` whose page `page` is present on another
// frame than `pfn`: a copy of their own, which a write to `pfn` does not reach.
std::vector<int> privateCopiesOf(const Snapshot& snap, int segment, std::uint64_t page, std::uint64_t pfn);
// What became of a System V segment after shmdt, from the snapshot taken after it: freed, kept
// alive only by the processes still attached (IPC_RMID given), or staying until IPC_RMID.
std::string afterDetachSentence(const SegmentView& after);
// What a failed step left behind, from the snapshots before and after it: "Nothing was changed by
// this step" only when the two show no difference (a worker killed by SIGBUS takes its mappings).
std::string failedStepSentence(const Snapshot* before, const Snapshot* after);
// How the pages of a new mmap mapping become present: at first access, with fault-around on a read
// fault, except on hugetlbfs, which has none.
std::string newMappingSentence(bool hugetlb);
// "The key changed from 0x00005eed to 0x00000000", or "" when it did not.
std::string keyChangeSentence(std::uint32_t before, std::uint32_t after);

} // namespace shmviz::core
