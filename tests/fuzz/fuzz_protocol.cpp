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
        return takeAll<TouchRequest>(payload, "touch");
    case MsgType::Write:
        return takeAll<WriteRequest>(payload, "write");
    case MsgType::Read:
        return takeAll<ReadRequest>(payload, "read");
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
