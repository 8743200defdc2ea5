#pragma once
// A handout for the course page, from a script or lesson that ran: DIR/index.html (one
// self-contained page: inline SVGs, no network, no JavaScript, print-friendly) and DIR/steps.md
// (the same in Markdown, with the diagrams as DIR/step-NN.svg). Pure text builders plus one writer.
#include "core/base/error.h"
#include "core/session/snapshot.h"
#include "render/palette.h"

#include <memory>
#include <string>
#include <vector>

namespace shmviz::app {

// One step of the script and what it left behind.
struct HandoutStep {
    int number = 0;        // the step's number in the run (1..)
    std::string line;      // the step as written
    std::string lesson;    // the lesson's own words (its "say" lines) just before the step
    std::string narration; // what the kernel did, or the error sentence
    bool ok = true;
    std::shared_ptr<const core::Snapshot> snapshot; // the state right after the step
    std::string svg;                                // the diagram after the step, a whole SVG document
};

struct Handout {
    std::string title;  // the lesson's title or the script's name
    std::string source; // "lesson lifecycle", "script demo.steps"
    std::vector<HandoutStep> steps;
    std::string closing; // "say" lines after the last step
};

// The rows of the kernel's table that belong to this session, as HTML and as Markdown tables.
std::string segmentTableHtml(const core::Snapshot& snapshot);
std::string segmentTableMarkdown(const core::Snapshot& snapshot);

std::string handoutHtml(const Handout& handout);
std::string handoutMarkdown(const Handout& handout);
// "step-07.svg": the file step 7's diagram is written to; `last` is the highest step number.
std::string stepSvgName(int number, int last);

// Creates DIR when missing and writes index.html, steps.md and step-NN.svg into it.
core::Status writeHandout(const Handout& handout, const std::string& dir);

} // namespace shmviz::app
