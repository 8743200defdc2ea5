#pragma once
// Memory accounting: per worker, what /proc/PID/smaps_rollup, smaps and status say it uses, and per
// segment the classic surprise: Rss summed over the workers counts the one shared memory again in
// every process; Pss divides each page by its mappers, so it adds up to what is really resident.
#include "ui/ui_state.h"

namespace shmviz::ui {

struct MemoryPanel {
    void draw(const FrameContext& ctx, const UiState& state);

  private:
    void drawWorkers(const core::Snapshot& snap);
    void drawSegment(const core::Snapshot& snap, const core::SegmentView& seg, const UiState& state);
};

} // namespace shmviz::ui
