#pragma once
// What each button may do now, and the step-language line it issues. Pure: reads a snapshot.
#include "core/session/snapshot.h"

#include <cstdint>
#include <string>

namespace shmviz::ui {

struct SegmentRequest {
    std::uint64_t pages = 4;
    bool privateKey = true;
    std::string keyHex = "0x5eed";
    std::string modeOctal = "600";
};

// The segment buttons act on: `chosen` when it still exists, else the newest that exists; null if none.
const core::SegmentView* actionSegment(const core::Snapshot& snapshot, int chosen);
// The segment the memory and walk panels show: `chosen` when the snapshot has it, even removed, else
// the newest; null if none.
const core::SegmentView* shownSegment(const core::Snapshot& snapshot, int chosen);
// The worker's attachment index of `segment`, or -1.
int attachmentOf(const core::WorkerView& worker, int segment);

// How many of the worker's attachments map `segment` (-1: anonymous memory).
int mappingsOf(const core::WorkerView& worker, int segment);

// Whether a button's step makes sense now, and if not, why in terms of the state
// ("no segment yet: press shmget first"), for the disabled button's tooltip.
struct Allowed {
    bool ok = false;
    std::string why; // empty when ok
    explicit operator bool() const { return ok; }
};
inline Allowed allowed() {
    return {true, {}};
}
inline Allowed refused(std::string why) {
    return {false, std::move(why)};
}

struct WorkerActions {
    Allowed shmat;
    Allowed touch; // touch, write and read need the segment attached
    Allowed shmdt;
    Allowed kill;
    Allowed mmap;   // a POSIX object whose name is still in /dev/shm
    Allowed munmap; // a POSIX object this worker maps
    Allowed fork;
    Allowed anon;
    Allowed anonPages; // touch, write and read of its anonymous memory
};
WorkerActions workerActions(const core::Snapshot& snapshot, int worker, int segment);

struct SegmentActions {
    Allowed rmid;
    Allowed keep;
    Allowed ftruncate;
    Allowed shmUnlink;
};
SegmentActions segmentActions(const core::Snapshot& snapshot, int segment);

// Which mapping a page step acts on, when a worker has more than one of a segment or anonymous memory.
struct PageTarget {
    bool anon = false; // the worker's anonymous memory instead of the segment
    int at = 0;        // the worker's at-th mapping of it
};

class StepLines {
  public:
    StepLines(const core::Snapshot& snapshot, int segment, PageTarget target = {});

    std::string shmget(const SegmentRequest& request) const;
    std::string spawn() const { return "spawn"; }
    std::string shmat(int worker) const;
    std::string touch(int worker, std::uint64_t page) const;
    std::string write(int worker, std::uint64_t page, const std::string& text) const;
    std::string read(int worker, std::uint64_t page) const;
    std::string shmdt(int worker) const;
    std::string kill(int worker) const;
    std::string rmid() const;
    std::string keep() const;
    std::string shmOpen(const std::string& name, std::uint64_t pages) const;
    std::string ftruncate(std::uint64_t pages) const;
    std::string mmap(int worker, bool privateMapping) const;
    std::string munmap(int worker) const;
    std::string shmUnlink() const;
    std::string fork(int worker) const;
    std::string anon(int worker, std::uint64_t pages) const;

  private:
    std::string segmentOption() const;        // " seg=N" unless N is the newest segment
    std::string pageOption(int worker) const; // segmentOption, or " seg=anon", and " at=K" when needed
    std::string sizeText(std::uint64_t pages) const;
    const core::Snapshot& m_snapshot;
    int m_segment;
    PageTarget m_target;
    std::uint32_t m_pageSize;
};

} // namespace shmviz::ui
