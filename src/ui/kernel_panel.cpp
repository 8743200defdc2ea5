#include "ui/kernel_panel.h"

#include "core/steps/units.h"
#include "render/palette.h"
#include "ui/fitted_table.h"
#include "ui/theme.h"

#include <imgui.h>
#include <pwd.h>

#include <algorithm>
#include <cstdio>

namespace shmviz::ui {
namespace {

// Left to right as ipcs -m prints them; the priority says which stay when the panel is narrow.
const std::vector<FittedColumn> kSysvColumns = {
    {"key", false, 9, "The key given to shmget; 0x00000000 is IPC_PRIVATE, and IPC_RMID sets it to 0"},
    {"shmid", false, 10, "The segment's id, which shmat and shmctl take"},
    {"owner", true, 3, "The user who owns the segment"},
    {"perms", false, 4, "Permission bits, as for a file"},
    {"bytes", false, 8, "The segment's size in bytes"},
    {"rss", false, 6, "Bytes of the segment in memory now (shm_rss times the page size)"},
    {"swap", false, 2, "Bytes of the segment in swap"},
    {"nattch", false, 7, "How many attachments the kernel counts"},
    {"status", false, 5, "dest: IPC_RMID marked it, it goes with the last detach; locked: SHM_LOCK"},
    {"ours", false, 7, "Which of this session's segments it is"},
};

const std::vector<FittedColumn> kPosixColumns = {
    {"name", true, 10, "The object's name in /dev/shm"},
    {"inode", false, 9, "The tmpfs inode; after shm_unlink it is read from the mappings in /proc/PID/maps"},
    {"perms", false, 4, "Permission bits of the file"},
    {"bytes", false, 8, "The object's size (ftruncate)"},
    {"resident", false, 5, "Bytes in memory, from the file's tmpfs blocks"},
    {"maps", false, 7, "Mappings of it in this session's workers"},
    {"in /dev/shm", false, 6, "Whether the name is still there: shm_unlink removes it at once"},
};

std::string number(std::uint64_t v) {
    return std::to_string(v);
}

std::string octal(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%o", v & 0777);
    return buf;
}

std::optional<unsigned> segmentRow(const UiState& state, int id) {
    return toImColor(render::withAlpha(render::segmentColor(state.theme, id, 0), 0.30f));
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
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("This session's POSIX objects, as ls -i /dev/shm shows them.");
    ImGui::PopTextWrapPos();
    const unsigned gone = toImColor(render::paletteFor(state.theme).destroyed);
    std::vector<FittedRow> rows;
    for (const core::SegmentView& s : snap.segments) {
        if (s.kind != core::SegmentKind::Posix)
            continue;
        FittedRow row;
        if (s.exists)
            row.background = segmentRow(state, s.id);
        row.cells.push_back({s.name});
        row.cells.push_back(s.inode != 0 ? FittedCell{number(s.inode)} : FittedCell{"-", {}, true});
        row.cells.push_back({octal(s.mode)});
        row.cells.push_back({number(s.size)});
        // A POSIX object's pages in memory as the kernel counts them (tmpfs blocks), when it can be read.
        row.cells.push_back(s.residentKnown ? FittedCell{number(s.residentBytes)}
                                            : FittedCell{"-", {}, true});
        row.cells.push_back({number(s.nattch)});
        // After shm_unlink the name is gone at once; the memory lives until the last munmap.
        if (!s.exists)
            row.cells.push_back({"no: freed", gone});
        else if (s.linked)
            row.cells.push_back({s.hugetlb ? "hugetlbfs" : "yes"});
        else
            row.cells.push_back({"no: unlinked", gone});
        rows.push_back(std::move(row));
    }
    drawFittedTable("posix", kPosixColumns, rows);
}

void KernelPanel::drawSysv(const core::Snapshot& snap, const UiState& state) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(
        "Read live from /proc/sysvipc/shm: every System V segment on this machine (ipcs -m).");
    ImGui::PopTextWrapPos();
    std::vector<FittedRow> rows;
    rows.reserve(snap.machineSegments.size());
    for (const core::SysvShmRow& r : snap.machineSegments) {
        int ourId = -1;
        for (const core::SegmentView& s : snap.segments)
            if (s.kind == core::SegmentKind::Sysv && s.shmid == r.shmid && s.exists)
                ourId = s.id;
        FittedRow row;
        if (ourId >= 0)
            row.background = segmentRow(state, ourId);
        std::string status = r.dest() ? "dest" : "";
        if (r.perms & core::kShmLockedBit)
            status += status.empty() ? "locked" : " locked";
        row.cells = {{core::hex(r.key32(), 8)},
                     {std::to_string(r.shmid)},
                     {userName(r.uid)},
                     {octal(r.perms)},
                     {number(r.size)},
                     {number(r.rss)},
                     {number(r.swap)},
                     {number(r.nattch)},
                     {status},
                     {ourId >= 0 ? "seg " + std::to_string(ourId) : ""}};
        rows.push_back(std::move(row));
    }
    drawFittedTable("ipcs", kSysvColumns, rows);
}

} // namespace shmviz::ui
