#include "app/headless.h"

#include "app/json/json_writer.h"
#include "app/signals.h"
#include "core/session/session.h"

#include <cstdio>
#include <iostream>
#include <poll.h>
#include <unistd.h>

namespace shmviz::app {

namespace {

// Reads one line from stdin, giving up when a termination signal arrives.
bool readLine(std::string& line) {
    static std::string pending;
    for (;;) {
        std::size_t nl = pending.find('\n');
        if (nl != std::string::npos) {
            line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            return true;
        }
        pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {terminationFd(), POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (fds[1].revents || terminationRequested())
            return false;
        char buffer[4096];
        ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (pending.empty())
                return false;
            line = std::exchange(pending, {});
            return true;
        }
        pending.append(buffer, static_cast<std::size_t>(got));
    }
}

void printText(const core::StepReply& reply) {
    if (reply.cmd.starts_with("say ")) {
        std::printf("\n%s\n", reply.explain.c_str());
        return;
    }
    if (reply.ok && reply.data.contains("ask")) {
        std::printf("\n? %s\n", reply.data["ask"].value("question", "").c_str());
        return;
    }
    std::printf("  > %s\n", reply.cmd.c_str());
    if (!reply.ok)
        std::printf("    %s: %s\n", core::errnoName(reply.error->err).c_str(), reply.error->message.c_str());
    if (reply.data.contains("text"))
        std::printf("    text: \"%s\"\n", reply.data["text"].get<std::string>().c_str());
    if (!reply.explain.empty() && reply.ok)
        std::printf("    %s\n", reply.explain.c_str());
}

} // namespace

int runHeadless(const std::string& script, bool fromStdin, bool text, int stopAfter) {
    installTerminationHandlers();
    core::Session session;
    std::size_t offset = 0;
    auto nextScriptLine = [&](std::string& line) {
        if (offset >= script.size())
            return false;
        std::size_t nl = script.find('\n', offset);
        line = script.substr(offset, nl == std::string::npos ? std::string::npos : nl - offset);
        offset = nl == std::string::npos ? script.size() : nl + 1;
        return true;
    };
    std::string line;
    while (!terminationRequested() && (fromStdin ? readLine(line) : nextScriptLine(line))) {
        if (core::isSkippableLine(line))
            continue;
        core::StepReply reply = session.execute(line);
        if (text) {
            printText(reply);
        } else {
            json::writeReply(stdout, reply);
        }
        std::fflush(stdout);
        if (reply.quit || (reply.endsScript && !fromStdin) || reply.number == stopAfter)
            break;
    }
    session.end();
    return session.failures() == 0 ? 0 : 1;
}

} // namespace shmviz::app
