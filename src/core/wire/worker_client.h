#pragma once
// The app's handle on one worker process: its pid, its socket, and typed requests.
// Used only by the session's thread. Every reply is validated before use.
#include "core/wire/channel.h"
#include "core/wire/child_process.h"

#include <chrono>
#include <optional>
#include <string>

namespace shmviz::core {

struct WorkerReply {
    proto::ReplyStatus status{};
    std::vector<std::uint8_t> body;
};

class WorkerClient {
  public:
    // Starts the worker and completes the handshake.
    static Result<WorkerClient> start(const std::string& workerPath);
    // Takes over a worker that another worker forked (`fork W`): `fd` is the app's end of its
    // socket. The app is not its parent and cannot waitpid for it, so its end is seen as the socket
    // closing, and how it ended is read from its zombie's /proc/PID/stat while its parent has not
    // reaped it. Completes the handshake.
    static Result<WorkerClient> adopt(pid_t pid, int fd);

    WorkerClient(WorkerClient&&) noexcept;
    WorkerClient& operator=(WorkerClient&&) noexcept;
    ~WorkerClient();

    pid_t pid() const { return m_pid; }
    bool alive() const { return m_alive; }
    // A request is out and its reply has not come (the last wait for it ended first).
    bool answering() const { return !m_overdue; }
    bool adopted() const { return m_adopted; }
    const std::string& endedHow() const { return m_endedHow; }
    const proto::HelloReply& hello() const { return m_hello; }

    // Sends a request; pair with receive() so requests to several workers can run at once. While an
    // earlier request is still unanswered (its wait ended), fails with ETIMEDOUT unless that late
    // reply arrives within 250 ms (at once if the worker is stopped); a late reply is dropped and
    // the request goes.
    Status send(proto::MsgType type, std::span<const std::uint8_t> payload);
    // Waits at most `timeout` for the reply to the pending request, dropping late replies to
    // earlier ones (recognised by their sequence number). A worker found stopped (state T in
    // /proc/PID/stat) is not waited for: ETIMEDOUT "not answering (stopped?)" comes at once.
    Result<WorkerReply> receive(std::chrono::milliseconds timeout);
    Result<WorkerReply> call(proto::MsgType type, std::span<const std::uint8_t> payload,
                             std::chrono::milliseconds timeout);
    // Receives the file descriptor a worker passes right after a reply (Fork); close-on-exec.
    Result<int> receivePassedFd(std::chrono::milliseconds timeout);

    // Checks (without blocking) whether the process has ended; reaps it if so.
    bool pollExit();
    // SIGKILL and reap.
    void kill();
    // Asks the worker to quit, then kills it if it lingers.
    void stop();

  private:
    WorkerClient(ChildProcess child);
    Status handshake();
    void markDead(int waitStatus);
    bool pollAdopted();
    Error lostWorker(const Error& cause);
    // The channel carried something that is not the protocol: stop the worker and say why.
    Error corruptChannel(const Error& cause);
    Error notAnswering();
    Error endedError() const;
    // Collects an overdue reply, waiting at most 250 ms for it; ETIMEDOUT if it does not come.
    Status catchUp();
    // Throws away a reply nobody waits for any more (and the descriptor a Fork reply brings).
    void dropLate(const proto::Message& late);
    void closeChannel();

    pid_t m_pid = -1;
    int m_fd = -1;
    bool m_alive = false;
    bool m_adopted = false;
    bool m_killing = false;                         // shmviz sent the SIGKILL
    std::optional<std::uint64_t> m_oomKillsAtStart; // memory.events oom_kill when it started
    std::string m_endedHow;
    proto::MessageReader m_reader{true};
    std::uint32_t m_seq = 0;
    std::uint32_t m_pendingSeq = 0;
    bool m_awaiting = false; // a request is out and its reply not yet read
    bool m_overdue = false;  // ...and the last wait for it ended without it
    proto::MsgType m_pendingType = proto::MsgType::Hello;
    proto::HelloReply m_hello{};
};

} // namespace shmviz::core
