#pragma once
// The worker's side of the protocol: owns this process's attachments and answers requests
// one at a time on the socket it was given.
#include "core/kernel/pagemap_scan.h"
#include "core/wire/protocol.h"
#include "worker/privileges.h"

#include <cstdint>
#include <vector>

namespace shmviz::worker {

using Mapping = core::proto::AttachmentInfo;

class WorkerServer {
  public:
    WorkerServer(int socketFd, PagemapHandle pagemap);

    // Serves until the app says quit or closes the socket. Returns the exit status.
    int serve();

    using Bytes = std::vector<std::uint8_t>;
    struct Reply {
        core::proto::ReplyStatus status{};
        Bytes body;
    };

  private:
    Reply handle(const core::proto::Message& request);
    Reply hello();
    Reply attachSysv(std::span<const std::uint8_t> payload);
    Reply mapPosix(std::span<const std::uint8_t> payload);
    Reply detach(std::span<const std::uint8_t> payload);
    Reply touch(std::span<const std::uint8_t> payload);
    Reply write(std::span<const std::uint8_t> payload);
    Reply read(std::span<const std::uint8_t> payload);
    Reply report();
    Reply forkChild();
    Reply anonMap(std::span<const std::uint8_t> payload);
    void becomeForkedChild(int socketFd, int parentPid);

    Mapping* find(std::uint32_t id);
    Reply fail(int err) const;
    Reply attached(const Mapping& m);

    int m_socket;
    PagemapHandle m_pagemap;
    core::PagemapRead m_pagemapRead = core::PagemapRead::Scan; // how report() reads the entries
    std::uint32_t m_pageSize;
    std::uint32_t m_nextId = 1;
    std::vector<Mapping> m_mappings;
    int m_fdToPass = -1;      // sent after the current reply (Fork: the app's end of the child's socket)
    bool m_skipReply = false; // a freshly forked child answers nothing on its parent's request
};

} // namespace shmviz::worker
