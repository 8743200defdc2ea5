#include "core/base/memory_reserve.h"
#include "core/base/two_threads.h"
#include "core/kernel/pagemap_helper_status.h"
#include "core/kernel/proc_maps.h"
#include "core/kernel/system_limits.h"
#include "core/session/frame_index.h"
#include "core/session/memory_readings.h"
#include "core/session/session.h"

#include <algorithm>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

constexpr std::size_t kTwoThreadFrames = std::size_t{1} << 16; // dropEnded splits its work from here

std::string hiddenReason(const std::string& why) {
    return "Frame numbers are hidden: " + why +
           ". Addresses, present bits and attach counts are still real; the kernel shows frame numbers in "
           "/proc/PID/pagemap only to a reader that held CAP_SYS_ADMIN when it opened the file.";
}

void residentFromRows(SegmentView& v, const std::vector<SysvShmRow>& rows) {
    for (const SysvShmRow& r : rows)
        if (r.shmid == v.shmid) {
            v.residentKnown = true;
            v.residentBytes = r.rss;
            v.swapBytes = r.swap;
        }
}

// After shm_unlink the name is gone, but every mapping still names the object's inode:
// "7f..-7f.. rw-s 00000000 00:1a 1234   /dev/shm/name (deleted)" (proc(5)).
void inodesFromMaps(Snapshot& snap) {
    for (SegmentView& seg : snap.segments) {
        if (seg.kind != SegmentKind::Posix || seg.linked)
            continue;
        for (const WorkerView& w : snap.workers)
            for (const AttachmentView& a : w.attachments)
                if (a.segment == seg.id && seg.inode == 0)
                    if (auto line = parseMapsLine(a.maps); line && line->inode != 0) {
                        seg.inode = line->inode;
                        seg.inodeFromMaps = true;
                    }
    }
}

// kpageflags of the frames of hugetlb segments: the JSON shows the head and tails of each huge page.
void readHugeFlags(Snapshot& snap, const KpageCount& kpageflags) {
    const bool anyHuge = std::any_of(snap.segments.begin(), snap.segments.end(),
                                     [](const SegmentView& s) { return s.hugetlb; });
    if (!anyHuge || !kpageflags.readable() || !snap.pfnVisible)
        return;
    std::vector<std::size_t> which;
    std::vector<std::uint64_t> pfns;
    for (std::size_t i = 0; i < snap.frames.size(); ++i)
        for (const SegmentView& s : snap.segments)
            if (s.id == snap.frames[i].segment && s.hugetlb) {
                which.push_back(i);
                pfns.push_back(snap.frames[i].pfn);
            }
    const auto flags = kpageflags.counts(pfns);
    for (std::size_t k = 0; k < which.size(); ++k)
        snap.frames[which[k]].kpageflags = flags[k];
}

// Whether the workers' pagemaps show frame numbers: the snapshot shows them only when all do.
struct FrameVisibility {
    bool anyHidden = false;
    bool anyVisible = false;
    std::string why; // the first hidden worker's reason

    void note(const WorkerClient& client) {
        const auto access = static_cast<proto::PagemapAccess>(client.hello().pagemapAccess);
        (access == proto::PagemapAccess::FramesVisible ? anyVisible : anyHidden) = true;
        if (access != proto::PagemapAccess::FramesVisible && why.empty())
            why = access == proto::PagemapAccess::Unreadable
                      ? "worker pid " + std::to_string(client.pid()) + " could not open its pagemap (" +
                            errnoName(client.hello().pagemapErrno) + ")"
                      : std::string(client.hello().pagemapReason);
    }

    void apply(Snapshot& snap, const std::string& workerPath) {
        if (!anyVisible && !anyHidden)
            why = predictHiddenReason(workerPath);
        snap.pfnVisible = anyVisible ? !anyHidden : why.empty();
        if (!snap.pfnVisible)
            snap.pfnHiddenReason =
                hiddenReason(why.empty() ? "a worker could not get a pagemap that shows them" : why);
    }
};

} // namespace

SegmentView Session::viewOf(const SegmentRecord& seg, const std::vector<SysvShmRow>& rows) const {
    SegmentView v;
    v.id = seg.id;
    v.kind = seg.kind;
    v.shmid = seg.shmid;
    v.requestedKey = seg.requestedKey;
    v.name = seg.name;
    v.size = seg.size;
    v.mode = seg.mode;
    v.created = seg.created;
    v.kept = seg.kept;
    v.hugetlb = seg.hugetlb;
    if (seg.hugetlb)
        v.hugePageSize = readHugePages().sizeBytes;
    if (seg.kind == SegmentKind::Sysv) {
        shmid_ds ds{};
        if (::shmctl(seg.shmid, IPC_STAT, &ds) == 0) {
            v.key = static_cast<std::uint32_t>(ds.shm_perm.__key);
            v.mode = ds.shm_perm.mode & 0777;
            v.dest = ds.shm_perm.mode & SHM_DEST;
            v.nattch = ds.shm_nattch;
            v.size = ds.shm_segsz;
            v.cpid = ds.shm_cpid;
            v.lpid = ds.shm_lpid;
            v.exists = true;
            residentFromRows(v, rows);
            return v;
        }
        const int err = errno;
        v.exists = false;
        if (err == EACCES || err == EPERM) {
            for (const SysvShmRow& r : rows)
                if (r.shmid == seg.shmid) {
                    v.exists = true;
                    v.key = r.key32();
                    v.mode = r.perms & 0777;
                    v.dest = r.dest();
                    v.nattch = r.nattch;
                    v.size = r.size;
                    v.cpid = r.cpid;
                    v.lpid = r.lpid;
                }
            residentFromRows(v, rows);
        }
        if (!v.exists)
            v.key = 0;
        return v;
    }
    // POSIX: the name lives in /dev/shm (a tmpfs); mappings keep the memory after the name is gone.
    struct stat st {};
    v.linked =
        !seg.removed && ::stat((seg.path.empty() ? "/dev/shm" + seg.name : seg.path).c_str(), &st) == 0;
    if (v.linked) {
        v.size = static_cast<std::uint64_t>(st.st_size);
        v.inode = st.st_ino;
        v.mode = st.st_mode & 0777;
        // tmpfs counts a file's blocks as its pages in memory or in swap.
        v.residentKnown = true;
        v.residentBytes = static_cast<std::uint64_t>(st.st_blocks) * 512;
    }
    std::uint64_t mappings = 0;
    for (const WorkerRecord& w : m_workers)
        if (w.client.alive())
            for (const AttachmentRef& a : w.attachments)
                mappings += a.segment == seg.id ? 1 : 0;
    v.nattch = mappings;
    v.exists = v.linked || mappings > 0;
    return v;
}

// The session's segments as the kernel shows them now, with how their residency was measured. The
// quick and the full snapshot must build them alike, or each would replace the other's picture.
std::vector<SegmentView> Session::segmentViews(const std::vector<SysvShmRow>& rows) const {
    std::vector<SegmentView> out;
    for (const SegmentRecord& s : m_segments) {
        out.push_back(viewOf(s, rows));
        readSegmentResidency(out.back(), rows, s.path.empty() ? "/dev/shm" + s.name : s.path);
    }
    return out;
}

// On a shared machine other programs' segments come and go all the time (tests run in a loop); each
// renewed table costs the window a redraw, so rows that concern no segment of the session reach
// the snapshot at most every kMachineTableInterval. The session's own rows are in its segments.
std::shared_ptr<const Snapshot> Session::withMachineTable(std::vector<SysvShmRow> rows) {
    const auto now = std::chrono::steady_clock::now();
    if (rows == m_latest->machineSegments || now - m_machineTableAt < kMachineTableInterval)
        return m_latest;
    m_machineTableAt = now;
    auto renewed = copyOfLatest();
    renewed->machineSegments = std::move(rows);
    renewed->generation = ++m_generation;
    return renewed;
}

// A worker that ended maps nothing any more: its view says how it ended, its attachments go, and so
// do its references from the frames (a frame nobody in the session maps leaves, as in buildFrames).
void Session::dropEnded(Snapshot& snap, const std::set<int>& ended) const {
    for (WorkerView& view : snap.workers) {
        if (!ended.count(view.id))
            continue;
        view.alive = false;
        for (const WorkerRecord& w : m_workers)
            if (w.id == view.id)
                view.endedHow = w.client.endedHow();
        view.attachments.clear();
        view.problem.clear();
        view.problemErr = 0;
        readWorkerMemory(view);
    }
    // Two million references at 1 GiB x 8: a flag per worker id, not a set lookup each.
    std::vector<char> endedId(static_cast<std::size_t>(ended.empty() ? 0 : std::max(0, *ended.rbegin() + 1)),
                              0);
    for (int id : ended)
        if (id >= 0)
            endedId[static_cast<std::size_t>(id)] = 1;
    auto gone = [&](const FrameRef& r) {
        return r.worker >= 0 && static_cast<std::size_t>(r.worker) < endedId.size() &&
               endedId[static_cast<std::size_t>(r.worker)];
    };
    const auto dropRefs = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            std::vector<FrameRef>& refs = snap.frames[i].mappedBy;
            refs.erase(std::remove_if(refs.begin(), refs.end(), gone), refs.end());
        }
    };
    // They are cold in memory (tens of MB, copied seconds ago) and the window waits for them: the
    // two cores take half each (the UI thread has nothing to draw until this is published).
    const std::size_t n = snap.frames.size();
    onTwoThreads(n >= kTwoThreadFrames,
                 [&](int part) { part == 0 ? dropRefs(0, n / 2) : dropRefs(n / 2, n); });
    snap.frames.erase(std::remove_if(snap.frames.begin(), snap.frames.end(),
                                     [](const FrameView& f) { return f.mappedBy.empty(); }),
                      snap.frames.end());
}

std::shared_ptr<const Snapshot> Session::quickGather() {
    if (!m_latest)
        return gather();
    std::set<int> ended;
    for (const WorkerView& view : m_latest->workers)
        for (WorkerRecord& w : m_workers)
            if (w.id == view.id && view.alive && (w.client.pollExit(), !w.client.alive())) {
                w.attachments.clear();
                ended.insert(w.id);
            }
    std::vector<SysvShmRow> rows;
    if (auto read = readSysvShm())
        rows = std::move(*read);
    std::vector<SegmentView> segments = segmentViews(rows);
    if (ended.empty() && segments == m_latest->segments)
        return withMachineTable(std::move(rows));
    auto snap = copyOfLatest();
    snap->machineSegments = std::move(rows);
    snap->segments = std::move(segments);
    if (!ended.empty()) {
        // The window learns of the end at once; what it changes in the survivors' entries (bit 56,
        // exclusively mapped) comes with the full snapshot that follows.
        dropEnded(*snap, ended);
        snap->pagesLessEnded = m_latest->pagesStamp();
        m_pagesStale = true;
        readFrameFlags(*snap);
    }
    inodesFromMaps(*snap);
    if (snap->mapcountVisible)
        readMapcounts(*snap);
    readHugeFlags(*snap, m_kpageflags);
    if (ended.empty() && snap->sameContent(*m_latest)) // an ended worker's view differs anyway
        return m_latest;
    m_machineTableAt = std::chrono::steady_clock::now();
    snap->generation = ++m_generation;
    if (!ended.empty())
        snap->pagesGeneration = snap->generation;
    return snap;
}

std::shared_ptr<Snapshot> Session::copyOfLatest() {
    if (m_spare && m_spareOf == m_latest->generation) {
        m_spareOf = 0;
        return std::exchange(m_spare, nullptr);
    }
    return std::make_shared<Snapshot>(*m_latest);
}

void Session::prepareSpare() {
    m_retired.reset();
    if (!m_latest)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (m_latest->generation != m_latestSeen) {
        m_latestSeen = m_latest->generation;
        m_latestSeenAt = now;
        m_spare.reset();
        m_spareOf = 0;
        return;
    }
    if (entryCount(m_latest->workers) < kSpareEntries || m_spareOf == m_latest->generation ||
        now - m_latestSeenAt < kSpareDelay)
        return;
    m_spareOf = m_latest->generation; // tried once per snapshot, whether it fits or not
    try {
        m_spare = std::make_shared<Snapshot>(*m_latest);
    } catch (const std::bad_alloc&) {
        m_spare.reset(); // memory is short: the quick snapshot copies when it needs to, as before
        refillMemoryReserve();
    }
}

bool Session::mapcountsDue() const {
    return m_latest && m_latest->mapcountVisible &&
           std::chrono::steady_clock::now() - m_mapcountsReadAt >= kMapcountRecount;
}

void Session::readMapcounts(Snapshot& snap) {
    // A frame keeps its last count while the frame, its mappers in the session and its segment's
    // row (nattch: an outside shmat/shmdt) are unchanged. Outside mappings that change no row (an
    // mmap of a POSIX object, a fork elsewhere) show up at the next recount, kMapcountRecount later.
    const bool reuse = m_latest && m_latest->mapcountVisible && !mapcountsDue();
    std::set<int> moved; // segments whose view changed since the last snapshot
    for (const SegmentView& s : snap.segments)
        if (!m_latest ||
            std::find(m_latest->segments.begin(), m_latest->segments.end(), s) == m_latest->segments.end())
            moved.insert(s.id);
    auto key = [](const FrameView& f) { return std::tuple(static_cast<unsigned>(f.segment), f.page, f.pfn); };
    std::vector<std::uint64_t> pfns;
    std::vector<std::size_t> unread;
    std::size_t old = 0;
    for (std::size_t i = 0; i < snap.frames.size(); ++i) {
        FrameView& f = snap.frames[i];
        if (reuse && !moved.count(f.segment)) {
            const auto& before = m_latest->frames;
            while (old < before.size() && key(before[old]) < key(f))
                ++old;
            if (old < before.size() && key(before[old]) == key(f) && before[old].mappedBy == f.mappedBy) {
                f.mapcount = before[old].mapcount;
                continue;
            }
        }
        pfns.push_back(f.pfn);
        unread.push_back(i);
    }
    if (!reuse)
        m_mapcountsReadAt = std::chrono::steady_clock::now();
    if (pfns.empty())
        return;
    auto counts = m_kpagecount.counts(pfns);
    for (std::size_t i = 0; i < counts.size(); ++i)
        snap.frames[unread[i]].mapcount = counts[i];
}

Result<std::vector<AttachmentView>> Session::receiveReport(WorkerRecord& w,
                                                           std::chrono::milliseconds timeout) {
    auto reply = w.client.receive(timeout);
    if (!reply)
        return reply.error();
    if (reply->status.err)
        return systemError(reply->status.err, workerName(w) + " reading its page tables for a report");
    auto attachments = proto::decodeReport(reply->body);
    if (!attachments)
        return attachments.error();
    std::vector<AttachmentView> out;
    for (proto::Attachment& a : *attachments) {
        AttachmentView av;
        av.id = a.id;
        av.segment = (a.flags & proto::kAttachAnon) ? -1 : static_cast<int>(a.segmentTag);
        av.va = a.address;
        av.size = a.size;
        av.rdonly = a.flags & proto::kAttachReadOnly;
        av.privateMapping = a.flags & proto::kAttachPrivate;
        av.anonymous = a.flags & proto::kAttachAnon;
        av.inherited = a.flags & proto::kAttachInherited;
        av.maps = std::move(a.maps);
        av.entries = std::move(a.entries);
        out.push_back(std::move(av));
    }
    return out;
}

// Flags are read for the same frames as the map counts: the ones the snapshot shows.
void Session::readFrameFlags(Snapshot& snap) const {
    if (!snap.pfnVisible) {
        snap.flagsHiddenReason = "Frame flags need frame numbers, and those are hidden.";
        return;
    }
    if (!m_kpageflags.readable()) {
        snap.flagsHiddenReason =
            m_kpageflags.whyUnreadable().message +
            " Only root may read /proc/kpageflags (mode 0400), so frame flags stay hidden.";
        return;
    }
    if (m_kpagecount.readable() && !snap.mapcountVisible && !snap.frames.empty()) {
        snap.flagsHiddenReason = "There are too many frames on screen to read their flags at every refresh.";
        return;
    }
    snap.flagsVisible = true;
    std::vector<std::uint64_t> pfns;
    pfns.reserve(snap.frames.size());
    for (const FrameView& f : snap.frames)
        pfns.push_back(f.pfn);
    auto flags = m_kpageflags.counts(pfns);
    for (std::size_t i = 0; i < flags.size(); ++i)
        snap.frames[i].kpageflags = flags[i];
}

std::shared_ptr<const Snapshot> Session::gather() {
    m_pagesStale = false;
    auto snap = std::make_shared<Snapshot>();
    snap->pageSize = static_cast<std::uint32_t>(sysconf(_SC_PAGESIZE));
    // Ask every live worker for its report first, then collect: they read their pagemaps in parallel.
    std::vector<ReportWait> waits = askReports();
    const auto deadline = std::chrono::steady_clock::now() + kReportBound;
    FrameVisibility visibility;
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        snap->workers.push_back(collectReport(m_workers[i], waits[i], deadline));
        if (snap->workers.back().alive)
            visibility.note(m_workers[i].client);
    }
    m_helperCpu += readWorkersMemory(snap->workers);
    visibility.apply(*snap, m_options.workerPath);
    readSegmentViews(*snap);

    // An idle refresh usually finds every page table unchanged. Frames are a function of the page
    // tables, so when nothing they depend on moved, the previous frames are still the truth, map
    // counts included until their recount is due (see readMapcounts). Segments of other programs
    // changing (on a shared machine, all the time) only renews the machine's table.
    if (m_latest && m_latest->pfnVisible == snap->pfnVisible && m_latest->workers == snap->workers &&
        m_latest->segments == snap->segments && !mapcountsDue())
        return withMachineTable(std::move(snap->machineSegments));

    readFrames(*snap);
    if (m_latest && m_latest->sameContent(*snap))
        return m_latest;
    snap->generation = ++m_generation;
    snap->pagesGeneration =
        m_latest && samePages(*m_latest, *snap) ? m_latest->pagesStamp() : snap->generation;
    return snap;
}

std::vector<Session::ReportWait> Session::askReports() {
    std::vector<ReportWait> waits(m_workers.size());
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        WorkerRecord& w = m_workers[i];
        w.client.pollExit();
        if (!w.client.alive())
            continue;
        if (auto sent = w.client.send(proto::MsgType::Report, {}); sent)
            waits[i].asked = true;
        else
            waits[i].problem = sent.error();
    }
    return waits;
}

WorkerView Session::collectReport(WorkerRecord& w, ReportWait& wait,
                                  std::chrono::steady_clock::time_point deadline) {
    WorkerView view;
    view.id = w.id;
    view.pid = w.client.pid();
    view.parent = w.parent;
    if (wait.asked) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto attachments = receiveReport(w, std::max(left, std::chrono::milliseconds(0)));
        if (attachments)
            view.attachments = std::move(*attachments);
        else
            wait.problem = attachments.error();
    }
    w.client.pollExit();
    view.alive = w.client.alive();
    view.endedHow = view.alive ? "" : w.client.endedHow();
    if (!view.alive)
        w.attachments.clear();
    if (view.alive && wait.problem) {
        view.problem = wait.problem->message;
        view.problemErr = wait.problem->err;
        if (m_latest)
            for (const WorkerView& old : m_latest->workers)
                if (old.id == w.id)
                    view.attachments = old.attachments;
    }
    return view;
}

void Session::readSegmentViews(Snapshot& snap) const {
    if (auto rows = readSysvShm())
        snap.machineSegments = std::move(*rows);
    snap.segments = segmentViews(snap.machineSegments);
    inodesFromMaps(snap);
    if (m_paging)
        snap.paging = *m_paging;
    else
        snap.pagingUnknownReason = m_paging.error().message;
}

void Session::readFrames(Snapshot& snap) {
    buildFrames(snap);
    // /proc/kpagecount is read in runs across physical memory; for many scattered frames that walk
    // costs more than the rest of the snapshot, so past kMaxMapcountFrames the counts stay unread.
    constexpr std::size_t kMaxMapcountFrames = 16384;
    snap.mapcountVisible =
        m_kpagecount.readable() && snap.pfnVisible && snap.frames.size() <= kMaxMapcountFrames;
    if (snap.mapcountVisible)
        readMapcounts(snap);
    readHugeFlags(snap, m_kpageflags);
    readFrameFlags(snap);
}

} // namespace shmviz::core
