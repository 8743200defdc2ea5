#pragma once
// A button that issues one step: disabled when the step makes no sense now, with a tooltip that
// names the system call and, when disabled, says why.
#include "ui/step_commands.h"
#include "ui/ui_state.h"

#include <string>
#include <vector>

namespace shmviz::ui {

// Returns true when clicked (and allowed). `shortcut` is shown in the tooltip, and when the step is
// refused, the reason.
bool stepButton(const char* label, const Allowed& allowed, const char* tooltip,
                const char* shortcut = nullptr);

// Before a widget `width` pixels wide that follows another: on the same line when it fits the
// panel, else on the next (render/panel_flow.h), so a narrow or zoomed panel wraps.
void flowSameLine(float width);
// The same before a button with this label.
void flowButton(const char* label);
// A button label broken into lines at spaces so that the button fits the panel's width (a label
// wider than the panel would be cut at its edge).
std::string fittedLabel(const std::string& label);
// Before an input field with `label` (ImGui writes it right of the field): sets the field's width,
// `wantedFonts` font sizes narrowed to fit the panel with its label. When even a narrow field and
// the label do not fit, writes the label on a line of its own, makes the field as wide as the
// panel and returns false: then draw the field without its label ("###id").
bool fitNextField(float wantedFonts, const char* label);

// One button of a group of step buttons, and the step line it submits when clicked.
struct StepButton {
    const char* label;
    Allowed allowed;
    const char* tooltip;
    const char* shortcut; // nullptr: none
    std::string line;
    bool newRow = false; // starts a new row; the others follow the button before them while they fit
};
inline constexpr bool kNewRow = true;

// Draws the buttons in order (flowButton between them) and submits the clicked one's line.
void stepButtons(const FrameContext& ctx, const std::vector<StepButton>& buttons);

} // namespace shmviz::ui
