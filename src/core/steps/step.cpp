#include "core/steps/step.h"

#include "core/steps/units.h"

#include <algorithm>
#include <array>
#include <functional>

namespace shmviz::core {

namespace {

struct VerbInfo {
    Verb verb;
    const char* name;
    const char* usage;
    const char* what;
};

constexpr std::array kVerbs{
    VerbInfo{Verb::Shmget, "shmget", "shmget SIZE [key=0xHEX|private] [mode=OCTAL] [excl] [hugetlb]",
             "create or open a System V segment"},
    VerbInfo{Verb::Spawn, "spawn", "spawn [N]", "start N worker processes (default 1)"},
    VerbInfo{Verb::Shmat, "shmat", "shmat W|all [seg=N] [addr=0xHEX] [rdonly]", "attach a System V segment"},
    VerbInfo{Verb::Touch, "touch", "touch W|all [PAGE|all] [seg=N|anon] [at=K]",
             "write to pages, faulting them in"},
    VerbInfo{Verb::Write, "write", "write W PAGE TEXT... [seg=N|anon] [at=K]",
             "write text at the start of a page"},
    VerbInfo{Verb::Read, "read", "read W PAGE [seg=N|anon] [at=K]", "read the text at the start of a page"},
    VerbInfo{Verb::Shmdt, "shmdt", "shmdt W|all [seg=N] [at=K]", "detach a System V segment"},
    VerbInfo{Verb::Rmid, "rmid", "rmid [seg=N]", "shmctl(IPC_RMID): mark for destruction"},
    VerbInfo{Verb::Keep, "keep", "keep [seg=N]", "leave the segment in the kernel after the session"},
    VerbInfo{Verb::Kill, "kill", "kill W", "send SIGKILL to a worker"},
    VerbInfo{Verb::Snapshot, "snapshot", "snapshot [runs]",
             "report everything the kernel says now (runs: consecutive pages as runs)"},
    VerbInfo{Verb::Say, "say", "say TEXT...", "narration, for lessons"},
    VerbInfo{Verb::Help, "help", "help", "list the steps"},
    VerbInfo{Verb::Quit, "quit", "quit", "end the session"},
    VerbInfo{Verb::ShmOpen, "shm_open", "shm_open NAME [size=SIZE] [mode=OCTAL] [excl] [hugetlb]",
             "create or open a POSIX object"},
    VerbInfo{Verb::Ftruncate, "ftruncate", "ftruncate SIZE [seg=N]", "set a POSIX object's size"},
    VerbInfo{Verb::Mmap, "mmap", "mmap W|all [seg=N] [private] [rdonly] [addr=0xHEX]", "map a POSIX object"},
    VerbInfo{Verb::Munmap, "munmap", "munmap W|all [seg=N|anon] [at=K]", "unmap a POSIX object"},
    VerbInfo{Verb::ShmUnlink, "shm_unlink", "shm_unlink [seg=N]", "remove a POSIX object's name"},
    VerbInfo{Verb::Fork, "fork", "fork W", "worker W forks a child that inherits its mappings"},
    VerbInfo{Verb::Anon, "anon", "anon W PAGES", "worker W maps private anonymous memory"},
    VerbInfo{Verb::Race, "race", "race MODE N K", "N workers each add 1 to a shared counter K times"},
    VerbInfo{Verb::Torn, "torn", "torn MODE SECONDS", "a writer and readers race on a shared record"},
    VerbInfo{Verb::IpcBench, "ipcbench", "ipcbench METHOD SIZE", "move SIZE bytes between two workers"},
    VerbInfo{Verb::Require, "require", "require hugepages [N] | require hugetlbfs",
             "end the lesson here, with the reason, unless the machine has it"},
};

const VerbInfo* findVerb(std::string_view name) {
    for (const VerbInfo& v : kVerbs)
        if (name == v.name)
            return &v;
    return nullptr;
}

const VerbInfo& infoOf(Verb verb) {
    for (const VerbInfo& v : kVerbs)
        if (v.verb == verb)
            return v;
    return kVerbs[0];
}

std::vector<std::string_view> tokenize(std::string_view line) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            tokens.push_back(line.substr(start, i - start));
    }
    return tokens;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

class Parser {
  public:
    Parser(const VerbInfo& info, std::vector<std::string_view> args)
        : m_info(info), m_args(std::move(args)) {}

    Error usage(const std::string& problem) const {
        return makeError(EINVAL, problem + " Usage: " + m_info.usage + ".");
    }

    bool hasPositional() const { return m_next < m_positional.size(); }
    std::string_view nextPositional() { return m_positional[m_next++]; }

    // Splits key=value options and bare flags out of the arguments.
    Status split(std::initializer_list<const char*> options, std::initializer_list<const char*> flags,
                 bool restIsText) {
        for (std::string_view a : m_args) {
            std::size_t eq = a.find('=');
            if (eq != std::string_view::npos && !restIsText) {
                std::string_view key = a.substr(0, eq);
                if (std::find_if(options.begin(), options.end(), [&](const char* o) { return key == o; }) ==
                    options.end())
                    return usage("\"" + std::string(key) + "\" is not an option of " + m_info.name + ".");
                m_options.emplace_back(key, a.substr(eq + 1));
                continue;
            }
            if (eq != std::string_view::npos && restIsText) {
                std::string_view key = a.substr(0, eq);
                if (std::find_if(options.begin(), options.end(), [&](const char* o) { return key == o; }) !=
                    options.end()) {
                    m_options.emplace_back(key, a.substr(eq + 1));
                    continue;
                }
            }
            if (std::find_if(flags.begin(), flags.end(), [&](const char* f) { return a == f; }) !=
                flags.end()) {
                m_flags.push_back(a);
                continue;
            }
            m_positional.push_back(a);
        }
        return Ok{};
    }

    bool flag(std::string_view name) const {
        return std::find(m_flags.begin(), m_flags.end(), name) != m_flags.end();
    }

    std::optional<std::string_view> option(std::string_view key) const {
        for (auto& [k, v] : m_options)
            if (k == key)
                return v;
        return std::nullopt;
    }

    Status noMorePositional() const {
        if (m_next < m_positional.size())
            return usage("Unexpected \"" + std::string(m_positional[m_next]) + "\".");
        return Ok{};
    }

    std::vector<std::string_view> remainingPositional() {
        std::vector<std::string_view> rest(m_positional.begin() + static_cast<long>(m_next),
                                           m_positional.end());
        m_next = m_positional.size();
        return rest;
    }

  private:
    const VerbInfo& m_info;
    std::vector<std::string_view> m_args;
    std::vector<std::string_view> m_positional;
    std::vector<std::pair<std::string_view, std::string_view>> m_options;
    std::vector<std::string_view> m_flags;
    std::size_t m_next = 0;
};

Result<int> parseIndex(std::string_view text, const char* what) {
    auto v = parseUnsigned(text, 10, what);
    if (!v)
        return makeError(EINVAL, std::string(what) + " \"" + std::string(text) + "\" is not a number.");
    if (*v > 1'000'000)
        return makeError(ERANGE, std::string(what) + " " + std::string(text) + " is out of range.");
    return static_cast<int>(*v);
}

} // namespace

const char* verbName(Verb verb) {
    return infoOf(verb).name;
}

bool isSkippableLine(std::string_view line) {
    line = trim(line);
    return line.empty() || line.front() == '#';
}

const std::vector<std::pair<std::string, std::string>>& stepUsage() {
    static const auto table = [] {
        std::vector<std::pair<std::string, std::string>> t;
        for (const VerbInfo& v : kVerbs)
            t.emplace_back(v.usage, v.what);
        return t;
    }();
    return table;
}

Result<Step> parseStep(std::string_view rawLine) {
    std::string_view line = trim(rawLine);
    auto tokens = tokenize(line);
    if (tokens.empty())
        return makeError(EINVAL, "The step is empty; type help for the list of steps.");
    const VerbInfo* info = findVerb(tokens[0]);
    if (!info)
        return makeError(EINVAL, "\"" + std::string(tokens[0]) +
                                     "\" is not a step; type help for the list of steps.");
    Step step;
    step.verb = info->verb;
    step.line = std::string(line);
    Parser p(*info, std::vector<std::string_view>(tokens.begin() + 1, tokens.end()));

    auto takeWorker = [&](bool allowAll) -> Status {
        if (!p.hasPositional())
            return p.usage(std::string("Which worker? ") +
                           (allowAll ? "Give its number or all." : "Give its number."));
        std::string_view w = p.nextPositional();
        if (w == "all") {
            if (!allowAll)
                return p.usage(std::string(info->name) + " takes one worker, not all.");
            step.worker.all = true;
            return Ok{};
        }
        auto index = parseIndex(w, "Worker");
        if (!index)
            return p.usage(index.error().message);
        step.worker.index = *index;
        return Ok{};
    };
    auto takePage = [&](bool allowAll, bool required) -> Status {
        if (!p.hasPositional()) {
            if (required)
                return p.usage("Which page? Give its number.");
            step.page = PageTarget{true, 0};
            return Ok{};
        }
        std::string_view t = p.nextPositional();
        if (t == "all" && allowAll) {
            step.page = PageTarget{true, 0};
            return Ok{};
        }
        auto v = parseUnsigned(t, 10, "Page");
        if (!v)
            return p.usage(v.error().message);
        step.page = PageTarget{false, *v};
        return Ok{};
    };
    auto takeCommonOptions = [&]() -> Status {
        if (auto s = p.option("seg"); s && *s == "anon") {
            step.segment = -1;
        } else if (s) {
            auto v = parseIndex(*s, "Segment");
            if (!v)
                return p.usage(v.error().message);
            step.segment = *v;
        }
        if (auto s = p.option("at")) {
            auto v = parseIndex(*s, "Attachment");
            if (!v)
                return p.usage(v.error().message);
            step.attachment = *v;
        }
        if (auto s = p.option("addr")) {
            auto v = parseUnsigned(*s, 16, "Address");
            if (!v)
                return p.usage(v.error().message);
            step.address = *v;
        }
        if (auto s = p.option("mode")) {
            auto v = parseUnsigned(*s, 8, "Mode");
            if (!v)
                return p.usage(v.error().message);
            if (*v > 0777)
                return p.usage("Mode " + std::string(*s) + " is not a permission mode between 000 and 777.");
            step.mode = static_cast<unsigned>(*v);
        }
        if (auto s = p.option("size")) {
            auto v = parseSize(*s);
            if (!v)
                return p.usage(v.error().message);
            step.size = *v;
        }
        if (auto s = p.option("key")) {
            if (*s != "private") {
                if (s->size() < 3 || (*s)[0] != '0' || ((*s)[1] != 'x' && (*s)[1] != 'X'))
                    return p.usage("Key \"" + std::string(*s) +
                                   "\" must be private or hexadecimal like 0x1234.");
                auto v = parseUnsigned(*s, 16, "Key");
                if (!v)
                    return p.usage(v.error().message);
                if (*v > 0xffffffffu)
                    return p.usage("Key " + std::string(*s) + " does not fit in 32 bits.");
                if (*v == 0)
                    return p.usage("Key 0x0 is IPC_PRIVATE; write key=private to ask for a private segment.");
                step.key = static_cast<std::uint32_t>(*v);
            }
        }
        step.excl = p.flag("excl");
        step.rdonly = p.flag("rdonly");
        step.privateMapping = p.flag("private");
        step.hugetlb = p.flag("hugetlb");
        return Ok{};
    };
    auto finish = [&](Status s) -> Result<Step> {
        if (!s)
            return s.error();
        if (auto c = takeCommonOptions(); !c)
            return c.error();
        if (auto e = p.noMorePositional(); !e)
            return e.error();
        return step;
    };
    auto sizeArg = [&]() -> Status {
        if (!p.hasPositional())
            return p.usage("The size is missing.");
        auto v = parseSize(p.nextPositional());
        if (!v)
            return p.usage(v.error().message);
        step.size = *v;
        return Ok{};
    };
    auto wordArg = [&](const char* what) -> Status {
        if (!p.hasPositional())
            return p.usage(std::string("The ") + what + " is missing.");
        step.word = std::string(p.nextPositional());
        return Ok{};
    };
    auto countArg = [&](const char* what, bool required, std::uint64_t& out) -> Status {
        if (!p.hasPositional()) {
            if (required)
                return p.usage(std::string("The ") + what + " is missing.");
            return Ok{};
        }
        auto v = parseUnsigned(p.nextPositional(), 10, what);
        if (!v)
            return p.usage(v.error().message);
        out = *v;
        return Ok{};
    };
    auto chain = [](std::initializer_list<std::function<Status()>> parts) -> Status {
        for (auto& part : parts)
            if (auto s = part(); !s)
                return s;
        return Ok{};
    };

    switch (info->verb) {
    case Verb::Shmget:
        if (auto s = p.split({"key", "mode"}, {"excl", "hugetlb"}, false); !s)
            return s.error();
        return finish(sizeArg());
    case Verb::Spawn:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(countArg("Worker count", false, step.count));
    case Verb::Shmat:
        if (auto s = p.split({"seg", "addr"}, {"rdonly"}, false); !s)
            return s.error();
        return finish(takeWorker(true));
    case Verb::Touch:
        if (auto s = p.split({"seg", "at"}, {}, false); !s)
            return s.error();
        return finish(chain({[&] { return takeWorker(true); }, [&] { return takePage(true, false); }}));
    case Verb::Write: {
        if (auto s = p.split({"seg", "at"}, {}, true); !s)
            return s.error();
        if (auto s = chain({[&] { return takeWorker(false); }, [&] { return takePage(false, true); }}); !s)
            return s.error();
        auto words = p.remainingPositional();
        if (words.empty())
            return p.usage("The text to write is missing.");
        // Keep the text's own spacing: take it from the line, minus trailing options.
        const auto from = static_cast<std::size_t>(words.front().data() - line.data());
        std::size_t to = static_cast<std::size_t>(words.back().data() + words.back().size() - line.data());
        step.text = std::string(line.substr(from, to - from));
        return finish(Ok{});
    }
    case Verb::Read:
        if (auto s = p.split({"seg", "at"}, {}, false); !s)
            return s.error();
        return finish(chain({[&] { return takeWorker(false); }, [&] { return takePage(false, true); }}));
    case Verb::Shmdt:
    case Verb::Munmap:
        if (auto s = p.split({"seg", "at"}, {}, false); !s)
            return s.error();
        return finish(takeWorker(true));
    case Verb::Rmid:
    case Verb::Keep:
    case Verb::ShmUnlink:
        if (auto s = p.split({"seg"}, {}, false); !s)
            return s.error();
        return finish(Ok{});
    case Verb::Kill:
    case Verb::Fork:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(takeWorker(false));
    case Verb::Snapshot:
        if (auto s = p.split({}, {"runs"}, false); !s)
            return s.error();
        step.runs = p.flag("runs");
        return finish(Ok{});
    case Verb::Help:
    case Verb::Quit:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(Ok{});
    case Verb::Say: {
        std::size_t space = line.find_first_of(" \t");
        step.text = space == std::string_view::npos ? "" : std::string(trim(line.substr(space)));
        return step;
    }
    case Verb::ShmOpen:
        if (auto s = p.split({"size", "mode"}, {"excl", "hugetlb"}, false); !s)
            return s.error();
        return finish(wordArg("name"));
    case Verb::Ftruncate:
        if (auto s = p.split({"seg"}, {}, false); !s)
            return s.error();
        return finish(sizeArg());
    case Verb::Mmap:
        if (auto s = p.split({"seg", "addr"}, {"private", "rdonly"}, false); !s)
            return s.error();
        return finish(takeWorker(true));
    case Verb::Anon:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(chain(
            {[&] { return takeWorker(false); }, [&] { return countArg("Page count", true, step.count); }}));
    case Verb::Race:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(chain({[&] { return wordArg("mode"); },
                             [&] { return countArg("Worker count", true, step.count); },
                             [&] { return countArg("Increment count", true, step.amount); }}));
    case Verb::Torn:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(
            chain({[&] { return wordArg("mode"); }, [&] { return countArg("Seconds", true, step.amount); }}));
    case Verb::Require:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(chain({[&] { return wordArg("requirement"); },
                             [&] { return countArg("Huge page count", false, step.count); }}));
    case Verb::IpcBench:
        if (auto s = p.split({}, {}, false); !s)
            return s.error();
        return finish(chain({[&] { return wordArg("method"); }, sizeArg}));
    }
    return makeError(EINVAL, "Unhandled step.");
}

} // namespace shmviz::core
