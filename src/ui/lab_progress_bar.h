#pragma once
// The progress bar and Cancel button both lab panels show under their Run buttons.
#include "ui/ui_state.h"

#include <functional>
#include <string>

namespace shmviz::ui {

// Live while a step line starting with `verb` runs, idle otherwise; always drawn, so nothing below
// jumps when a run starts. `liveText` words the bar while the lab reports progress (default: the
// running line). Cancel goes through ctx.session.
void drawLabProgress(const FrameContext& ctx, const char* verb,
                     const std::function<std::string(const core::labs::LabProgress&)>& liveText = {});

} // namespace shmviz::ui
