#include "core/session/session.h"

#include "core/session/narration.h"
#include "core/steps/units.h"

#include <csignal>

namespace shmviz::core {

namespace {

constexpr std::uint64_t kMaxAnonPages = (std::uint64_t{1} << 30) / 4096;

} // namespace

Session::Outcome Session::fork(const Step&, WorkerRecord& parent) {
    Outcome o;
    if (m_workers.size() >= Session::kMaxWorkers) {
        o.error =
            makeError(EAGAIN, "This session already has " + std::to_string(m_workers.size()) +
                                  " workers; it holds at most " + std::to_string(Session::kMaxWorkers) + ".");
        return o;
    }
    auto reply = parent.client.call(proto::MsgType::Fork, {}, waitBudget(kAnswerTimeout));
    if (!reply)
        return o.fail(reply.error());
    if (reply->status.err)
        return o.fail(systemError(reply->status.err, workerName(parent) + " calling fork()"));
    std::span<const std::uint8_t> body(reply->body);
    auto forked = proto::take<proto::ForkReply>(body, "fork reply");
    if (!forked)
        return o.fail(forked.error());
    const pid_t childPid = forked->childPid;
    auto fd = parent.client.receivePassedFd(std::chrono::seconds(5));
    if (!fd) {
        ::kill(childPid, SIGKILL);
        o.error = fd.error();
        return o;
    }
    auto client = WorkerClient::adopt(childPid, *fd);
    if (!client)
        return o.fail(makeError(client.error().err, "The child of " + workerName(parent) +
                                                        " did not answer: " + client.error().message));
    m_guardian.ownWorker(childPid);
    const int parentId = parent.id;
    const pid_t parentPid = parent.client.pid();
    std::vector<AttachmentRef> inherited = parent.attachments;
    const int childId = static_cast<int>(m_workers.size());
    m_workers.push_back(WorkerRecord{childId, std::move(*client), parentId, inherited});

    m_latest = gather();
    o.gathered = true;
    // How many present pages the two page tables now share, frame for frame.
    std::uint64_t sharedPages = 0, privatePages = 0;
    const WorkerView& pv = m_latest->workers[static_cast<std::size_t>(parentId)];
    const WorkerView& cv = m_latest->workers[static_cast<std::size_t>(childId)];
    for (const AttachmentView& ca : cv.attachments)
        for (const AttachmentView& pa : pv.attachments)
            if (pa.id == ca.id)
                for (std::size_t i = 0; i < std::min(pa.entries.size(), ca.entries.size()); ++i) {
                    PageEntry pe = decodePagemapEntry(pa.entries[i]), ce = decodePagemapEntry(ca.entries[i]);
                    if (pe.present && ce.present && (!m_latest->pfnVisible || pe.pfnBits == ce.pfnBits)) {
                        ++sharedPages;
                        privatePages += ca.privateMapping || ca.anonymous ? 1 : 0;
                    }
                }
    o.data["worker"] = {
        {"id", childId}, {"pid", childPid}, {"parent", parentId}, {"inherited", inherited.size()}};
    o.explain =
        "Worker " + std::to_string(parentId) + " (pid " + std::to_string(parentPid) +
        ") called fork(): worker " + std::to_string(childId) + " (pid " + std::to_string(childPid) +
        ") is its copy, with the same virtual "
        "addresses for all " +
        std::to_string(inherited.size()) +
        " of its mappings, because fork copies the "
        "address space where exec builds a fresh one. Private pages (anonymous memory, written MAP_PRIVATE "
        "pages) are copied into the child's page table pointing at the same frames, write-protected in both: "
        "the first write by either process gets it a copy of its own (copy-on-write). Shared mappings are "
        "not copied entry by entry (the kernel skips them, mm/memory.c vma_needs_copy, since a fault finds "
        "the same page again): the child's first access to a shared page faults it in, onto the very frame "
        "its parent uses.";
    if (sharedPages)
        o.explain += " " + std::to_string(sharedPages) + " present page(s) are now mapped by both processes" +
                     (m_latest->pfnVisible ? " on the same frames" : "") +
                     (privatePages ? ", " + std::to_string(privatePages) + " of them copy-on-write." : ".");
    o.explain +=
        " The child talks to shmviz on a socket of its own and dies with its parent (PR_SET_PDEATHSIG).";
    return o;
}

Session::Outcome Session::anon(const Step& step, WorkerRecord& w) {
    Outcome o;
    if (step.count == 0 || step.count > kMaxAnonPages)
        return o.fail(makeError(EINVAL, "anon takes between 1 and " + std::to_string(kMaxAnonPages) +
                                            " pages, not " + std::to_string(step.count) + "."));
    proto::AnonMapRequest request{step.count, 0};
    auto reply = w.client.call(proto::MsgType::AnonMap, proto::bytesOf(request), waitBudget(kAnswerTimeout));
    if (!reply)
        return o.fail(reply.error());
    if (reply->status.err)
        return o.fail(systemError(reply->status.err, workerName(w) +
                                                         " calling mmap(MAP_PRIVATE | MAP_ANONYMOUS, " +
                                                         std::to_string(step.count) + " pages)"));
    std::span<const std::uint8_t> body(reply->body);
    auto at = proto::take<proto::AttachReply>(body, "anon reply");
    if (!at)
        return o.fail(at.error());
    w.attachments.push_back({at->attachment, -1, at->address, at->size, false, true});
    o.data["anon"] = {{"worker", w.id}, {"va", hex(at->address)}, {"size", at->size}};
    o.explain =
        "mmap(MAP_PRIVATE | MAP_ANONYMOUS) gave worker " + std::to_string(w.id) + " " +
        pagesText(at->size, currentPageSize()) + " of ordinary private memory at " + hex(at->address) +
        ", the kind malloc hands out: no file, no name, no key; only this process, and children it forks, "
        "can reach it. A page gets a frame at its first touch. Address it with seg=anon, as in touch " +
        std::to_string(w.id) + " 0 seg=anon.";
    return o;
}

} // namespace shmviz::core
