#pragma once
// A button that issues one step: disabled when the step makes no sense now, with a tooltip that
// names the system call and, when disabled, says why.
#include "ui/step_commands.h"

#include <string>

namespace shmviz::ui {

// Returns true when clicked (and allowed). `shortcut` is shown in the tooltip, and when the step is
// refused, the reason.
bool stepButton(const char* label, const Allowed& allowed, const char* tooltip,
                const char* shortcut = nullptr);

} // namespace shmviz::ui
