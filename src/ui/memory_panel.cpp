#include "ui/memory_panel.h"

#include "core/steps/units.h"
#include "render/palette.h"
#include "ui/step_commands.h"
#include "ui/theme.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string>

namespace shmviz::ui {

namespace {

constexpr ImGuiTableFlags kTableFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;

// Exact below 1 MiB (smaps counts in KiB); above it one decimal of MiB, so 35972 KiB of Rss reads
// against a 32 MiB segment at a glance. The exact bytes are in the cell's tooltip.
std::string readable(std::uint64_t bytes) {
    constexpr std::uint64_t kMiB = 1024 * 1024;
    if (bytes < kMiB || bytes % kMiB == 0)
        return core::formatSize(bytes);
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kMiB);
    return text;
}

void exactTooltip(std::uint64_t a, std::optional<std::uint64_t> b = std::nullopt) {
    if (!ImGui::IsItemHovered())
        return;
    if (b)
        ImGui::SetTooltip("%" PRIu64 " / %" PRIu64 " bytes", a, *b);
    else
        ImGui::SetTooltip("%" PRIu64 " bytes", a);
}

void sizeCell(std::uint64_t bytes) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(readable(bytes).c_str());
    exactTooltip(bytes);
}

void pairCell(std::uint64_t a, std::uint64_t b) {
    ImGui::TableNextColumn();
    ImGui::Text("%s / %s", readable(a).c_str(), readable(b).c_str());
    exactTooltip(a, b);
}

void countsRow(const char* who, const core::MemoryCounts& c, std::optional<std::uint64_t> pte) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(who);
    sizeCell(c.rss);
    sizeCell(c.pss);
    pairCell(c.sharedClean, c.sharedDirty);
    pairCell(c.privateClean, c.privateDirty);
    if (c.sharedHugetlb || c.privateHugetlb) {
        pairCell(c.sharedHugetlb, c.privateHugetlb);
    } else {
        ImGui::TableNextColumn();
        ImGui::TextDisabled("-");
    }
    if (pte)
        sizeCell(*pte);
    else
        ImGui::TableNextColumn();
}

bool beginCountsTable(const char* id, const char* first, bool withPte) {
    if (!ImGui::BeginTable(id, 7, kTableFlags))
        return false;
    ImGui::TableSetupColumn(first, ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("Rss", ImGuiTableColumnFlags_WidthStretch, 1);
    ImGui::TableSetupColumn("Pss", ImGuiTableColumnFlags_WidthStretch, 1);
    ImGui::TableSetupColumn("Shared clean / dirty", ImGuiTableColumnFlags_WidthStretch, 1.8f);
    ImGui::TableSetupColumn("Private clean / dirty", ImGuiTableColumnFlags_WidthStretch, 1.8f);
    ImGui::TableSetupColumn("Hugetlb sh. / priv.", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn(withPte ? "VmPTE" : "", ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableHeadersRow();
    return true;
}

// The smaps areas of every live worker's mapping of one segment, added up.
struct SegmentSums {
    core::MemoryCounts sum;
    int mappers = 0;
    int alone = -1; // a worker whose resident pages of it the kernel counts as Private
};

SegmentSums sumMappings(const core::Snapshot& snap, int segment) {
    SegmentSums out;
    for (const core::WorkerView& w : snap.workers) {
        if (!w.alive)
            continue;
        for (const core::AttachmentView& a : w.attachments) {
            if (a.segment != segment || !a.memory)
                continue;
            const core::MemoryCounts& m = *a.memory;
            out.sum.rss += m.rss;
            out.sum.pss += m.pss;
            out.sum.sharedClean += m.sharedClean;
            out.sum.sharedDirty += m.sharedDirty;
            out.sum.privateClean += m.privateClean;
            out.sum.privateDirty += m.privateDirty;
            out.sum.sharedHugetlb += m.sharedHugetlb;
            out.sum.privateHugetlb += m.privateHugetlb;
            ++out.mappers;
            if (m.rss > 0 && m.shared() == 0)
                out.alone = w.id;
        }
    }
    return out;
}

// The sentence the table proves, above it so it is read first.
void explainSums(const SegmentSums& s, std::uint64_t resident) {
    if (s.sum.sharedHugetlb + s.sum.privateHugetlb > 0)
        ImGui::TextWrapped(
            "Huge pages: the kernel leaves hugetlb memory out of Rss and Pss entirely and counts "
            "it only as Shared_Hugetlb / Private_Hugetlb, whole huge pages per mapping.");
    else if (s.mappers > 1)
        ImGui::TextWrapped(
            "Rss adds up to %s: %d workers each count the pages they map again, as top's RES "
            "does. Pss divides every page by the number of processes that map it, so it adds up "
            "to %s, against %s the object really holds in memory.",
            readable(s.sum.rss).c_str(), s.mappers, readable(s.sum.pss).c_str(), readable(resident).c_str());
    if (s.alone >= 0)
        ImGui::TextWrapped(
            "Worker %d is the only process mapping its resident pages right now, so the kernel "
            "counts them as Private although the memory is shared.",
            s.alone);
}

} // namespace

void MemoryPanel::draw(const FrameContext& ctx, const UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    ImGui::TextWrapped("Every number is the kernel's, read from /proc/PID/smaps_rollup, /proc/PID/smaps and "
                       "/proc/PID/status of each worker at the moment of the snapshot.");
    drawWorkers(snap);
    // Every segment some worker maps, the selected one first.
    std::vector<const core::SegmentView*> order;
    if (const core::SegmentView* chosen = shownSegment(snap, state.selectedSegment))
        order.push_back(chosen);
    for (const core::SegmentView& seg : snap.segments)
        if (std::find(order.begin(), order.end(), &seg) == order.end())
            order.push_back(&seg);
    for (const core::SegmentView* seg : order) {
        const bool mapped =
            std::any_of(snap.workers.begin(), snap.workers.end(), [&](const core::WorkerView& w) {
                return w.alive &&
                       std::any_of(w.attachments.begin(), w.attachments.end(),
                                   [&](const core::AttachmentView& a) { return a.segment == seg->id; });
            });
        if (!mapped && seg != order.front())
            continue;
        ImGui::Spacing();
        ImGui::Separator();
        ImGui::PushID(seg->id);
        drawSegment(snap, *seg, state);
        ImGui::PopID();
    }
}

void MemoryPanel::drawWorkers(const core::Snapshot& snap) {
    ImGui::TextUnformatted("Whole processes (smaps_rollup), and the memory their page tables take (VmPTE):");
    if (!beginCountsTable("workers", "worker", true))
        return;
    for (const core::WorkerView& w : snap.workers) {
        if (!w.alive)
            continue;
        const std::string who = "worker " + std::to_string(w.id) + " (pid " + std::to_string(w.pid) + ")";
        if (w.memory.total) {
            countsRow(who.c_str(), *w.memory.total, w.memory.pageTables);
        } else {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(who.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", w.memory.unreadable.c_str());
        }
    }
    ImGui::EndTable();
}

void MemoryPanel::drawSegment(const core::Snapshot& snap, const core::SegmentView& seg,
                              const UiState& state) {
    const std::string name =
        seg.kind == core::SegmentKind::Sysv
            ? "segment " + std::to_string(seg.id) + " (shmid " + std::to_string(seg.shmid) + ")"
            : "object " + seg.name;
    ImGui::PushStyleColor(ImGuiCol_Text, toImColor(render::segmentColor(state.theme, seg.id, 0)));
    ImGui::Text("%s: %s, %" PRIu64 " pages", name.c_str(), core::formatSize(seg.size).c_str(),
                seg.pageCount());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (seg.residentKnown)
        ImGui::Text("   the object itself holds %s in memory, %s in swap",
                    readable(seg.residentBytes).c_str(), readable(seg.swapBytes).c_str());
    else
        ImGui::TextDisabled("   %s", seg.residency.c_str());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", seg.residency.c_str());

    const SegmentSums sums = sumMappings(snap, seg.id);
    if (sums.mappers == 0) {
        ImGui::TextDisabled("No worker maps it.");
        return;
    }
    explainSums(sums, seg.residentKnown ? seg.residentBytes : 0);
    if (!beginCountsTable("segment", "its mappings (smaps)", false))
        return;
    for (const core::WorkerView& w : snap.workers) {
        if (!w.alive)
            continue;
        for (const core::AttachmentView& a : w.attachments)
            if (a.segment == seg.id && a.memory) {
                const std::string who =
                    "worker " + std::to_string(w.id) + (a.privateMapping ? " (private)" : "");
                countsRow(who.c_str(), *a.memory, std::nullopt);
            }
    }
    if (sums.mappers > 1) {
        ImGui::TableNextRow();
        ImGui::TableSetBgColor(
            ImGuiTableBgTarget_RowBg0,
            toImColor(render::withAlpha(render::segmentColor(state.theme, seg.id, 0), 0.25f)));
        countsRow("sum over the workers", sums.sum, std::nullopt);
    }
    ImGui::EndTable();
}

} // namespace shmviz::ui
