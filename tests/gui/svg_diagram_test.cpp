// The SVG painter against the layout it paints: a known snapshot gives exactly its workers, frames
// and arrows, each arrow's worker, page and frame number as the page tables say, real text, dashes
// for private mappings, ids that resolve, and the same bytes every time.
#include "render/diagram_layout.h"
#include "render/diagram_text.h"
#include "render/svg_diagram.h"
#include "render/text_metrics.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace shmviz::render {
namespace {

using test::makeSnapshot;
using test::touch;

// A parsed SVG and XPath over it, with the SVG namespace bound to "s".
class SvgDoc {
  public:
    explicit SvgDoc(const std::string& text)
        : m_doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "figure.svg", nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                xmlFreeDoc) {
        if (m_doc) {
            m_xpath.reset(xmlXPathNewContext(m_doc.get()));
            xmlXPathRegisterNs(m_xpath.get(), BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
        }
    }
    bool ok() const { return m_doc != nullptr; }

    // Every node the expression selects, as its attributes (and "#text" for its text).
    std::vector<std::map<std::string, std::string>> select(const std::string& expression) const {
        std::vector<std::map<std::string, std::string>> out;
        std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> result(
            xmlXPathEvalExpression(BAD_CAST expression.c_str(), m_xpath.get()), xmlXPathFreeObject);
        if (!result || !result->nodesetval)
            return out;
        for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
            xmlNode* node = result->nodesetval->nodeTab[i];
            std::map<std::string, std::string> attributes;
            for (xmlAttr* a = node->properties; a; a = a->next) {
                xmlChar* value = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
                attributes[reinterpret_cast<const char*>(a->name)] = reinterpret_cast<const char*>(value);
                xmlFree(value);
            }
            xmlChar* text = xmlNodeGetContent(node);
            attributes["#text"] = text ? reinterpret_cast<const char*>(text) : "";
            xmlFree(text);
            out.push_back(std::move(attributes));
        }
        return out;
    }

  private:
    struct XPathFree {
        void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
    };
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> m_doc;
    std::unique_ptr<xmlXPathContext, XPathFree> m_xpath;
};

const char* kArrows = "//s:path[contains(concat(' ', @class, ' '), ' arrow ')]";

// Two workers share a 4-page segment: both map page 0's frame, worker 0 also touched page 2.
core::Snapshot sharedSnapshot() {
    core::Snapshot s = makeSnapshot(2, 4);
    touch(s, 0, 0, 0x1234);
    touch(s, 1, 0, 0x1234);
    touch(s, 0, 2, 0x2000);
    return s;
}

FigureOptions options(ThemeKind theme = ThemeKind::Light) {
    FigureOptions o;
    o.width = 1200;
    o.height = 700;
    o.theme = theme;
    o.caption = "test, after step 5: touch 0 2";
    return o;
}

// (worker id, page, pfn) of every present page, read from the raw pagemap entries.
std::set<std::tuple<std::string, std::string, std::string>> presentPages(const core::Snapshot& s) {
    std::set<std::tuple<std::string, std::string, std::string>> out;
    for (const core::WorkerView& w : s.workers)
        for (const core::AttachmentView& a : w.attachments)
            for (std::size_t p = 0; p < a.entries.size(); ++p) {
                const core::PageEntry e = core::decodePagemapEntry(a.entries[p]);
                if (e.present)
                    out.insert({std::to_string(w.id), std::to_string(p), shortHex(e.pfnBits)});
            }
    return out;
}

TEST(SvgDiagram, HasExactlyTheWorkersFramesAndArrowsOfTheSnapshot) {
    const core::Snapshot s = sharedSnapshot();
    const FigureLayout figure = layoutFigure(s, options());
    ASSERT_TRUE(figure.layout.singlePages);
    const SvgDoc svg(figureSvg(s, options()));
    ASSERT_TRUE(svg.ok()) << "the SVG does not parse as XML";

    const auto workers = svg.select("//s:g[@class='worker']");
    ASSERT_EQ(workers.size(), 2u);
    EXPECT_EQ(workers[0].at("data-worker"), "0");
    EXPECT_EQ(workers[0].at("data-pid"), "1000");
    EXPECT_EQ(workers[1].at("data-worker"), "1");
    EXPECT_EQ(workers[1].at("data-pid"), "1001");

    std::set<std::string> framePfns;
    for (const auto& f : svg.select("//s:g[contains(concat(' ', @class, ' '), ' frame ')]"))
        framePfns.insert(f.at("data-pfn"));
    EXPECT_EQ(framePfns, (std::set<std::string>{"0x1234", "0x2000"}));
    EXPECT_EQ(figure.layout.frames.size(), 2u);

    const auto arrows = svg.select(kArrows);
    ASSERT_EQ(arrows.size(), figure.layout.arrows.size());
    std::set<std::tuple<std::string, std::string, std::string>> drawn;
    for (const auto& a : arrows) {
        drawn.insert({a.at("data-worker"), a.at("data-page"), a.at("data-pfn")});
        EXPECT_TRUE(framePfns.contains(a.at("data-pfn"))) << "an arrow points at no drawn frame";
        EXPECT_EQ(a.count("stroke-dasharray"), 0u) << "a shared mapping's arrow is dashed";
    }
    EXPECT_EQ(drawn, presentPages(s));
    EXPECT_EQ(drawn.size(), 3u);

    // Each worker's pages, one rect per page, with its present bit.
    for (const char* w : {"0", "1"}) {
        const auto pages = svg.select(std::string("//s:g[@data-worker='") + w + "']/s:rect[@class='page']");
        EXPECT_EQ(pages.size(), 4u);
    }
}

TEST(SvgDiagram, ArrowsStartWhereTheLayoutPutsThem) {
    const core::Snapshot s = sharedSnapshot();
    const FigureLayout figure = layoutFigure(s, options());
    const SvgDoc svg(figureSvg(s, options()));
    const auto arrows = svg.select(kArrows);
    ASSERT_EQ(arrows.size(), figure.layout.arrows.size());
    std::set<std::pair<long, long>> starts;
    for (const Arrow& a : figure.layout.arrows)
        starts.insert({std::lround(a.fromTop.x), std::lround(a.fromTop.y)});
    for (const auto& a : arrows) {
        float x = 0, y = 0;
        ASSERT_EQ(std::sscanf(a.at("d").c_str(), "M%f,%f", &x, &y), 2) << a.at("d");
        EXPECT_TRUE(starts.contains({std::lround(x), std::lround(y)})) << a.at("d");
    }
}

// Every point of an SVG path's "M x,y L x,y ... [Z]".
std::vector<Vec2> pathPoints(const std::string& d) {
    std::vector<Vec2> out;
    for (std::size_t i = 0; i < d.size(); ++i)
        if (d[i] == 'M' || d[i] == 'L') {
            Vec2 p;
            if (std::sscanf(d.c_str() + i + 1, "%f,%f", &p.x, &p.y) == 2)
                out.push_back(p);
        }
    if (d.find('Z') != std::string::npos && !out.empty())
        out.push_back(out.front());
    return out;
}

// Does the segment a-b pass through the inside of r, more than half a pixel from its edges?
bool entersRect(Vec2 a, Vec2 b, Rect r) {
    r = {r.x0 + 0.5f, r.y0 + 0.5f, r.x1 - 0.5f, r.y1 - 0.5f};
    for (int i = 0; i <= 200; ++i) {
        const float t = static_cast<float>(i) / 200;
        if (r.contains({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}))
            return true;
    }
    return false;
}

// Parsed back from the SVG: each worker's column (title, headers and pages) and its arrows.
TEST(SvgDiagram, ParsedBackNoArrowEntersAnotherWorkersColumn) {
    for (const int n : {3, 8, 16})
        for (const std::uint64_t pages : {std::uint64_t{8}, std::uint64_t{512}}) {
            core::Snapshot s = makeSnapshot(n, pages);
            for (int w = 0; w < n; ++w)
                if (w != 1) // worker 1 maps nothing: arrows of its neighbours pass it by
                    for (std::uint64_t p = static_cast<std::uint64_t>(w) % 3; p < pages; p += 3)
                        touch(s, w, p, 0x4000 + p);
            FigureOptions o = options();
            const SvgDoc svg(figureSvg(s, o));
            ASSERT_TRUE(svg.ok());
            std::map<std::string, Rect> columns;
            for (int w = 0; w < n; ++w) {
                const std::string id = std::to_string(w);
                Rect box{1e9f, 1e9f, -1e9f, -1e9f};
                for (const auto& r : svg.select("//s:g[@class='worker'][@data-worker='" + id + "']/s:rect")) {
                    const float x = std::stof(r.at("x")), y = std::stof(r.at("y"));
                    box = {std::min(box.x0, x), std::min(box.y0, y),
                           std::max(box.x1, x + std::stof(r.at("width"))),
                           std::max(box.y1, y + std::stof(r.at("height")))};
                }
                // The column's ground reaches 4 px past its pages on both sides.
                columns[id] = {box.x0 + 4 * o.zoom, box.y0, box.x1 - 4 * o.zoom, box.y1};
            }
            const auto arrows = svg.select(kArrows);
            ASSERT_FALSE(arrows.empty());
            for (const auto& a : arrows) {
                EXPECT_NE(a.at("data-worker"), "1");
                const std::vector<Vec2> points = pathPoints(a.at("d"));
                ASSERT_GE(points.size(), 2u) << a.at("d");
                for (const auto& [id, column] : columns) {
                    if (id == a.at("data-worker"))
                        continue;
                    for (std::size_t i = 0; i + 1 < points.size(); ++i)
                        EXPECT_FALSE(entersRect(points[i], points[i + 1], column))
                            << n << " workers, " << pages << " pages: worker " << a.at("data-worker")
                            << "'s arrow enters worker " << id << "'s column: " << a.at("d");
                }
            }
        }
}

TEST(SvgDiagram, LabelsAreRealTextAndTheCaptionNamesTheStep) {
    const core::Snapshot s = sharedSnapshot();
    const FigureLayout figure = layoutFigure(s, options());
    const SvgDoc svg(figureSvg(s, options()));
    std::multiset<std::string> texts;
    for (const auto& t : svg.select("//s:text"))
        texts.insert(t.at("#text").substr(0, t.at("#text").find_first_of('\n')));
    EXPECT_TRUE(texts.contains("test, after step 5: touch 0 2"));
    for (const Label& label : figure.labels) {
        if (label.text.empty())
            continue;
        EXPECT_TRUE(std::any_of(texts.begin(), texts.end(),
                                [&](const std::string& t) { return t.starts_with(label.text); }))
            << "label \"" << label.text << "\" is not text in the SVG";
    }
    EXPECT_TRUE(texts.contains("Worker 0"));
    EXPECT_TRUE(texts.contains("Physical memory"));
}

TEST(SvgDiagram, PrivateMappingsAreDashed) {
    core::Snapshot s = sharedSnapshot();
    s.workers[1].attachments[0].privateMapping = true;
    const SvgDoc svg(figureSvg(s, options()));
    for (const auto& a : svg.select(kArrows))
        EXPECT_EQ(a.count("stroke-dasharray") == 1, a.at("data-worker") == "1") << a.at("data-worker");
    EXPECT_EQ(svg.select("//s:g[@class='legend']/s:text[starts-with(., 'private mapping')]").size(), 1u);
}

TEST(SvgDiagram, UsesTheThemesColours) {
    const core::Snapshot s = sharedSnapshot();
    for (ThemeKind theme : {ThemeKind::Dark, ThemeKind::Light}) {
        const SvgDoc svg(figureSvg(s, options(theme)));
        const auto background = svg.select("//s:rect[@class='background']");
        ASSERT_EQ(background.size(), 1u);
        const Rgba c = paletteFor(theme).canvas;
        char want[8];
        std::snprintf(want, sizeof want, "#%02x%02x%02x", static_cast<int>(std::lround(c.r * 255)),
                      static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)));
        EXPECT_EQ(background[0].at("fill"), want);
    }
}

TEST(SvgDiagram, EscapesNamesAndEveryReferenceResolves) {
    core::Snapshot s = sharedSnapshot();
    s.segments[0].kind = core::SegmentKind::Posix;
    s.segments[0].name = "/a<b>&\"c\"";
    s.workers[1].attachments[0].privateMapping = true;
    FigureOptions o = options();
    o.idPrefix = "s7-";
    const std::string text = figureSvg(s, o);
    const SvgDoc svg(text);
    ASSERT_TRUE(svg.ok()) << "a segment name with markup characters broke the XML";
    std::set<std::string> ids;
    for (const auto& e : svg.select("//*[@id]")) {
        EXPECT_TRUE(e.at("id").starts_with("s7-")) << e.at("id");
        ids.insert(e.at("id"));
    }
    for (std::size_t at = text.find("url(#"); at != std::string::npos; at = text.find("url(#", at + 1)) {
        const std::string id = text.substr(at + 5, text.find(')', at) - at - 5);
        EXPECT_TRUE(ids.contains(id)) << "url(#" << id << ") names no element";
    }
}

TEST(SvgDiagram, TheSameSnapshotGivesTheSameBytes) {
    const core::Snapshot s = sharedSnapshot();
    EXPECT_EQ(figureSvg(s, options()), figureSvg(s, options()));
}

TEST(SvgDiagram, HiddenFrameNumbersAreSaidNotInvented) {
    core::Snapshot s = makeSnapshot(2, 4, false);
    touch(s, 0, 0, 0x1234);
    s.pfnHiddenReason = "only members of the shmviz group may read frame numbers.";
    const SvgDoc svg(figureSvg(s, options()));
    EXPECT_TRUE(svg.select(kArrows).empty());
    EXPECT_TRUE(svg.select("//s:g[contains(concat(' ', @class, ' '), ' frame ')]").empty());
    EXPECT_EQ(svg.select("//s:text[@class='note']").size(), 1u);
}

TEST(TextMetrics, MeasuresDejaVuAsImGuiDoes) {
    // DejaVu Sans: "0" advances 1303 of 2384 units of line height; at 15 px, 8.2 px a digit.
    const TextMetrics& m = TextMetrics::dejaVu();
    EXPECT_NEAR(m.width(LabelFont::Regular, "0000", 15), 4 * 1303 * 15.0f / 2384, 0.05f);
    EXPECT_NEAR(m.width(LabelFont::Mono, "abc", 15), 3 * 1233 * 15.0f / 2384, 0.05f);
    EXPECT_GT(m.width(LabelFont::Large, "W", 15), m.width(LabelFont::Regular, "W", 15));
}

} // namespace
} // namespace shmviz::render
