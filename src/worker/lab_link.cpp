#include "worker/lab_link.h"

#include "core/labs/lab_message.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <sys/socket.h>
#include <unistd.h>

namespace shmviz::worker {

bool LabArgs::parse(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        std::string_view a = argv[i];
        std::size_t eq = a.find('=');
        if (eq == 0 || eq == std::string_view::npos)
            return false;
        m_values[std::string(a.substr(0, eq))] = std::string(a.substr(eq + 1));
    }
    return true;
}

std::string LabArgs::text(const std::string& key) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? std::string() : it->second;
}

std::uint64_t LabArgs::number(const std::string& key) const {
    std::string t = text(key);
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc{} && end == t.data() + t.size() ? v : 0;
}

void LabLink::send(const std::string& line) {
    std::size_t sent = 0;
    while (sent < line.size()) {
        ssize_t n = ::send(m_fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(1); // the app is gone; nobody is left to report to
        sent += static_cast<std::size_t>(n);
    }
}

void LabLink::waitGo() {
    std::string got;
    char c;
    while (got != "go") {
        ssize_t n = read(m_fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(1);
        if (c == '\n') {
            if (got != "go")
                got.clear();
            else
                break;
        } else {
            got += c;
        }
    }
}

void LabLink::progress(std::uint64_t done) {
    const std::uint64_t now = nowNs();
    if (now - m_lastProgress < 100'000'000)
        return;
    m_lastProgress = now;
    send("progress " + std::to_string(done) + "\n");
}

void LabLink::result(std::initializer_list<std::pair<std::string_view, std::uint64_t>> fields) {
    send(core::labs::formatLabLine("result", fields));
}

void LabLink::fail(int err, const std::string& sentence) {
    std::string line = "error " + std::to_string(err) + " " + sentence;
    for (char& ch : line)
        if (ch == '\n')
            ch = ' ';
    send(line + "\n");
    _exit(1);
}

void LabLink::failErrno(const std::string& doing) {
    const int err = errno;
    std::string text = std::strerror(err);
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    fail(err, doing + " failed: " + text + ".");
}

std::uint64_t nowNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

CpuMark CpuMark::now() {
    CpuMark m;
    getrusage(RUSAGE_SELF, &m.usage);
    return m;
}

CpuSpent cpuSince(const CpuMark& start) {
    const CpuMark end = CpuMark::now();
    auto us = [](const timeval& tv) {
        return static_cast<std::uint64_t>(tv.tv_sec) * 1'000'000ull + static_cast<std::uint64_t>(tv.tv_usec);
    };
    CpuSpent s;
    s.userUs = us(end.usage.ru_utime) - us(start.usage.ru_utime);
    s.sysUs = us(end.usage.ru_stime) - us(start.usage.ru_stime);
    s.switches = static_cast<std::uint64_t>((end.usage.ru_nvcsw - start.usage.ru_nvcsw) +
                                            (end.usage.ru_nivcsw - start.usage.ru_nivcsw));
    return s;
}

} // namespace shmviz::worker
