#include "core/steps/step.h"

#include "core/steps/units.h"

#include <algorithm>
#include <array>

namespace shmviz::core {

namespace {

// What a verb takes after its name, in order.
enum class Arg {
    None,
    WorkerOrAll, // W|all
    OneWorker,   // W
    PageOrAll,   // [PAGE|all], all when left out
    Page,        // PAGE
    Size,        // SIZE with units
    Word,        // one word: a mode, a name, a method
    Name,        // NAME, or its bytes as name_hex=HEX
    Count,       // N into Step::count
    MaybeCount,  // [N] into Step::count
    Amount,      // N into Step::amount
    Text,        // the rest of the line, its spacing kept
    MaybeWorker, // [W]: one worker, when given
    MaybePage,   // [PAGE]: one page, when given
};

// What follows the verb: parsed words, free text (say), or parsed words then ':' and a question (ask).
enum class Tail {
    Parsed,
    RawText,
    Question,
};

struct ArgSpec {
    Arg kind = Arg::None;
    const char* what = ""; // for "The <what> is missing." and number errors
};

struct VerbInfo {
    Verb verb;
    const char* name;
    const char* usage;
    const char* what;
    std::array<const char*, 3> options{}; // key=value options it accepts, beside seg/at/... checked later
    std::array<const char*, 2> flags{};   // bare words it accepts
    std::array<ArgSpec, 3> args{};
    Tail tail = Tail::Parsed;
};

// The step language, one row per verb (a table of data, so it is as long as the language is).
constexpr std::array kVerbs{
    VerbInfo{Verb::Shmget,
             "shmget",
             "shmget SIZE [key=0xHEX|private] [mode=OCTAL] [excl] [hugetlb]",
             "create or open a System V segment",
             {"key", "mode"},
             {"excl", "hugetlb"},
             {{{Arg::Size}}}},
    VerbInfo{Verb::Spawn,
             "spawn",
             "spawn [N]",
             "start N worker processes (default 1)",
             {},
             {},
             {{{Arg::MaybeCount, "Worker count"}}}},
    VerbInfo{Verb::Shmat,
             "shmat",
             "shmat W|all [seg=N] [addr=0xHEX] [rdonly]",
             "attach a System V segment",
             {"seg", "addr"},
             {"rdonly"},
             {{{Arg::WorkerOrAll}}}},
    VerbInfo{Verb::Touch,
             "touch",
             "touch W|all [PAGE|all] [seg=N|anon] [at=K]",
             "write to pages, faulting them in",
             {"seg", "at"},
             {},
             {{{Arg::WorkerOrAll}, {Arg::PageOrAll}}}},
    VerbInfo{Verb::Write,
             "write",
             "write W PAGE TEXT... [seg=N|anon] [at=K]",
             "write text at the start of a page",
             {"seg", "at"},
             {},
             {{{Arg::OneWorker}, {Arg::Page}, {Arg::Text, "text to write"}}}},
    VerbInfo{Verb::Read,
             "read",
             "read W PAGE [seg=N|anon] [at=K]",
             "read the text at the start of a page",
             {"seg", "at"},
             {},
             {{{Arg::OneWorker}, {Arg::Page}}}},
    VerbInfo{Verb::Shmdt,
             "shmdt",
             "shmdt W|all [seg=N] [at=K]",
             "detach a System V segment",
             {"seg", "at"},
             {},
             {{{Arg::WorkerOrAll}}}},
    VerbInfo{Verb::Rmid, "rmid", "rmid [seg=N]", "shmctl(IPC_RMID): mark for destruction", {"seg"}},
    VerbInfo{
        Verb::Keep, "keep", "keep [seg=N]", "leave the segment in the kernel after the session", {"seg"}},
    VerbInfo{Verb::Kill, "kill", "kill W", "send SIGKILL to a worker", {}, {}, {{{Arg::OneWorker}}}},
    VerbInfo{Verb::Snapshot,
             "snapshot",
             "snapshot [runs]",
             "report everything the kernel says now (runs: consecutive pages as runs)",
             {},
             {"runs"}},
    VerbInfo{Verb::Say, "say", "say TEXT...", "narration, for lessons", {}, {}, {}, Tail::RawText},
    VerbInfo{Verb::Help, "help", "help", "list the steps"},
    VerbInfo{Verb::Quit, "quit", "quit", "end the session"},
    VerbInfo{Verb::ShmOpen,
             "shm_open",
             "shm_open NAME|name_hex=BYTES [size=SIZE] [mode=OCTAL] [excl] [hugetlb]",
             "create or open a POSIX object",
             {"size", "mode", "name_hex"},
             {"excl", "hugetlb"},
             {{{Arg::Name, "name"}}}},
    VerbInfo{Verb::Ftruncate,
             "ftruncate",
             "ftruncate SIZE [seg=N]",
             "set a POSIX object's size",
             {"seg"},
             {},
             {{{Arg::Size}}}},
    VerbInfo{Verb::Mmap,
             "mmap",
             "mmap W|all [seg=N] [private] [rdonly] [addr=0xHEX]",
             "map a POSIX object",
             {"seg", "addr"},
             {"private", "rdonly"},
             {{{Arg::WorkerOrAll}}}},
    VerbInfo{Verb::Munmap,
             "munmap",
             "munmap W|all [seg=N|anon] [at=K]",
             "unmap a POSIX object",
             {"seg", "at"},
             {},
             {{{Arg::WorkerOrAll}}}},
    VerbInfo{Verb::ShmUnlink, "shm_unlink", "shm_unlink [seg=N]", "remove a POSIX object's name", {"seg"}},
    VerbInfo{Verb::Fork,
             "fork",
             "fork W",
             "worker W forks a child that inherits its mappings",
             {},
             {},
             {{{Arg::OneWorker}}}},
    VerbInfo{Verb::Anon,
             "anon",
             "anon W PAGES",
             "worker W maps private anonymous memory",
             {},
             {},
             {{{Arg::OneWorker}, {Arg::Count, "Page count"}}}},
    VerbInfo{Verb::Race,
             "race",
             "race MODE N K",
             "N workers each add 1 to a shared counter K times",
             {},
             {},
             {{{Arg::Word, "mode"}, {Arg::Count, "Worker count"}, {Arg::Amount, "Increment count"}}}},
    VerbInfo{Verb::Torn,
             "torn",
             "torn MODE SECONDS",
             "a writer and readers race on a shared record",
             {},
             {},
             {{{Arg::Word, "mode"}, {Arg::Amount, "Seconds"}}}},
    VerbInfo{Verb::IpcBench,
             "ipcbench",
             "ipcbench METHOD SIZE",
             "move SIZE bytes between two workers",
             {},
             {},
             {{{Arg::Word, "method"}, {Arg::Size}}}},
    VerbInfo{Verb::Require,
             "require",
             "require hugepages [N] | require hugetlbfs",
             "end the lesson here, with the reason, unless the machine has it",
             {},
             {},
             {{{Arg::Word, "requirement"}, {Arg::MaybeCount, "Huge page count"}}}},
    VerbInfo{Verb::Ask,
             "ask",
             "ask present|frame|visible W PAGE [seg=N|anon] [at=K]: QUESTION | ask nattch [seg=N]: QUESTION",
             "pose a question; the next step that acts reveals the answer",
             {"seg", "at"},
             {},
             {{{Arg::Word, "kind of question"}, {Arg::MaybeWorker}, {Arg::MaybePage}}},
             Tail::Question},
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
    std::size_t positionalCount() const { return m_positional.size(); }
    std::string_view nextPositional() { return m_positional[m_next++]; }

    // Splits key=value options and bare flags out of the arguments. With `restIsText`, a word with
    // '=' that is not an option is text.
    Status split(bool restIsText) {
        const auto listed = [](const auto& names, std::string_view word) {
            return std::any_of(names.begin(), names.end(), [&](const char* n) { return n && word == n; });
        };
        for (std::string_view a : m_args) {
            const std::size_t eq = a.find('=');
            if (eq != std::string_view::npos) {
                const std::string_view key = a.substr(0, eq);
                if (listed(m_info.options, key)) {
                    m_options.emplace_back(key, a.substr(eq + 1));
                    continue;
                }
                if (!restIsText)
                    return usage("\"" + std::string(key) + "\" is not an option of " + m_info.name + ".");
            }
            if (listed(m_info.flags, a))
                m_flags.push_back(a);
            else
                m_positional.push_back(a);
        }
        return Ok{};
    }

    const VerbInfo& info() const { return m_info; }

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

// name_hex=2f61ff: the bytes of a name that is not valid UTF-8, as the JSON's "name_hex" gives them.
Result<std::string> decodeHexName(std::string_view hex) {
    if (hex.empty() || hex.size() % 2 != 0)
        return makeError(EINVAL, "name_hex needs an even number of hex digits, two per byte of the name.");
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        auto byte = parseUnsigned(hex.substr(i, 2), 16, "name_hex");
        if (!byte || hex[i] == '+' || hex[i] == '-')
            return makeError(EINVAL, "name_hex \"" + std::string(hex) +
                                         "\" holds a character that is not a hex digit.");
        out.push_back(static_cast<char>(*byte));
    }
    return out;
}

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

namespace {

Status takeWorker(Parser& p, Step& step, bool allowAll) {
    if (!p.hasPositional())
        return p.usage(std::string("Which worker? ") +
                       (allowAll ? "Give its number or all." : "Give its number."));
    const std::string_view w = p.nextPositional();
    if (w == "all") {
        if (!allowAll)
            return p.usage(std::string(p.info().name) + " takes one worker, not all.");
        step.worker.all = true;
        return Ok{};
    }
    auto index = parseIndex(w, "Worker");
    if (!index)
        return p.usage(index.error().message);
    step.worker.index = *index;
    return Ok{};
}

Status takePage(Parser& p, Step& step, bool allowAll) {
    if (!p.hasPositional()) {
        if (!allowAll)
            return p.usage("Which page? Give its number.");
        step.page = PageTarget{true, 0};
        return Ok{};
    }
    const std::string_view t = p.nextPositional();
    if (t == "all" && allowAll) {
        step.page = PageTarget{true, 0};
        return Ok{};
    }
    auto v = parseUnsigned(t, 10, "Page");
    if (!v)
        return p.usage(v.error().message);
    step.page = PageTarget{false, *v};
    return Ok{};
}

Status takeCount(Parser& p, const char* what, bool required, std::uint64_t& out) {
    if (!p.hasPositional())
        return required ? Status(p.usage(std::string("The ") + what + " is missing.")) : Status(Ok{});
    auto v = parseUnsigned(p.nextPositional(), 10, what);
    if (!v)
        return p.usage(v.error().message);
    out = *v;
    return Ok{};
}

// NAME, or name_hex=BYTES for a name that is not valid UTF-8 (the JSON's "name_hex" gives the bytes).
Status takeName(Parser& p, Step& step, const char* what) {
    auto hexName = p.option("name_hex");
    if (!hexName) {
        if (!p.hasPositional())
            return p.usage(std::string("The ") + what + " is missing.");
        step.word = std::string(p.nextPositional());
        return Ok{};
    }
    if (p.hasPositional())
        return p.usage("Give the name either as NAME or as name_hex=BYTES, not both.");
    auto bytes = decodeHexName(*hexName);
    if (!bytes)
        return p.usage(bytes.error().message);
    step.word = std::move(*bytes);
    return Ok{};
}

// The rest of the words, with the line's own spacing between them.
Status takeText(Parser& p, Step& step, std::string_view line, const char* what) {
    const auto words = p.remainingPositional();
    if (words.empty())
        return p.usage(std::string("The ") + what + " is missing.");
    const auto from = static_cast<std::size_t>(words.front().data() - line.data());
    const auto to = static_cast<std::size_t>(words.back().data() + words.back().size() - line.data());
    step.text = std::string(line.substr(from, to - from));
    return Ok{};
}

Status takeArg(Parser& p, Step& step, const ArgSpec& arg, std::string_view line) {
    switch (arg.kind) {
    case Arg::None:
        return Ok{};
    case Arg::WorkerOrAll:
    case Arg::OneWorker:
        return takeWorker(p, step, arg.kind == Arg::WorkerOrAll);
    case Arg::PageOrAll:
    case Arg::Page:
        return takePage(p, step, arg.kind == Arg::PageOrAll);
    case Arg::MaybeWorker:
        return p.hasPositional() ? takeWorker(p, step, false) : Status(Ok{});
    case Arg::MaybePage:
        if (!p.hasPositional())
            return Ok{};
        return takePage(p, step, false);
    case Arg::Size: {
        if (!p.hasPositional())
            return p.usage("The size is missing.");
        auto v = parseSize(p.nextPositional());
        if (!v)
            return p.usage(v.error().message);
        step.size = *v;
        return Ok{};
    }
    case Arg::Word:
        if (!p.hasPositional())
            return p.usage(std::string("The ") + arg.what + " is missing.");
        step.word = std::string(p.nextPositional());
        return Ok{};
    case Arg::Name:
        return takeName(p, step, arg.what);
    case Arg::Count:
    case Arg::MaybeCount:
        return takeCount(p, arg.what, arg.kind == Arg::Count, step.count);
    case Arg::Amount:
        return takeCount(p, arg.what, true, step.amount);
    case Arg::Text:
        return takeText(p, step, line, arg.what);
    }
    return Ok{};
}

// seg=, at=, addr=, mode=, size=, key= and the flags; split() already refused the ones a verb does not take.
Status takeCommonOptions(const Parser& p, Step& step) {
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
                return p.usage("Key \"" + std::string(*s) + "\" must be private or hexadecimal like 0x1234.");
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
    step.runs = p.flag("runs");
    return Ok{};
}

// The kinds of question a student predicts, and what each names before the colon.
Status checkAsk(const Parser& p, const Step& step) {
    const bool namedWorker = p.positionalCount() > 1; // the kind, then W
    if (step.word == "nattch") {
        if (namedWorker)
            return p.usage("ask nattch names no worker or page, only [seg=N].");
        return Ok{};
    }
    if (step.word != "present" && step.word != "frame" && step.word != "visible")
        return p.usage("\"" + step.word +
                       "\" is not a kind of question; use present, frame, visible or nattch.");
    if (!namedWorker || !step.page)
        return p.usage("ask " + step.word + " needs a worker and a page before the colon.");
    return Ok{};
}

} // namespace

Result<Step> parseStep(std::string_view rawLine) {
    const std::string_view line = trim(rawLine);
    const auto tokens = tokenize(line);
    if (tokens.empty())
        return makeError(EINVAL, "The step is empty; type help for the list of steps.");
    const VerbInfo* info = findVerb(tokens[0]);
    if (!info)
        return makeError(EINVAL, "\"" + std::string(tokens[0]) +
                                     "\" is not a step; type help for the list of steps.");
    Step step;
    step.verb = info->verb;
    step.line = std::string(line);
    if (info->tail == Tail::RawText) {
        const std::size_t space = line.find_first_of(" \t");
        step.text = space == std::string_view::npos ? "" : std::string(trim(line.substr(space)));
        return step;
    }
    std::vector<std::string_view> words(tokens.begin() + 1, tokens.end());
    if (info->tail == Tail::Question) {
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || trim(line.substr(colon + 1)).empty())
            return makeError(EINVAL, std::string("The question is missing after a colon. Usage: ") +
                                         info->usage + ".");
        step.text = std::string(trim(line.substr(colon + 1)));
        words = tokenize(line.substr(tokens[0].size(), colon - tokens[0].size()));
    }
    Parser p(*info, std::move(words));
    const bool restIsText = std::any_of(info->args.begin(), info->args.end(),
                                        [](const ArgSpec& a) { return a.kind == Arg::Text; });
    if (auto s = p.split(restIsText); !s)
        return s.error();
    for (const ArgSpec& arg : info->args)
        if (auto s = takeArg(p, step, arg, line); !s)
            return s.error();
    if (auto s = takeCommonOptions(p, step); !s)
        return s.error();
    if (auto s = p.noMorePositional(); !s)
        return s.error();
    if (info->tail == Tail::Question)
        if (auto s = checkAsk(p, step); !s)
            return s.error();
    return step;
}

} // namespace shmviz::core
