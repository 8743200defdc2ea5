// Predict, then reveal: `ask` poses a question; the next step that acts answers it from what the
// snapshots before and after that step show.
#include "core/session/page_facts.h"
#include "core/session/session.h"
#include "core/steps/units.h"

namespace shmviz::core {

Session::Outcome Session::ask(const Step& step) {
    Outcome o;
    if (step.word != "nattch") {
        auto segment = pageSegmentFor(step);
        if (!segment)
            return o.fail(segment.error());
    }
    m_question = step;
    nlohmann::json choices = nlohmann::json::array();
    if (step.word == "present" || step.word == "visible")
        choices = {"yes", "no"};
    else if (step.word == "frame")
        choices = {"a new frame", "a frame already in use", "no frame"};
    else
        choices = {0, 1, 2, 3, 4};
    o.data["ask"] = {{"kind", step.word}, {"question", step.text}, {"choices", choices}};
    o.explain = "Question: " + step.text + " Predict, then run the next step to see what the kernel does.";
    return o;
}

namespace {

// The worker's mapping of the segment (the first, or at=K) in a snapshot.
const AttachmentView* mappingOf(const Snapshot& snap, int worker, int segment, std::optional<int> at) {
    int seen = 0;
    for (const WorkerView& w : snap.workers)
        if (w.id == worker)
            for (const AttachmentView& a : w.attachments)
                if ((segment < 0 ? a.anonymous : a.segment == segment) && seen++ == at.value_or(0))
                    return &a;
    return nullptr;
}

std::optional<std::uint64_t> pfnOf(const Snapshot& snap, const AttachmentView* a, std::uint64_t page) {
    if (!a || page >= a->entries.size())
        return std::nullopt;
    return visiblePfn(decodePagemapEntry(a->entries[page]), snap.pfnVisible);
}

} // namespace

nlohmann::json Session::answer(const Step& q, const Snapshot& before, const Snapshot& after,
                               const nlohmann::json& stepData) {
    nlohmann::json a = {{"kind", q.word}, {"question", q.text}};
    int segment = -1;
    if (auto s = q.word == "nattch" ? segmentFor(q) : pageSegmentFor(q); s)
        segment = (*s)->id;
    if (q.word == "nattch") {
        for (const SegmentView& s : after.segments)
            if (s.id == segment) {
                a["value"] = s.nattch;
                a["text"] = "nattch of segment " + std::to_string(segment) + " is " +
                            std::to_string(s.nattch) +
                            (s.exists ? "." : ", and the segment no longer exists.");
                return a;
            }
        a["value"] = nullptr;
        a["text"] = "segment " + std::to_string(segment) + " is not in the snapshot.";
        return a;
    }
    const int w = q.worker.index;
    const std::uint64_t page = q.page ? q.page->index : 0;
    const AttachmentView* now = mappingOf(after, w, segment, q.attachment);
    const std::string where = "page " + std::to_string(page) + " of worker " + std::to_string(w);
    if (!now || page >= now->entries.size()) {
        a["value"] = q.word == "frame" ? "no frame" : "no";
        a["text"] = "no: worker " + std::to_string(w) + " has no such mapping now.";
        return a;
    }
    const bool present = decodePagemapEntry(now->entries[page]).present;
    const auto pfn = pfnOf(after, now, page);
    if (q.word == "present") {
        std::uint64_t count = 0;
        for (std::uint64_t e : now->entries)
            count += decodePagemapEntry(e).present;
        a["value"] = present ? "yes" : "no";
        a["text"] = std::string(present ? "yes: " : "no: ") + where + (present ? " is" : " is not") +
                    " present in its page table (" + std::to_string(count) + " of the mapping's " +
                    std::to_string(now->entries.size()) + (count == 1 ? " pages is)." : " pages are).");
        return a;
    }
    if (q.word == "frame") {
        if (!present) {
            a["value"] = "no frame";
            a["text"] = where + " points at no frame: it is not present.";
        } else if (!pfn) {
            a["value"] = nullptr;
            a["text"] = where + " is present, but frame numbers are hidden (see the banner), so which frame "
                                "cannot be told.";
        } else {
            bool known = false;
            for (const FrameView& f : before.frames)
                known = known || f.pfn == *pfn;
            a["value"] = known ? "a frame already in use" : "a new frame";
            a["pfn"] = hex(*pfn);
            a["text"] = where + " points at frame " + hex(*pfn) +
                        (known ? ", a frame that was already in use before this step."
                               : ", a new one: no page of the session pointed at it before.");
        }
        return a;
    }
    // visible: does the worker's page point at the frame the step's writer wrote to?
    const int writer = stepData.contains("written") ? stepData["written"].value("worker", -1) : -1;
    const AttachmentView* theirs = writer >= 0 ? mappingOf(after, writer, segment, std::nullopt) : nullptr;
    const auto written = pfnOf(after, theirs, page);
    if (writer >= 0 && written && !present && !now->anonymous) {
        a["value"] = "yes";
        a["text"] = "yes: " + where +
                    " is not present yet, but it maps the same object, so its first access " +
                    "will fault in frame " + hex(*written) + ", the frame worker " + std::to_string(writer) +
                    " wrote to.";
        return a;
    }
    if (writer < 0 || !written || !pfn) {
        a["value"] = nullptr;
        a["text"] = writer < 0 ? "the step was not a write, so there is nothing to see."
                               : "frame numbers are hidden or the page is not present, so it cannot be told.";
        return a;
    }
    const bool same = *written == *pfn;
    a["value"] = same ? "yes" : "no";
    a["text"] = same ? "yes: " + where + " points at frame " + hex(*pfn) + ", the very frame worker " +
                           std::to_string(writer) + " wrote to, so it sees the bytes."
                     : "no: " + where + " points at frame " + hex(*pfn) + ", not frame " + hex(*written) +
                           " that worker " + std::to_string(writer) + " wrote to: it has a copy of its own.";
    return a;
}

} // namespace shmviz::core
