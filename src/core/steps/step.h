#pragma once
// The step language: one line, one action. Lessons, tests, the headless prompt and the GUI's
// buttons all speak it (see README "Step language").
#include "core/base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shmviz::core {

enum class Verb {
    Shmget,
    Spawn,
    Shmat,
    Touch,
    Write,
    Read,
    Shmdt,
    Rmid,
    Keep,
    Kill,
    Snapshot,
    Say,
    Help,
    Quit,
    ShmOpen,
    Ftruncate,
    Mmap,
    Munmap,
    ShmUnlink,
    Fork,
    Anon,
    Race,
    Torn,
    IpcBench,
    Require,
    Ask,
};

struct WorkerTarget {
    bool all = false;
    int index = 0;
};

struct PageTarget {
    bool all = false;
    std::uint64_t index = 0;
};

struct Step {
    Verb verb = Verb::Help;
    std::string line;                     // the line as given, trimmed
    WorkerTarget worker;                  // shmat, touch, write, read, shmdt, kill, mmap, munmap, fork, anon
    std::optional<PageTarget> page;       // touch (default all), write, read
    std::optional<int> segment;           // seg=N; default: the newest segment; -1 for seg=anon
    std::optional<int> attachment;        // at=K: which of the worker's attachments of that segment
    std::optional<std::uint64_t> size;    // shmget, shm_open size=, ftruncate, ipcbench
    std::optional<std::uint64_t> address; // addr=0xHEX
    std::optional<std::uint32_t> key;     // key=0xHEX; unset with keyPrivate=false means IPC_PRIVATE
    std::optional<unsigned> mode;         // mode=OCTAL
    bool excl = false;
    bool rdonly = false;
    bool privateMapping = false; // mmap ... private
    bool hugetlb = false;
    bool runs = false;        // snapshot runs: report consecutive pages and frames as runs
    std::uint64_t count = 1;  // spawn N, anon PAGES, race N
    std::uint64_t amount = 0; // race K, torn SECONDS
    std::string word;         // race/torn MODE, ipcbench METHOD, shm_open NAME
    std::string text;         // write TEXT, say TEXT, ask's question
};

const char* verbName(Verb verb);

// Parses one non-empty, non-comment line. Errors are EINVAL with one plain sentence.
Result<Step> parseStep(std::string_view line);

// True for blank lines and '#' comments, which scripts skip.
bool isSkippableLine(std::string_view line);

// A short usage line for each verb, for help and error messages.
const std::vector<std::pair<std::string, std::string>>& stepUsage();

} // namespace shmviz::core
