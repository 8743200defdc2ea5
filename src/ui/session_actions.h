#pragma once
// The one way a panel acts on the session, given to it by the app. The app owns the session
// runner and records every submitted line here, whichever panel submitted it, so File -> Save
// steps replays the whole session. Panels see no more of the runner than this.
#include "core/labs/lab_progress.h"

#include <string>

namespace shmviz::ui {

class SessionActions {
  public:
    virtual ~SessionActions() = default;
    // Queues one step line; returns at once. UI thread.
    virtual void submit(const std::string& line) = 0;
    // Asks a running lab to stop early and drops queued steps.
    virtual void cancel() = 0;
    // Ends the session (its workers stopped, its segments removed unless kept) and starts a fresh
    // one; lines submitted afterwards run there, and the record of lines starts again.
    virtual void newSession() = 0;
    // How far the running lab is; read each frame.
    virtual const core::labs::LabProgress& progress() const = 0;
};

} // namespace shmviz::ui
