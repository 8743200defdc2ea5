#include "ui/ipc_lab_panel.h"

#include "core/steps/units.h"
#include "ui/lab_bar_chart.h"
#include "ui/lab_progress_bar.h"

#include <imgui.h>

#include <cstdio>

namespace shmviz::ui {

namespace {

constexpr const char* kMethods[] = {"pipe", "socket", "mqueue", "shm", "memcpy"};
constexpr const char* kMethodHelp[] = {
    "write() into a kernel pipe buffer, read() out of it: 2 copies per byte",
    "a Unix domain stream socket: 2 copies per byte",
    "POSIX message queue, one message per piece: 2 copies per byte",
    "a ring of slots in a shared segment, handed over with semaphores: written once, read in place",
    "memcpy within one process: the one-copy ceiling",
};
constexpr const char* kSizes[] = {"1M", "16M", "64M", "256M", "1G"};
constexpr std::size_t kChartRuns = 16;

// Sender and receiver together.
struct CpuTotals {
    double seconds = 0; // user + system
    double system = 0;
};
CpuTotals cpuTotals(const core::labs::IpcResult& r) {
    CpuTotals t{r.sender.userSeconds + r.sender.systemSeconds, r.sender.systemSeconds};
    if (r.receiver) {
        t.seconds += r.receiver->userSeconds + r.receiver->systemSeconds;
        t.system += r.receiver->systemSeconds;
    }
    return t;
}

unsigned methodColor(std::string_view m) {
    if (m == "shm")
        return IM_COL32(90, 170, 100, 255);
    if (m == "memcpy")
        return IM_COL32(130, 130, 130, 255);
    if (m == "mqueue")
        return IM_COL32(160, 110, 190, 255);
    if (m == "socket")
        return IM_COL32(70, 150, 210, 255);
    return IM_COL32(200, 120, 60, 255);
}

} // namespace

void IpcLabPanel::take(const std::vector<core::StepReply>& replies) {
    for (const core::StepReply& r : replies) {
        if (r.cmd.rfind("ipcbench", 0) != 0)
            continue;
        if (!r.ok) {
            lastError = r.error ? r.error->message : "The transfer failed.";
            lastExplain.clear();
            continue;
        }
        lastError.clear();
        lastExplain = r.explain;
        const auto* result = std::get_if<core::labs::IpcResult>(&r.result);
        if (!result)
            continue;
        runs.push_back(*result);
    }
}

void IpcLabPanel::draw(const FrameContext& ctx) {
    take(ctx.newReplies);
    const float field = ImGui::GetFontSize() * 9;
    ImGui::TextWrapped(
        "Move the same bytes from one worker process to another and count the copies. The receiver "
        "checks a checksum over every byte.");
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("method", &method, kMethods, IM_ARRAYSIZE(kMethods));
    ImGui::SameLine();
    ImGui::TextDisabled("%s", kMethodHelp[method]);
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("size", &size, kSizes, IM_ARRAYSIZE(kSizes));

    ImGui::BeginDisabled(ctx.busy);
    const bool run = ImGui::Button("Run");
    ctx.name("ipcbench-run");
    if (run)
        ctx.submit(std::string("ipcbench ") + kMethods[method] + " " + kSizes[size]);
    ImGui::SameLine();
    if (ImGui::Button("Run every method"))
        for (const char* m : kMethods)
            ctx.submit(std::string("ipcbench ") + m + " " + kSizes[size]);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Clear"))
        runs.clear();

    drawLabProgress(ctx, "ipcbench", [&](const core::labs::LabProgress& p) {
        return ctx.runningLine + ": " + core::formatSize(p.done.load() >> 20 << 20) + " of " +
               core::formatSize(p.total.load());
    });
    drawTable();
    drawChart();
    if (!lastError.empty())
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.25f, 1), "%s", lastError.c_str());
    if (!lastExplain.empty())
        ImGui::TextWrapped("%s", lastExplain.c_str());
}

void IpcLabPanel::drawTable() const {
    if (ImGui::BeginTable("ipc-runs", 7,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                              ImGuiTableFlags_ScrollY,
                          ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 7))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* h : {"method", "bytes", "seconds", "MB/s", "CPU s (sys)", "copies/byte", "checksum"})
            ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(std::string(nameOf(it->method)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(core::formatSize(it->bytes).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.3f", it->seconds);
            ImGui::TableNextColumn();
            ImGui::Text("%.0f", it->megabytesPerSecond);
            ImGui::TableNextColumn();
            const CpuTotals cpu = cpuTotals(*it);
            ImGui::Text("%.3f (%.3f)", cpu.seconds, cpu.system);
            ImGui::TableNextColumn();
            ImGui::Text("%d", it->copiesPerByte);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(it->verified() ? "every byte ok" : "MISMATCH");
        }
        ImGui::EndTable();
    }
}

void IpcLabPanel::drawChart() const {
    std::vector<LabBar> bars;
    const std::size_t first = runs.size() > kChartRuns ? runs.size() - kChartRuns : 0;
    for (std::size_t i = first; i < runs.size(); ++i) {
        const core::labs::IpcResult& r = runs[i];
        const CpuTotals cpu = cpuTotals(r);
        LabBar b;
        b.label = std::string(nameOf(r.method));
        b.value = r.megabytesPerSecond;
        b.color = methodColor(nameOf(r.method));
        b.note = std::to_string(r.copiesPerByte) + (r.copiesPerByte == 1 ? " copy" : " copies");
        char detail[160];
        std::snprintf(detail, sizeof detail, "%s in %.3f s, CPU %.3f s of which system %.3f s",
                      core::formatSize(r.bytes).c_str(), r.seconds, cpu.seconds, cpu.system);
        b.detail = detail;
        bars.push_back(std::move(b));
    }
    ImGui::TextDisabled("Throughput of each run; the label in each bar is how often every byte was copied.");
    drawLabBarChart("ipc-chart", bars, ImGui::GetFontSize() * 12, false, "MB/s");
}

} // namespace shmviz::ui
