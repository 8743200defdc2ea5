#pragma once
// Every System V segment on the machine, like `ipcs -m`, from /proc/sysvipc/shm (via the
// snapshot); the session's own segments highlighted. Beside it, once the session has any, its
// POSIX objects as /dev/shm shows them.
#include "ui/ui_state.h"

#include <string>
#include <unordered_map>

namespace shmviz::ui {

struct KernelPanel {
    void draw(const FrameContext& ctx, const UiState& state);

  private:
    void drawSysv(const core::Snapshot& snap, const UiState& state);
    void drawPosix(const core::Snapshot& snap, const UiState& state);
    const std::string& userName(unsigned uid);
    std::unordered_map<unsigned, std::string> m_users;
};

} // namespace shmviz::ui
