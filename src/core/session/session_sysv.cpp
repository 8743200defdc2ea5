#include "core/session/session.h"

#include "core/kernel/limit_errors.h"
#include "core/kernel/system_limits.h"
#include "core/session/narration.h"
#include "core/session/page_facts.h"
#include "core/steps/units.h"

#include <csignal>
#include <sys/shm.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

std::string keyText(std::uint32_t key) {
    return hex(key, 8);
}

} // namespace

// Refuses sizes no lesson can use: zero, beyond kernel.shmmax, or beyond this machine's memory.
static std::optional<Error> checkSegmentSize(std::uint64_t size) {
    if (size == 0)
        return makeError(EINVAL,
                         "A segment of 0 bytes cannot exist; give at least 1 byte (the kernel rounds up to "
                         "whole pages).");
    if (auto shmmax = readShmmax(); shmmax && size > *shmmax)
        return makeError(EINVAL, "A segment of " + formatSize(size) +
                                     " is larger than the system limit kernel.shmmax (" +
                                     formatSize(*shmmax) + ").");
    if (auto total = readMemTotal(); total && size > *total)
        return makeError(ENOMEM, "A segment of " + formatSize(size) +
                                     " is larger than this machine's memory (" + formatSize(*total) +
                                     "), so its pages could never all be touched.");
    return std::nullopt;
}

static Error hugePageError(int err) {
    HugePageInfo huge = readHugePages();
    return makeError(
        err, "No huge page could back the segment: " + std::to_string(huge.free) + " of " +
                 std::to_string(huge.total) + " huge pages of " + formatSize(huge.sizeBytes) +
                 " are free (/proc/meminfo). Reserve some once with `sudo sysctl vm.nr_hugepages=64`.");
}

namespace {

struct ShmgetCall {
    int shmid = -1;
    bool created = true; // false: the key named a segment already, and shmget opened it
};

// shmget(key, size, IPC_CREAT | IPC_EXCL | mode); without excl, a key already in use is opened instead.
Result<ShmgetCall> callShmget(const Step& step, std::uint64_t size, unsigned mode) {
    const int hugeFlag = step.hugetlb ? SHM_HUGETLB : 0;
    const key_t key = step.key ? static_cast<key_t>(*step.key) : IPC_PRIVATE;
    ShmgetCall call;
    call.shmid = ::shmget(key, size, IPC_CREAT | IPC_EXCL | hugeFlag | static_cast<int>(mode));
    if (call.shmid < 0 && errno == EEXIST && step.key) {
        if (step.excl) {
            int existing = ::shmget(key, 0, 0);
            return makeError(EEXIST, "Key " + keyText(*step.key) + " already names segment shmid " +
                                         std::to_string(existing) + "; without excl, shmget would open it.");
        }
        call.created = false;
        call.shmid = ::shmget(key, 0, 0);
    }
    if (call.shmid >= 0)
        return call;
    const int err = errno;
    if (step.hugetlb && (err == ENOMEM || err == EINVAL))
        return hugePageError(err);
    if (err == ENOSPC)
        return makeError(ENOSPC, "The kernel refused a new segment: the system-wide limit is reached. " +
                                     limitSentence(ENOSPC, "shmget"));
    return systemError(err, "shmget(" + (step.key ? keyText(*step.key) : std::string("IPC_PRIVATE")) + ", " +
                                formatSize(size) + ")");
}

nlohmann::json segmentJson(int id, int shmid, std::uint32_t key, std::uint64_t size, unsigned mode,
                           bool created) {
    return {{"id", id},     {"shmid", shmid},      {"key", keyText(key)},
            {"size", size}, {"mode", octal(mode)}, {"created", created}};
}

} // namespace

Session::Outcome Session::shmget(const Step& step) {
    Outcome o;
    const std::uint64_t size = step.size.value_or(0);
    if (auto bad = checkSegmentSize(size))
        return o.fail(*bad);
    const unsigned mode = step.mode.value_or(0600);
    auto call = callShmget(step, size, mode);
    if (!call)
        return o.fail(call.error());
    const int shmid = call->shmid;
    const bool created = call->created;
    shmid_ds ds{};
    ::shmctl(shmid, IPC_STAT, &ds);
    if (!created)
        for (const SegmentRecord& known : m_segments)
            if (known.kind == SegmentKind::Sysv && known.shmid == shmid && !known.removed) {
                // The same kernel object: one segment, as the kernel has one.
                o.data["segment"] = segmentJson(known.id, shmid, *step.key, known.size, known.mode, false);
                o.explain = "Key " + keyText(*step.key) + " already names segment " +
                            std::to_string(known.id) + " (shmid " + std::to_string(shmid) + ", made by " +
                            madeBy(ds.shm_cpid) +
                            "), so shmget returned that same segment: no new one was made.";
                return o;
            }
    SegmentRecord record;
    record.id = static_cast<int>(m_segments.size());
    record.kind = SegmentKind::Sysv;
    record.shmid = shmid;
    record.requestedKey = step.key.value_or(0);
    record.size = created ? size : ds.shm_segsz;
    record.mode = created ? mode : (ds.shm_perm.mode & 0777);
    record.created = created;
    record.hugetlb = step.hugetlb;
    m_segments.push_back(record);
    if (created)
        m_guardian.ownSysv(shmid);
    o.data["segment"] = segmentJson(record.id, shmid, record.requestedKey, record.size, record.mode, created);
    o.explain = created ? createdNarration(record, step) : openedNarration(record, step, ds.shm_cpid);
    return o;
}

std::string Session::createdNarration(const SegmentRecord& record, const Step& step) const {
    return "The kernel created System V segment " + std::to_string(record.id) + ": shmid " +
           std::to_string(record.shmid) + ", key " + (step.key ? keyText(*step.key) : "IPC_PRIVATE") + ", " +
           formatSize(record.size) + " (" + pagesText(record.size, currentPageSize()) + "), mode " +
           octal(record.mode) +
           ". No physical frame is used yet: the kernel allocates one when a page is first touched.";
}

std::string Session::openedNarration(const SegmentRecord& record, const Step& step, int creatorPid) const {
    return "Key " + keyText(*step.key) + " already existed, so shmget opened that segment as segment " +
           std::to_string(record.id) + " (shmid " + std::to_string(record.shmid) + ", " +
           formatSize(record.size) + ", made by " + madeBy(creatorPid) + ") instead of making a new one." +
           (processExists(creatorPid)
                ? ""
                : " It outlived the process that made it: System V segments persist until IPC_RMID or "
                  "reboot.");
}

bool Session::processExists(int pid) {
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

// Who a segment's creator pid (shm_cpid) is: this shmviz, one of its workers, or another process.
std::string Session::madeBy(int pid) const {
    const std::string p = "pid " + std::to_string(pid);
    if (pid == ::getpid())
        return p + ", this shmviz";
    for (const WorkerRecord& w : m_workers)
        if (w.client.pid() == pid)
            return "worker " + std::to_string(w.id) + " (" + p + ")";
    return processExists(pid) ? p + ", another running process" : p + ", which has since exited";
}

Session::Outcome Session::shmat(const Step& step, SegmentRecord& seg,
                                const std::vector<WorkerRecord*>& workers) {
    Outcome o;
    proto::AttachSysvRequest request{seg.shmid, step.rdonly ? proto::kAttachReadOnly : 0u,
                                     step.address.value_or(0), static_cast<std::uint32_t>(seg.id), 0};
    for (WorkerRecord* w : workers)
        (void)w->client.send(proto::MsgType::AttachSysv, proto::bytesOf(request));
    nlohmann::json attached = nlohmann::json::array();
    std::string where;
    for (WorkerRecord* w : workers) {
        auto reply = w->client.receive(waitBudget(kAnswerTimeout));
        std::optional<Error> failed;
        if (!reply)
            failed = reply.error();
        else if (reply->status.err) {
            const int err = reply->status.err;
            std::string doing = workerName(*w) + " calling shmat(shmid " + std::to_string(seg.shmid) +
                                (step.rdonly ? ", SHM_RDONLY)" : ")");
            Error e = systemError(err, doing);
            if (err == EINVAL || err == EIDRM) {
                shmid_ds ds{};
                if (::shmctl(seg.shmid, IPC_STAT, &ds) != 0)
                    e.message += " Segment " + std::to_string(seg.id) +
                                 " no longer exists: it was removed with "
                                 "IPC_RMID and its last attachment is gone.";
                else if (step.address)
                    e.message += " The address " + hex(*step.address) +
                                 " is not usable (it must be page aligned and "
                                 "free in that process).";
            }
            if (err == EACCES)
                e.message +=
                    " The segment's mode is " + octal(seg.mode) + " and workers run without privileges.";
            failed = e;
        } else {
            std::span<const std::uint8_t> body(reply->body);
            auto at = proto::take<proto::AttachReply>(body, "attach reply");
            if (!at)
                failed = at.error();
            else {
                w->attachments.push_back({at->attachment, seg.id, at->address, at->size, step.rdonly});
                attached.push_back({{"worker", w->id},
                                    {"va", hex(at->address)},
                                    {"size", at->size},
                                    {"rdonly", step.rdonly}});
                where += (where.empty() ? "" : ", ") + std::string("worker ") + std::to_string(w->id) +
                         " at " + hex(at->address);
            }
        }
        if (failed && !o.error)
            o.error = failed;
    }
    o.data["attached"] = attached;
    m_latest = gather();
    o.gathered = true;
    if (attached.empty())
        return o;
    std::uint64_t nattch = 0;
    for (const SegmentView& s : m_latest->segments)
        if (s.id == seg.id)
            nattch = s.nattch;
    o.explain =
        "shmat mapped segment " + std::to_string(seg.id) + " into " + where +
        (attached.size() > 1 ? ": different virtual addresses for the same segment. " : ". ") +
        "No page table entry points at a frame yet; each page becomes present when that process first "
        "touches it. The kernel's attach count (nattch) is now " +
        std::to_string(nattch) + "." +
        (step.rdonly ? " The mapping is read-only (SHM_RDONLY): a write to it faults." : "");
    return o;
}

Session::Outcome Session::shmdt(const Step& step, SegmentRecord& seg,
                                const std::vector<WorkerRecord*>& workers) {
    Outcome o;
    std::vector<int> done = detachEach(workers, seg, step, "shmdt", o.error);
    if (done.empty() && !o.error)
        o.error = makeError(EINVAL, "No running worker has segment " + std::to_string(seg.id) + " attached.");
    m_latest = gather();
    o.gathered = true;
    if (done.empty())
        return o;
    const std::string who = listWorkers(done);
    const SegmentView* after = nullptr;
    for (const SegmentView& s : m_latest->segments)
        if (s.id == seg.id)
            after = &s;
    o.data["detached"] = who;
    o.explain = "shmdt removed the mapping from " + who + ": those page table entries are gone. ";
    if (after)
        o.explain += afterDetachSentence(*after);
    return o;
}

Session::Outcome Session::rmid(const Step&, SegmentRecord& seg) {
    Outcome o;
    shmid_ds before{};
    if (::shmctl(seg.shmid, IPC_STAT, &before) != 0 && (errno == EINVAL || errno == EIDRM))
        return o.fail(makeError(errno, "Segment " + std::to_string(seg.id) + " (shmid " +
                                           std::to_string(seg.shmid) +
                                           ") no longer exists, so there is nothing to remove."));
    if (::shmctl(seg.shmid, IPC_RMID, nullptr) != 0)
        return o.fail(systemError(errno, "shmctl(shmid " + std::to_string(seg.shmid) + ", IPC_RMID)"));
    seg.removed = true;
    m_guardian.forgetSysv(seg.shmid);
    m_latest = gather();
    o.gathered = true;
    o.data["segment"] = {{"id", seg.id}, {"shmid", seg.shmid}};
    const std::uint32_t keyBefore = static_cast<std::uint32_t>(before.shm_perm.__key);
    std::uint32_t keyAfter = keyBefore;
    for (const SegmentView& s : m_latest->segments)
        if (s.id == seg.id)
            keyAfter = s.key;
    const std::string keyNote = keyBefore == 0
                                    ? "Its key was IPC_PRIVATE (0) from the start, so it still reads 0."
                                    : keyChangeSentence(keyBefore, keyAfter);
    if (before.shm_nattch > 0)
        o.explain = "shmctl(IPC_RMID) marked segment " + std::to_string(seg.id) + " for destruction. " +
                    keyNote + " The " + std::to_string(before.shm_nattch) + " attached " +
                    (before.shm_nattch == 1 ? "process keeps" : "processes keep") +
                    " using it; the kernel frees it when the last one detaches.";
    else
        o.explain = "shmctl(IPC_RMID) removed segment " + std::to_string(seg.id) +
                    " at once: nobody had it "
                    "attached, so the kernel freed it and its frames.";
    return o;
}

Session::Outcome Session::keep(const Step&, SegmentRecord& seg) {
    Outcome o;
    seg.kept = true;
    if (seg.kind == SegmentKind::Sysv)
        m_guardian.forgetSysv(seg.shmid);
    else if (!seg.path.empty())
        m_guardian.forgetFile(seg.path);
    else
        m_guardian.forgetPosix(seg.name);
    o.data["segment"] = {{"id", seg.id}, {"kept", true}};
    o.explain = "Segment " + std::to_string(seg.id) + " will stay in the kernel after this session ends" +
                (seg.kind == SegmentKind::Sysv
                     ? " (see it with ipcs -m; remove it with ipcrm -m " + std::to_string(seg.shmid) + ")"
                     : " (see it at " + (seg.path.empty() ? "/dev/shm" + seg.name : seg.path) + ")") +
                ": shared memory persists until it is removed or the machine reboots.";
    return o;
}

} // namespace shmviz::core
