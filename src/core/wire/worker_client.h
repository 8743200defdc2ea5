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
    bool adopted() const { return m_adopted; }
    const std::string& endedHow() const { return m_endedHow; }
    const proto::HelloReply& hello() const { return m_hello; }

    // Sends a request; pair with receive() so requests to several workers can run at once.
    Status send(proto::MsgType type, std::span<const std::uint8_t> payload);
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

    pid_t m_pid = -1;
    int m_fd = -1;
    bool m_alive = false;
    bool m_adopted = false;
    std::string m_endedHow;
    std::uint32_t m_seq = 0;
    std::uint32_t m_pendingSeq = 0;
    proto::MsgType m_pendingType = proto::MsgType::Hello;
    proto::HelloReply m_hello{};
};

} // namespace shmviz::core
