#pragma once
// Every System V segment on the machine, like `ipcs -m`, from /proc/sysvipc/shm (via the
// snapshot); the session's own segments highlighted.
#include "ui/ui_state.h"

#include <string>
#include <unordered_map>

namespace shmviz::ui {

struct KernelPanel {
    void draw(const FrameContext& ctx, const UiState& state);

  private:
    const std::string& userName(unsigned uid);
    std::unordered_map<unsigned, std::string> m_users;
};

} // namespace shmviz::ui
