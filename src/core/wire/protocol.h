#pragma once
// The app <-> worker wire protocol over a SOCK_STREAM socketpair.
// Every message is a fixed 16-byte Header followed by `length` payload bytes. A reply carries the
// request's type with kReplyBit set and the request's seq, and its payload starts with ReplyStatus.
// Both ends are the same build on the same machine, so structs travel in native layout; every
// size is pinned by static_assert and every message is validated before use.
#include "core/base/error.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shmviz::core::proto {

inline constexpr std::uint32_t kMagic = 0x5A564D53; // "SMVZ"
inline constexpr std::uint16_t kVersion = 2;
inline constexpr std::uint32_t kMaxPayload = 64u << 20;
inline constexpr std::uint16_t kReplyBit = 0x8000;
inline constexpr std::size_t kMaxText = 4096;
inline constexpr std::size_t kMaxName = 255;

enum class MsgType : std::uint16_t {
    Hello = 1,
    AttachSysv = 2,
    MapPosix = 3,
    Detach = 4,
    Touch = 5,
    Write = 6,
    Read = 7,
    Report = 8,
    Quit = 9,
    Fork = 10,
    AnonMap = 11,
    Lab = 12,
    LastKnown = Lab,
};

struct Header {
    std::uint32_t magic;
    std::uint16_t version;
    std::uint16_t type; // MsgType, with kReplyBit on replies
    std::uint32_t seq;
    std::uint32_t length; // payload bytes after the header
};
static_assert(sizeof(Header) == 16);

struct ReplyStatus {
    std::int32_t err;        // 0 on success, else an errno
    std::int32_t signal;     // a signal the worker caught while doing it (SIGSEGV), else 0
    std::int32_t signalCode; // its si_code (SEGV_ACCERR, SEGV_MAPERR)
    std::int32_t reserved;
    std::uint64_t faultAddress;
};
static_assert(sizeof(ReplyStatus) == 24);

enum class PagemapAccess : std::uint32_t {
    FramesVisible = 0, // opened by shmviz-pagemap holding CAP_SYS_ADMIN: frame numbers are real
    FramesHidden = 1,  // opened without CAP_SYS_ADMIN: the kernel zeroes frame numbers
    Unreadable = 2,    // could not open /proc/self/pagemap at all
};

struct HelloReply {
    std::uint32_t version;
    std::int32_t pid;
    std::uint32_t pageSize;
    std::uint32_t pagemapAccess;       // PagemapAccess
    std::int32_t pagemapErrno;         // why Unreadable
    std::uint32_t capabilitiesDropped; // 1: the worker holds no capability (it refuses to run otherwise)
    char pagemapReason[232];           // NUL-terminated: why frames are hidden, "" when visible
};
static_assert(sizeof(HelloReply) == 256);

enum AttachFlags : std::uint32_t {
    kAttachReadOnly = 1u << 0,
    kAttachPrivate = 1u << 1,   // MAP_PRIVATE (POSIX) – copy on write
    kAttachPosix = 1u << 2,     // the record came from mmap of a POSIX object
    kAttachAnon = 1u << 3,      // a private anonymous mapping (mmap MAP_ANONYMOUS)
    kAttachInherited = 1u << 4, // inherited across fork
    kAttachHugetlb = 1u << 5,   // backed by hugetlbfs: MapPosixRequest::name is a file path on that mount
};

struct AttachSysvRequest {
    std::int32_t shmid;
    std::uint32_t flags;       // kAttachReadOnly
    std::uint64_t addressHint; // 0: let the kernel choose
    std::uint32_t segmentTag;  // the session's segment id, echoed back in reports
    std::uint32_t reserved;
};
static_assert(sizeof(AttachSysvRequest) == 24);

struct MapPosixRequest {
    char name[kMaxName + 1]; // NUL-terminated, "/name"
    std::uint64_t length;    // bytes to map
    std::uint64_t addressHint;
    std::uint32_t flags; // kAttachReadOnly | kAttachPrivate
    std::uint32_t segmentTag;
};
static_assert(sizeof(MapPosixRequest) == 280);

// Fork has an empty request. Its reply is followed on the stream by one byte carrying, with
// SCM_RIGHTS, the app's end of the child's own socket (core/fd_passing.h).
struct ForkReply {
    std::int32_t childPid;
    std::uint32_t inherited; // mappings the child took over
};
static_assert(sizeof(ForkReply) == 8);

// Private anonymous memory (mmap MAP_PRIVATE | MAP_ANONYMOUS); answered with an AttachReply.
struct AnonMapRequest {
    std::uint64_t pages;
    std::uint64_t addressHint; // 0: let the kernel choose
};
static_assert(sizeof(AnonMapRequest) == 16);

struct AttachReply {
    std::uint32_t attachment; // the worker's id for this attachment
    std::uint32_t reserved;
    std::uint64_t address;
    std::uint64_t size;
};
static_assert(sizeof(AttachReply) == 24);

struct DetachRequest {
    std::uint32_t attachment;
    std::uint32_t reserved;
};
static_assert(sizeof(DetachRequest) == 8);

enum class TouchAccess : std::uint32_t { Write = 0, Read = 1 };

struct TouchRequest {
    std::uint32_t attachment;
    std::uint32_t access; // TouchAccess
    std::uint64_t firstPage;
    std::uint64_t pageCount;
};
static_assert(sizeof(TouchRequest) == 24);

struct WriteRequest {
    std::uint32_t attachment;
    std::uint32_t textLength; // followed by that many bytes, at most kMaxText
    std::uint64_t page;
};
static_assert(sizeof(WriteRequest) == 16);

struct ReadRequest {
    std::uint32_t attachment;
    std::uint32_t maxLength; // at most kMaxText
    std::uint64_t page;
};
static_assert(sizeof(ReadRequest) == 16);

// One attachment in a Report reply; followed by mapsLength bytes of the /proc/self/maps line
// (padded to 8) and pageCount raw pagemap entries.
struct AttachmentRecord {
    std::uint32_t attachment;
    std::uint32_t segmentTag;
    std::int32_t shmid;  // -1 for POSIX and anonymous mappings
    std::uint32_t flags; // AttachFlags
    std::uint64_t address;
    std::uint64_t size;
    std::uint32_t mapsLength;
    std::uint32_t reserved;
    std::uint64_t pageCount;
};
static_assert(sizeof(AttachmentRecord) == 48);

struct ReportHeader {
    std::uint32_t count;
    std::int32_t pid;
};
static_assert(sizeof(ReportHeader) == 8);

// What a worker knows of one of its attachments; the worker keeps one per mapping.
struct AttachmentInfo {
    std::uint32_t id = 0;
    std::uint32_t segmentTag = 0;
    std::int32_t shmid = -1;
    std::uint32_t flags = 0; // AttachFlags
    std::uint64_t address = 0;
    std::uint64_t size = 0;
};

// A decoded Report entry.
struct Attachment : AttachmentInfo {
    std::string maps;
    std::vector<std::uint64_t> entries; // raw pagemap entries, one per page
};

struct Message {
    Header header{};
    std::vector<std::uint8_t> payload;
    MsgType type() const { return static_cast<MsgType>(header.type & ~kReplyBit); }
    bool isReply() const { return header.type & kReplyBit; }
};

const char* msgTypeName(MsgType type);

// Checks magic, version, type and length; `expectReply` says which direction is legal.
Status validateHeader(const Header& header, bool expectReply);

std::vector<std::uint8_t> encodeMessage(MsgType type, bool reply, std::uint32_t seq,
                                        std::span<const std::uint8_t> payload);

template <class T> std::span<const std::uint8_t> bytesOf(const T& value) {
    return {reinterpret_cast<const std::uint8_t*>(&value), sizeof(T)};
}

template <class T> void append(std::vector<std::uint8_t>& out, const T& value) {
    auto bytes = bytesOf(value);
    out.insert(out.end(), bytes.begin(), bytes.end());
}

// Reads a fixed struct at the front of `payload`, advancing it; fails if too short.
template <class T> Result<T> take(std::span<const std::uint8_t>& payload, const char* what) {
    if (payload.size() < sizeof(T))
        return makeError(EPROTO, std::string("A ") + what + " message is " + std::to_string(payload.size()) +
                                     " bytes, shorter than its fixed part.");
    T value;
    std::memcpy(&value, payload.data(), sizeof(T));
    payload = payload.subspan(sizeof(T));
    return value;
}

std::vector<std::uint8_t> encodeReport(std::int32_t pid, const std::vector<Attachment>& attachments);
Result<std::vector<Attachment>> decodeReport(std::span<const std::uint8_t> payload,
                                             std::int32_t* pid = nullptr);

// Bounds on page indexes and counts received over the wire. Each compares indexes with counts
// and never multiplies first, so a page index near 2^64 cannot wrap around into range.
// Pages (whole or partial) that `bytes` spans.
inline constexpr std::uint64_t pagesCovering(std::uint64_t bytes, std::uint32_t pageSize) {
    return bytes / pageSize + (bytes % pageSize != 0);
}
// True when page `page` lies wholly inside the first `bytes` bytes.
inline constexpr bool fullPageInRange(std::uint64_t page, std::uint64_t bytes, std::uint32_t pageSize) {
    return pageSize != 0 && page < bytes / pageSize;
}
// True when pages [first, first + count) are a non-empty run inside `pages` pages.
inline constexpr bool pageRunInRange(std::uint64_t first, std::uint64_t count, std::uint64_t pages) {
    return count != 0 && first < pages && count <= pages - first;
}
// The most pages one attachment may span, and the most pagemap entries one report carries (32 MiB
// of them), so a report stays under kMaxPayload however much a worker has attached: attachments
// past that budget report entries for their first pages only, and the snapshot says how many not.
inline constexpr std::uint64_t kMaxReportPages = kMaxPayload / 16;

// Splits a reply payload into its status and the rest.
Result<ReplyStatus> takeStatus(std::span<const std::uint8_t>& payload);

} // namespace shmviz::core::proto
