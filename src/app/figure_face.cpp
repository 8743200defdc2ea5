#include "app/figure_face.h"

#include "app/handout.h"
#include "app/signals.h"
#include "core/base/safe_file.h"
#include "core/session/session.h"
#include "core/steps/step.h"
#include "render/svg_diagram.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace shmviz::app {
namespace {

// A handout page is read at the width of a printed page: a smaller canvas keeps its text large.
constexpr int kHandoutWidth = 1200;
constexpr int kHandoutHeight = 720;

render::FigureOptions figureOptions(const FigureRequest& request, render::ThemeKind theme, int width,
                                    int height, const std::string& caption, const std::string& idPrefix) {
    return {width, height, request.zoom, theme, caption, idPrefix};
}

// Every step's diagram at one text size: the smallest any step needs to fit.
void drawHandout(Handout& handout, const std::vector<std::string>& captions, const FigureRequest& request) {
    float scale = 0;
    for (std::size_t i = 0; i < handout.steps.size(); ++i) {
        const float fitted = render::fittedTextScale(
            *handout.steps[i].snapshot,
            figureOptions(request, request.handoutTheme, kHandoutWidth, kHandoutHeight, captions[i], ""));
        scale = i == 0 ? fitted : std::min(scale, fitted);
    }
    for (std::size_t i = 0; i < handout.steps.size(); ++i) {
        HandoutStep& step = handout.steps[i];
        render::FigureOptions figure =
            figureOptions(request, request.handoutTheme, kHandoutWidth, kHandoutHeight, captions[i],
                          "s" + std::to_string(step.number) + "-");
        figure.textScale = scale;
        step.svg = render::figureSvg(*step.snapshot, figure);
    }
}

bool report(const core::Status& status) {
    if (!status)
        std::fprintf(stderr, "shmviz: %s\n", status.error().message.c_str());
    return status.ok();
}

} // namespace

std::string figureCaption(const std::string& scriptName, const core::StepReply& reply) {
    const std::string step = "step " + std::to_string(reply.number) + ": " + reply.cmd;
    return scriptName.empty() ? "After " + step : scriptName + ", after " + step;
}

int runFigures(const FigureRequest& request) {
    installTerminationHandlers();
    core::Session session;
    Handout handout{request.title, request.source, {}, {}};
    std::string lessonWords; // "say" lines waiting for the step they introduce
    std::string caption;
    std::vector<std::string> captions; // of handout.steps
    std::size_t offset = 0;
    const std::string& script = request.scriptText;
    while (offset < script.size() && !terminationRequested()) {
        const std::size_t nl = script.find('\n', offset);
        const std::string line =
            script.substr(offset, nl == std::string::npos ? std::string::npos : nl - offset);
        offset = nl == std::string::npos ? script.size() : nl + 1;
        if (core::isSkippableLine(line))
            continue;
        const core::StepReply reply = session.execute(line);
        if (!reply.ok)
            std::fprintf(stderr, "shmviz: step %d \"%s\": %s\n", reply.number, reply.cmd.c_str(),
                         reply.error ? reply.error->message.c_str() : "failed");
        if (reply.cmd.starts_with("say ")) {
            lessonWords += (lessonWords.empty() ? "" : " ") + reply.explain;
        } else if (const auto after = reply.snapshot ? reply.snapshot : session.latest()) {
            caption = figureCaption(request.captionName, reply);
            const std::string said = reply.ok      ? reply.explain
                                     : reply.error ? reply.error->message
                                                   : "It failed.";
            handout.steps.push_back(
                {reply.number, reply.cmd, std::exchange(lessonWords, {}), said, reply.ok, after, {}});
            captions.push_back(caption);
        }
        if (reply.quit || reply.endsScript || reply.number == request.atStep)
            break;
    }
    handout.closing = lessonWords;
    bool written = true;
    if (request.svgPath) {
        const std::shared_ptr<const core::Snapshot> last = session.latest();
        const std::string svg = render::figureSvg(
            last ? *last : core::Snapshot{},
            figureOptions(request, request.svgTheme, request.width, request.height, caption, ""));
        written =
            report(core::writeFileAtomically(*request.svgPath, svg, core::LinkPolicy::FollowOwn, "the SVG"));
    }
    if (request.handoutDir) {
        drawHandout(handout, captions, request);
        written = report(writeHandout(handout, *request.handoutDir)) && written;
    }
    session.end();
    return session.failures() == 0 && written ? 0 : 1;
}

} // namespace shmviz::app
