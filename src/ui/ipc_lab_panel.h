#pragma once
// The zero-copy lab (`ipcbench METHOD SIZE`): the same bytes through a pipe, a Unix socket, a POSIX
// message queue and shared memory, with memcpy as the ceiling. Submits step lines through the
// app's SessionActions, shows a progress bar with Cancel while a transfer runs, and keeps every run's
// result for a table and a bar chart.
#include "ui/ui_state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::ui {

struct IpcLabPanel {
    int method = 0;                          // index into the methods
    int size = 2;                            // index into the sizes
    std::vector<core::labs::IpcResult> runs; // oldest first
    std::string lastExplain;
    std::string lastError;

    // Call once per frame inside a window; as RaceLabPanel::draw.
    void draw(const FrameContext& ctx);
    // Records ipcbench results from replies; ignores every other step.
    void take(const std::vector<core::StepReply>& replies);

  private:
    void drawTable() const;
    void drawChart() const;
};

} // namespace shmviz::ui
