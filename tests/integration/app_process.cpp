#include "app_process.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <poll.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace shmviz::testing {

AppProcess::AppProcess(std::vector<std::string> args) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
        return;
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(SHMVIZ_APP_PATH));
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    m_pid = fork();
    if (m_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    m_in = in[1];
    m_out = out[0];
}

AppProcess::~AppProcess() {
    if (m_in >= 0)
        close(m_in);
    if (m_out >= 0)
        close(m_out);
    if (m_pid > 0 && waitpid(m_pid, nullptr, WNOHANG) == 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
}

void AppProcess::send(const std::string& line) {
    std::string text = line + "\n";
    [[maybe_unused]] ssize_t n = write(m_in, text.data(), text.size());
}

nlohmann::json AppProcess::reply() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        std::size_t nl = m_buffer.find('\n');
        if (nl != std::string::npos) {
            std::string line = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            return nlohmann::json::parse(line, nullptr, false);
        }
        pollfd p{m_out, POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return nullptr;
        char buffer[65536];
        ssize_t got = read(m_out, buffer, sizeof buffer);
        if (got <= 0)
            return nullptr;
        m_buffer.append(buffer, static_cast<std::size_t>(got));
    }
}

void AppProcess::closeInput() {
    close(m_in);
    m_in = -1;
}

void AppProcess::signal(int sig) {
    kill(m_pid, sig);
}

int AppProcess::wait() {
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool processGone(pid_t pid) {
    if (kill(pid, 0) != 0)
        return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::size_t close = text.rfind(')');
    return close == std::string::npos || (close + 2 < text.size() && text[close + 2] == 'Z');
}

bool segmentGone(int shmid) {
    shmid_ds ds{};
    return shmctl(shmid, IPC_STAT, &ds) != 0;
}

bool within(int ms, const std::function<bool()>& gone) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (gone())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return gone();
}

} // namespace shmviz::testing
