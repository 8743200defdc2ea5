#include "core/session/name_json.h"
#include "core/session/session.h"

#include "core/kernel/hugetlbfs.h"
#include "core/kernel/posix_name.h"
#include "core/kernel/system_limits.h"
#include "core/session/narration.h"
#include "core/session/page_facts.h"
#include "core/steps/units.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

// /dev/shm is a tmpfs: a file may be made larger than the tmpfs (ftruncate only sets the size),
// but the pages past what it can hold could never be stored, and touching them gets SIGBUS.
std::optional<Error> checkObjectSize(std::uint64_t size) {
    struct statvfs fs {};
    if (::statvfs("/dev/shm", &fs) == 0) {
        const std::uint64_t capacity = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
        if (capacity > 0 && size > capacity)
            return makeError(ENOSPC, "An object of " + formatSize(size) +
                                         " is larger than /dev/shm can hold (" + formatSize(capacity) +
                                         ", set when that tmpfs was mounted).");
    }
    if (auto total = readMemTotal(); total && size > *total)
        return makeError(ENOMEM, "An object of " + formatSize(size) +
                                     " is larger than this machine's memory (" + formatSize(*total) +
                                     "), so its pages could never all be touched.");
    return std::nullopt;
}

Error noHugePages(int err, std::uint64_t needed) {
    HugePageInfo huge = readHugePages();
    return makeError(err, "No huge pages can back it: it needs " + std::to_string(needed) + " of " +
                              formatSize(huge.sizeBytes) + ", and " + std::to_string(huge.free) + " of " +
                              std::to_string(huge.total) +
                              " huge pages are free (/proc/meminfo). Reserve some once "
                              "with `sudo sysctl vm.nr_hugepages=64`.");
}

// Where the object will live and how large it will be: /dev/shm, or a file on hugetlbfs whose
// size is rounded up to whole huge pages.
struct PosixPlace {
    std::string path;       // the hugetlbfs file, else empty (the object lives in /dev/shm)
    std::uint64_t size = 0; // what ftruncate sets when shm_open creates it
    std::uint64_t huge = 0; // the huge page size on hugetlbfs, else 0
};

Result<PosixPlace> placeFor(const Step& step) {
    const std::string& name = step.word;
    if (auto valid = checkPosixName(name); !valid)
        return valid.error();
    if (step.size && *step.size == 0)
        return makeError(EINVAL,
                         "size=0 makes an empty object; leave size out to create it empty, or give at "
                         "least 1 byte.");
    PosixPlace place{"", step.size.value_or(0), 0};
    if (!step.hugetlb) {
        if (auto bad = checkObjectSize(place.size))
            return *bad;
        return place;
    }
    const HugePageInfo info = readHugePages();
    place.huge = info.sizeBytes;
    if (place.huge == 0)
        return makeError(ENOTSUP, "This kernel reports no huge page size in /proc/meminfo, so it has no huge "
                                  "pages to offer.");
    place.size = (std::max<std::uint64_t>(place.size, 1) + place.huge - 1) / place.huge * place.huge;
    auto mount = readHugetlbfsMount();
    const std::string mountHint = "mount hugetlbfs once with `" + std::string(kMountHugetlbfsCommand) + "`";
    if (place.size / place.huge > info.free) {
        Error e = noHugePages(ENOMEM, place.size / place.huge);
        if (!mount)
            e.message += " Also, no hugetlbfs is mounted: " + mountHint + ".";
        return e;
    }
    if (!mount)
        return makeError(ENODEV,
                         "No hugetlbfs is mounted (there is none in /proc/mounts), so there is no file "
                         "system whose files are backed by huge pages; " +
                             mountHint + ".");
    place.path = *mount + name;
    if (place.path.size() > proto::kMaxName)
        return makeError(ENAMETOOLONG, "The path " + place.path + " is longer than the " +
                                           std::to_string(proto::kMaxName) + " characters a worker accepts.");
    return place;
}

struct OpenedObject {
    bool created = true;
    struct stat st {};
    std::string note; // appended to the explanation
};

// Opens the object, creating it when it does not exist yet (then with exactly `mode` and
// `place.size`); excl refuses an existing one.
Result<OpenedObject> openObject(const Step& step, const PosixPlace& place, unsigned mode) {
    const std::string& name = step.word;
    const std::string& path = place.path;
    OpenedObject opened;
    auto openIt = [&](int flags, mode_t m) {
        return path.empty() ? ::shm_open(name.c_str(), flags, m) : ::open(path.c_str(), flags | O_CLOEXEC, m);
    };
    int fd = openIt(O_RDWR | O_CREAT | O_EXCL, mode);
    if (fd < 0 && errno == EEXIST) {
        if (step.excl)
            return makeError(EEXIST, name + " already exists" +
                                         (path.empty() ? " in /dev/shm" : " at " + path) +
                                         "; without excl, shm_open would open it.");
        opened.created = false;
        fd = openIt(O_RDWR, 0);
    }
    if (fd < 0) {
        const int err = errno;
        if (err == EACCES)
            return makeError(EACCES, name +
                                         " exists but its mode does not let shmviz open it for reading and "
                                         "writing.");
        return systemError(err, std::string(path.empty() ? "shm_open(" : "open(") +
                                    (path.empty() ? name : path) + ")");
    }
    if (opened.created) {
        // shm_open applies the umask like open(2); set exactly the mode asked for, as shmget would.
        ::fchmod(fd, mode);
        if (place.size > 0 && ::ftruncate(fd, static_cast<off_t>(place.size)) != 0) {
            const int err = errno;
            ::close(fd);
            path.empty() ? ::shm_unlink(name.c_str()) : ::unlink(path.c_str());
            return step.hugetlb ? noHugePages(err, place.size / place.huge)
                                : systemError(err, "ftruncate(" + name + ", " + formatSize(place.size) + ")");
        }
    } else if (step.size) {
        opened.note =
            " It was not resized: size= applies only when shm_open creates the object; use ftruncate.";
    }
    ::fstat(fd, &opened.st);
    ::close(fd);
    return opened;
}

} // namespace

Session::Outcome Session::shmOpen(const Step& step) {
    Outcome o;
    const std::string& name = step.word;
    const unsigned mode = step.mode.value_or(0600);
    auto place = placeFor(step);
    if (!place)
        return o.fail(place.error());
    auto opened = openObject(step, *place, mode);
    if (!opened)
        return o.fail(opened.error());
    const std::string& path = place->path;
    const std::uint64_t huge = place->huge;
    const bool created = opened->created;
    const struct stat& st = opened->st;
    const std::string& note = opened->note;

    SegmentRecord record;
    record.id = static_cast<int>(m_segments.size());
    record.kind = SegmentKind::Posix;
    record.name = name;
    record.path = path;
    record.size = static_cast<std::uint64_t>(st.st_size);
    record.mode = st.st_mode & 0777;
    record.created = created;
    record.hugetlb = step.hugetlb;
    m_segments.push_back(record);
    if (created)
        path.empty() ? m_guardian.ownPosix(name) : m_guardian.ownFile(path);

    o.data["segment"] = {{"id", record.id},
                         {"size", record.size},
                         {"mode", octal(record.mode)},
                         {"inode", static_cast<std::uint64_t>(st.st_ino)},
                         {"created", created}};
    putPosixName(o.data["segment"], name);
    if (!path.empty())
        o.data["segment"]["path"] = path;
    const std::string where =
        path.empty() ? "/dev/shm" + name + " (a file on a tmpfs, inode " + std::to_string(st.st_ino) + ")"
                     : path + " (a file on hugetlbfs, inode " + std::to_string(st.st_ino) + ")";
    if (!created) {
        o.explain = name + " already existed, so shm_open opened it instead of making a new one: " + where +
                    ", " + formatSize(record.size) + ", mode " + octal(record.mode) +
                    ". Like a System V segment, a POSIX "
                    "object outlives the process that made it, until shm_unlink or reboot." +
                    note;
        return o;
    }
    o.explain = "shm_open created POSIX object " + std::to_string(record.id) + ", " + name + ": " + where +
                ", mode " + octal(record.mode) + ". Unlike a System V key, the name lives in a file system.";
    if (record.size == 0)
        o.explain += " It is 0 bytes long: give it a size with ftruncate before mapping it.";
    else if (step.hugetlb)
        o.explain += " ftruncate made it " + formatSize(record.size) + ": " +
                     std::to_string(record.size / huge) + " huge page(s) of " + formatSize(huge) +
                     " (sizes on hugetlbfs are whole huge pages). Each will "
                     "be one frame covering " +
                     std::to_string(huge / 4096) + " slots of 4 KiB.";
    else
        o.explain += " ftruncate made it " + formatSize(record.size) + " (" +
                     pagesText(record.size, currentPageSize()) +
                     "). No frame is used yet: the kernel allocates one when a page is first touched.";
    return o;
}

// ftruncate and mmap open the object by its name again, which shm_unlink took away.
Result<Session::SegmentRecord*> Session::openablePosix(const Step& step) {
    const bool map = step.verb == Verb::Mmap;
    auto segment =
        segmentOfKind(step, SegmentKind::Posix,
                      map ? "attach it with shmat" : "its size was fixed by shmget and cannot change");
    if (!segment || !(*segment)->removed)
        return segment;
    return makeError(ENOENT,
                     (*segment)->name +
                         (map ? " was unlinked: its name is gone, so no process can open it to map it. "
                                "Mappings made before keep working."
                              : " was unlinked, so shmviz cannot open it again to resize it (a program "
                                "that kept its descriptor open still could)."));
}

Session::Outcome Session::ftruncate(const Step& step, SegmentRecord& seg) {
    Outcome o;
    std::uint64_t size = step.size.value_or(0);
    std::uint64_t huge = 0;
    if (seg.hugetlb) {
        huge = readHugePages().sizeBytes;
        if (huge)
            size = (size + huge - 1) / huge * huge;
    } else if (auto bad = checkObjectSize(size)) {
        o.error = *bad;
        return o;
    }
    const int fd = seg.path.empty() ? ::shm_open(seg.name.c_str(), O_RDWR, 0)
                                    : ::open(seg.path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        o.error = err == ENOENT
                      ? makeError(ENOENT, seg.name + " no longer exists: someone else removed its name.")
                      : systemError(err, "Opening " + seg.name + " to resize it");
        return o;
    }
    const std::uint64_t old = seg.size;
    const int rc = ::ftruncate(fd, static_cast<off_t>(size));
    const int err = errno;
    struct stat st {};
    ::fstat(fd, &st);
    ::close(fd);
    if (rc != 0)
        return o.fail(systemError(err, "ftruncate(" + seg.name + ", " + formatSize(size) + ")"));
    seg.size = static_cast<std::uint64_t>(st.st_size);
    o.data["segment"] = {{"id", seg.id}, {"old_size", old}, {"size", seg.size}};
    putPosixName(o.data["segment"], seg.name);
    std::uint64_t mappings = 0;
    for (const WorkerRecord& w : m_workers)
        if (w.client.alive())
            for (const AttachmentRef& a : w.attachments)
                mappings += a.segment == seg.id ? 1 : 0;
    const std::string rounded = seg.hugetlb && step.size && size != *step.size
                                    ? " (rounded up to whole huge pages of " + formatSize(huge) + ")"
                                    : "";
    if (seg.size > old)
        o.explain =
            "ftruncate grew " + seg.name + " from " + formatSize(old) + " to " + formatSize(seg.size) +
            rounded +
            ": the new pages read as zeros and get a frame when first touched. Existing mappings keep the "
            "length they were made with; map again to reach the new pages.";
    else if (seg.size < old)
        o.explain = "ftruncate shrank " + seg.name + " from " + formatSize(old) + " to " +
                    formatSize(seg.size) + rounded +
                    ": the kernel dropped the pages past the new end, freed their frames and removed them "
                    "from every page table that mapped them." +
                    (mappings ? " The " + std::to_string(mappings) +
                                    " mapping(s) keep their old length, so touching "
                                    "a page past the end now gets SIGBUS: there is nothing behind it."
                              : "");
    else
        o.explain =
            seg.name + " already was " + formatSize(seg.size) + rounded + "; ftruncate changed nothing.";
    return o;
}

// The sentence for a worker's failed mmap of `seg`, with what the errno means here.
Error Session::mapFailure(int err, const WorkerRecord& w, const SegmentRecord& seg, const Step& step) const {
    Error e = systemError(err, workerName(w) + " mapping " + seg.name +
                                   (step.privateMapping ? " (MAP_PRIVATE)" : " (MAP_SHARED)"));
    if (err == ENOENT)
        e.message +=
            " Its name is gone from " + std::string(seg.path.empty() ? "/dev/shm" : "hugetlbfs") + ".";
    else if (err == EACCES)
        e.message += " The object's mode is " + octal(seg.mode) + " and workers run without privileges.";
    else if (err == ENOMEM && seg.hugetlb)
        e = noHugePages(ENOMEM, seg.size / std::max<std::uint64_t>(readHugePages().sizeBytes, 1));
    else if (err == EINVAL && step.address)
        e.message += " The address " + hex(*step.address) + " must be page aligned" +
                     (seg.hugetlb ? " (huge page aligned on hugetlbfs)." : ".");
    return e;
}

// What mmap did, for `mappings` new mappings at `where`.
std::string Session::mmapNarration(const SegmentRecord& seg, const Step& step, const std::string& where,
                                   std::size_t mappings) {
    std::string text = "mmap mapped " + seg.name + " (" + formatSize(seg.size) + ") into " + where +
                       (mappings > 1 ? ": different virtual addresses for the same object. " : ". ");
    if (step.privateMapping)
        text +=
            "MAP_PRIVATE: reads see the object's own frames, but the first write to a page gives this "
            "process "
            "a copy of its own in a new frame (copy-on-write); the object and every other mapping never see "
            "that write. ";
    else
        text +=
            "MAP_SHARED: every shared mapping reaches the object's own pages, so a write by one is seen by "
            "all. ";
    text += "The worker closed its descriptor right after mmap; the mapping alone keeps the object in use. " +
            newMappingSentence(seg.hugetlb);
    if (step.rdonly)
        text += " The mapping is read-only (PROT_READ): a write to it faults.";
    if (seg.hugetlb)
        text += " It is backed by huge pages: the first touch maps a whole " +
                formatSize(readHugePages().sizeBytes) + " frame at once.";
    return text;
}

Session::Outcome Session::mmap(const Step& step, SegmentRecord& seg) {
    Outcome o;
    struct stat st {};
    if (::stat((seg.path.empty() ? "/dev/shm" + seg.name : seg.path).c_str(), &st) == 0)
        seg.size = static_cast<std::uint64_t>(st.st_size);
    if (seg.size == 0) {
        o.error =
            makeError(EINVAL, seg.name + " is 0 bytes long, so there is nothing to map; give it a size first "
                                         "with ftruncate.");
        return o;
    }
    auto workers = workersFor(step.worker);
    if (!workers)
        return o.fail(workers.error());
    proto::MapPosixRequest request{};
    const std::string& opened = seg.path.empty() ? seg.name : seg.path;
    std::memcpy(request.name, opened.c_str(), std::min(opened.size(), proto::kMaxName));
    request.length = seg.size;
    request.addressHint = step.address.value_or(0);
    request.flags = (step.rdonly ? proto::kAttachReadOnly : 0u) |
                    (step.privateMapping ? proto::kAttachPrivate : 0u) |
                    (seg.path.empty() ? 0u : proto::kAttachHugetlb);
    request.segmentTag = static_cast<std::uint32_t>(seg.id);
    for (WorkerRecord* w : *workers)
        (void)w->client.send(proto::MsgType::MapPosix, proto::bytesOf(request));
    nlohmann::json mapped = nlohmann::json::array();
    std::string where;
    for (WorkerRecord* w : *workers) {
        auto reply = w->client.receive(waitBudget(kAnswerTimeout));
        std::optional<Error> failed;
        if (!reply) {
            failed = reply.error();
        } else if (reply->status.err) {
            failed = mapFailure(reply->status.err, *w, seg, step);
        } else {
            std::span<const std::uint8_t> body(reply->body);
            auto at = proto::take<proto::AttachReply>(body, "map reply");
            if (!at) {
                failed = at.error();
            } else {
                w->attachments.push_back(
                    {at->attachment, seg.id, at->address, at->size, step.rdonly, step.privateMapping});
                mapped.push_back({{"worker", w->id},
                                  {"va", hex(at->address)},
                                  {"size", at->size},
                                  {"rdonly", step.rdonly},
                                  {"private", step.privateMapping}});
                where += (where.empty() ? "" : ", ") + std::string("worker ") + std::to_string(w->id) +
                         " at " + hex(at->address);
            }
        }
        if (failed && !o.error)
            o.error = failed;
    }
    o.data["mapped"] = mapped;
    m_latest = gather();
    o.gathered = true;
    if (mapped.empty())
        return o;
    o.explain = mmapNarration(seg, step, where, mapped.size());
    return o;
}

Session::Outcome Session::munmap(const Step& step, SegmentRecord& seg) {
    Outcome o;
    if (seg.id >= 0 && seg.kind != SegmentKind::Posix) {
        o.error = makeError(EINVAL, "Segment " + std::to_string(seg.id) +
                                        " is a System V segment; detach it with "
                                        "shmdt.");
        return o;
    }
    auto workers = workersFor(step.worker);
    if (!workers)
        return o.fail(workers.error());
    std::vector<int> done = detachEach(*workers, seg, step, "munmap", o.error);
    if (done.empty() && !o.error)
        o.error = makeError(EINVAL, "No running worker has " + segmentLabel(seg) + " mapped.");
    m_latest = gather();
    o.gathered = true;
    if (done.empty())
        return o;
    o.data["unmapped"] = done;
    o.explain =
        "munmap removed the mapping from " + listWorkers(done) + ": those page table entries are gone. ";
    if (seg.id < 0) {
        o.explain +=
            "Private anonymous pages belong to no object: a frame no page table maps any more is freed now; "
            "one a forked relative still maps stays with it.";
        return o;
    }
    std::uint64_t left = 0;
    for (const SegmentView& s : m_latest->segments)
        if (s.id == seg.id)
            left = s.nattch;
    if (seg.removed && left == 0)
        o.explain +=
            "That was the last mapping of an unlinked object, and nobody holds a descriptor to it, so the "
            "kernel freed it and its frames now.";
    else if (seg.removed)
        o.explain += seg.name + " is unlinked; the kernel frees it when the last of its " +
                     std::to_string(left) + " remaining mapping(s) goes.";
    else
        o.explain += "The object and its data stay in " +
                     std::string(seg.path.empty() ? "/dev/shm" : "hugetlbfs") + " until shm_unlink" +
                     (left ? ", and " + std::to_string(left) + " mapping(s) remain." : ".");
    return o;
}

Session::Outcome Session::shmUnlink(const Step&, SegmentRecord& seg) {
    Outcome o;
    if (seg.removed) {
        o.error = makeError(ENOENT, seg.name + " was already unlinked; its name is gone.");
        return o;
    }
    const int rc = seg.path.empty() ? ::shm_unlink(seg.name.c_str()) : ::unlink(seg.path.c_str());
    if (rc != 0) {
        const int err = errno;
        o.error = err == ENOENT
                      ? makeError(ENOENT, seg.name + " no longer exists: someone else removed its name.")
                      : systemError(err, "shm_unlink(" + seg.name + ")");
        if (err == ENOENT)
            seg.removed = true;
        return o;
    }
    seg.removed = true;
    seg.path.empty() ? m_guardian.forgetPosix(seg.name) : m_guardian.forgetFile(seg.path);
    m_latest = gather();
    o.gathered = true;
    std::uint64_t mappings = 0;
    for (const SegmentView& s : m_latest->segments)
        if (s.id == seg.id)
            mappings = s.nattch;
    o.data["segment"] = {{"id", seg.id}, {"mappings", mappings}};
    putPosixName(o.data["segment"], seg.name);
    const std::string dir = seg.path.empty() ? "/dev/shm" : "its hugetlbfs mount";
    if (mappings > 0)
        o.explain = "shm_unlink removed the name " + seg.name + " from " + dir +
                    ": no process can open it any more. "
                    "The " +
                    std::to_string(mappings) +
                    " existing mapping(s) keep working on the same frames; the "
                    "kernel frees the memory when the last one is unmapped (as after IPC_RMID, but the name "
                    "is gone at "
                    "once rather than the key turning to 0).";
    else
        o.explain = "shm_unlink removed " + seg.name + " from " + dir +
                    ". Nobody had it mapped, so the kernel freed "
                    "it and its pages at once.";
    return o;
}

} // namespace shmviz::core
