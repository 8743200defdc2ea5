#pragma once
// What each button may do now, and the step-language line it issues. Pure: reads a snapshot.
#include "core/snapshot.h"

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
// The worker's attachment index of `segment`, or -1.
int attachmentOf(const core::WorkerView& worker, int segment);

struct WorkerActions {
    bool shmat = false;
    bool touch = false; // touch, write and read need the segment attached
    bool shmdt = false;
    bool kill = false;
};
WorkerActions workerActions(const core::Snapshot& snapshot, int worker, int segment);

struct SegmentActions {
    bool rmid = false;
    bool keep = false;
};
SegmentActions segmentActions(const core::Snapshot& snapshot, int segment);

class StepLines {
  public:
    StepLines(const core::Snapshot& snapshot, int segment);

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

  private:
    std::string segmentOption() const; // " seg=N" unless N is the newest segment
    const core::Snapshot& m_snapshot;
    int m_segment;
    std::uint32_t m_pageSize;
};

} // namespace shmviz::ui
