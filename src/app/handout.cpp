#include "app/handout.h"

#include "core/base/safe_file.h"
#include "core/steps/units.h"
#include "render/xml_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>

namespace shmviz::app {
namespace {

// Markdown text: the characters that would start markup are escaped.
std::string escapedMarkdown(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

// One row per cell list; the first row is the header.
using Table = std::vector<std::vector<std::string>>;

// The session's System V segments as the kernel's /proc/sysvipc/shm lists them, and its POSIX objects.
struct KernelTables {
    Table sysv;
    Table posix;
    std::string note; // when there is no row to show, why
};

KernelTables kernelTables(const core::Snapshot& snap) {
    KernelTables t;
    bool anySysv = false;
    t.sysv.push_back({"key", "shmid", "perms", "bytes", "nattch", "status", "cpid", "lpid"});
    for (const core::SysvShmRow& row : snap.machineSegments) {
        bool ours = false;
        for (const core::SegmentView& s : snap.segments)
            ours = ours || (s.kind == core::SegmentKind::Sysv && s.shmid == row.shmid);
        if (!ours)
            continue;
        char perms[8];
        std::snprintf(perms, sizeof perms, "%o", row.perms & 0777);
        t.sysv.push_back({core::hex(row.key32(), 8), std::to_string(row.shmid), perms,
                          std::to_string(row.size), std::to_string(row.nattch), row.dest() ? "dest" : "",
                          std::to_string(row.cpid), std::to_string(row.lpid)});
    }
    t.posix.push_back({"name", "inode", "perms", "bytes", "mappings", "in /dev/shm"});
    for (const core::SegmentView& s : snap.segments) {
        anySysv = anySysv || s.kind == core::SegmentKind::Sysv;
        if (s.kind != core::SegmentKind::Posix)
            continue;
        char perms[8];
        std::snprintf(perms, sizeof perms, "%o", s.mode & 0777);
        t.posix.push_back({s.name, s.inode ? std::to_string(s.inode) : "-", perms, std::to_string(s.size),
                           std::to_string(s.nattch), s.linked ? "yes" : "no (unlinked)"});
    }
    if (t.sysv.size() == 1 && t.posix.size() == 1)
        t.note = anySysv ? "None of this session's System V segments is left in the kernel's table "
                           "(/proc/sysvipc/shm): the kernel has freed it."
                         : "This session has no shared memory segment yet.";
    return t;
}

std::string tableHtml(const Table& table, const char* caption) {
    std::string out = "<table class=\"kernel\"><caption>" + std::string(caption) + "</caption>\n<tr>";
    for (const std::string& h : table.front())
        out += "<th>" + render::escapedXml(h) + "</th>";
    out += "</tr>\n";
    for (std::size_t r = 1; r < table.size(); ++r) {
        out += "<tr>";
        for (const std::string& cell : table[r])
            out += "<td>" + render::escapedXml(cell) + "</td>";
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

std::string tableMarkdown(const Table& table) {
    std::string out = "|";
    for (const std::string& h : table.front())
        out += " " + escapedMarkdown(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < table.front().size(); ++i)
        out += " --- |";
    out += "\n";
    for (std::size_t r = 1; r < table.size(); ++r) {
        out += "|";
        for (const std::string& cell : table[r])
            out += " " + escapedMarkdown(cell) + " |";
        out += "\n";
    }
    return out;
}

// The SVG document without its XML declaration, to sit inline in HTML.
std::string_view inlineSvg(std::string_view svg) {
    if (svg.starts_with("<?xml")) {
        const std::size_t end = svg.find("?>");
        svg.remove_prefix(end == std::string_view::npos ? 0 : end + 2);
        while (!svg.empty() && (svg.front() == '\n' || svg.front() == ' '))
            svg.remove_prefix(1);
    }
    return svg;
}

constexpr const char* kStyle = R"(<style>
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #000; background: #fff; line-height: 1.45;
       max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.about { color: #444; margin-top: 0; }
section.step { border-top: 1px solid #aaa; margin-top: 1.4rem; padding-top: 0.6rem;
               break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 1.2rem; margin: 0.2rem 0 0.4rem; }
code.step-line { font-family: 'DejaVu Sans Mono', monospace; background: #eef0f4; padding: 0.1rem 0.4rem;
                 border-radius: 3px; }
.lesson { font-style: italic; }
.failed { color: #b00000; font-weight: bold; }
figure { margin: 0.6rem 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #ccc; }
table.kernel { border-collapse: collapse; font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85rem;
               margin: 0.4rem 0; }
table.kernel caption { text-align: left; font-family: 'DejaVu Sans', Verdana, sans-serif; color: #444; }
table.kernel th, table.kernel td { border: 1px solid #999; padding: 0.1rem 0.5rem; text-align: left; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  section.step { break-inside: avoid; page-break-inside: avoid; }
  figure { break-inside: avoid; page-break-inside: avoid; }
  figure svg { border: none; max-height: 150mm; }
}
</style>
)";

void sectionHtml(const HandoutStep& step, std::string& out) {
    const std::string n = std::to_string(step.number);
    out += "<section class=\"step\" id=\"step-" + n + "\">\n";
    out +=
        "<h2>Step " + n + ": <code class=\"step-line\">" + render::escapedXml(step.line) + "</code></h2>\n";
    if (!step.lesson.empty())
        out += "<p class=\"lesson\">" + render::escapedXml(step.lesson) + "</p>\n";
    if (!step.narration.empty())
        out += std::string("<p class=\"") + (step.ok ? "narration" : "narration failed") + "\">" +
               render::escapedXml(step.narration) + "</p>\n";
    out += "<figure>\n";
    out += inlineSvg(step.svg);
    out += "</figure>\n"; // the SVG's own first line names the step
    if (step.snapshot)
        out += segmentTableHtml(*step.snapshot);
    out += "</section>\n";
}

constexpr std::string_view kGenerator = "<meta name=\"generator\" content=\"shmviz\">";

// Whether dir already holds a handout shmviz wrote: its index.html names shmviz as generator near the
// top. Read without following a link and without blocking on a planted FIFO.
bool holdsShmvizHandout(const std::string& dir) {
    const int fd = ::open((dir + "/index.html").c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    char head[1024];
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    return n > 0 &&
           std::string_view(head, static_cast<std::size_t>(n)).find(kGenerator) != std::string_view::npos;
}

// A handout written again into its folder drops the figures of the earlier, longer run, which would
// otherwise sit beside the new ones as if they belonged to it. unlink never follows a link.
void removeStaleFigures(const std::string& dir, const std::set<std::string>& keep) {
    static const std::regex figure(R"(step-[0-9]+\.svg)");
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto type = entry.symlink_status(ec).type();
        const bool written = type == std::filesystem::file_type::regular ||
                             type == std::filesystem::file_type::symlink; // what a write leaves there
        if (written && std::regex_match(name, figure) && !keep.contains(name))
            std::filesystem::remove(entry.path(), ec);
    }
}

} // namespace

std::string segmentTableHtml(const core::Snapshot& snapshot) {
    const KernelTables t = kernelTables(snapshot);
    std::string out;
    if (t.sysv.size() > 1)
        out += tableHtml(t.sysv, "The kernel's System V table (/proc/sysvipc/shm), this session's rows");
    if (t.posix.size() > 1)
        out += tableHtml(t.posix, "This session's POSIX objects (/dev/shm)");
    if (!t.note.empty())
        out += "<p class=\"kernel-note\">" + render::escapedXml(t.note) + "</p>\n";
    return out;
}

std::string segmentTableMarkdown(const core::Snapshot& snapshot) {
    const KernelTables t = kernelTables(snapshot);
    std::string out;
    if (t.sysv.size() > 1)
        out += "The kernel's System V table (/proc/sysvipc/shm), this session's rows:\n\n" +
               tableMarkdown(t.sysv);
    if (t.posix.size() > 1)
        out += std::string(out.empty() ? "" : "\n") + "This session's POSIX objects (/dev/shm):\n\n" +
               tableMarkdown(t.posix);
    if (!t.note.empty())
        out += escapedMarkdown(t.note) + "\n";
    return out;
}

std::string stepSvgName(int number, int last) {
    const int digits = std::max<int>(2, static_cast<int>(std::to_string(last).size()));
    char name[32];
    std::snprintf(name, sizeof name, "step-%0*d.svg", digits, number);
    return name;
}

std::string handoutHtml(const Handout& handout) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += std::string(kGenerator) + "\n<title>" + render::escapedXml(handout.title) + "</title>\n" + kStyle +
           "</head>\n<body>\n";
    out += "<header>\n<h1>" + render::escapedXml(handout.title) + "</h1>\n<p class=\"about\">" +
           render::escapedXml(handout.source) +
           ", run by shmviz on a real kernel. Every number comes from that kernel, so process ids, addresses "
           "and frame numbers differ from run to run; what points where does not. Steps are numbered as "
           "shmviz runs them, the lesson's own words included (the number to give --at).</p>\n</header>\n"
           "<main>\n";
    for (const HandoutStep& step : handout.steps)
        sectionHtml(step, out);
    if (!handout.closing.empty())
        out += "<section class=\"closing\"><p class=\"lesson\">" + render::escapedXml(handout.closing) +
               "</p></section>\n";
    return out + "</main>\n</body>\n</html>\n";
}

std::string handoutMarkdown(const Handout& handout) {
    std::string out =
        "# " + escapedMarkdown(handout.title) + "\n\n" + escapedMarkdown(handout.source) +
        ", run by shmviz on a real kernel. Process ids, addresses and frame numbers differ from "
        "run to run; what points where does not. Steps are numbered as shmviz runs them, the "
        "lesson's own words included (the number to give --at).\n";
    const int last = handout.steps.empty() ? 0 : handout.steps.back().number;
    for (const HandoutStep& step : handout.steps) {
        const std::string n = std::to_string(step.number);
        out += "\n## Step " + n + ": `" + step.line + "`\n\n";
        if (!step.lesson.empty())
            out += "*" + escapedMarkdown(step.lesson) + "*\n\n";
        if (!step.narration.empty())
            out += (step.ok ? "" : "**Failed:** ") + escapedMarkdown(step.narration) + "\n\n";
        out += "![Page tables and physical memory after step " + n + "](" + stepSvgName(step.number, last) +
               ")\n\n";
        if (step.snapshot)
            out += segmentTableMarkdown(*step.snapshot);
    }
    if (!handout.closing.empty())
        out += "\n*" + escapedMarkdown(handout.closing) + "*\n";
    return out;
}

core::Status writeHandout(const Handout& handout, const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return core::fileError(ec.value(), "create the handout directory", dir);
    const auto write = [&](const std::string& name, std::string_view text) {
        return core::writeFileAtomically(dir + "/" + name, text, core::LinkPolicy::FollowOwn, "the handout");
    };
    const bool rewriting = holdsShmvizHandout(dir);
    const int last = handout.steps.empty() ? 0 : handout.steps.back().number;
    std::set<std::string> figures;
    for (const HandoutStep& step : handout.steps) {
        const std::string name = stepSvgName(step.number, last);
        figures.insert(name);
        if (core::Status s = write(name, step.svg); !s)
            return s;
    }
    if (core::Status s = write("steps.md", handoutMarkdown(handout)); !s)
        return s;
    if (core::Status s = write("index.html", handoutHtml(handout)); !s)
        return s;
    if (rewriting)
        removeStaleFigures(dir, figures);
    return core::Ok{};
}

} // namespace shmviz::app
