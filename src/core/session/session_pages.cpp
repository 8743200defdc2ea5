#include "core/session/session.h"

#include "core/session/memory_readings.h"
#include "core/session/narration.h"
#include "core/session/page_facts.h"

#include "core/steps/units.h"

#include <csignal>

namespace shmviz::core {

namespace {

struct PageFacts {
    bool present = false;
    std::optional<std::uint64_t> pfn;
    std::vector<int> sharers; // other workers whose page tables point at the same frame
    bool sameVa = false;      // one of them maps it at the same virtual address (a forked child)
};

PageFacts pageFacts(const Snapshot& snap, int worker, std::uint32_t attachment, std::uint64_t page) {
    PageFacts facts;
    for (const WorkerView& w : snap.workers) {
        if (w.id != worker)
            continue;
        for (std::size_t ai = 0; ai < w.attachments.size(); ++ai) {
            const AttachmentView& a = w.attachments[ai];
            if (a.id != attachment || page >= a.entries.size())
                continue;
            PageEntry e = decodePagemapEntry(a.entries[page]);
            facts.present = e.present;
            facts.pfn = visiblePfn(e, snap.pfnVisible);
            if (!facts.pfn)
                return facts;
            for (const FrameView& f : snap.frames)
                if (f.pfn == *facts.pfn)
                    for (const FrameRef& r : f.mappedBy)
                        if (r.worker != worker && std::find(facts.sharers.begin(), facts.sharers.end(),
                                                            r.worker) == facts.sharers.end()) {
                            facts.sharers.push_back(r.worker);
                            facts.sameVa = facts.sameVa || r.va == a.pageVa(page);
                        }
        }
    }
    return facts;
}

// Where the touched page's entry points now, and whether that frame is new.
std::string touchedFrameSentence(const PageFacts& facts, bool wasPresent, const Snapshot* before) {
    if (!facts.present)
        return "The page is still not present in its page table (the kernel may have reclaimed it). ";
    if (!facts.pfn)
        return "Its page table entry is now present (the frame number is hidden: see the banner). ";
    if (!facts.sharers.empty())
        return std::string(wasPresent ? "Its page table entry points" : "Its page table entry now points") +
               " at frame " + hex(*facts.pfn) + ", the same frame " + listWorkers(facts.sharers) +
               " already map" + (facts.sharers.size() == 1 ? "s" : "") +
               (facts.sameVa ? " at this same address (a fork made one process from the other): one "
                               "physical page, shared. "
                             : " at another address: one physical page, several virtual ones. ");
    if (wasPresent)
        return "It points at frame " + hex(*facts.pfn) + ", which no other process maps. ";
    if (before && frameMapped(*before, *facts.pfn))
        return "Its page table entry points at frame " + hex(*facts.pfn) + ", which was already in use. ";
    return "That page fault made the kernel allocate frame " + hex(*facts.pfn) +
           " and point this page table entry at it. ";
}

} // namespace

Session::Outcome Session::touch(const Step& step, SegmentRecord& seg,
                                const std::vector<WorkerRecord*>& workers) {
    Outcome o;
    const std::vector<PendingTouch> pending = sendTouches(workers, seg, step, o.error);
    if (pending.empty() && !o.error)
        o.error = makeError(EINVAL, "No running worker has " + segmentLabel(seg) + " attached.");
    auto before = m_latest;
    const std::vector<PendingTouch> done = collectTouches(pending, seg, o.error);
    m_latest = gather();
    o.gathered = true;
    nlohmann::json touched = nlohmann::json::array();
    std::string explain;
    for (const PendingTouch& p : done) {
        touched.push_back({{"worker", p.worker->id}, {"first", p.first}, {"count", p.count}});
        explain += touchNarration(before.get(), seg, p);
    }
    o.data["touched"] = touched;
    if (!explain.empty())
        explain.pop_back();
    o.explain = explain;
    return o;
}

std::vector<Session::PendingTouch> Session::sendTouches(const std::vector<WorkerRecord*>& workers,
                                                        const SegmentRecord& seg, const Step& step,
                                                        std::optional<Error>& error) {
    const std::uint32_t pageSize = currentPageSize();
    std::vector<PendingTouch> pending;
    for (WorkerRecord* w : workers) {
        auto ref = attachmentFor(*w, seg, step.attachment, false);
        if (!ref) {
            if (!step.worker.all && !error)
                error = ref.error();
            continue;
        }
        const std::uint64_t pages = ((*ref)->size + pageSize - 1) / pageSize;
        std::uint64_t first = 0, count = pages;
        if (step.page && !step.page->all) {
            if (step.page->index >= pages) {
                if (!error)
                    error = pageOutOfRange(step.page->index, seg, pages);
                continue;
            }
            first = step.page->index;
            count = 1;
        }
        proto::TouchRequest request{(*ref)->id, static_cast<std::uint32_t>(proto::TouchAccess::Write), first,
                                    count};
        if (auto sent = w->client.send(proto::MsgType::Touch, proto::bytesOf(request)); !sent) {
            if (!error)
                error = sent.error();
            continue;
        }
        pending.push_back({w, **ref, first, count});
    }
    return pending;
}

std::vector<Session::PendingTouch> Session::collectTouches(const std::vector<PendingTouch>& pending,
                                                           const SegmentRecord& seg,
                                                           std::optional<Error>& error) {
    std::vector<PendingTouch> done;
    for (const PendingTouch& p : pending) {
        auto reply = p.worker->client.receive(waitBudget(kTouchTimeout));
        if (!reply) {
            if (!error)
                error = lostDuringAccess(*p.worker, seg, reply.error(),
                                         p.count == 1 ? std::optional<std::uint64_t>(p.first) : std::nullopt);
            continue;
        }
        if (reply->status.err) {
            if (!error)
                error = faultError(*p.worker, *reply, "writing to " + segmentLabel(seg));
            continue;
        }
        done.push_back(p);
    }
    return done;
}

std::string Session::touchNarration(const Snapshot* before, const SegmentRecord& seg,
                                    const PendingTouch& p) const {
    const PresenceChange change = presenceChange(before, *m_latest, p.worker->id, p.ref.id);
    const std::uint64_t slots = slotsPerPage(*m_latest, seg.id);
    if (p.count != 1)
        return touchAllSentence(p.worker->id, change, slots) + " " +
               pageTableGrowth(before, *m_latest, p.worker->id);
    const std::uint64_t va = p.ref.address + p.first * currentPageSize();
    PageFacts facts = pageFacts(*m_latest, p.worker->id, p.ref.id, p.first);
    const bool wasPresent = before && pagePresent(*before, p.worker->id, p.ref.id, p.first);
    std::string explain = "Worker " + std::to_string(p.worker->id) + " wrote to page " +
                          std::to_string(p.first) + " at " + hex(va) + ". ";
    const std::string cow = before ? privateWriteNote(*before, *p.worker, p.ref, p.first) : "";
    if (cow.empty() && (wasPresent || change.became > 1))
        explain += accessPresenceSentence("write", p.first, wasPresent, change, slots) + " ";
    if (!cow.empty())
        explain += cow + " ";
    else
        explain += touchedFrameSentence(facts, wasPresent, before);
    return explain;
}

Session::Outcome Session::write(const Step& step, const PageAccess& a) {
    const std::string& text = step.text;
    Outcome o;
    if (text.size() >= std::min<std::size_t>(a.pageSize, proto::kMaxText)) {
        o.error =
            makeError(E2BIG, "The text is " + std::to_string(text.size()) + " bytes; at most " +
                                 std::to_string(std::min<std::size_t>(a.pageSize, proto::kMaxText) - 1) +
                                 " fit at the start of a page.");
        return o;
    }
    std::vector<std::uint8_t> payload;
    proto::append(payload, proto::WriteRequest{a.ref.id, static_cast<std::uint32_t>(text.size()), a.page});
    payload.insert(payload.end(), text.begin(), text.end());
    auto before = m_latest;
    auto reply = a.worker.client.call(proto::MsgType::Write, payload, waitBudget(kAnswerTimeout));
    if (!reply)
        return o.fail(lostDuringAccess(a.worker, a.segment, reply.error(), a.page));
    if (reply->status.err) {
        o.error = faultError(a.worker, *reply, "writing to " + segmentLabel(a.segment));
        o.explain = "The text was not written. The worker is still running.";
        return o;
    }
    m_latest = gather();
    o.gathered = true;
    if (!a.ref.privateMapping)
        m_written[{a.segment.id, a.page}] = {a.worker.id, m_stepNumber};
    PageFacts facts = pageFacts(*m_latest, a.worker.id, a.ref.id, a.page);
    o.data["written"] = {
        {"worker", a.worker.id}, {"page", a.page}, {"va", hex(a.va)}, {"bytes", text.size()}};
    o.explain = "Worker " + std::to_string(a.worker.id) + " stored \"" + text + "\" at " + hex(a.va) +
                " with ordinary memory writes, no system call" +
                (facts.pfn ? "; the bytes now sit in frame " + hex(*facts.pfn) : std::string()) +
                writeReachSentence(a.ref.privateMapping, a.segment.kind != SegmentKind::Sysv,
                                   facts.pfn ? privateCopiesOf(*m_latest, a.segment.id, a.page, *facts.pfn)
                                             : std::vector<int>{});
    if (std::string cow = before ? privateWriteNote(*before, a.worker, a.ref, a.page) : ""; !cow.empty())
        o.explain += " " + cow;
    return o;
}

Session::Outcome Session::read(const Step&, const PageAccess& a) {
    Outcome o;
    auto before = m_latest;
    proto::ReadRequest request{a.ref.id, static_cast<std::uint32_t>(proto::kMaxText - 1), a.page};
    auto reply =
        a.worker.client.call(proto::MsgType::Read, proto::bytesOf(request), waitBudget(kAnswerTimeout));
    if (!reply)
        return o.fail(lostDuringAccess(a.worker, a.segment, reply.error(), a.page));
    if (reply->status.err)
        return o.fail(faultError(a.worker, *reply, "reading " + segmentLabel(a.segment)));
    std::string text(reply->body.begin(), reply->body.end());
    m_latest = gather();
    o.gathered = true;
    PageFacts facts = pageFacts(*m_latest, a.worker.id, a.ref.id, a.page);
    o.data["text"] = text;
    o.data["read"] = {{"worker", a.worker.id}, {"page", a.page}, {"va", hex(a.va)}};
    const bool wasPresent = before && pagePresent(*before, a.worker.id, a.ref.id, a.page);
    const PresenceChange change = presenceChange(before.get(), *m_latest, a.worker.id, a.ref.id);
    if (text.empty()) {
        std::vector<int> alreadyMappedBy;
        if (!wasPresent && facts.pfn && before && frameMapped(*before, *facts.pfn))
            alreadyMappedBy = facts.sharers.empty() ? std::vector<int>{a.worker.id}
                                                    : facts.sharers; // or its own other mapping
        o.explain = "Worker " + std::to_string(a.worker.id) + " read page " + std::to_string(a.page) +
                    " at " + hex(a.va) + " and found it empty. " +
                    emptyReadSentence(wasPresent, a.ref.privateMapping, alreadyMappedBy);
    } else {
        std::string by;
        if (auto it = m_written.find({a.segment.id, a.page}); it != m_written.end() && !a.ref.privateMapping)
            by = it->second.worker == a.worker.id
                     ? ", text it stored itself in step " + std::to_string(it->second.step)
                     : ", text worker " + std::to_string(it->second.worker) + " stored in step " +
                           std::to_string(it->second.step);
        o.explain = "Worker " + std::to_string(a.worker.id) + " read \"" + text + "\" at " + hex(a.va) + by +
                    ", with ordinary loads" + (facts.pfn ? " from frame " + hex(*facts.pfn) : std::string()) +
                    (facts.sharers.empty() ? ""
                                           : ", the frame " + listWorkers(facts.sharers) +
                                                 (facts.sharers.size() == 1 ? " also maps" : " also map")) +
                    ": nothing was copied through the kernel.";
    }
    if (facts.present)
        o.explain += " " + accessPresenceSentence("read", a.page, wasPresent, change,
                                                  slotsPerPage(*m_latest, a.segment.id));
    return o;
}

} // namespace shmviz::core
