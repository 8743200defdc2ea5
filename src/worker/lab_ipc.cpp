// ipcbench, worker side: the sender produces the stream (see core/labs/stream_checksum.h) and the
// receiver checks it, through a pipe, a socket, a message queue or a shared ring; memcpy does both in
// one process.
#include "core/labs/lab_layouts.h"
#include "core/labs/stream_checksum.h"
#include "worker/lab_link.h"
#include "worker/lab_main.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/shm.h>
#include <unistd.h>
#include <vector>

namespace shmviz::worker {

namespace {

using core::labs::IpcMethod;
using core::labs::kBlockBytes;
using core::labs::kRingDataOffset;
using core::labs::kRingSlots;
using core::labs::kSlotBytes;
using core::labs::RingHeader;
using core::labs::StreamChecksum;

constexpr int kDataFd = 4;

struct Setup {
    IpcMethod method;
    std::uint64_t bytes;
    mqd_t queue = static_cast<mqd_t>(-1);
    long messageBytes = 0;
    RingHeader* ring = nullptr;
    unsigned char* slots = nullptr;
};

Setup prepare(const LabArgs& args, LabLink& link, bool sender) {
    const auto method = core::labs::ipcMethodFrom(args.text("method"));
    const std::uint64_t bytes = args.number("bytes");
    if (!method || bytes == 0)
        link.fail(EINVAL, "A transfer worker got incomplete arguments.");
    Setup s{*method, bytes};
    if (s.method == IpcMethod::Mqueue) {
        s.queue = mq_open(args.text("mq").c_str(), sender ? O_WRONLY : O_RDONLY);
        if (s.queue == static_cast<mqd_t>(-1))
            link.failErrno("Opening the message queue " + args.text("mq") + " (mq_open)");
        s.messageBytes = static_cast<long>(args.number("msgsize"));
    }
    if (s.method == IpcMethod::Shm) {
        void* at = shmat(static_cast<int>(args.number("shmid")), nullptr, 0);
        if (at == reinterpret_cast<void*>(-1))
            link.failErrno("Attaching the transfer ring (shmat)");
        s.ring = static_cast<RingHeader*>(at);
        s.slots = static_cast<unsigned char*>(at) + kRingDataOffset;
    }
    return s;
}

// Block c of the stream: the pattern with c + 1 in its first word (or as much of it as fits).
void writeBlock(unsigned char* to, const std::vector<std::uint64_t>& pattern, std::uint64_t c,
                std::size_t len) {
    std::memcpy(to, pattern.data(), len);
    const std::uint64_t stamp = c + 1;
    std::memcpy(to, &stamp, std::min<std::size_t>(8, len));
}

// The sender's checksum of block c, in O(1) for a whole block.
void sumBlock(StreamChecksum& sum, const std::vector<std::uint64_t>& pattern, std::uint64_t c,
              std::size_t len) {
    if (len == kBlockBytes) {
        sum.addPatternBlock(c + 1);
        return;
    }
    std::vector<unsigned char> last(len);
    writeBlock(last.data(), pattern, c, len);
    sum.feed(last.data(), len);
}

void waitSem(sem_t* sem, LabLink& link) {
    while (sem_wait(sem) != 0)
        if (errno != EINTR)
            link.failErrno("Waiting on the ring's semaphore (sem_wait)");
}

// Fills one ring slot with whole blocks; returns the bytes written.
std::size_t fillSlot(unsigned char* slot, const std::vector<std::uint64_t>& pattern, StreamChecksum& sum,
                     std::uint64_t& block, std::uint64_t remaining) {
    std::size_t used = 0;
    while (used < kSlotBytes && remaining > 0) {
        const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockBytes, remaining));
        writeBlock(slot + used, pattern, block, len);
        sumBlock(sum, pattern, block, len);
        ++block;
        used += len;
        remaining -= len;
    }
    return used;
}

void reportSender(LabLink& link, const StreamChecksum& sum, std::uint64_t chunk, std::uint64_t start,
                  const CpuMark& cpu) {
    const std::uint64_t end = nowNs();
    const CpuSpent spent = cpuSince(cpu);
    link.result({{"chunk", chunk},
                 {"sent_sum", sum.value()},
                 {"start_ns", start},
                 {"end_ns", end},
                 {"user_us", spent.userUs},
                 {"sys_us", spent.sysUs},
                 {"csw", spent.switches}});
}

void reportReceiver(LabLink& link, const StreamChecksum& sum, std::uint64_t start, const CpuMark& cpu) {
    const std::uint64_t end = nowNs();
    const CpuSpent spent = cpuSince(cpu);
    link.result({{"received", sum.bytes()},
                 {"received_sum", sum.value()},
                 {"start_ns", start},
                 {"end_ns", end},
                 {"user_us", spent.userUs},
                 {"sys_us", spent.sysUs},
                 {"csw", spent.switches}});
}

} // namespace

int runIpcSender(const LabArgs& args, LabLink& link) {
    Setup s = prepare(args, link, true);
    const auto pattern = core::labs::makePattern();
    std::vector<unsigned char> block(kBlockBytes);
    link.ready();
    link.waitGo();
    const CpuMark cpu = CpuMark::now();
    const std::uint64_t start = nowNs();
    StreamChecksum sum;
    std::uint64_t sent = 0, c = 0, chunk = kBlockBytes;
    if (s.method == IpcMethod::Shm) {
        chunk = kSlotBytes;
        for (std::uint64_t slot = 0; sent < s.bytes; ++slot) {
            waitSem(&s.ring->freeSlots, link);
            const std::size_t index = slot % kRingSlots;
            const std::size_t used = fillSlot(s.slots + index * kSlotBytes, pattern, sum, c, s.bytes - sent);
            s.ring->slotBytes[index] = used;
            sem_post(&s.ring->fullSlots); // release: the receiver sees the slot's bytes after its sem_wait
            sent += used;
        }
    } else {
        if (s.method == IpcMethod::Mqueue)
            chunk = static_cast<std::uint64_t>(s.messageBytes);
        for (; sent < s.bytes; ++c) {
            const std::size_t len =
                static_cast<std::size_t>(std::min<std::uint64_t>(kBlockBytes, s.bytes - sent));
            writeBlock(block.data(), pattern, c, len);
            sumBlock(sum, pattern, c, len);
            std::size_t off = 0;
            while (off < len) {
                if (s.method == IpcMethod::Mqueue) {
                    const std::size_t piece =
                        std::min<std::size_t>(len - off, static_cast<std::size_t>(s.messageBytes));
                    if (mq_send(s.queue, reinterpret_cast<const char*>(block.data() + off), piece, 0) != 0) {
                        if (errno == EINTR)
                            continue;
                        link.failErrno("Sending on the message queue (mq_send)");
                    }
                    off += piece;
                } else {
                    ssize_t n = write(kDataFd, block.data() + off, len - off);
                    if (n < 0 && errno == EINTR)
                        continue;
                    if (n <= 0)
                        link.failErrno("Writing the data (write)");
                    off += static_cast<std::size_t>(n);
                }
            }
            sent += len;
        }
    }
    reportSender(link, sum, chunk, start, cpu);
    return 0;
}

int runIpcReceiver(const LabArgs& args, LabLink& link) {
    Setup s = prepare(args, link, false);
    std::vector<unsigned char> buffer(
        std::max<std::size_t>(kBlockBytes, static_cast<std::size_t>(s.messageBytes)));
    link.ready();
    link.waitGo();
    const CpuMark cpu = CpuMark::now();
    const std::uint64_t start = nowNs();
    StreamChecksum sum;
    if (s.method == IpcMethod::Shm) {
        for (std::uint64_t slot = 0; sum.bytes() < s.bytes; ++slot) {
            waitSem(&s.ring->fullSlots, link);
            const std::size_t index = slot % kRingSlots;
            // Read in place: the bytes are checked where the sender wrote them, never copied.
            sum.feed(s.slots + index * kSlotBytes, s.ring->slotBytes[index]);
            sem_post(&s.ring->freeSlots);
            link.progress(sum.bytes());
        }
    } else {
        while (sum.bytes() < s.bytes) {
            ssize_t n;
            if (s.method == IpcMethod::Mqueue) {
                n = mq_receive(s.queue, reinterpret_cast<char*>(buffer.data()), buffer.size(), nullptr);
                if (n < 0 && errno != EINTR)
                    link.failErrno("Receiving from the message queue (mq_receive)");
            } else {
                const std::size_t want =
                    static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), s.bytes - sum.bytes()));
                n = read(kDataFd, buffer.data(), want);
                if (n == 0)
                    link.fail(EPIPE, "The sender closed the stream after " + std::to_string(sum.bytes()) +
                                         " bytes.");
                if (n < 0 && errno != EINTR)
                    link.failErrno("Reading the data (read)");
            }
            if (n > 0)
                sum.feed(buffer.data(), static_cast<std::size_t>(n));
            link.progress(sum.bytes());
        }
    }
    reportReceiver(link, sum, start, cpu);
    return 0;
}

int runIpcMemcpy(const LabArgs& args, LabLink& link) {
    Setup s = prepare(args, link, true);
    const auto pattern = core::labs::makePattern();
    std::vector<unsigned char> ring(kRingSlots * kSlotBytes,
                                    0); // touched now, so no page faults in the timing
    link.ready();
    link.waitGo();
    const CpuMark cpu = CpuMark::now();
    const std::uint64_t start = nowNs();
    StreamChecksum sent, received;
    std::uint64_t c = 0;
    std::uint64_t copying = 0; // only the copies are timed: this is the one-copy ceiling
    for (std::uint64_t slot = 0; received.bytes() < s.bytes; ++slot) {
        unsigned char* to = ring.data() + (slot % kRingSlots) * kSlotBytes;
        const std::uint64_t before = nowNs();
        const std::size_t used = fillSlot(to, pattern, sent, c, s.bytes - received.bytes());
        copying += nowNs() - before;
        received.feed(to, used); // verified like every method, outside the timing
        link.progress(received.bytes());
    }
    const std::uint64_t end = start + copying;
    const CpuSpent spent = cpuSince(cpu);
    link.result({{"chunk", kSlotBytes},
                 {"sent_sum", sent.value()},
                 {"received", received.bytes()},
                 {"received_sum", received.value()},
                 {"start_ns", start},
                 {"end_ns", end},
                 {"user_us", spent.userUs},
                 {"sys_us", spent.sysUs},
                 {"csw", spent.switches}});
    return 0;
}

} // namespace shmviz::worker
