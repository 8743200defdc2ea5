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

// nattch of the segment after the step.
void answerNattch(nlohmann::json& a, int segment, const Snapshot& after) {
    for (const SegmentView& s : after.segments)
        if (s.id == segment) {
            a["value"] = s.nattch;
            a["text"] = "nattch of segment " + std::to_string(segment) + " is " + std::to_string(s.nattch) +
                        (s.exists ? "." : ", and the segment no longer exists.");
            return;
        }
    a["value"] = nullptr;
    a["text"] = "segment " + std::to_string(segment) + " is not in the snapshot.";
}

// The page a page question names, as the snapshot after the step shows it.
struct AskedPage {
    int worker = 0;
    std::uint64_t page = 0;
    const AttachmentView* now = nullptr; // the worker's mapping; its entries cover `page`
    bool present = false;
    std::optional<std::uint64_t> pfn;
    std::string where; // "page P of worker W"
};

void answerPresent(nlohmann::json& a, const AskedPage& p) {
    std::uint64_t count = 0;
    for (std::uint64_t e : p.now->entries)
        count += decodePagemapEntry(e).present;
    a["value"] = p.present ? "yes" : "no";
    a["text"] = std::string(p.present ? "yes: " : "no: ") + p.where + (p.present ? " is" : " is not") +
                " present in its page table (" + std::to_string(count) + " of the mapping's " +
                std::to_string(p.now->entries.size()) + (count == 1 ? " pages is)." : " pages are).");
}

void answerFrame(nlohmann::json& a, const AskedPage& p, const Snapshot& before) {
    if (!p.present) {
        a["value"] = "no frame";
        a["text"] = p.where + " points at no frame: it is not present.";
    } else if (!p.pfn) {
        a["value"] = nullptr;
        a["text"] = p.where + " is present, but frame numbers are hidden (see the banner), so which frame "
                              "cannot be told.";
    } else {
        bool known = false;
        for (const FrameView& f : before.frames)
            known = known || f.pfn == *p.pfn;
        a["value"] = known ? "a frame already in use" : "a new frame";
        a["pfn"] = hex(*p.pfn);
        a["text"] = p.where + " points at frame " + hex(*p.pfn) +
                    (known ? ", a frame that was already in use before this step."
                           : ", a new one: no page of the session pointed at it before.");
    }
}

// visible: does the worker's page point at the frame the step's writer wrote to?
void answerVisible(nlohmann::json& a, const AskedPage& p, int segment, const Snapshot& after,
                   const nlohmann::json& stepData) {
    const int writer = stepData.contains("written") ? stepData["written"].value("worker", -1) : -1;
    const AttachmentView* theirs = writer >= 0 ? mappingOf(after, writer, segment, std::nullopt) : nullptr;
    const auto written = pfnOf(after, theirs, p.page);
    if (writer >= 0 && written && !p.present && !p.now->anonymous) {
        a["value"] = "yes";
        a["text"] = "yes: " + p.where +
                    " is not present yet, but it maps the same object, so its first access " +
                    "will fault in frame " + hex(*written) + ", the frame worker " + std::to_string(writer) +
                    " wrote to.";
        return;
    }
    if (writer < 0 || !written || !p.pfn) {
        a["value"] = nullptr;
        a["text"] = writer < 0 ? "the step was not a write, so there is nothing to see."
                               : "frame numbers are hidden or the page is not present, so it cannot be told.";
        return;
    }
    const bool same = *written == *p.pfn;
    a["value"] = same ? "yes" : "no";
    a["text"] = same ? "yes: " + p.where + " points at frame " + hex(*p.pfn) + ", the very frame worker " +
                           std::to_string(writer) + " wrote to, so it sees the bytes."
                     : "no: " + p.where + " points at frame " + hex(*p.pfn) + ", not frame " + hex(*written) +
                           " that worker " + std::to_string(writer) + " wrote to: it has a copy of its own.";
}

} // namespace

nlohmann::json Session::answer(const Step& q, const Snapshot& before, const Snapshot& after,
                               const nlohmann::json& stepData) {
    nlohmann::json a = {{"kind", q.word}, {"question", q.text}};
    int segment = -1;
    if (auto s = q.word == "nattch" ? segmentFor(q) : pageSegmentFor(q); s)
        segment = (*s)->id;
    if (q.word == "nattch") {
        answerNattch(a, segment, after);
        return a;
    }
    AskedPage p;
    p.worker = q.worker.index;
    p.page = q.page ? q.page->index : 0;
    p.now = mappingOf(after, p.worker, segment, q.attachment);
    p.where = "page " + std::to_string(p.page) + " of worker " + std::to_string(p.worker);
    if (!p.now || p.page >= p.now->entries.size()) {
        a["value"] = q.word == "frame" ? "no frame" : "no";
        a["text"] = "no: worker " + std::to_string(p.worker) + " has no such mapping now.";
        return a;
    }
    p.present = decodePagemapEntry(p.now->entries[p.page]).present;
    p.pfn = pfnOf(after, p.now, p.page);
    if (q.word == "present")
        answerPresent(a, p);
    else if (q.word == "frame")
        answerFrame(a, p, before);
    else
        answerVisible(a, p, segment, after, stepData);
    return a;
}

} // namespace shmviz::core
