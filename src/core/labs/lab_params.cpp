#include "core/labs/lab_params.h"

#include "core/steps/units.h"

#include <array>
#include <string>
#include <utility>

namespace shmviz::core::labs {

namespace {

constexpr std::array kRaceModes{
    std::pair{RaceMode::Unsync, "unsync"},    std::pair{RaceMode::Atomic, "atomic"},
    std::pair{RaceMode::Mutex, "mutex"},      std::pair{RaceMode::MutexKill, "mutex-kill"},
    std::pair{RaceMode::SysvSem, "sysv-sem"}, std::pair{RaceMode::PosixSem, "posix-sem"}};
constexpr std::array kTornModes{std::pair{TornMode::Unsync, "unsync"},
                                std::pair{TornMode::Seqlock, "seqlock"}, std::pair{TornMode::Mutex, "mutex"}};
constexpr std::array kIpcMethods{std::pair{IpcMethod::Pipe, "pipe"}, std::pair{IpcMethod::Socket, "socket"},
                                 std::pair{IpcMethod::Mqueue, "mqueue"}, std::pair{IpcMethod::Shm, "shm"},
                                 std::pair{IpcMethod::Memcpy, "memcpy"}};

template <class Table, class E> std::string_view nameIn(const Table& table, E value) {
    for (auto& [v, name] : table)
        if (v == value)
            return name;
    return "?";
}

template <class Table>
auto valueIn(const Table& table, std::string_view word) -> std::optional<decltype(table[0].first)> {
    for (auto& [v, name] : table)
        if (word == name)
            return v;
    return std::nullopt;
}

template <class Table> std::string wordList(const Table& table) {
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (i > 0)
            out += i + 1 == table.size() ? " or " : ", ";
        out += table[i].second;
    }
    return out;
}

} // namespace

std::string_view nameOf(RaceMode mode) {
    return nameIn(kRaceModes, mode);
}
std::string_view nameOf(TornMode mode) {
    return nameIn(kTornModes, mode);
}
std::string_view nameOf(IpcMethod method) {
    return nameIn(kIpcMethods, method);
}

std::optional<RaceMode> raceModeFrom(std::string_view word) {
    return valueIn(kRaceModes, word);
}
std::optional<TornMode> tornModeFrom(std::string_view word) {
    return valueIn(kTornModes, word);
}
std::optional<IpcMethod> ipcMethodFrom(std::string_view word) {
    return valueIn(kIpcMethods, word);
}

Result<RaceParams> raceParams(const Step& step) {
    auto mode = raceModeFrom(step.word);
    if (!mode)
        return makeError(EINVAL,
                         "Race mode \"" + step.word + "\" is unknown; use " + wordList(kRaceModes) + ".");
    if (step.count < kMinWorkers || step.count > kMaxWorkers)
        return makeError(EINVAL, "A race takes between " + std::to_string(kMinWorkers) + " and " +
                                     std::to_string(kMaxWorkers) + " workers, not " +
                                     std::to_string(step.count) + ".");
    if (step.amount < 1 || step.amount > kMaxIncrements)
        return makeError(EINVAL, "Each worker adds between 1 and " + std::to_string(kMaxIncrements) +
                                     " times, not " + std::to_string(step.amount) + ".");
    if (*mode == RaceMode::MutexKill && (step.count < 2 || step.amount < 2))
        return makeError(
            EINVAL, "The mutex-kill mode needs at least 2 workers and 2 increments: one worker is killed "
                    "halfway while the others go on.");
    return RaceParams{*mode, static_cast<int>(step.count), step.amount};
}

Result<TornParams> tornParams(const Step& step) {
    auto mode = tornModeFrom(step.word);
    if (!mode)
        return makeError(EINVAL, "Torn-read mode \"" + step.word + "\" is unknown; use " +
                                     wordList(kTornModes) + ".");
    if (step.amount < kMinTornSeconds || step.amount > kMaxTornSeconds)
        return makeError(EINVAL, "A torn-read run lasts between " + std::to_string(kMinTornSeconds) +
                                     " and " + std::to_string(kMaxTornSeconds) + " seconds, not " +
                                     std::to_string(step.amount) + ".");
    return TornParams{*mode, static_cast<int>(step.amount)};
}

Result<IpcParams> ipcParams(const Step& step) {
    auto method = ipcMethodFrom(step.word);
    if (!method)
        return makeError(EINVAL, "Transfer method \"" + step.word + "\" is unknown; use " +
                                     wordList(kIpcMethods) + ".");
    const std::uint64_t bytes = step.size.value_or(0);
    if (bytes < kMinTransfer || bytes > kMaxTransfer)
        return makeError(EINVAL, "A transfer moves between 1 MiB and 1 GiB, not " + formatSize(bytes) + ".");
    return IpcParams{*method, bytes};
}

int copiesPerByte(IpcMethod method) {
    switch (method) {
    case IpcMethod::Pipe:
    case IpcMethod::Socket:
    case IpcMethod::Mqueue:
        return 2;
    case IpcMethod::Shm:
    case IpcMethod::Memcpy:
        return 1;
    }
    return 0;
}

} // namespace shmviz::core::labs
