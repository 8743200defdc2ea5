#pragma once
// Shown when pagemap hides frame numbers: says why and how to see them; frame numbers are never
// invented (Documentation/admin-guide/mm/pagemap.rst: zero unless the opener has CAP_SYS_ADMIN).
#include "ui/ui_state.h"

namespace shmviz::ui {

struct PrivilegeBanner {
    void draw(const FrameContext& ctx, const UiState& state);
};

} // namespace shmviz::ui
