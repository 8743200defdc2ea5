#pragma once
// The synchronisation lab: the race (`race MODE N K`) and torn reads (`torn MODE SECONDS`). The
// panel submits step lines to the SessionRunner (the lab runs in lab worker processes, never on the
// UI thread), shows a progress bar with Cancel while one runs, and keeps every run's result from the
// replies for a side-by-side table and a bar chart.
#include "ui/ui_state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shmviz::ui {

struct RaceLabPanel {
    // Form state.
    int mode = 0; // index into the race modes
    int workers = 4;
    int increments = 1'000'000;
    int tornMode = 0;
    int tornSeconds = 2;

    // Results so far, oldest first.
    std::vector<core::labs::RaceResult> raceRuns;
    std::vector<core::labs::TornResult> tornRuns;
    std::string lastExplain;
    std::string lastError;

    // Call once per frame inside a window. Takes ctx.newReplies (all of them: the panel keeps only
    // race and torn ones) and acts through ctx.session.
    void draw(const FrameContext& ctx);
    // Records race and torn results from replies; ignores every other step.
    void take(const std::vector<core::StepReply>& replies);

  private:
    void drawRace(const FrameContext& ctx);
    void drawRaceTable() const;
    void drawRaceChart() const;
    void drawTorn(const FrameContext& ctx);
};

} // namespace shmviz::ui
