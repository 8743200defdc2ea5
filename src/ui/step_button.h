#pragma once
// A button that issues one step: disabled when the step makes no sense now, with a tooltip that
// names the system call.
#include <string>

namespace shmviz::ui {

// Returns true when clicked (and enabled). `shortcut` is shown in the tooltip.
bool stepButton(const char* label, bool enabled, const char* tooltip, const char* shortcut = nullptr);

} // namespace shmviz::ui
