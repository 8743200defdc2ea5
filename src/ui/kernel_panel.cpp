#include "ui/kernel_panel.h"

#include "core/steps/units.h"
#include "render/palette.h"
#include "ui/theme.h"

#include <imgui.h>
#include <pwd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace shmviz::ui {
namespace {

// Columns as wide as their widest cell; a table wider than the panel scrolls sideways, so no
// number is ever cut.
constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                        ImGuiTableFlags_SizingFixedFit;

// A POSIX object's pages in memory as the kernel counts them (tmpfs blocks), when it can be read.
void residentCell(const core::SegmentView& s) {
    if (s.residentKnown)
        ImGui::Text("%" PRIu64, s.residentBytes);
    else
        ImGui::TextDisabled("-");
}

} // namespace

const std::string& KernelPanel::userName(unsigned uid) {
    auto it = m_users.find(uid);
    if (it != m_users.end())
        return it->second;
    const passwd* pw = getpwuid(uid);
    return m_users[uid] = pw ? pw->pw_name : std::to_string(uid);
}

void KernelPanel::draw(const FrameContext& ctx, const UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    const bool posix =
        std::any_of(snap.segments.begin(), snap.segments.end(),
                    [](const core::SegmentView& s) { return s.kind == core::SegmentKind::Posix; });
    if (!posix) {
        drawSysv(snap, state);
        return;
    }
    // Side by side: the System V table the kernel keeps, and this session's POSIX objects.
    const float width = ImGui::GetContentRegionAvail().x;
    if (ImGui::BeginChild("sysv", ImVec2(width * 0.5f, 0)))
        drawSysv(snap, state);
    ImGui::EndChild();
    ImGui::SameLine();
    if (ImGui::BeginChild("posix", ImVec2(0, 0)))
        drawPosix(snap, state);
    ImGui::EndChild();
}

void KernelPanel::drawPosix(const core::Snapshot& snap, const UiState& state) {
    ImGui::TextDisabled("This session's POSIX objects, as ls -i /dev/shm shows them.");
    if (!ImGui::BeginTable("posix", 7, kTableFlags))
        return;
    ImGui::TableSetupScrollFreeze(1, 1);
    for (const char* h : {"name", "inode", "perms", "bytes", "resident", "maps", "in /dev/shm"})
        ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    const unsigned gone = toImColor(render::paletteFor(state.theme).destroyed);
    for (const core::SegmentView& s : snap.segments) {
        if (s.kind != core::SegmentKind::Posix)
            continue;
        ImGui::TableNextRow();
        if (s.exists)
            ImGui::TableSetBgColor(
                ImGuiTableBgTarget_RowBg0,
                toImColor(render::withAlpha(render::segmentColor(state.theme, s.id, 0), 0.30f)));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.name.c_str());
        ImGui::TableNextColumn();
        if (s.inode != 0)
            ImGui::Text("%" PRIu64, s.inode);
        else
            ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        ImGui::Text("%o", s.mode & 0777);
        ImGui::TableNextColumn();
        ImGui::Text("%" PRIu64, s.size);
        ImGui::TableNextColumn();
        residentCell(s);
        ImGui::TableNextColumn();
        ImGui::Text("%" PRIu64, s.nattch);
        ImGui::TableNextColumn();
        // After shm_unlink the name is gone at once; the memory lives until the last munmap.
        if (!s.exists)
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(gone), "no: freed");
        else if (s.linked && s.hugetlb)
            ImGui::TextUnformatted("hugetlbfs");
        else if (s.linked)
            ImGui::TextUnformatted("yes");
        else
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(gone), "no: unlinked");
    }
    ImGui::EndTable();
}

void KernelPanel::drawSysv(const core::Snapshot& snap, const UiState& state) {
    ImGui::TextDisabled(
        "Read live from /proc/sysvipc/shm: every System V segment on this machine (ipcs -m).");
    if (!ImGui::BeginTable("ipcs", 10, kTableFlags))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* h :
         {"key", "shmid", "owner", "perms", "bytes", "rss", "swap", "nattch", "status", "ours"})
        ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(snap.machineSegments.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const core::SysvShmRow& row = snap.machineSegments[i];
            int ourId = -1;
            for (const core::SegmentView& s : snap.segments)
                if (s.kind == core::SegmentKind::Sysv && s.shmid == row.shmid && s.exists)
                    ourId = s.id;
            ImGui::TableNextRow();
            if (ourId >= 0)
                ImGui::TableSetBgColor(
                    ImGuiTableBgTarget_RowBg0,
                    toImColor(render::withAlpha(render::segmentColor(state.theme, ourId, 0), 0.30f)));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(core::hex(row.key32(), 8).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", row.shmid);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(userName(row.uid).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%o", row.perms & 0777);
            ImGui::TableNextColumn();
            ImGui::Text("%" PRIu64, row.size);
            ImGui::TableNextColumn();
            ImGui::Text("%" PRIu64, row.rss);
            ImGui::TableNextColumn();
            ImGui::Text("%" PRIu64, row.swap);
            ImGui::TableNextColumn();
            ImGui::Text("%" PRIu64, row.nattch);
            ImGui::TableNextColumn();
            std::string status = row.dest() ? "dest" : "";
            if (row.perms & core::kShmLockedBit)
                status += status.empty() ? "locked" : " locked";
            ImGui::TextUnformatted(status.c_str());
            ImGui::TableNextColumn();
            if (ourId >= 0)
                ImGui::Text("seg %d", ourId);
        }
    }
    ImGui::EndTable();
}

} // namespace shmviz::ui
