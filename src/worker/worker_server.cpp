#include "worker/worker_server.h"

#include "core/kernel/file_text.h"
#include "core/kernel/pagemap.h"
#include "core/kernel/pagemap_scan.h"
#include "core/kernel/proc_maps.h"
#include "core/wire/channel.h"
#include "core/wire/fd_passing.h"
#include "worker/fault_guard.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace shmviz::worker {

using namespace core::proto;

WorkerServer::WorkerServer(int socketFd, PagemapHandle pagemap)
    : m_socket(socketFd), m_pagemap(std::move(pagemap)),
      m_pageSize(static_cast<std::uint32_t>(sysconf(_SC_PAGESIZE))) {
    // SHMVIZ_PAGEMAP_READ=pread: read every entry with pread, as on kernels before PAGEMAP_SCAN
    // (for tests and benchmarks of both paths).
    if (const char* how = std::getenv("SHMVIZ_PAGEMAP_READ"); how && std::strcmp(how, "pread") == 0)
        m_pagemapRead = core::PagemapRead::Pread;
    // A touch past the end of a shrunk object must end this process with SIGBUS, as it would any
    // program; sanitizer runtimes install a handler for it that would exit instead, so undo that.
    signal(SIGBUS, SIG_DFL);
}

int WorkerServer::serve() {
    for (;;) {
        auto request = receiveMessage(m_socket, false, std::chrono::milliseconds(-1));
        if (!request)
            return request.error().err == ECONNRESET ? 0 : 3;
        Reply reply = handle(*request);
        if (std::exchange(m_skipReply, false))
            continue; // a freshly forked child: its parent answers; it serves its own socket from now on
        Bytes payload;
        append(payload, reply.status);
        payload.insert(payload.end(), reply.body.begin(), reply.body.end());
        if (!sendMessage(m_socket, request->type(), true, request->header.seq, payload))
            return 0;
        if (m_fdToPass >= 0) {
            const bool passed = core::sendFd(m_socket, m_fdToPass).ok();
            close(std::exchange(m_fdToPass, -1));
            if (!passed)
                return 0;
        }
        if (request->type() == MsgType::Quit)
            return 0;
    }
}

WorkerServer::Reply WorkerServer::fail(int err) const {
    Reply r;
    r.status.err = err;
    return r;
}

Mapping* WorkerServer::find(std::uint32_t id) {
    auto it =
        std::find_if(m_mappings.begin(), m_mappings.end(), [&](const Mapping& m) { return m.id == id; });
    return it == m_mappings.end() ? nullptr : &*it;
}

WorkerServer::Reply WorkerServer::handle(const Message& request) {
    std::span<const std::uint8_t> payload(request.payload);
    switch (request.type()) {
    case MsgType::Hello:
        return hello();
    case MsgType::AttachSysv:
        return attachSysv(payload);
    case MsgType::MapPosix:
        return mapPosix(payload);
    case MsgType::Detach:
        return detach(payload);
    case MsgType::Touch:
        return touch(payload);
    case MsgType::Write:
        return write(payload);
    case MsgType::Read:
        return read(payload);
    case MsgType::Report:
        return report();
    case MsgType::Fork:
        return forkChild();
    case MsgType::AnonMap:
        return anonMap(payload);
    case MsgType::Quit:
        return {};
    default:
        return fail(ENOSYS);
    }
}

WorkerServer::Reply WorkerServer::hello() {
    Reply r;
    HelloReply h{
        kVersion, getpid(), m_pageSize, static_cast<std::uint32_t>(m_pagemap.access), m_pagemap.openErrno,
        1u, // main() ended the process before this point if it held any capability
        {}};
    m_pagemap.reason.copy(h.pagemapReason, sizeof h.pagemapReason - 1);
    append(r.body, h);
    return r;
}

WorkerServer::Reply WorkerServer::attached(const Mapping& m) {
    Reply r;
    append(r.body, AttachReply{m.id, 0, m.address, m.size});
    return r;
}

static std::uint64_t mappingSizeFromMaps(std::uint64_t address) {
    auto text = core::readFileText("/proc/self/maps");
    if (!text)
        return 0;
    auto lines = core::parseMaps(*text);
    if (!lines)
        return 0;
    const core::MapsLine* line = core::findMapping(*lines, address);
    return line ? line->end - address : 0;
}

WorkerServer::Reply WorkerServer::attachSysv(std::span<const std::uint8_t> payload) {
    auto req = take<AttachSysvRequest>(payload, "attach");
    if (!req)
        return fail(EPROTO);
    const int flags = (req->flags & kAttachReadOnly) ? SHM_RDONLY : 0;
    void* at = shmat(req->shmid, reinterpret_cast<void*>(req->addressHint), flags);
    if (at == reinterpret_cast<void*>(-1))
        return fail(errno);
    shmid_ds ds{};
    std::uint64_t size = shmctl(req->shmid, IPC_STAT, &ds) == 0 ? ds.shm_segsz : 0;
    if (size == 0)
        size = mappingSizeFromMaps(reinterpret_cast<std::uint64_t>(at));
    if (pagesCovering(size, m_pageSize) > kMaxReportPages) {
        shmdt(at);
        return fail(EFBIG);
    }
    Mapping m{m_nextId++,
              req->segmentTag,
              req->shmid,
              req->flags & kAttachReadOnly,
              reinterpret_cast<std::uint64_t>(at),
              size};
    m_mappings.push_back(m);
    return attached(m);
}

WorkerServer::Reply WorkerServer::mapPosix(std::span<const std::uint8_t> payload) {
    auto req = take<MapPosixRequest>(payload, "map");
    if (!req)
        return fail(EPROTO);
    if (std::memchr(req->name, 0, sizeof req->name) == nullptr)
        return fail(ENAMETOOLONG);
    const bool rdonly = req->flags & kAttachReadOnly;
    const bool priv = req->flags & kAttachPrivate;
    const bool hugetlb = req->flags & kAttachHugetlb;
    int fd = hugetlb ? open(req->name, (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC)
                     : shm_open(req->name, rdonly ? O_RDONLY : O_RDWR, 0);
    if (fd < 0)
        return fail(errno);
    std::uint64_t length = req->length;
    if (length == 0) {
        struct stat st {};
        if (fstat(fd, &st) == 0)
            length = static_cast<std::uint64_t>(st.st_size);
    }
    if (length == 0 || pagesCovering(length, m_pageSize) > kMaxReportPages) {
        close(fd);
        return fail(length == 0 ? EINVAL : EFBIG);
    }
    const int prot = rdonly ? PROT_READ : PROT_READ | PROT_WRITE;
    void* at =
        mmap(reinterpret_cast<void*>(req->addressHint), length, prot, priv ? MAP_PRIVATE : MAP_SHARED, fd, 0);
    const int err = errno;
    close(fd);
    if (at == MAP_FAILED)
        return fail(err);
    Mapping m{m_nextId++,
              req->segmentTag,
              -1,
              (req->flags & (kAttachReadOnly | kAttachPrivate | kAttachHugetlb)) | kAttachPosix,
              reinterpret_cast<std::uint64_t>(at),
              length};
    m_mappings.push_back(m);
    return attached(m);
}

WorkerServer::Reply WorkerServer::detach(std::span<const std::uint8_t> payload) {
    auto req = take<DetachRequest>(payload, "detach");
    if (!req)
        return fail(EPROTO);
    Mapping* m = find(req->attachment);
    if (!m)
        return fail(ENOENT);
    const int rc = (m->flags & (kAttachPosix | kAttachAnon))
                       ? munmap(reinterpret_cast<void*>(m->address), m->size)
                       : shmdt(reinterpret_cast<void*>(m->address));
    if (rc != 0)
        return fail(errno);
    std::erase_if(m_mappings, [&](const Mapping& x) { return x.id == req->attachment; });
    return {};
}

static WorkerServer::Reply faultReply(const Fault& fault, int err) {
    WorkerServer::Reply r{};
    r.status.err = err;
    r.status.signal = fault.signal;
    r.status.signalCode = fault.code;
    r.status.faultAddress = fault.address;
    return r;
}

WorkerServer::Reply WorkerServer::touch(std::span<const std::uint8_t> payload) {
    auto req = take<TouchRequest>(payload, "touch");
    if (!req || req->access > static_cast<std::uint32_t>(TouchAccess::Read))
        return fail(EPROTO);
    Mapping* m = find(req->attachment);
    if (!m)
        return fail(ENOENT);
    if (!pageRunInRange(req->firstPage, req->pageCount, pagesCovering(m->size, m_pageSize)))
        return fail(ERANGE);
    auto* base = reinterpret_cast<unsigned char*>(m->address) + req->firstPage * m_pageSize;
    const std::uint64_t count = req->pageCount;
    const std::uint32_t step = m_pageSize;
    Fault fault;
    if (req->access == static_cast<std::uint32_t>(TouchAccess::Write)) {
        // An atomic add of zero is a write access that keeps whatever the page holds.
        fault = runGuarded([&] {
            for (std::uint64_t i = 0; i < count; ++i)
                __atomic_fetch_add(base + i * step, 0, __ATOMIC_RELAXED);
        });
    } else {
        fault = runGuarded([&] {
            for (std::uint64_t i = 0; i < count; ++i)
                (void)*static_cast<volatile unsigned char*>(base + i * step);
        });
    }
    if (fault.signal)
        return faultReply(fault, EFAULT);
    return {};
}

WorkerServer::Reply WorkerServer::write(std::span<const std::uint8_t> payload) {
    auto req = take<WriteRequest>(payload, "write");
    if (!req)
        return fail(EPROTO);
    if (req->textLength > kMaxText || payload.size() != req->textLength)
        return fail(EPROTO);
    Mapping* m = find(req->attachment);
    if (!m)
        return fail(ENOENT);
    if (!fullPageInRange(req->page, m->size, m_pageSize) || req->textLength >= m_pageSize)
        return fail(ERANGE);
    auto* dest = reinterpret_cast<char*>(m->address) + req->page * m_pageSize;
    const char* text = reinterpret_cast<const char*>(payload.data());
    const std::uint32_t length = req->textLength;
    Fault fault = runGuarded([&] {
        std::memcpy(dest, text, length);
        dest[length] = '\0';
    });
    if (fault.signal)
        return faultReply(fault, EFAULT);
    return {};
}

WorkerServer::Reply WorkerServer::read(std::span<const std::uint8_t> payload) {
    auto req = take<ReadRequest>(payload, "read");
    if (!req)
        return fail(EPROTO);
    Mapping* m = find(req->attachment);
    if (!m)
        return fail(ENOENT);
    if (!fullPageInRange(req->page, m->size, m_pageSize))
        return fail(ERANGE);
    const std::uint32_t limit = std::min<std::uint32_t>(req->maxLength, static_cast<std::uint32_t>(kMaxText));
    const auto* src = reinterpret_cast<const volatile char*>(m->address + req->page * m_pageSize);
    std::string text;
    Fault fault = runGuarded([&] {
        for (std::uint32_t i = 0; i < limit && i < m_pageSize; ++i) {
            char c = src[i];
            if (c == '\0')
                break;
            text.push_back(c);
        }
    });
    if (fault.signal)
        return faultReply(fault, EFAULT);
    Reply r;
    r.body.assign(text.begin(), text.end());
    return r;
}

WorkerServer::Reply WorkerServer::report() {
    auto mapsText = core::readFileText("/proc/self/maps");
    std::vector<core::MapsLine> lines;
    if (mapsText)
        if (auto parsed = core::parseMaps(*mapsText))
            lines = std::move(*parsed);
    std::vector<Attachment> out;
    out.reserve(m_mappings.size());
    std::uint64_t budget = kMaxReportPages;
    for (const Mapping& m : m_mappings) {
        Attachment a{m, {}, {}}; // the maps line and the pagemap entries follow
        if (const core::MapsLine* line = core::findMapping(lines, m.address))
            a.maps = line->text.substr(0, kMaxText);
        a.entries.resize(std::min<std::uint64_t>(pagesCovering(m.size, m_pageSize), budget));
        budget -= a.entries.size();
        if (m_pagemap.fd >= 0 && !a.entries.empty()) {
            bool scanned = false;
            if (!core::readPagemapEntries(m_pagemap.fd, m.address / m_pageSize, a.entries, m_pageSize,
                                          m_pagemapRead, &scanned))
                std::fill(a.entries.begin(), a.entries.end(), 0);
            else if (!scanned)
                m_pagemapRead = core::PagemapRead::Pread; // no PAGEMAP_SCAN here: not asked again
        }
        out.push_back(std::move(a));
    }
    Reply r;
    r.body = encodeReport(getpid(), out);
    return r;
}

WorkerServer::Reply WorkerServer::anonMap(std::span<const std::uint8_t> payload) {
    auto req = take<AnonMapRequest>(payload, "anon");
    if (!req)
        return fail(EPROTO);
    if (req->pages == 0 || req->pages > (std::uint64_t{1} << 30) / m_pageSize)
        return fail(EINVAL);
    const std::uint64_t length = req->pages * m_pageSize;
    void* at = mmap(reinterpret_cast<void*>(req->addressHint), length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (at == MAP_FAILED)
        return fail(errno);
    // Keep these 4 KiB pages: with transparent huge pages on, an aligned range could be backed by
    // one 2 MiB page and split differently on copy-on-write (Documentation/admin-guide/mm/transhuge.rst).
    madvise(at, length, MADV_NOHUGEPAGE);
    Mapping m{m_nextId++, 0, -1, kAttachAnon | kAttachPrivate, reinterpret_cast<std::uint64_t>(at), length};
    m_mappings.push_back(m);
    return attached(m);
}

// fork(2) copies the address space: shared mappings stay shared (same frames), private ones are
// shared copy-on-write until either side writes. The child gets its own socket to the app; the
// app's end goes back to the app with SCM_RIGHTS right after this reply.
WorkerServer::Reply WorkerServer::forkChild() {
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
        return fail(errno);
    const int parentPid = getpid();
    const pid_t child = fork();
    if (child < 0) {
        const int err = errno;
        close(ends[0]);
        close(ends[1]);
        return fail(err);
    }
    if (child == 0) {
        close(ends[0]);
        becomeForkedChild(ends[1], parentPid);
        return {};
    }
    close(ends[1]);
    m_fdToPass = ends[0];
    Reply r;
    append(r.body, ForkReply{child, static_cast<std::uint32_t>(m_mappings.size())});
    return r;
}

void WorkerServer::becomeForkedChild(int socketFd, int parentPid) {
    // Die with the worker that forked us (which dies with the app); then check it did not die first.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parentPid)
        _exit(0);
    close(m_socket);
    m_socket = socketFd;
    m_skipReply = true;
    for (Mapping& m : m_mappings)
        m.flags |= kAttachInherited;
    // The inherited pagemap fd still reads the parent's page tables (the file is bound to the
    // address space it was opened for), so get one of our own, from shmviz-pagemap like any worker.
    PagemapHandle own = openPagemap();
    if (m_pagemap.fd >= 0)
        close(m_pagemap.fd);
    m_pagemap = std::move(own);
}

} // namespace shmviz::worker
