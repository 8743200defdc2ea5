#pragma once
// Framed message I/O on a stream socket (see protocol.h). Used by both ends.
#include "core/wire/protocol.h"

#include <chrono>
#include <optional>

namespace shmviz::core::proto {

// Writes a whole message; EPIPE if the peer is gone (SIGPIPE is never raised).
Status sendMessage(int fd, MsgType type, bool reply, std::uint32_t seq,
                   std::span<const std::uint8_t> payload);

// Assembles messages from a stream a piece at a time, so a wait can end between any two bytes
// without losing the place in the stream. A message longer than kMaxPayload whose header is
// otherwise valid is read and thrown away in bounded pieces, and handed on as `oversized` (empty
// payload, the header's length kept), so the stream stays in step. Never reads past the message
// it is assembling (a descriptor passed after a reply stays in the socket). When there is no
// memory for a body, the body is read and thrown away the same way and the piece says
// `outOfMemory`: the stream never loses its place, whatever allocation fails.
class MessageReader {
  public:
    struct Piece {
        Message message;
        bool oversized = false;   // discarded: over kMaxPayload, or no memory for it
        bool outOfMemory = false; // discarded because its body could not be allocated
    };
    explicit MessageReader(bool expectReply) : m_expectReply(expectReply) {}
    // Reads what is available now without blocking. A complete message, nullopt if more bytes are
    // needed, or an error: ECONNRESET when the peer closed, EPROTO when the stream is corrupt (then
    // nothing more can be read from it).
    Result<std::optional<Piece>> pump(int fd);
    // True between the first byte of a message and its last.
    bool midMessage() const { return m_got > 0; }

  private:
    // Room for the body of the message whose header was just read; false when memory ran out.
    bool allocateBody();

    bool m_expectReply;
    Message m_message;
    std::size_t m_got = 0; // bytes of the current message (header included) consumed
    bool m_discarding = false;
    bool m_outOfMemory = false;
};

// Waits until `fd` is readable or `deadline` passes (ETIMEDOUT). Never waits with no deadline
// given `forever` false.
Status waitReadable(int fd, std::chrono::steady_clock::time_point deadline, bool forever);

// "A report message of N bytes was over the protocol's limit ...; it was read and discarded." (EMSGSIZE)
Error oversizedError(const Header& header);
// "shmviz had no memory left for a report message of N bytes; it was read and discarded." (ENOMEM)
Error noMemoryError(const Header& header);

// Reads one whole message and validates its header. A negative timeout waits forever.
// ETIMEDOUT when nothing complete arrived in time, ECONNRESET when the peer closed, EMSGSIZE
// when the message was over kMaxPayload (it was read and discarded).
Result<Message> receiveMessage(int fd, bool expectReply, std::chrono::milliseconds timeout);

} // namespace shmviz::core::proto
