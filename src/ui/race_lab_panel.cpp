#include "ui/race_lab_panel.h"

#include "ui/lab_bar_chart.h"
#include "ui/lab_progress_bar.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace shmviz::ui {

namespace {

constexpr const char* kRaceModes[] = {"unsync", "atomic", "mutex", "mutex-kill", "sysv-sem", "posix-sem"};
constexpr const char* kRaceModeHelp[] = {
    "plain load, add, store: nothing stops two workers from interleaving",
    "one atomic read-modify-write (lock add)",
    "a robust, process-shared pthread mutex living in the segment",
    "the mutex, and worker 0 is SIGKILLed while it holds it: watch EOWNERDEAD recovery",
    "a System V semaphore (semop, SEM_UNDO)",
    "a POSIX named semaphore (sem_open)",
};
constexpr const char* kTornModes[] = {"unsync", "seqlock", "mutex"};
constexpr std::size_t kChartRuns = 16;

unsigned modeColor(std::string_view mode) {
    if (mode == "unsync")
        return IM_COL32(200, 120, 60, 255);
    if (mode == "atomic")
        return IM_COL32(70, 150, 210, 255);
    if (mode == "mutex" || mode == "mutex-kill")
        return IM_COL32(90, 170, 100, 255);
    if (mode == "sysv-sem")
        return IM_COL32(160, 110, 190, 255);
    return IM_COL32(190, 170, 70, 255);
}

std::string withCommas(std::uint64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

// mutex-kill: what the robust mutex did.
std::string recoveryNote(const core::labs::RaceResult& r) {
    if (!r.recovery)
        return {};
    return "worker " + std::to_string(r.recovery->killedWorker) + " killed in the lock: EOWNERDEAD x" +
           std::to_string(r.recovery->ownerDead) + ", rolled back " + std::to_string(r.recovery->rolledBack);
}

double tornPercent(const core::labs::TornResult& t) {
    return t.reads ? 100.0 * static_cast<double>(t.torn) / static_cast<double>(t.reads) : 0.0;
}

bool isLab(const core::StepReply& r, const char* verb) {
    return r.cmd.rfind(verb, 0) == 0;
}

} // namespace

void RaceLabPanel::take(const std::vector<core::StepReply>& replies) {
    for (const core::StepReply& r : replies) {
        if (!isLab(r, "race") && !isLab(r, "torn"))
            continue;
        if (!r.ok) {
            lastError = r.error ? r.error->message : "The lab failed.";
            lastExplain.clear();
            continue;
        }
        lastError.clear();
        lastExplain = r.explain;
        if (const auto* race = std::get_if<core::labs::RaceResult>(&r.result))
            raceRuns.push_back(*race);
        else if (const auto* torn = std::get_if<core::labs::TornResult>(&r.result))
            tornRuns.push_back(*torn);
    }
}

void RaceLabPanel::draw(const FrameContext& ctx) {
    take(ctx.newReplies);
    if (ImGui::CollapsingHeader("Race: N workers add 1 to one shared counter",
                                ImGuiTreeNodeFlags_DefaultOpen))
        drawRace(ctx);
    if (ImGui::CollapsingHeader("Torn reads: a writer and readers share a 4 KiB record",
                                ImGuiTreeNodeFlags_DefaultOpen))
        drawTorn(ctx);
    if (!lastError.empty())
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.25f, 1), "%s", lastError.c_str());
    if (!lastExplain.empty())
        ImGui::TextWrapped("%s", lastExplain.c_str());
}

void RaceLabPanel::drawRace(const FrameContext& ctx) {
    const float field = ImGui::GetFontSize() * 9;
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("mode", &mode, kRaceModes, IM_ARRAYSIZE(kRaceModes));
    ImGui::SameLine();
    ImGui::TextDisabled("%s", kRaceModeHelp[mode]);
    ImGui::SetNextItemWidth(field);
    ImGui::SliderInt("workers (N)", &workers, 1, 16);
    ImGui::SetNextItemWidth(field);
    ImGui::InputInt("adds per worker (K)", &increments, 10'000, 1'000'000);
    increments = std::clamp(increments, 1, 10'000'000);
    if (std::string(kRaceModes[mode]) == "mutex-kill")
        workers = std::max(workers, 2);

    ImGui::BeginDisabled(ctx.busy);
    const bool run = ImGui::Button("Run");
    ctx.name("race-run");
    if (run)
        ctx.submit(std::string("race ") + kRaceModes[mode] + " " + std::to_string(workers) + " " +
                   std::to_string(increments));
    ImGui::SameLine();
    if (ImGui::Button("Run every mode")) {
        for (const char* m : kRaceModes) {
            // System V semaphores take turns with a wakeup per add: give them fewer adds.
            const int k = std::string(m) == "sysv-sem" ? std::min(increments, 20'000) : increments;
            const int n = std::string(m) == "mutex-kill" ? std::max(workers, 2) : workers;
            ctx.submit(std::string("race ") + m + " " + std::to_string(n) + " " + std::to_string(k));
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Clear"))
        raceRuns.clear();
    drawLabProgress(ctx, "race");
    drawRaceTable();
    drawRaceChart();
}

void RaceLabPanel::drawRaceTable() const {
    if (ImGui::BeginTable("race-runs", 8,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                              ImGuiTableFlags_ScrollY,
                          ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 7))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* h : {"mode", "N x K", "expected", "actual", "lost", "seconds", "adds/s", "note"})
            ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (auto it = raceRuns.rbegin(); it != raceRuns.rend(); ++it) {
            const core::labs::RaceResult& r = *it;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(std::string(nameOf(r.mode)).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d x %s", r.workers, withCommas(r.perWorker).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(withCommas(r.expected).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(withCommas(r.actual).c_str());
            ImGui::TableNextColumn();
            if (r.lost > 0)
                ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.25f, 1), "%s",
                                   withCommas(static_cast<std::uint64_t>(r.lost)).c_str());
            else
                ImGui::TextUnformatted("0");
            ImGui::TableNextColumn();
            ImGui::Text("%.3f", r.seconds);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(compactNumber(r.perSecond).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(recoveryNote(r).c_str());
        }
        ImGui::EndTable();
    }
}

void RaceLabPanel::drawRaceChart() const {
    std::vector<LabBar> bars;
    const std::size_t first = raceRuns.size() > kChartRuns ? raceRuns.size() - kChartRuns : 0;
    for (std::size_t i = first; i < raceRuns.size(); ++i) {
        const core::labs::RaceResult& r = raceRuns[i];
        LabBar b;
        b.label = std::string(nameOf(r.mode));
        b.value = r.perSecond;
        b.color = modeColor(nameOf(r.mode));
        char detail[160];
        std::snprintf(detail, sizeof detail, "%d workers x %llu adds, %.3f s, %lld lost", r.workers,
                      static_cast<unsigned long long>(r.perWorker), r.seconds,
                      static_cast<long long>(r.lost));
        b.detail = detail;
        if (r.lost > 0 && r.expected > 0) {
            b.alarm = static_cast<float>(static_cast<double>(r.lost) / static_cast<double>(r.expected));
            b.note = std::to_string(static_cast<int>(b.alarm * 100 + 0.5f)) + "% lost";
        }
        bars.push_back(std::move(b));
    }
    ImGui::TextDisabled("Adds per second, all workers together; red: the share of adds that were lost.");
    drawLabBarChart("race-chart", bars, ImGui::GetFontSize() * 12, true, "adds/s");
}

void RaceLabPanel::drawTorn(const FrameContext& ctx) {
    const float field = ImGui::GetFontSize() * 9;
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("torn mode", &tornMode, kTornModes, IM_ARRAYSIZE(kTornModes));
    ImGui::SetNextItemWidth(field);
    ImGui::SliderInt("seconds", &tornSeconds, 1, 60);
    ImGui::BeginDisabled(ctx.busy);
    const bool runTorn = ImGui::Button("Run torn reads");
    ctx.name("torn-run");
    if (runTorn)
        ctx.submit(std::string("torn ") + kTornModes[tornMode] + " " + std::to_string(tornSeconds));
    ImGui::SameLine();
    if (ImGui::Button("Run all three"))
        for (const char* m : kTornModes)
            ctx.submit(std::string("torn ") + m + " " + std::to_string(tornSeconds));
    ImGui::EndDisabled();
    drawLabProgress(ctx, "torn");

    if (ImGui::BeginTable("torn-runs", 6,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        for (const char* h : {"mode", "seconds", "writes", "reads", "torn", "seqlock retries"})
            ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (auto it = tornRuns.rbegin(); it != tornRuns.rend(); ++it) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(std::string(nameOf(it->mode)).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.2f", it->seconds);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(compactNumber(static_cast<double>(it->writes)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(compactNumber(static_cast<double>(it->reads)).c_str());
            ImGui::TableNextColumn();
            const double share = tornPercent(*it);
            if (it->torn > 0)
                ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.25f, 1), "%s (%.1f%%)", withCommas(it->torn).c_str(),
                                   share);
            else
                ImGui::TextUnformatted("0");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(compactNumber(static_cast<double>(it->retries)).c_str());
        }
        ImGui::EndTable();
    }
    std::vector<LabBar> bars;
    const std::size_t first = tornRuns.size() > kChartRuns ? tornRuns.size() - kChartRuns : 0;
    for (std::size_t i = first; i < tornRuns.size(); ++i) {
        const core::labs::TornResult& t = tornRuns[i];
        LabBar b;
        b.label = std::string(nameOf(t.mode));
        b.value = tornPercent(t);
        b.color = IM_COL32(220, 60, 50, 255);
        b.detail = withCommas(t.torn) + " torn of " + withCommas(t.reads) + " reads";
        bars.push_back(std::move(b));
    }
    drawLabBarChart("torn-chart", bars, ImGui::GetFontSize() * 8, false, "% of reads torn");
}

} // namespace shmviz::ui
