#include "core/kernel/limit_errors.h"
#include "core/labs/lab_layouts.h"
#include "core/labs/lab_objects.h"
#include "core/labs/lab_scope.h"
#include "core/labs/labs.h"
#include "core/labs/stream_checksum.h"

#include <algorithm>
#include <fcntl.h>
#include <new>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::core::labs {

namespace {

ProcessCpu cpuOf(const LabMessage& m) {
    return ProcessCpu{static_cast<double>(m.get("user_us")) / 1e6, static_cast<double>(m.get("sys_us")) / 1e6,
                      m.get("csw")};
}

// A transfer of 1 GiB over a slow path can take a while, but progress lines arrive every ~100 ms.
constexpr auto kSilence = std::chrono::seconds(20);

// What carries the bytes: a pipe or socket (its two ends), a message queue or a ring in a segment.
// The queue's name or the segment's id goes to both workers in `args`.
struct IpcChannel {
    std::optional<LabSegment> segment;
    std::optional<LabMessageQueue> queue;
    UniqueFd senderEnd, receiverEnd;
};

Result<IpcChannel> openChannel(IpcMethod method, const LabContext& context, std::vector<std::string>& args) {
    IpcChannel c;
    switch (method) {
    case IpcMethod::Pipe: {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return limitError(errno, "Creating the pipe", "pipe");
        c.receiverEnd.reset(fds[0]);
        c.senderEnd.reset(fds[1]);
        // 1 MiB (the unprivileged maximum, /proc/sys/fs/pipe-max-size) instead of 64 KiB, so the pipe
        // buffers about as much as the socket does and the comparison is about copies, not stalls.
        fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
        break;
    }
    case IpcMethod::Socket: {
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            return limitError(errno, "Creating the Unix domain socket pair", "socketpair");
        c.receiverEnd.reset(fds[0]);
        c.senderEnd.reset(fds[1]);
        break;
    }
    case IpcMethod::Mqueue: {
        auto q = LabMessageQueue::create(static_cast<long>(kBlockBytes), context.guardian);
        if (!q)
            return q.error();
        c.queue.emplace(std::move(*q));
        args.push_back("mq=" + c.queue->name());
        args.push_back("msgsize=" + std::to_string(c.queue->messageBytes()));
        break;
    }
    case IpcMethod::Shm: {
        auto s = LabSegment::create(kRingSegmentBytes, context.guardian);
        if (!s)
            return s.error();
        c.segment.emplace(std::move(*s));
        auto* ring = new (c.segment->address()) RingHeader{};
        if (sem_init(&ring->freeSlots, 1, kRingSlots) != 0 || sem_init(&ring->fullSlots, 1, 0) != 0)
            return systemError(errno, "Initialising the ring's semaphores (sem_init)");
        args.push_back("shmid=" + std::to_string(c.segment->shmid()));
        break;
    }
    case IpcMethod::Memcpy:
        break;
    }

    return c;
}

// The workers' reports as one result; the whole transfer spans the earliest start to the latest end.
IpcResult summarize(const IpcParams& params, const LabMessage& sender, const LabMessage& receiver,
                    bool single) {
    IpcResult r;
    r.method = params.method;
    r.bytes = params.bytes;
    const std::uint64_t start = std::min(sender.get("start_ns"), receiver.get("start_ns"));
    const std::uint64_t end = std::max(sender.get("end_ns"), receiver.get("end_ns"));
    r.seconds = end > start ? static_cast<double>(end - start) / 1e9 : 0.0;
    r.megabytesPerSecond = r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds / 1e6 : 0.0;
    r.sender = cpuOf(sender);
    if (!single)
        r.receiver = cpuOf(receiver);
    r.copiesPerByte = copiesPerByte(params.method);
    r.chunkBytes = sender.get("chunk");
    r.checksumSent = sender.get("sent_sum");
    r.checksumReceived = receiver.get("received_sum");
    r.bytesReceived = receiver.get("received");
    return r;
}

} // namespace

Result<IpcResult> runIpcBench(const IpcParams& params, const LabContext& context) {
    ProgressScope progress(context.progress, params.bytes);
    std::vector<std::string> args{"method=" + std::string(nameOf(params.method)),
                                  "bytes=" + std::to_string(params.bytes)};
    auto channel = openChannel(params.method, context, args);
    if (!channel)
        return channel.error();
    auto& [segment, queue, senderEnd, receiverEnd] = *channel;

    LabGroup group(context);
    const bool single = params.method == IpcMethod::Memcpy;
    if (single) {
        if (auto added = group.add("ipc-memcpy", args); !added)
            return added.error();
    } else {
        if (auto added = group.add("ipc-send", args, senderEnd.get()); !added)
            return added.error();
        if (auto added = group.add("ipc-recv", args, receiverEnd.get()); !added)
            return added.error();
    }
    // Only the workers hold the pipe or socket ends now.
    senderEnd.reset();
    receiverEnd.reset();
    if (auto s = group.awaitReady(std::chrono::seconds(10)); !s)
        return s.error();
    if (segment)
        segment->removeEarly();
    if (queue)
        queue->unlinkEarly();
    auto results = group.goAndCollect(progress, kSilence);
    if (!results)
        return results.error();

    const LabMessage& sender = (*results)[0];
    const LabMessage& receiver = single ? sender : (*results)[1];
    const IpcResult r = summarize(params, sender, receiver, single);
    if (!r.verified())
        return makeError(
            EIO, "The receiver got " + std::to_string(r.bytesReceived) + " of " + std::to_string(r.bytes) +
                     " bytes and its checksum does not match the sender's, so the transfer is wrong.");
    return r;
}

} // namespace shmviz::core::labs
