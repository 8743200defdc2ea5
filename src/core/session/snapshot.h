#pragma once
// The immutable picture of a session that every face draws from. Built by the session thread from
// what the kernel reported at that moment; published as std::shared_ptr<const Snapshot>.
#include "core/kernel/page_walk.h"
#include "core/kernel/pagemap.h"
#include "core/kernel/smaps.h"
#include "core/kernel/sysvipc_shm.h"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shmviz::core {

enum class SegmentKind { Sysv, Posix };

struct SegmentView {
    int id = 0; // the session's number, 0.. in creation order
    SegmentKind kind = SegmentKind::Sysv;
    // System V
    int shmid = -1;
    std::uint32_t key = 0;          // as the kernel reports it now (0 after IPC_RMID)
    std::uint32_t requestedKey = 0; // as the session asked for it
    // POSIX
    std::string name;    // "/name"
    bool linked = false; // the name is still in /dev/shm
    std::uint64_t inode = 0;
    // Both
    std::uint64_t size = 0;   // bytes, as the kernel reports it now
    unsigned mode = 0600;     // permission bits only
    std::uint64_t nattch = 0; // System V: kernel's attach count; POSIX: mappings the session sees
    bool dest = false;        // System V: IPC_RMID given, removal waits for the last detach
    bool exists = true;       // the kernel still has it
    bool created = false;     // this session created it (so it removes it at the end)
    bool kept = false;        // the user asked to keep it after the session
    bool hugetlb = false;
    // With hugetlb: bytes per huge page (2 MiB here). Each huge page is one frame that covers
    // hugePageSize / pageSize consecutive 4 KiB slots; pagemap reports them as consecutive pfns
    // starting at a multiple of hugePageSize / pageSize, so group frames by pfn / that ratio.
    std::uint64_t hugePageSize = 0;
    int cpid = 0;
    int lpid = 0;
    // What the object holds in memory, whoever maps it: System V from /proc/sysvipc/shm (rss and
    // swap, bytes); POSIX from the tmpfs file's blocks (st_blocks * 512). Unknown when unreadable.
    bool residentKnown = false;
    std::uint64_t residentBytes = 0;
    std::uint64_t swapBytes = 0;
    bool inodeFromMaps = false; // POSIX after shm_unlink: the inode read from a worker's maps line
    // How the two above were measured, or why they are unknown: a sentence for the window and JSON.
    std::string residency;
    std::uint64_t pageCount() const;
    bool operator==(const SegmentView&) const = default;
};

struct AttachmentView {
    std::uint32_t id = 0; // the worker's attachment id
    int segment = -1;     // SegmentView::id, or -1 for a private anonymous mapping
    std::uint64_t va = 0; // start address in that worker
    std::uint64_t size = 0;
    bool rdonly = false;
    bool privateMapping = false; // MAP_PRIVATE (copy-on-write)
    bool anonymous = false;
    bool inherited = false;             // came with fork
    std::string maps;                   // the worker's /proc/self/maps line for it
    std::vector<std::uint64_t> entries; // raw pagemap entry per page
    // The worker's /proc/PID/smaps area that starts at va, read right after its report.
    std::optional<MemoryCounts> memory;
    std::uint64_t pageVa(std::size_t page) const;
    bool operator==(const AttachmentView&) const = default;
};

// A worker's own accounting, read from /proc/PID/smaps_rollup and /proc/PID/status right after its
// report, so it describes the same moment as the attachments' pagemap entries.
struct WorkerMemory {
    std::optional<MemoryCounts> total;       // smaps_rollup: the whole process
    std::optional<std::uint64_t> pageTables; // VmPTE, bytes
    std::string unreadable;                  // a sentence when something above could not be read
    bool operator==(const WorkerMemory&) const = default;
};

struct WorkerView {
    int id = 0; // 0.. in spawn order
    pid_t pid = 0;
    bool alive = true;
    std::string endedHow; // "killed by SIGKILL", "exited with status 0"; empty while alive
    int parent = -1;      // worker id this one was forked from, or -1
    // Why this snapshot has no fresh report from a live worker ("... is not answering (stopped?)
    // ..."), else empty. Its attachments are then the last ones it reported.
    std::string problem;
    int problemErr = 0; // its errno (ETIMEDOUT, EMSGSIZE, ...)
    std::vector<AttachmentView> attachments;
    WorkerMemory memory;
    bool operator==(const WorkerView&) const = default;
};

struct FrameRef {
    int worker = 0;
    std::size_t attachment = 0; // index into WorkerView::attachments
    std::uint64_t va = 0;
    bool operator==(const FrameRef&) const = default;
};

struct FrameView {
    std::uint64_t pfn = 0;
    int segment = -1;                      // -1 for anonymous memory
    std::uint64_t page = 0;                // page index within the segment (or mapping)
    std::optional<std::uint64_t> mapcount; // from /proc/kpagecount, when readable
    std::vector<FrameRef> mappedBy;
    // From /proc/kpageflags (decodeKpageFlags), when readable: every frame on screen while few
    // enough are (Snapshot::flagsVisible), else the frames of huge pages only.
    std::optional<std::uint64_t> kpageflags;
    bool operator==(const FrameView&) const = default;
};

struct Snapshot {
    std::uint64_t generation = 0; // bumps whenever the content changes
    // The generation at which the workers' attachments and page entries or the frames last changed
    // (samePages); 0 when unknown. The window's index of 2 million entries is rebuilt only then.
    std::uint64_t pagesGeneration = 0;
    // Set on the snapshot that shows workers' end at once: its pages are those of the snapshots
    // whose pagesStamp() is this, less the ended workers' attachments and references. The window
    // then drops their rows from its index instead of indexing everything again.
    std::uint64_t pagesLessEnded = 0;
    std::uint32_t pageSize = 4096;
    bool pfnVisible = false;
    std::string pfnHiddenReason; // a sentence when !pfnVisible
    bool mapcountVisible =
        false; // /proc/kpagecount was readable (root) and the frames were few enough to read
    std::vector<SegmentView> segments;
    std::vector<WorkerView> workers;
    std::vector<FrameView> frames; // sorted by (segment, page, pfn); empty when frame numbers are hidden
    std::vector<SysvShmRow> machineSegments; // every System V segment on the machine
    bool flagsVisible = false;               // /proc/kpageflags was read for the frames
    std::string flagsHiddenReason;           // a sentence when !flagsVisible
    std::optional<PagingMode> paging;        // from /proc/cpuinfo; unset when it could not be read
    std::string pagingUnknownReason;

    // Equal content, ignoring the generation counter.
    bool sameContent(const Snapshot& other) const;
    // pagesGeneration, or generation for a snapshot that does not know it.
    std::uint64_t pagesStamp() const { return pagesGeneration ? pagesGeneration : generation; }
};

// The same workers' attachments (where, which segment, every page entry) and the same frames in the
// same places mapped by the same workers: what the diagram's index is made of. Worker memory
// readings, the frames' map counts and page flags, and segment rows may differ.
bool samePages(const Snapshot& a, const Snapshot& b);

// True when the two differ at most in readings the kernel changes on its own while nothing happens
// in the session (frame map counts and page flags, the workers' and mappings' memory counters):
// what only tooltips, the memory window and the page-walk window show. Compares pagesStamp(), so
// both must come from one session's chain of snapshots.
bool differsInReadingsOnly(const Snapshot& a, const Snapshot& b);

// Page table entries reported by all these workers' attachments together.
std::size_t entryCount(const std::vector<WorkerView>& workers);

// pfn of a decoded entry, or nullopt when not present or the number is hidden.
std::optional<std::uint64_t> visiblePfn(const PageEntry& entry, bool pfnVisible);

} // namespace shmviz::core
