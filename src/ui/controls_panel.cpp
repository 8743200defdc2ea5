#include "ui/controls_panel.h"

#include "core/steps/units.h"
#include "ui/step_button.h"

#include <imgui.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace shmviz::ui {

void ControlsPanel::draw(const FrameContext& ctx, UiState& state) {
    drawSegment(ctx, state);
    ImGui::Separator();
    drawPosix(ctx, state);
    ImGui::Separator();
    drawWorkers(ctx, state);
}

void ControlsPanel::drawPosix(const FrameContext& ctx, UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    ImGui::TextUnformatted("New POSIX object (same size)");
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 3);
    if (ImGui::InputText("name", m_nameBuffer, sizeof m_nameBuffer, ImGuiInputTextFlags_CharsNoBlank))
        state.posixName = m_nameBuffer;
    const StepLines lines(snap, state.selectedSegment);
    const SegmentActions sa = segmentActions(snap, state.selectedSegment);
    stepButtons(
        ctx, {{"shm_open", allowed(),
               "shm_open(name, O_CREAT | O_RDWR, mode) + ftruncate(fd, size): a file of that name appears "
               "in /dev/shm (a tmpfs in RAM). No frames yet: they come when a page is first touched.",
               "O", lines.shmOpen(state.posixName, state.request.pages)},
              {"ftruncate", sa.ftruncate,
               "ftruncate(fd, size): set the object's size to the pages above. Shrinking drops the pages "
               "past the end from every page table; touching them afterwards raises SIGBUS.",
               nullptr, lines.ftruncate(state.request.pages)},
              {"shm_unlink", sa.shmUnlink,
               "shm_unlink(name): the name leaves /dev/shm at once; existing mappings keep working and the "
               "memory is freed at the last munmap.",
               "U", lines.shmUnlink()}});
}

void ControlsPanel::drawSegment(const FrameContext& ctx, UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    SegmentRequest& req = state.request;
    ImGui::TextUnformatted("New System V segment");
    int pages = static_cast<int>(req.pages);
    if (ImGui::InputInt(fitNextField(7, "pages") ? "pages###pages" : "###pages", &pages))
        req.pages = static_cast<std::uint64_t>(std::clamp(pages, 1, 1 << 20));
    const std::string bytes = "= " + core::formatSize(req.pages * snap.pageSize);
    flowSameLine(ImGui::CalcTextSize(bytes.c_str()).x);
    ImGui::TextDisabled("%s", bytes.c_str());
    if (ImGui::RadioButton("IPC_PRIVATE", req.privateKey))
        req.privateKey = true;
    const float radio = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
    flowSameLine(radio + ImGui::CalcTextSize("key").x);
    if (ImGui::RadioButton("key", !req.privateKey))
        req.privateKey = false;
    flowSameLine(ImGui::GetFontSize() * 6);
    fitNextField(6, "");
    ImGui::BeginDisabled(req.privateKey);
    if (ImGui::InputText("##key", m_keyBuffer, sizeof m_keyBuffer, ImGuiInputTextFlags_CharsNoBlank))
        req.keyHex = m_keyBuffer;
    ImGui::EndDisabled();
    if (ImGui::InputText(fitNextField(4, "mode (octal)") ? "mode (octal)###mode" : "###mode", m_modeBuffer,
                         sizeof m_modeBuffer, ImGuiInputTextFlags_CharsDecimal))
        req.modeOctal = m_modeBuffer;

    const StepLines lines(snap, state.selectedSegment);
    if (stepButton("shmget", allowed(),
                   "shmget(key, size, IPC_CREAT | mode): the kernel creates a segment and returns its id. "
                   "No memory is used yet: frames come only when a page is first touched.",
                   "G"))
        ctx.submit(lines.shmget(req));

    const core::SegmentView* seg = actionSegment(snap, state.selectedSegment);
    if (!snap.segments.empty()) {
        ImGui::SetNextItemWidth(-FLT_MIN);
        std::string preview = seg ? "acting on seg " + std::to_string(seg->id) : "no segment left";
        if (ImGui::BeginCombo("##segment", preview.c_str())) {
            for (const core::SegmentView& s : snap.segments) {
                const std::string what =
                    s.kind == core::SegmentKind::Posix
                        ? "  " + s.name
                        : "  shmid " + std::to_string(s.shmid) + "  key " + core::hex(s.key, 8);
                if (s.exists &&
                    ImGui::Selectable(("seg " + std::to_string(s.id) + what).c_str(), seg && seg->id == s.id))
                    state.selectedSegment = s.id;
            }
            ImGui::EndCombo();
        }
    }
    const SegmentActions sa = segmentActions(snap, state.selectedSegment);
    stepButtons(ctx,
                {{"IPC_RMID", sa.rmid,
                  "shmctl(shmid, IPC_RMID): mark the segment for destruction. Its key becomes 0 (private) at "
                  "once; the memory is freed only when the last process detaches.",
                  "X", lines.rmid()},
                 {"keep", sa.keep,
                  "Do not remove this segment when shmviz ends: it stays in the kernel (see ipcs -m) until "
                  "someone calls IPC_RMID or the machine reboots.",
                  "P", lines.keep()}});
}

void ControlsPanel::drawWorkers(const FrameContext& ctx, UiState& state) {
    const core::Snapshot& snap = ctx.snapshot;
    ImGui::TextUnformatted("Worker processes");
    if (stepButton("spawn worker", allowed(),
                   "fork() + exec() of shmviz-worker: a separate program with its own address space, so the "
                   "same segment lands at a different virtual address in each worker.",
                   "N"))
        ctx.submit("spawn");

    int page = static_cast<int>(state.selectedPage);
    if (ImGui::InputInt(fitNextField(7, "page") ? "page###page" : "###page", &page))
        state.selectedPage = static_cast<std::uint64_t>(std::max(0, page));
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 4);
    if (ImGui::InputText("text", m_textBuffer, sizeof m_textBuffer))
        state.writeText = m_textBuffer;

    const StepLines lines(snap, state.selectedSegment, state.pageTarget);
    if (state.pageTarget.anon)
        ImGui::TextDisabled("page steps act on anonymous memory (click a page to change)");
    for (const core::WorkerView& w : snap.workers) {
        ImGui::PushID(w.id);
        drawWorkerTitle(w, state);
        WorkerActions a = workerActions(snap, w.id, state.selectedSegment);
        if (state.pageTarget.anon)
            a.touch = a.anonPages;
        drawWorkerButtons(ctx, state, w.id, a, lines);
        ImGui::PopID();
    }
}

// "Worker N  pid P", or how it ended; selecting it selects the worker.
void ControlsPanel::drawWorkerTitle(const core::WorkerView& w, UiState& state) {
    const bool selected = state.selectedWorker == w.id;
    std::string title =
        "Worker " + std::to_string(w.id) + "  " + (w.alive ? "pid " + std::to_string(w.pid) : w.endedHow);
    // A live worker without a fresh report (stopped, too slow): say so in words short enough for the
    // panel; the tooltip has the sentence, and the diagram shows its last report.
    if (w.alive && !w.problem.empty())
        title += w.problemErr == ETIMEDOUT ? "  (not answering)" : "  (report failed)";
    // A narrow or zoomed panel gets the short form; the tooltip keeps the whole title.
    const std::string full = title;
    if (ImGui::CalcTextSize(title.c_str()).x > ImGui::GetContentRegionAvail().x)
        title = "W" + std::to_string(w.id) + (w.alive ? " pid " + std::to_string(w.pid) : " ended");
    if (ImGui::Selectable(title.c_str(), selected))
        state.selectedWorker = w.id;
    if (ImGui::IsItemHovered() && !w.problem.empty())
        ImGui::SetTooltip("%s\n%s", full.c_str(), w.problem.c_str());
    else if (ImGui::IsItemHovered() && w.id <= 9)
        ImGui::SetTooltip("%s\nSelect with key %d", full.c_str(), w.id);
    else if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", full.c_str());
}

// Per worker: shmat, the page steps, shmdt and kill; the POSIX mappings, fork and anonymous memory.
void ControlsPanel::drawWorkerButtons(const FrameContext& ctx, const UiState& state, int worker,
                                      const WorkerActions& a, const StepLines& lines) {
    const std::uint64_t page = state.selectedPage;
    stepButtons(
        ctx,
        {{"shmat", a.shmat,
          "shmat(shmid, NULL, 0): map the segment into this worker's address space. The kernel "
          "picks the address; the page table has no entries for it yet.",
          "A", lines.shmat(worker)},
         {"touch", a.touch,
          "Write one byte to the page. The first access page-faults and the kernel points this "
          "worker's page-table entry at the segment's frame (allocating it if nobody has).",
          "T", lines.touch(worker, page)},
         {"write", a.touch, "memcpy the text to the start of the page: an ordinary store, no system call.",
          "W", lines.write(worker, page, state.writeText)},
         {"read", a.touch,
          "Read the text at the start of the page: an ordinary load, no system call. Reading "
          "also maps the frame in.",
          "R", lines.read(worker, page)},
         {"shmdt", a.shmdt,
          "shmdt(addr): unmap the segment from this worker. Its page-table entries go; the "
          "frames stay while another process has the segment attached.",
          "D", lines.shmdt(worker), kNewRow},
         {"kill", a.kill,
          "kill(pid, SIGKILL): the worker dies; the kernel detaches everything it had attached.", "K",
          lines.kill(worker)},
         {"mmap", a.mmap,
          "shm_open(name) + mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0): map the "
          "POSIX object shared. Every MAP_SHARED mapping reaches the same frames.",
          "M", lines.mmap(worker, false), kNewRow},
         {"mmap private", a.mmap,
          "mmap(..., MAP_PRIVATE, fd, 0): reads see the object's frames; the first write to a page "
          "faults and the kernel copies it into a new frame for this mapping alone (copy-on-write).",
          "Shift+M", lines.mmap(worker, true)},
         {"munmap", a.munmap,
          "munmap(addr, size): remove this worker's mapping of the object; its page-table entries "
          "go. The memory is freed when the object is unlinked and nobody maps it.",
          nullptr, lines.munmap(worker)},
         {"fork", a.fork,
          "fork(): the worker makes a child, a copy of itself with the same virtual addresses. "
          "Shared mappings stay shared; private pages are shared read-only until one side writes.",
          "F", lines.fork(worker), kNewRow},
         {"anon 2 pages", a.anon,
          "mmap(NULL, 8 KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0): ordinary "
          "private memory, the kind malloc returns. Shared with a forked child until a write.",
          nullptr, lines.anon(worker, 2)}});
}

} // namespace shmviz::ui
