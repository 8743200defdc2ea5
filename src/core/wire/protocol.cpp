#include "core/wire/protocol.h"

#include <cstring>

namespace shmviz::core::proto {

const char* msgTypeName(MsgType type) {
    switch (type) {
    case MsgType::Hello:
        return "hello";
    case MsgType::AttachSysv:
        return "attach";
    case MsgType::MapPosix:
        return "map";
    case MsgType::Detach:
        return "detach";
    case MsgType::Touch:
        return "touch";
    case MsgType::Write:
        return "write";
    case MsgType::Read:
        return "read";
    case MsgType::Report:
        return "report";
    case MsgType::Quit:
        return "quit";
    case MsgType::Fork:
        return "fork";
    case MsgType::AnonMap:
        return "anon";
    case MsgType::Lab:
        return "lab";
    }
    return "unknown";
}

Status validateHeader(const Header& h, bool expectReply) {
    if (h.magic != kMagic)
        return makeError(EPROTO,
                         "A message did not start with the shmviz magic number, so the stream is corrupt.");
    if (h.version != kVersion)
        return makeError(EPROTO, "The worker speaks protocol version " + std::to_string(h.version) +
                                     " but this shmviz speaks version " + std::to_string(kVersion) +
                                     "; rebuild both from the same source.");
    const bool isReply = h.type & kReplyBit;
    const std::uint16_t base = h.type & ~kReplyBit;
    if (isReply != expectReply)
        return makeError(EPROTO, std::string("Received a ") + (isReply ? "reply" : "request") + " where a " +
                                     (expectReply ? "reply" : "request") + " was expected.");
    if (base < static_cast<std::uint16_t>(MsgType::Hello) ||
        base > static_cast<std::uint16_t>(MsgType::LastKnown))
        return makeError(EPROTO, "Message type " + std::to_string(base) + " is unknown.");
    if (h.length > kMaxPayload)
        return makeError(EPROTO, "A message announced " + std::to_string(h.length) +
                                     " payload bytes, more than the limit of " + std::to_string(kMaxPayload) +
                                     ".");
    return Ok{};
}

std::vector<std::uint8_t> encodeMessage(MsgType type, bool reply, std::uint32_t seq,
                                        std::span<const std::uint8_t> payload) {
    Header h{kMagic, kVersion,
             static_cast<std::uint16_t>(static_cast<std::uint16_t>(type) | (reply ? kReplyBit : 0)), seq,
             static_cast<std::uint32_t>(payload.size())};
    std::vector<std::uint8_t> out;
    out.reserve(sizeof h + payload.size());
    append(out, h);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

static std::size_t padded8(std::size_t n) {
    return (n + 7) & ~std::size_t{7};
}

std::vector<std::uint8_t> encodeReport(std::int32_t pid, const std::vector<Attachment>& attachments) {
    std::vector<std::uint8_t> out;
    append(out, ReportHeader{static_cast<std::uint32_t>(attachments.size()), pid});
    for (const Attachment& a : attachments) {
        AttachmentRecord r{a.id,
                           a.segmentTag,
                           a.shmid,
                           a.flags,
                           a.address,
                           a.size,
                           static_cast<std::uint32_t>(a.maps.size()),
                           0,
                           a.entries.size()};
        append(out, r);
        out.insert(out.end(), a.maps.begin(), a.maps.end());
        out.resize(out.size() + padded8(a.maps.size()) - a.maps.size(), 0);
        auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(a.entries.data()), a.entries.size() * 8);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

Result<std::vector<Attachment>> decodeReport(std::span<const std::uint8_t> payload, std::int32_t* pid) {
    auto header = take<ReportHeader>(payload, "report");
    if (!header)
        return header.error();
    if (pid)
        *pid = header->pid;
    if (header->count > 4096)
        return makeError(EPROTO, "A report listed " + std::to_string(header->count) +
                                     " attachments, more than any worker can hold here.");
    std::vector<Attachment> out;
    out.reserve(header->count);
    for (std::uint32_t i = 0; i < header->count; ++i) {
        auto record = take<AttachmentRecord>(payload, "report entry");
        if (!record)
            return record.error();
        const std::size_t mapsBytes = padded8(record->mapsLength);
        if (record->mapsLength > kMaxText || payload.size() < mapsBytes)
            return makeError(EPROTO, "A report entry's maps line runs past the end of the message.");
        if (record->pageCount > (payload.size() - mapsBytes) / 8)
            return makeError(EPROTO, "A report entry claims " + std::to_string(record->pageCount) +
                                         " pages but the message holds fewer entries.");
        Attachment a;
        a.id = record->attachment;
        a.segmentTag = record->segmentTag;
        a.shmid = record->shmid;
        a.flags = record->flags;
        a.address = record->address;
        a.size = record->size;
        // An empty span or vector may have a null data(); memcpy must not see one, even for 0 bytes.
        if (record->mapsLength > 0)
            a.maps.assign(reinterpret_cast<const char*>(payload.data()), record->mapsLength);
        payload = payload.subspan(mapsBytes);
        a.entries.resize(record->pageCount);
        if (record->pageCount > 0)
            std::memcpy(a.entries.data(), payload.data(), record->pageCount * 8);
        payload = payload.subspan(record->pageCount * 8);
        out.push_back(std::move(a));
    }
    if (!payload.empty())
        return makeError(EPROTO,
                         "A report had " + std::to_string(payload.size()) + " unexpected trailing bytes.");
    return out;
}

Result<ReplyStatus> takeStatus(std::span<const std::uint8_t>& payload) {
    return take<ReplyStatus>(payload, "reply");
}

} // namespace shmviz::core::proto
