#pragma once
// The page-table walk for the selected page, in two workers side by side: the address split into
// the indices the MMU uses (computed from the address), one table per level (their contents are
// kernel memory no user-space file shows), and the leaf entry as /proc/PID/pagemap reports it,
// decoded, with the frame's /proc/kpageflags where readable.
#include "ui/ui_state.h"

namespace shmviz::ui {

struct WalkPanel {
    void draw(const FrameContext& ctx, const UiState& state);

  private:
    void drawWalk(const core::Snapshot& snap, const core::WorkerView& w, const core::AttachmentView& a,
                  const core::SegmentView* seg, std::uint64_t page);
    int m_other = -1; // the second worker; -1: the next one that maps the segment
};

} // namespace shmviz::ui
