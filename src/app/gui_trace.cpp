#include "app/gui_trace.h"

#include "app/json/json_writer.h"
#include "core/base/safe_file.h"

#include <ctime>
#include <unistd.h>

namespace shmviz::app {

GuiTrace::GuiTrace(const std::optional<std::string>& path) {
    if (!path)
        return;
    auto fd = core::openForWriting(*path, core::LinkPolicy::FollowOwn, "the trace");
    if (!fd) {
        std::fprintf(stderr, "shmviz: %s\n", fd.error().message.c_str());
        return;
    }
    m_out = fdopen(*fd, "w");
    if (!m_out)
        close(*fd);
}

GuiTrace::~GuiTrace() {
    if (m_out)
        std::fclose(m_out);
}

void GuiTrace::reply(const core::StepReply& reply) {
    if (m_out)
        json::writeReply(m_out, reply);
}

void GuiTrace::screenshot(const std::string& path, bool saved, int width, int height, render::ThemeKind theme,
                          bool pfnVisible, const render::ViewParams& v) {
    if (!m_out)
        return;
    json::writeLine(m_out, nlohmann::json{{"screenshot", path},
                                          {"ok", saved},
                                          {"size", {width, height}},
                                          {"theme", theme == render::ThemeKind::Dark ? "dark" : "light"},
                                          {"pfnVisible", pfnVisible},
                                          {"view",
                                           {{"canvas", {v.canvas.x0, v.canvas.y0, v.canvas.x1, v.canvas.y1}},
                                            {"pagePx", v.pagePx},
                                            {"scrollY", v.scrollY},
                                            {"lineHeight", v.lineHeight},
                                            {"maxPagePx", v.maxPagePx},
                                            {"minBandPx", v.minBandPx},
                                            {"mapFirst", v.mapFirst},
                                            {"mapSpan", v.mapSpan}}}});
}

void GuiTrace::windowReady(int width, int height) {
    if (m_out)
        json::writeLine(m_out, nlohmann::json{{"window", "ready"}, {"size", {width, height}}});
}

void GuiTrace::drawn(const core::Snapshot& snap) {
    if (!m_out || snap.generation == m_drawnGeneration)
        return;
    m_drawnGeneration = snap.generation;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    int alive = 0;
    for (const core::WorkerView& w : snap.workers)
        alive += w.alive ? 1 : 0;
    std::uint64_t nattch = 0;
    int removed = 0;
    for (const core::SegmentView& s : snap.segments) {
        nattch += s.nattch;
        removed += s.dest || !s.exists ? 1 : 0;
    }
    json::writeLine(
        m_out, nlohmann::json{
                   {"drawn",
                    {{"generation", snap.generation},
                     {"alive", alive},
                     {"nattch", nattch},
                     {"removed", removed},
                     {"realtime_ns", static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec}}}});
}

void GuiTrace::timeline(const nlohmann::json& shown) {
    if (m_out)
        json::writeLine(m_out, shown);
}

void GuiTrace::newSession(const std::string& script) {
    if (m_out)
        json::writeLine(m_out, nlohmann::json{{"session", "new"}, {"script", script}});
}

void GuiTrace::steps(const std::string& path, bool saved) {
    if (m_out)
        json::writeLine(m_out, nlohmann::json{{"steps", path}, {"ok", saved}});
}

void GuiTrace::svg(const std::string& path, bool saved) {
    if (m_out)
        json::writeLine(m_out, nlohmann::json{{"svg", path}, {"ok", saved}});
}

void GuiTrace::widgets(ui::WidgetPlaces& places) {
    if (!m_out)
        return;
    for (const auto& [name, r] : places.takeChanged())
        json::writeLine(m_out, nlohmann::json{{"widget", name}, {"rect", {r[0], r[1], r[2], r[3]}}});
}

} // namespace shmviz::app
