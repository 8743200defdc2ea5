#include "core/session/memory_readings.h"

#include "core/base/two_threads.h"
#include "core/kernel/proc_status.h"
#include "core/steps/units.h"

#include <atomic>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::core {

namespace {
constexpr std::size_t kTwoThreadEntries = std::size_t{1} << 16; // from 256 MiB mapped, smaps take two threads
} // namespace

void readWorkerMemory(WorkerView& worker) {
    WorkerMemory& m = worker.memory;
    m = {};
    if (!worker.alive || worker.pid <= 0)
        return;
    std::string problems;
    if (auto rollup = readSmapsRollup(worker.pid))
        m.total = *rollup;
    else
        problems += rollup.error().message + " ";
    if (auto pte = readVmPte(worker.pid))
        m.pageTables = *pte;
    else
        problems += pte.error().message + " ";
    if (!worker.attachments.empty()) {
        if (auto areas = readSmaps(worker.pid)) {
            for (AttachmentView& a : worker.attachments)
                for (const SmapsArea& area : *areas)
                    if (area.start == a.va)
                        a.memory = area.counts;
        } else {
            problems += areas.error().message + " ";
        }
    }
    if (!problems.empty())
        problems.pop_back();
    m.unreadable = std::move(problems);
}

std::string pageTableGrowth(const Snapshot* before, const Snapshot& after, int worker) {
    const auto pte = [worker](const Snapshot* s) -> std::optional<std::uint64_t> {
        if (s)
            for (const WorkerView& w : s->workers)
                if (w.id == worker)
                    return w.memory.pageTables;
        return std::nullopt;
    };
    const auto was = pte(before), now = pte(&after);
    if (!was || !now)
        return "";
    if (*was == *now)
        return "Its page tables (VmPTE) stayed at " + formatSize(*now) + ". ";
    return std::string("Its page tables (VmPTE) ") + (*now > *was ? "grew" : "shrank") + " from " +
           formatSize(*was) + " to " + formatSize(*now) + ". ";
}

namespace {

// tmpfs: mincore on a read-only shared mapping of the object asks the page cache which of its pages
// are in memory, without faulting any in (mincore(2)). st_blocks counts every page the object
// holds, in memory or in swap, so the difference is what is in swap.
void posixResidency(SegmentView& s, const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        s.residency = systemError(errno, "Opening " + path + " to measure its residency").message;
        return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        s.residency = systemError(errno, "fstat on " + path).message;
        ::close(fd);
        return;
    }
    const std::uint64_t allocated = static_cast<std::uint64_t>(st.st_blocks) * 512;
    if (s.hugetlb) {
        // Huge pages never go to swap; hugetlbfs counts each one in the file's blocks when it is made.
        s.residentKnown = true;
        s.residentBytes = allocated;
        s.swapBytes = 0;
        s.residency = "fstat: blocks the hugetlbfs file holds (huge pages are never swapped)";
        ::close(fd);
        return;
    }
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    const long page = sysconf(_SC_PAGESIZE);
    std::uint64_t resident = 0;
    if (size > 0) {
        void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED) {
            s.residency = systemError(errno, "mmap of " + path + " to measure its residency").message;
            ::close(fd);
            return;
        }
        std::vector<unsigned char> vec((size + static_cast<std::uint64_t>(page) - 1) / page);
        const int rc = ::mincore(map, size, vec.data());
        const int err = errno;
        ::munmap(map, size);
        if (rc != 0) {
            s.residency = systemError(err, "mincore on " + path).message;
            ::close(fd);
            return;
        }
        for (unsigned char v : vec)
            resident += (v & 1) ? static_cast<std::uint64_t>(page) : 0;
    }
    ::close(fd);
    s.residentKnown = true;
    s.residentBytes = resident;
    s.swapBytes = allocated > resident ? allocated - resident : 0;
    s.residency = "mincore over the object's pages; swapped = blocks held (fstat) minus resident";
}

} // namespace

std::chrono::nanoseconds readWorkersMemory(std::vector<WorkerView>& workers) {
    std::atomic<std::size_t> next{0}; // both threads take the next worker until none is left
    return onTwoThreads(workers.size() > 1 && entryCount(workers) >= kTwoThreadEntries, [&](int) {
        for (std::size_t i; (i = next++) < workers.size();)
            readWorkerMemory(workers[i]);
    });
}

void readSegmentResidency(SegmentView& s, const std::vector<SysvShmRow>& rows, const std::string& posixPath) {
    if (!s.exists) {
        s.residency = "The kernel no longer has this object.";
        return;
    }
    if (s.kind == SegmentKind::Sysv) {
        for (const SysvShmRow& r : rows)
            if (r.shmid == s.shmid) {
                s.residentKnown = true;
                s.residentBytes = r.rss;
                s.swapBytes = r.swap;
                s.residency = "rss and swap of its row in /proc/sysvipc/shm";
                return;
            }
        s.residency = "Its row is missing from /proc/sysvipc/shm.";
        return;
    }
    if (!s.linked) {
        s.residency = "The name is gone (shm_unlink), so shmviz cannot open the object to measure it; "
                      "the workers' smaps still show what they map.";
        return;
    }
    posixResidency(s, posixPath);
}

} // namespace shmviz::core
