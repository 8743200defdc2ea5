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
    struct RaceRun {
        std::string mode;
        int workers = 0;
        std::uint64_t perWorker = 0;
        std::uint64_t expected = 0;
        std::uint64_t actual = 0;
        std::int64_t lost = 0;
        double seconds = 0;
        double perSecond = 0;
        std::string recovery; // mutex-kill: what the robust mutex did
    };
    struct TornRun {
        std::string mode;
        double seconds = 0;
        std::uint64_t writes = 0;
        std::uint64_t reads = 0;
        std::uint64_t torn = 0;
        std::uint64_t retries = 0;
    };

    // Form state.
    int mode = 0; // index into the race modes
    int workers = 4;
    int increments = 1'000'000;
    int tornMode = 0;
    int tornSeconds = 2;

    // Results so far, oldest first.
    std::vector<RaceRun> raceRuns;
    std::vector<TornRun> tornRuns;
    std::string lastExplain;
    std::string lastError;

    // Call once per frame inside a window. Takes ctx.newReplies (all of them: the panel keeps only
    // race and torn ones) and acts through ctx.session.
    void draw(const FrameContext& ctx);
    // Records race and torn results from replies; ignores every other step.
    void take(const std::vector<core::StepReply>& replies);

  private:
    void drawRace(const FrameContext& ctx);
    void drawTorn(const FrameContext& ctx);
};

} // namespace shmviz::ui
