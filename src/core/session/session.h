#pragma once
// The session owns the workers and the segments of one run, executes steps, and gathers
// snapshots from the kernel. Single-threaded: one thread (the headless loop, or SessionRunner's
// thread) uses it. Whatever it created it removes when it ends, unless the user said keep.
#include "core/kernel/file_text.h"
#include "core/kernel/kpagecount.h"
#include "core/kernel/kpageflags.h"
#include "core/kernel/page_walk.h"
#include "core/session/page_facts.h"
#include "core/session/session_options.h"
#include "core/session/snapshot.h"
#include "core/session/step_reply.h"
#include "core/steps/step.h"
#include "core/wire/guardian_link.h"
#include "core/wire/worker_client.h"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace shmviz::core {

class Session {
  public:
    explicit Session(SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Parses and runs one line; the reply carries the snapshot taken after it.
    StepReply execute(std::string_view line);
    StepReply run(const Step& step);

    // Gathers a fresh snapshot from the workers and the kernel.
    std::shared_ptr<const Snapshot> refresh();
    // CPU time the session's helper threads have used so far (a refresh's cost counts it).
    std::chrono::nanoseconds helperCpu() const { return m_helperCpu; }
    std::shared_ptr<const Snapshot> latest() const { return m_latest; }
    // What the cheap checks watch, taken into the last snapshot without asking any worker for its
    // page tables: workers that ended, the session's segments, the machine's System V table.
    std::shared_ptr<const Snapshot> quickRefresh();
    // True when a quick snapshot showed a worker's end without the page tables that end changed:
    // the runner gathers a full snapshot next.
    bool pagesStale() const { return m_pagesStale; }
    // While idle, for large snapshots: copies the latest one ahead of time, so that the quick
    // snapshot showing what others did (a worker's end, a shmat, an ipcrm) is that copy, edited,
    // instead of a copy made after the change (tens of ms at 2 million entries). Waits until the latest one
    // has been current for a moment, so the window draws it first. Also frees the snapshot quickRefresh()
    // replaced.
    void prepareSpare();

    // Cheap check, for the runner between full snapshots: true when a worker ended, or
    // /proc/sysvipc/shm or the names in /dev/shm changed since the last call (session_watch.cpp).
    bool outsideChanged();
    // What the runner waits on while idle, valid until the next call or end(): one pidfd per live
    // worker, readable once it ends.
    std::vector<int> watchFds();

    // Stops the workers and removes what the session created and did not keep. Idempotent.
    void end();

    static constexpr std::uint64_t kMaxWorkers = 64; // per session, forked ones included

    // How long the session waits for workers. A stopped worker is not waited for at all (see
    // WorkerClient::receive); these bound a worker that runs but does not answer.
    static constexpr std::chrono::milliseconds kAnswerTimeout{10'000}; // one reply
    static constexpr std::chrono::milliseconds kTouchTimeout{60'000};  // touching many pages
    static constexpr std::chrono::milliseconds kStepBound{60'000};     // every wait of one step together
    static constexpr std::chrono::milliseconds kReportBound{10'000};   // every report of one snapshot

    int failures() const { return m_failures; }
    const std::string& workerPath() const { return m_options.workerPath; }

  private:
    struct SegmentRecord {
        int id = 0;
        SegmentKind kind = SegmentKind::Sysv;
        int shmid = -1;
        std::uint32_t requestedKey = 0;
        std::string name; // POSIX
        std::string path; // POSIX on hugetlbfs: the file's path on that mount (else /dev/shm + name)
        std::uint64_t size = 0;
        unsigned mode = 0600;
        bool created = false;
        bool kept = false;
        bool removed = false; // IPC_RMID or shm_unlink issued
        bool hugetlb = false;
    };
    struct AttachmentRef {
        std::uint32_t id = 0; // the worker's id for it
        int segment = -1;
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        bool rdonly = false;
        bool privateMapping = false; // MAP_PRIVATE or anonymous: writes copy on write
    };
    struct WorkerRecord {
        int id = 0;
        WorkerClient client;
        int parent = -1;
        std::vector<AttachmentRef> attachments;
    };
    struct Outcome {
        std::optional<Error> error;
        nlohmann::json data = nlohmann::json::object();
        StepResult result;
        std::string explain;
        bool quit = false;
        bool gathered = false; // the handler already refreshed m_latest after acting
        bool endsScript = false;

        // Records the failure and hands the outcome back: `if (!x) return o.fail(x.error());`.
        Outcome&& fail(Error e) {
            error = std::move(e);
            return std::move(*this);
        }
    };

    // The page a step addresses (pageAccess, session_page_access.cpp).
    struct PageAccess {
        SegmentRecord& segment;
        WorkerRecord& worker;
        // A copy of the worker's attachment of `segment` that at= chose: the handler gathers a
        // snapshot, and gathering drops the records of a worker that died meanwhile.
        AttachmentRef ref;
        std::uint64_t page = 0;
        std::uint64_t va = 0; // the page's address in the worker
        std::uint32_t pageSize = 0;
    };

    // [SECTION] dispatch and shared helpers (session.cpp)
    Outcome dispatch(const Step& step);
    // Handlers of steps that address a segment, its workers, or one page get them resolved here:
    // a lookup that fails is the step's error, and the handler does not run.
    using SegmentHandler = Outcome (Session::*)(const Step&, SegmentRecord&);
    using TargetsHandler = Outcome (Session::*)(const Step&, SegmentRecord&,
                                                const std::vector<WorkerRecord*>&);
    using PageHandler = Outcome (Session::*)(const Step&, const PageAccess&);
    using WorkerHandler = Outcome (Session::*)(const Step&, WorkerRecord&);
    Outcome withSegment(const Step& step, Result<SegmentRecord*> segment, SegmentHandler handler);
    Outcome withTargets(const Step& step, Result<SegmentRecord*> segment, TargetsHandler handler);
    Outcome withPage(const Step& step, PageHandler handler);
    Outcome withWorker(const Step& step, WorkerHandler handler); // the step's worker
    Outcome say(const Step& step);
    Outcome snapshotStep(const Step& step); // the `snapshot` step: a fresh snapshot and what changed
    Outcome quit();
    Result<SegmentRecord*> segmentFor(const Step& step);
    // segmentFor, refusing a segment of the other kind with "Segment N is a ...; <instead>."
    Result<SegmentRecord*> segmentOfKind(const Step& step, SegmentKind kind, const std::string& instead);
    Result<std::vector<WorkerRecord*>> workersFor(const WorkerTarget& target);
    Result<WorkerRecord*> workerAt(int index);
    Result<AttachmentRef*> attachmentFor(WorkerRecord& worker, const SegmentRecord& segment,
                                         std::optional<int> which, bool newestByDefault);
    std::string workerName(const WorkerRecord& w) const;
    // ENOMEM: the sentence for a std::bad_alloc caught at the step boundary.
    static Error outOfMemory();
    // `wanted`, cut to what is left of this step's kStepBound.
    std::chrono::milliseconds waitBudget(std::chrono::milliseconds wanted) const;
    std::uint32_t currentPageSize() const { return m_latest ? m_latest->pageSize : 4096; }
    // Asks each worker to undo its chosen attachment of `seg` (the worker calls shmdt or munmap),
    // collects every reply, and returns the ids of the workers that let go. The first failure
    // lands in `error`; `call` names the system call in it.
    std::vector<int> detachEach(const std::vector<WorkerRecord*>& workers, const SegmentRecord& seg,
                                const Step& step, const char* call, std::optional<Error>& error);

    // [SECTION] workers (session_workers.cpp)
    Outcome spawn(const Step& step);
    Outcome kill(const Step& step, WorkerRecord& worker);
    Outcome help();

    // [SECTION] System V (session_sysv.cpp)
    Outcome shmget(const Step& step);
    std::string createdNarration(const SegmentRecord& record, const Step& step) const;
    // shmget found the key in use (not a segment of this session): what it opened, and who made it.
    std::string openedNarration(const SegmentRecord& record, const Step& step, int creatorPid) const;
    Outcome shmat(const Step& step, SegmentRecord& seg, const std::vector<WorkerRecord*>& workers);
    Outcome shmdt(const Step& step, SegmentRecord& seg, const std::vector<WorkerRecord*>& workers);
    Outcome rmid(const Step& step, SegmentRecord& seg);
    Outcome keep(const Step& step, SegmentRecord& seg);
    std::string
    madeBy(int pid) const; // "pid 812, this shmviz", "worker 1 (pid 9)", "pid 7, which has since exited"
    static bool processExists(int pid);

    // [SECTION] pages (session_pages.cpp)
    Outcome touch(const Step& step, SegmentRecord& seg, const std::vector<WorkerRecord*>& workers);
    struct PendingTouch { // a Touch request sent to a worker, its reply not yet read
        WorkerRecord* worker;
        AttachmentRef ref;
        std::uint64_t first;
        std::uint64_t count;
    };
    // Sends a Touch to each worker that has `seg` attached; the first failure lands in `error`.
    std::vector<PendingTouch> sendTouches(const std::vector<WorkerRecord*>& workers, const SegmentRecord& seg,
                                          const Step& step, std::optional<Error>& error);
    // Reads their replies; returns the touches that succeeded. The first failure lands in `error`.
    std::vector<PendingTouch> collectTouches(const std::vector<PendingTouch>& pending,
                                             const SegmentRecord& seg, std::optional<Error>& error);
    // What one worker's touch did, from `before` and m_latest; ends with a space.
    std::string touchNarration(const Snapshot* before, const SegmentRecord& seg, const PendingTouch& p) const;
    Outcome write(const Step& step, const PageAccess& access);
    Outcome read(const Step& step, const PageAccess& access);

    // [SECTION] POSIX (session_posix.cpp)
    Outcome shmOpen(const Step& step);
    // The POSIX object ftruncate and mmap act on: they open it by name, so an unlinked one is refused.
    Result<SegmentRecord*> openablePosix(const Step& step);
    Outcome ftruncate(const Step& step, SegmentRecord& seg);
    Outcome mmap(const Step& step, SegmentRecord& seg);
    Outcome munmap(const Step& step, SegmentRecord& seg);
    Outcome shmUnlink(const Step& step, SegmentRecord& seg);
    Error mapFailure(int err, const WorkerRecord& w, const SegmentRecord& seg, const Step& step) const;
    static std::string mmapNarration(const SegmentRecord& seg, const Step& step, const std::string& where,
                                     std::size_t mappings);

    // [SECTION] fork and private anonymous memory (session_fork.cpp)
    Outcome fork(const Step& step, WorkerRecord& parent);
    Outcome anon(const Step& step, WorkerRecord& worker);

    // [SECTION] the page a step addresses, and what happened to it (session_page_access.cpp)
    // seg= (or anon), the worker, at= and the page, checked against the attachment's length.
    Result<PageAccess> pageAccess(const Step& step);
    Error pageOutOfRange(std::uint64_t page, const SegmentRecord& segment, std::uint64_t pages) const;
    Result<SegmentRecord*> pageSegmentFor(const Step& step); // like segmentFor, and seg=anon
    std::string segmentLabel(const SegmentRecord& segment) const;
    // The error for a worker lost while touching a page: SIGBUS past a shrunk object is explained.
    Error lostDuringAccess(const WorkerRecord& w, const SegmentRecord& segment, const Error& cause,
                           std::optional<std::uint64_t> page) const;
    // A sentence on copy-on-write when a write to a private page moved it to another frame; else "".
    std::string privateWriteNote(const Snapshot& before, const WorkerRecord& w, const AttachmentRef& ref,
                                 std::uint64_t page) const;
    // The error a worker's failed page access reports: SIGSEGV caught, past the end, or errno.
    Error faultError(const WorkerRecord& w, const WorkerReply& reply, const std::string& doing) const;

    // [SECTION] requirements of a lesson (session_require.cpp)
    Outcome require(const Step& step);

    // [SECTION] predict, then reveal (session_ask.cpp)
    Outcome ask(const Step& step);
    // The true answer to the pending question from the snapshots around the step that followed it.
    nlohmann::json answer(const Step& question, const Snapshot& before, const Snapshot& after,
                          const nlohmann::json& stepData);

    // [SECTION] labs (session_labs.cpp)
    Outcome lab(const Step& step);

    // [SECTION] snapshot (session_snapshot.cpp)
    std::shared_ptr<const Snapshot> gather();
    struct ReportWait { // gather(): a worker asked for its report, or why it could not be
        bool asked = false;
        std::optional<Error> problem;
    };
    std::vector<ReportWait> askReports(); // one per worker in m_workers
    // The worker's view: its report if it was asked (waiting until `deadline`), else the last one.
    WorkerView collectReport(WorkerRecord& w, ReportWait& wait,
                             std::chrono::steady_clock::time_point deadline);
    void readSegmentViews(Snapshot& snap) const;   // the segments, the System V table, the paging mode
    void readFrames(Snapshot& snap);               // frames from the page tables, their counts and flags
    std::shared_ptr<const Snapshot> quickGather(); // quickRefresh(): no worker reads its page tables
    std::shared_ptr<Snapshot> copyOfLatest();      // the spare when it is of m_latest, else a copy
    std::shared_ptr<const Snapshot> withMachineTable(std::vector<SysvShmRow> rows);
    void dropEnded(Snapshot& snap, const std::set<int>& ended) const;
    std::vector<SegmentView> segmentViews(const std::vector<SysvShmRow>& rows) const;
    bool mapcountsDue() const;
    // Map counts from /proc/kpagecount, read only for frames that are new or mapped differently
    // since the last snapshot (all of them after an outside attach or detach).
    void readMapcounts(Snapshot& snap);
    // Reads one worker's answer to the Report request gather() sent it.
    Result<std::vector<AttachmentView>> receiveReport(WorkerRecord& w, std::chrono::milliseconds timeout);
    void readFrameFlags(Snapshot& snap) const;
    SegmentView viewOf(const SegmentRecord& segment, const std::vector<SysvShmRow>& rows) const;

    // [SECTION] watching for outside changes (session_watch.cpp; outsideChanged and watchFds above)
    void closeWatches();
    bool sysvChanged();  // one of the session's System V segments attached, detached or removed
    bool namesChanged(); // one of the session's POSIX names removed, replaced or resized since the last look

    SessionOptions m_options;
    GuardianLink m_guardian;
    KpageCount m_kpagecount;
    KpageCount m_kpageflags{"/proc/kpageflags"};
    Result<PagingMode> m_paging = readPagingMode();
    std::vector<SegmentRecord> m_segments;
    SegmentRecord m_anonSegment; // id -1: what seg=anon addresses, each worker's private anonymous memory
    std::vector<WorkerRecord> m_workers;
    std::map<std::pair<int, std::uint64_t>, WrittenBy>
        m_written; // (segment, page): last text stored in a shared page
    std::shared_ptr<const Snapshot> m_latest;
    std::shared_ptr<Snapshot> m_spare;         // prepareSpare(): a copy of m_latest, or null
    std::shared_ptr<const Snapshot> m_retired; // replaced by quickRefresh(), freed by prepareSpare()
    std::uint64_t m_spareOf = 0;               // the generation it copies
    std::uint64_t m_latestSeen = 0;            // prepareSpare(): m_latest's generation when last looked at
    std::chrono::steady_clock::time_point m_latestSeenAt;
    static constexpr std::size_t kSpareEntries = 256 * 1024; // smaller snapshots copy in a few ms
    static constexpr std::chrono::milliseconds kSpareDelay{250};
    std::optional<Step> m_question; // an `ask` waiting for the next step to answer it
    std::uint64_t m_generation = 0;
    // Map counts of unchanged frames are read again this often (outside mappings change them).
    static constexpr std::chrono::seconds kMapcountRecount{15};
    std::chrono::steady_clock::time_point m_mapcountsReadAt;
    // Rows of other programs' segments reach the snapshot at most this often (withMachineTable).
    static constexpr std::chrono::seconds kMachineTableInterval{5};
    std::chrono::steady_clock::time_point m_machineTableAt;
    int m_stepNumber = 0;
    std::chrono::steady_clock::time_point m_stepDeadline = std::chrono::steady_clock::time_point::max();
    int m_failures = 0;
    bool m_ended = false;
    std::map<pid_t, int> m_pidfds;               // watchFds()
    std::set<pid_t> m_endedPids;                 // their pidfd fired: not watched again
    RereadFile m_sysvTable{"/proc/sysvipc/shm"}; // read by the check when IPC_STAT is refused
    std::string m_watchedSysv;                   // the session's System V segments, as last seen
    std::string m_watchedNames;                  // and the session's POSIX names, as stat found them
    bool m_pagesStale = false;                   // pagesStale()
    std::chrono::nanoseconds m_helperCpu{0};     // helperCpu()
};

} // namespace shmviz::core
