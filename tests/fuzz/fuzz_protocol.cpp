// One message of the app <-> worker protocol: a 16-byte header, then the payload, decoded the
// way its receiver decodes it. The header's type picks the decoder even when validation fails,
// so every decoder sees every payload shape. A report that decodes must survive a round trip.
#include "core/wire/protocol.h"

#include <cstring>

namespace {

using namespace shmviz::core::proto;

template <class T> void takeAll(std::span<const std::uint8_t> payload, const char* what) {
    while (take<T>(payload, what))
        ;
}

// The worker's bounds checks on received page indexes: whatever they accept must really lie in
// range, computed here with overflow-checked arithmetic.
void checkBounds(std::uint64_t first, std::uint64_t count, std::uint64_t bytes, std::uint32_t pageSize) {
    const std::uint64_t pages = pageSize ? pagesCovering(bytes, pageSize) : 0;
    std::uint64_t end = 0;
    if (pageRunInRange(first, count, pages) && (__builtin_add_overflow(first, count, &end) || end > pages))
        __builtin_trap();
    std::uint64_t endByte = 0;
    if (fullPageInRange(first, bytes, pageSize) &&
        (__builtin_mul_overflow(first + 1, std::uint64_t{pageSize}, &endByte) || endByte > bytes))
        __builtin_trap();
}

// Each request is followed in the input by the mapping it is checked against (not on the wire:
// the worker knows its mappings), so the fuzzer picks sizes and page sizes too.
struct FuzzMapping {
    std::uint64_t bytes;
    std::uint32_t pageSize;
    std::uint32_t unused;
};

template <class T> void takeAndCheck(std::span<const std::uint8_t> payload, const char* what) {
    while (auto req = take<T>(payload, what)) {
        auto mapping = take<FuzzMapping>(payload, "mapping");
        if (!mapping)
            return;
        if constexpr (requires { req->firstPage; })
            checkBounds(req->firstPage, req->pageCount, mapping->bytes, mapping->pageSize);
        else
            checkBounds(req->page, 1, mapping->bytes, mapping->pageSize);
    }
}

void decodeReportTwice(std::span<const std::uint8_t> payload) {
    std::int32_t pid = 0;
    auto report = decodeReport(payload, &pid);
    if (!report)
        return;
    const std::vector<std::uint8_t> again = encodeReport(pid, *report);
    std::int32_t pid2 = 0;
    auto decoded = decodeReport(again, &pid2);
    if (!decoded || pid2 != pid || decoded->size() != report->size())
        __builtin_trap();
    for (std::size_t i = 0; i < report->size(); ++i)
        if ((*decoded)[i].maps != (*report)[i].maps || (*decoded)[i].entries != (*report)[i].entries)
            __builtin_trap();
}

void decodePayload(MsgType type, bool reply, std::span<const std::uint8_t> payload) {
    if (reply) {
        if (!takeStatus(payload))
            return;
        switch (type) {
        case MsgType::Hello:
            return takeAll<HelloReply>(payload, "hello");
        case MsgType::AttachSysv:
        case MsgType::MapPosix:
        case MsgType::AnonMap:
            return takeAll<AttachReply>(payload, "attach reply");
        case MsgType::Fork:
            return takeAll<ForkReply>(payload, "fork reply");
        case MsgType::Report:
            return decodeReportTwice(payload);
        default:
            return;
        }
    }
    switch (type) {
    case MsgType::AttachSysv:
        return takeAll<AttachSysvRequest>(payload, "attach");
    case MsgType::MapPosix:
        return takeAll<MapPosixRequest>(payload, "map");
    case MsgType::Detach:
        return takeAll<DetachRequest>(payload, "detach");
    case MsgType::Touch:
        return takeAndCheck<TouchRequest>(payload, "touch");
    case MsgType::Write:
        return takeAndCheck<WriteRequest>(payload, "write");
    case MsgType::Read:
        return takeAndCheck<ReadRequest>(payload, "read");
    case MsgType::AnonMap:
        return takeAll<AnonMapRequest>(payload, "anon");
    default:
        return decodeReportTwice(payload); // unknown types still exercise the largest decoder
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Header header{};
    const std::size_t headerBytes = std::min(size, sizeof header);
    if (headerBytes > 0)
        std::memcpy(&header, data, headerBytes);
    const bool reply = header.type & kReplyBit;
    (void)validateHeader(header, reply);
    (void)validateHeader(header, !reply);
    (void)msgTypeName(static_cast<MsgType>(header.type & ~kReplyBit));
    decodePayload(static_cast<MsgType>(header.type & ~kReplyBit), reply,
                  std::span<const std::uint8_t>(data + headerBytes, size - headerBytes));
    return 0;
}
