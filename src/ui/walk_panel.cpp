#include "ui/walk_panel.h"

#include "core/kernel/kpageflags.h"
#include "core/steps/units.h"
#include "render/palette.h"
#include "ui/step_commands.h"
#include "ui/theme.h"

#include <imgui.h>

#include <cinttypes>
#include <string>

namespace shmviz::ui {

namespace {

// One colour per level, so the address bits and the table they index read as one thing.
constexpr ImU32 kLevelColors[] = {IM_COL32(230, 120, 90, 255), IM_COL32(220, 180, 60, 255),
                                  IM_COL32(110, 190, 90, 255), IM_COL32(80, 170, 220, 255),
                                  IM_COL32(170, 130, 230, 255)};
constexpr ImU32 kOffsetColor = IM_COL32(160, 160, 160, 255);

const core::AttachmentView* mappingOf(const core::WorkerView& w, int segment) {
    if (!w.alive)
        return nullptr;
    for (const core::AttachmentView& a : w.attachments)
        if (a.segment == segment && !a.privateMapping)
            return &a;
    for (const core::AttachmentView& a : w.attachments)
        if (a.segment == segment)
            return &a;
    return nullptr;
}

// Continues the line with an item `width` wide only if it fits before the column's edge; otherwise
// the item starts the next line (a narrow window at a large zoom cut the bits and the notes).
void continueLineIfFits(float width, float spacing) {
    const float edge = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    if (ImGui::GetItemRectMax().x + spacing + width <= edge)
        ImGui::SameLine(0, spacing);
}

// The address in binary groups, each group in its level's colour: 0x7f12_3456_7000 ->
// "000011111 111000100 ..." with the offset last.
void drawAddressBits(std::uint64_t va, const core::AddressSplit& split) {
    for (std::size_t i = 0; i < split.levels.size(); ++i) {
        const core::WalkLevel& l = split.levels[i];
        std::string bits;
        for (int b = l.highBit; b >= l.lowBit; --b)
            bits += ((va >> b) & 1) ? '1' : '0';
        ImGui::PushStyleColor(ImGuiCol_Text, kLevelColors[i % 5]);
        ImGui::TextUnformatted(bits.c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("bits %d..%d = %u: the %s index", l.highBit, l.lowBit, l.index, l.linuxName);
        const core::WalkLevel* next = i + 1 < split.levels.size() ? &split.levels[i + 1] : nullptr;
        const int nextBits = next ? next->highBit - next->lowBit + 1 : split.offsetBits;
        continueLineIfFits(
            ImGui::CalcTextSize(std::string(static_cast<std::size_t>(nextBits), '0').c_str()).x, 4);
    }
    std::string bits;
    for (int b = split.offsetBits - 1; b >= 0; --b)
        bits += ((va >> b) & 1) ? '1' : '0';
    ImGui::PushStyleColor(ImGuiCol_Text, kOffsetColor);
    ImGui::TextUnformatted(bits.c_str());
    ImGui::PopStyleColor();
}

void drawLeaf(const core::Snapshot& snap, const core::WorkerView& w, std::uint64_t raw) {
    const core::PageEntry e = core::decodePagemapEntry(raw);
    ImGui::Text("entry read from /proc/%d/pagemap:", w.pid);
    ImGui::SameLine();
    if (ImGui::CalcTextSize("0x0000000000000000").x > ImGui::GetContentRegionAvail().x)
        ImGui::NewLine();
    ImGui::TextUnformatted(core::hex(raw, 16).c_str());
    if (!e.present && !e.swapped) {
        ImGui::TextWrapped("Not present: no frame yet. The first access faults and the kernel fills this "
                           "entry in.");
        return;
    }
    if (e.swapped) {
        ImGui::Text("swapped out: type %" PRIu64 ", offset %" PRIu64, raw & 31,
                    (raw & core::kPagemapPfnMask) >> 5);
        return;
    }
    const auto pfn = core::visiblePfn(e, snap.pfnVisible);
    if (pfn) {
        ImGui::Text("present   frame %" PRIu64 " = %s", *pfn, core::hex(*pfn).c_str());
        ImGui::Text("          physical address %s", core::hex(*pfn * snap.pageSize).c_str());
    } else
        ImGui::Text("present   frame number hidden (no CAP_SYS_ADMIN)");
    ImGui::Text("%s   %s   %s", e.exclusive ? "exclusive: this process alone maps it" : "not exclusive",
                e.fileOrSharedAnon ? "file or shared memory" : "anonymous (private)",
                e.softDirty ? "soft-dirty" : "not soft-dirty");
    if (!pfn)
        return;
    for (const core::FrameView& f : snap.frames) {
        if (f.pfn != *pfn)
            continue;
        if (f.mapcount)
            ImGui::Text("/proc/kpagecount: mapped %" PRIu64 " times", *f.mapcount);
        if (!f.kpageflags) {
            ImGui::TextDisabled("/proc/kpageflags: %s",
                                snap.flagsHiddenReason.empty() ? "not read" : snap.flagsHiddenReason.c_str());
            break;
        }
        ImGui::TextUnformatted("/proc/kpageflags:");
        for (const std::string& name : core::decodeKpageFlags(*f.kpageflags)) {
            ImGui::SameLine();
            if (ImGui::CalcTextSize(name.c_str()).x > ImGui::GetContentRegionAvail().x)
                ImGui::NewLine(); // wrap: a flag name is never cut
            ImGui::TextColored(ImVec4(0.55f, 0.8f, 1, 1), "%s", name.c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s", core::kpageFlagMeaning(name));
        }
        break;
    }
}

} // namespace

void WalkPanel::draw(const FrameContext& ctx, const UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    if (!snap.paging) {
        ImGui::TextWrapped("The paging mode is unknown: %s", snap.pagingUnknownReason.c_str());
        return;
    }
    const core::SegmentView* seg = shownSegment(snap, state.selectedSegment);
    if (!seg) {
        ImGui::TextDisabled("Make a segment and attach it in two workers to compare their walks.");
        return;
    }
    // The selected worker, else the first that maps the segment; beside it another that maps it.
    const int selected = state.selectedWorker;
    const core::WorkerView* a = nullptr;
    const core::WorkerView* b = nullptr;
    for (const core::WorkerView& w : snap.workers)
        if (mappingOf(w, seg->id) && w.id == selected)
            a = &w;
    for (const core::WorkerView& w : snap.workers)
        if (!a && mappingOf(w, seg->id))
            a = &w;
    if (!a) {
        ImGui::TextDisabled("No worker maps the segment; attach it to see the walk.");
        return;
    }
    for (const core::WorkerView& w : snap.workers)
        if (&w != a && mappingOf(w, seg->id) && (w.id == m_other || (!b && m_other < 0)))
            b = &w;
    const core::PagingMode& mode = *snap.paging;
    ImGui::TextWrapped(
        "The MMU walks %d levels of page tables%s. Each level's index is computed here from the "
        "address bits (coloured). What the upper-level entries hold is kernel memory that no file "
        "shows, so it is not shown; the last entry is read from /proc/PID/pagemap.",
        mode.levels,
        mode.la57               ? " (la57: 5-level paging on)"
        : mode.virtualBits > 48 ? (" (the CPU could address " + std::to_string(mode.virtualBits) +
                                   " bits with 5 levels, but the kernel runs 4: no la57 flag)")
                                      .c_str()
                                : "");
    const std::uint64_t page = state.selectedPage;
    if (ImGui::BeginTable("walks", b ? 2 : 1, ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableNextColumn();
        drawWalk(snap, *a, *mappingOf(*a, seg->id), seg, page);
        if (b) {
            ImGui::TableNextColumn();
            drawWalk(snap, *b, *mappingOf(*b, seg->id), seg, page);
        }
        ImGui::EndTable();
    }
    if (!b) {
        ImGui::TextDisabled("Attach the segment in a second worker to compare two walks to one frame.");
        return;
    }
    const auto frameOf = [&](const core::WorkerView& w) -> std::optional<std::uint64_t> {
        const core::AttachmentView& m = *mappingOf(w, seg->id);
        if (page >= m.entries.size())
            return std::nullopt;
        return core::visiblePfn(core::decodePagemapEntry(m.entries[page]), snap.pfnVisible);
    };
    const auto fa = frameOf(*a), fb = frameOf(*b);
    if (fa && fb && *fa == *fb)
        ImGui::TextWrapped("Worker %d and worker %d each walk their own tables, with indices from their own "
                           "addresses, and both walks end at the same frame %" PRIu64 ".",
                           a->id, b->id, *fa);
    else if (fa && fb)
        ImGui::TextWrapped("The two walks end at different frames (%" PRIu64 " and %" PRIu64 ").", *fa, *fb);
}

void WalkPanel::drawWalk(const core::Snapshot& snap, const core::WorkerView& w, const core::AttachmentView& a,
                         const core::SegmentView* seg, std::uint64_t page) {
    if (page >= a.entries.size()) {
        ImGui::TextDisabled("Worker %d maps %zu pages; page %" PRIu64 " is outside.", w.id, a.entries.size(),
                            page);
        return;
    }
    const std::uint64_t va = a.va + page * snap.pageSize;
    const std::uint64_t pageBytes =
        seg && seg->hugetlb && seg->hugePageSize ? seg->hugePageSize : snap.pageSize;
    const core::AddressSplit split = core::splitAddress(va, snap.paging->levels, pageBytes);
    ImGui::Text("worker %d (pid %d), page %" PRIu64 " at %s", w.id, w.pid, page, core::hex(va).c_str());
    drawAddressBits(va, split);
    ImGui::Spacing();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Level i is indented by i steps; the first step is not 0, since ImGui::Indent(0) means the
    // style's full indent (which put the top level to the right of the next).
    const float indent = ImGui::GetFontSize() * 0.6f;
    for (std::size_t i = 0; i < split.levels.size(); ++i) {
        const core::WalkLevel& l = split.levels[i];
        const bool leaf = i + 1 == split.levels.size();
        const float shift = indent * static_cast<float>(i + 1);
        ImGui::Indent(shift);
        const ImVec2 start = ImGui::GetCursorScreenPos();
        ImGui::PushStyleColor(ImGuiCol_Text, kLevelColors[i % 5]);
        ImGui::Text("%s (%s)  bits %d..%d = entry %u", l.linuxName, l.intelName, l.highBit, l.lowBit,
                    l.index);
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(i == 0 ? "Entry %u of worker %d's own top-level table (the one CR3 points at "
                                       "while it runs). What the entry holds is kernel memory: not readable."
                                     : "Entry %u of the table the level above names, in worker %d's own "
                                       "tables. What the entry holds is kernel memory: not readable.",
                              l.index, w.id);
        const char* note = !leaf                       ? "-> next table: not readable"
                           : pageBytes > snap.pageSize ? "-> leaf: a huge-page entry, one level early"
                                                       : "-> leaf entry, read:";
        continueLineIfFits(ImGui::CalcTextSize(note).x, ImGui::GetStyle().ItemSpacing.x);
        ImGui::TextDisabled("%s", note);
        if (leaf)
            drawLeaf(snap, w, a.entries[page]);
        const ImVec2 end = ImGui::GetItemRectMax();
        draw->AddLine(ImVec2(start.x - 6, start.y + 2), ImVec2(start.x - 6, end.y), kLevelColors[i % 5], 2);
        ImGui::Unindent(shift);
    }
    ImGui::PushStyleColor(ImGuiCol_Text, kOffsetColor);
    ImGui::Text("+ offset %s (%d bits) inside the %s page",
                core::hex(va & ((std::uint64_t{1} << split.offsetBits) - 1)).c_str(), split.offsetBits,
                core::formatSize(pageBytes).c_str());
    ImGui::PopStyleColor();
}

} // namespace shmviz::ui
