#pragma once
// The lifecycle as buttons: shmget with size, key and mode; shm_open, ftruncate, shm_unlink;
// spawn; per worker shmat, touch, write, read, shmdt, kill, mmap [private], munmap, fork, anon;
// IPC_RMID and keep. Each button submits one step line.
#include "ui/ui_state.h"

namespace shmviz::ui {

struct ControlsPanel {
    void draw(const FrameContext& ctx, UiState& state);

  private:
    void drawSegment(const FrameContext& ctx, UiState& state);
    void drawPosix(const FrameContext& ctx, UiState& state);
    void drawWorkers(const FrameContext& ctx, UiState& state);
    static void drawWorkerTitle(const core::WorkerView& w, UiState& state);
    static void drawWorkerButtons(const FrameContext& ctx, const UiState& state, int worker,
                                  const WorkerActions& a, const StepLines& lines);
    char m_keyBuffer[16] = "0x5eed";
    char m_modeBuffer[8] = "600";
    char m_textBuffer[64] = "hello";
    char m_nameBuffer[64] = "/shmviz-demo";
};

} // namespace shmviz::ui
