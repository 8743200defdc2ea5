#include "render/svg_diagram.h"

#include "render/diagram_painter.h"
#include "render/diagram_text.h"
#include "render/frame_roles.h"
#include "render/text_metrics.h"
#include "render/xml_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace shmviz::render {
namespace {

constexpr float kMaxTextScale = 3;  // as DiagramPanel: fitting enlarges the text up to this
constexpr float kFigureMargin = 12; // pixels around a figure without a window, at zoom 1
constexpr float kLabelPad = 6;      // DiagramPanel's kTextPad

// A number as SVG wants it: at most two decimals, no trailing zeros.
std::string num(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(v));
    std::string s = buf;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string colour(Rgba c) {
    char buf[8];
    const auto byte = [](float f) { return static_cast<int>(std::lround(std::clamp(f, 0.0f, 1.0f) * 255)); };
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
    return buf;
}

// fill="#rrggbb" and, when not opaque, fill-opacity.
std::string paint(const char* what, Rgba c) {
    std::string s = std::string(what) + "=\"" + colour(c) + "\"";
    if (c.a < 0.999f)
        s += std::string(" ") + what + "-opacity=\"" + num(c.a) + "\"";
    return s;
}

std::string rect(const Rect& r, const std::string& attributes) {
    return "<rect x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" + num(r.width()) +
           "\" height=\"" + num(r.height()) + "\" " + attributes + "/>\n";
}

// A rectangle's outline `width` thick drawn inside it, as QuadList::outline draws it.
std::string outline(const Rect& r, float width, Rgba c) {
    const float h = width * 0.5f;
    return rect({r.x0 + h, r.y0 + h, r.x1 - h, r.y1 - h},
                "fill=\"none\" " + paint("stroke", c) + " stroke-width=\"" + num(width) + "\"");
}

// Where the diagram ends: below its columns and below every label (a "no frames yet" line sits
// under its column), but never below the canvas.
float diagramBottom(const DiagramLayout& layout, const std::vector<Label>& labels, const ViewParams& view) {
    float bottom = view.canvas.y0 + layout.contentHeight - view.scrollY;
    for (const Label& l : labels)
        if (!l.text.empty())
            bottom = std::max(bottom, l.box.y1);
    return std::min(view.canvas.y1, bottom);
}

class SvgPainter {
  public:
    SvgPainter(const core::Snapshot& snapshot, const DiagramLayout& layout, const std::vector<Label>& labels,
               const ViewParams& view, const SvgOptions& options)
        : m_snap(snapshot), m_layout(layout), m_labels(labels), m_view(view), m_opt(options),
          m_pal(paletteFor(options.theme)), m_s(options.scale * options.diagramScale),
          // Caption and legend grow with the diagram's text, so a figure scaled onto a slide keeps its key
          // readable.
          m_ui(kUiFontPx * options.scale * options.diagramScale), m_used(labels.size(), false),
          // A figure ends where the diagram does: no empty canvas above the legend.
          m_bottom(diagramBottom(layout, labels, view)) {}

    std::string write();

  private:
    void defs();
    void arrows();
    void arrow(const Arrow& a);
    void worker(const ColumnBox& col);
    void physical(const ColumnBox& col);
    void frame(const FrameBand& f);
    void map(const PhysicalMap& map);
    void header(const Rect& r, int segment);
    void labelsIn(const Rect& r);
    void label(const Label& l);
    void legend(float y);
    float legendItem(float x, float y, const std::string& text, const std::string& mark, float markWidth);
    bool anyPrivate() const;
    float captionHeight() const { return m_opt.caption.empty() ? 0 : m_ui * 1.15f + 10 * m_opt.scale; }
    float legendHeight() const { return m_ui + 12 * m_opt.scale; }
    // Why there are no frames, when the kernel hid their numbers, wrapped to the canvas.
    std::vector<std::string> noteLines() const;
    float noteHeight() const {
        const std::size_t lines = noteLines().size();
        return lines == 0 ? 0 : static_cast<float>(lines) * m_ui * 1.2f + 4 * m_opt.scale;
    }

    const core::Snapshot& m_snap;
    const DiagramLayout& m_layout;
    const std::vector<Label>& m_labels;
    const ViewParams& m_view;
    const SvgOptions& m_opt;
    const Palette& m_pal;
    float m_s;                // line widths in the diagram
    float m_ui;               // the interface's line height: caption and legend
    std::vector<bool> m_used; // labels already written inside a group
    float m_bottom;           // of the diagram, the legend below it
    std::string m_out;
};

void SvgPainter::defs() {
    m_out += "<defs>\n";
    // Stripes of a private copy, as the painter's hatch: the text colour at 40 %.
    m_out += "<pattern id=\"" + m_opt.idPrefix + "hatch\" patternUnits=\"userSpaceOnUse\" width=\"" +
             num(8 * m_s) + "\" height=\"" + num(8 * m_s) +
             "\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"" + num(8 * m_s) +
             "\" " + paint("stroke", withAlpha(m_pal.text, 0.4f)) + " stroke-width=\"" + num(2 * m_s) +
             "\"/></pattern>\n";
    std::set<int> segments;
    for (const Arrow& a : m_layout.arrows)
        segments.insert(a.segment);
    segments.insert(m_snap.segments.empty() ? 0 : m_snap.segments.back().id); // the legend's
    const float head = 9 * m_s;
    for (int seg : segments) {
        const std::string id = seg < 0 ? "anon" : std::to_string(seg);
        const std::string fill = paint("fill", arrowColor(m_opt.theme, seg));
        m_out += "<marker id=\"" + m_opt.idPrefix + "head-" + id +
                 "\" viewBox=\"0 0 10 10\" refX=\"0\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
                 "markerWidth=\"" +
                 num(head) + "\" markerHeight=\"" + num(head * 1.1f) +
                 "\" preserveAspectRatio=\"none\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" " + fill +
                 "/></marker>\n";
        m_out += "<marker id=\"" + m_opt.idPrefix + "tail-" + id +
                 "\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
                 "markerWidth=\"" +
                 num(6 * m_s) + "\" markerHeight=\"" + num(6 * m_s) +
                 "\" orient=\"auto\"><rect width=\"10\" height=\"10\" " + fill + "/></marker>\n";
    }
    m_out += "</defs>\n";
}

void SvgPainter::arrow(const Arrow& a) {
    const PageBand& page = m_layout.pages[a.pageBand];
    const Rgba c = arrowColor(m_opt.theme, a.segment);
    std::string data = "class=\"arrow" + std::string(a.privateMapping ? " private" : "") +
                       "\" data-worker=\"" + std::to_string(m_snap.workers[page.worker].id) +
                       "\" data-page=\"" + std::to_string(page.firstPage) + "\"";
    if (page.count > 1)
        data += " data-pages=\"" + std::to_string(page.count) + "\"";
    data += " data-pfn=\"" + shortHex(a.target) + "\" data-segment=\"" + std::to_string(a.segment) + "\"";
    const std::string marker = a.segment < 0 ? "anon" : std::to_string(a.segment);
    if (a.single) {
        // The shaft stops where the head begins; the head's tip is the arrow's tip, as the painter draws it.
        const ArrowShaft shaft = arrowShaft(a, 1);
        const float dx = shaft.to.x - shaft.from.x, dy = shaft.to.y - shaft.from.y;
        const float len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
        const float back = std::min(9 * m_s, len) / len;
        const Vec2 end{shaft.to.x - dx * back, shaft.to.y - dy * back};
        m_out += "<path " + data + " d=\"M" + num(shaft.from.x) + "," + num(shaft.from.y) + " L" +
                 num(end.x) + "," + num(end.y) + "\" fill=\"none\" " + paint("stroke", c) +
                 " stroke-width=\"" + num(kArrowWidth * m_s) + "\"";
        if (a.privateMapping)
            m_out += " stroke-dasharray=\"" + num(7 * m_s) + " " + num(7 * m_s) + "\"";
        m_out += " marker-start=\"url(#" + m_opt.idPrefix + "tail-" + marker + ")\" marker-end=\"url(#" +
                 m_opt.idPrefix + "head-" + marker + ")\"/>\n";
        return;
    }
    // A band: the ribbon between the pages' span and the frames' span, with its two edges.
    const float alpha = 0.32f * (0.4f + 0.6f * a.weight);
    m_out += "<path " + data + " d=\"M" + num(a.fromTop.x) + "," + num(a.fromTop.y) + " L" + num(a.toTop.x) +
             "," + num(a.toTop.y) + " L" + num(a.toBottom.x) + "," + num(a.toBottom.y) + " L" +
             num(a.fromBottom.x) + "," + num(a.fromBottom.y) + " Z\" " + paint("fill", withAlpha(c, alpha)) +
             " " + paint("stroke", withAlpha(c, 0.8f)) + " stroke-width=\"" + num(1.2f * m_s) + "\"";
    if (a.privateMapping)
        m_out += " stroke-dasharray=\"" + num(7 * m_s) + " " + num(7 * m_s) + "\"";
    m_out += "/>\n";
}

// Bands before single arrows, as in the window.
void SvgPainter::arrows() {
    m_out += "<g class=\"arrows\">\n";
    for (const Arrow& a : m_layout.arrows)
        if (!a.single)
            arrow(a);
    for (const Arrow& a : m_layout.arrows)
        if (a.single)
            arrow(a);
    m_out += "</g>\n";
}

void SvgPainter::header(const Rect& r, int segment) {
    m_out += rect(r, paint("fill", m_pal.columnFill));
    m_out += rect(r, paint("fill", withAlpha(segmentColor(m_opt.theme, segment, 0), 0.22f)));
    m_out += rect({r.x0, r.y0, r.x0 + 4 * m_s, r.y1}, paint("fill", segmentColor(m_opt.theme, segment, 0)));
}

void SvgPainter::label(const Label& l) {
    if (l.text.empty())
        return;
    const float px = fontPixelHeight(l.font, m_view.lineHeight);
    const TextMetrics& m = TextMetrics::dejaVu();
    const FontSpec spec = fontSpec(l.font);
    Rgba c = m_pal.text;
    switch (l.tone) {
    case LabelTone::Muted:
        c = m_pal.mutedText;
        break;
    case LabelTone::Destroyed:
        c = m_pal.destroyed;
        break;
    case LabelTone::OnColour:
        c = m_opt.theme == ThemeKind::Dark ? Rgba{0, 0, 0, 1} : Rgba{1, 1, 1, 1};
        break;
    case LabelTone::Emphasis:
        c = m_pal.selection;
        break;
    case LabelTone::Text:
        break;
    }
    m_out += "<text x=\"" + num(l.box.x0) + "\" y=\"" + num(l.box.y0 + m.baseline(px)) + "\" font-size=\"" +
             num(m.emSize(px)) + "\"";
    if (l.font != LabelFont::Regular)
        m_out += std::string(" font-family=\"") + spec.family + "\"";
    if (std::string_view(spec.weight) != "normal")
        m_out += std::string(" font-weight=\"") + spec.weight + "\"";
    m_out += " " + paint("fill", c) + ">" + escapedXml(l.text);
    if (l.text != l.full) // the window shows the whole text on hover; a browser shows the title
        m_out += "<title>" + escapedXml(l.full) + "</title>";
    m_out += "</text>\n";
}

// The labels whose box's middle lies in `r` and that no group has taken yet.
void SvgPainter::labelsIn(const Rect& r) {
    for (std::size_t i = 0; i < m_labels.size(); ++i)
        if (!m_used[i] && r.contains(m_labels[i].box.center())) {
            m_used[i] = true;
            label(m_labels[i]);
        }
}

void SvgPainter::worker(const ColumnBox& col) {
    const core::WorkerView& w = m_snap.workers[col.worker];
    m_out += "<g class=\"worker\" data-worker=\"" + std::to_string(w.id) + "\" data-pid=\"" +
             std::to_string(w.pid) + "\"" +
             (w.alive ? "" : " data-ended=\"" + escapedXml(w.endedHow) + "\"") + ">\n";
    for (const PageBand& p : m_layout.pages) {
        if (p.worker != col.worker)
            continue;
        const Rgba present = segmentColor(m_opt.theme, p.segment, p.count == 1 ? p.firstPage : 0);
        const float share = static_cast<float>(p.present) / static_cast<float>(p.count);
        const Rgba& np = m_pal.notPresentFill;
        const Rgba fill = share >= 1
                              ? present
                              : Rgba{np.r + (present.r - np.r) * share, np.g + (present.g - np.g) * share,
                                     np.b + (present.b - np.b) * share, 1};
        std::string data = "class=\"page\" data-page=\"" + std::to_string(p.firstPage) + "\"";
        if (p.count > 1)
            data += " data-pages=\"" + std::to_string(p.count) + "\"";
        data += " data-present=\"" + std::to_string(p.present) + "\" ";
        m_out += rect(p.rect, data + paint("fill", fill));
        if (p.rect.height() >= 4 * m_s)
            m_out += outline(p.rect, m_s, p.present == 0 ? m_pal.mutedText : m_pal.outline);
    }
    for (const AttachmentBox& box : m_layout.attachments)
        if (box.worker == col.worker)
            header(box.stickyHeader, w.attachments[box.attachment].segment);
    labelsIn(col.rect);
    m_out += "</g>\n";
}

void SvgPainter::frame(const FrameBand& f) {
    const core::FrameView& first = m_snap.frames[f.firstFrame];
    const FrameRole role = f.count == 1 ? frameRole(m_snap, first) : FrameRole::Shared;
    m_out += "<g class=\"frame";
    m_out += role == FrameRole::PrivateCopy ? " private-copy" : f.huge ? " huge" : "";
    m_out += "\" data-pfn=\"" + shortHex(first.pfn) + "\"";
    if (f.count > 1)
        m_out += " data-frames=\"" + std::to_string(f.count) + "\" data-last-pfn=\"" +
                 shortHex(m_snap.frames[f.firstFrame + f.count - 1].pfn) + "\"";
    m_out += " data-segment=\"" + std::to_string(f.segment) + "\" data-page=\"" + std::to_string(first.page) +
             "\">\n";
    m_out +=
        rect(f.rect, paint("fill", segmentColor(m_opt.theme, f.segment, f.count == 1 ? f.firstPage : 0)));
    if (role == FrameRole::PrivateCopy)
        m_out += rect(f.rect, "fill=\"url(#" + m_opt.idPrefix + "hatch)\"");
    if (f.huge)
        m_out += outline(f.rect, 3 * m_s, m_pal.outline);
    else if (f.rect.height() >= 4 * m_s)
        m_out += outline(f.rect, role == FrameRole::PrivateCopy ? 2 * m_s : m_s,
                         role == FrameRole::PrivateCopy ? m_pal.text : m_pal.outline);
    labelsIn(f.rect);
    m_out += "</g>\n";
}

// The physical-memory map, as the window's painter draws it.
void SvgPainter::map(const PhysicalMap& map) {
    const Rect& b = map.box;
    m_out += "<g class=\"physical-map\">\n";
    m_out += rect({b.x0 - 4 * m_s, b.y0, b.x1 + 4 * m_s, b.y1}, paint("fill", m_pal.columnFill));
    for (const MapRow& row : map.rows)
        m_out += rect(row.strip, "class=\"map-row\" data-worker=\"" + std::to_string(row.worker) + "\" " +
                                     paint("fill", m_pal.notPresentFill));
    for (const MapCell& cell : map.cells) {
        m_out += rect(cell.rect, "class=\"map-cell\" data-segment=\"" + std::to_string(cell.segment) +
                                     "\" data-frames=\"" + std::to_string(cell.frames) + "\" data-pfn=\"" +
                                     std::to_string(cell.pfn) + "\" " +
                                     paint("fill", withAlpha(segmentColor(m_opt.theme, cell.segment, 0),
                                                             0.3f + 0.7f * cell.density)));
        if (cell.single)
            m_out += outline(cell.rect, m_s, m_pal.outline);
    }
    for (const MapRow& row : map.rows)
        m_out += outline(row.strip, m_s, m_pal.mutedText);
    m_out += "</g>\n";
}

void SvgPainter::physical(const ColumnBox& col) {
    m_out += "<g class=\"physical-memory\">\n";
    for (const FrameBand& f : m_layout.frames)
        frame(f);
    if (m_layout.map)
        map(*m_layout.map);
    for (const SegmentGroup& g : m_layout.segments)
        header(g.stickyHeader, g.segment);
    labelsIn(col.rect);
    m_out += "</g>\n";
}

std::vector<std::string> SvgPainter::noteLines() const {
    std::vector<std::string> lines;
    if (m_snap.pfnVisible || m_snap.pfnHiddenReason.empty())
        return lines;
    const float room = m_view.canvas.width() - 20 * m_opt.scale;
    std::string line;
    std::size_t at = 0;
    const std::string& text = m_snap.pfnHiddenReason;
    while (at < text.size()) {
        const std::size_t space = text.find(' ', at);
        const std::string word = text.substr(at, space == std::string::npos ? std::string::npos : space - at);
        at = space == std::string::npos ? text.size() : space + 1;
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && TextMetrics::dejaVu().width(LabelFont::Regular, longer, m_ui) > room) {
            lines.push_back(line);
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

bool SvgPainter::anyPrivate() const {
    return std::any_of(m_snap.workers.begin(), m_snap.workers.end(), [](const core::WorkerView& w) {
        return std::any_of(w.attachments.begin(), w.attachments.end(),
                           [](const core::AttachmentView& a) { return a.privateMapping || a.anonymous; });
    });
}

float SvgPainter::legendItem(float x, float y, const std::string& text, const std::string& mark,
                             float markWidth) {
    const float s = m_opt.scale;
    m_out += mark;
    const float tx = x + markWidth + 6 * s;
    m_out += "<text x=\"" + num(tx) + "\" y=\"" + num(y + TextMetrics::dejaVu().baseline(m_ui)) +
             "\" font-size=\"" + num(TextMetrics::dejaVu().emSize(m_ui)) + "\" " + paint("fill", m_pal.text) +
             ">" + escapedXml(text) + "</text>\n";
    return tx + TextMetrics::dejaVu().width(LabelFont::Regular, text, m_ui) + 18 * s;
}

// The key under the diagram, as DiagramPanel::drawLegend writes it.
void SvgPainter::legend(float y) {
    const float s = m_opt.scale;
    const float box = m_ui * 0.8f;
    const float gap = 18 * s;
    const Rect& c = m_view.canvas;
    const int segment = m_snap.segments.empty() ? 0 : m_snap.segments.back().id;
    const Rgba fill = segmentColor(m_opt.theme, segment, 0);
    const bool priv = anyPrivate();
    const TextMetrics& m = TextMetrics::dejaVu();
    const auto width = [&](std::initializer_list<const char*> texts) {
        float w = priv ? 3 * box : 0;
        for (const char* t : texts)
            w += m.width(LabelFont::Regular, t, m_ui) + box + 6 * s + gap;
        return w;
    };
    const bool full = width({"present: points at a frame", "not present: no frame yet",
                             priv ? "private mapping: shared until written" : "",
                             priv ? "private copy" : ""}) <= c.width() - 20 * s;
    const float my = y + (m_ui - box) * 0.5f;
    float x = c.x0 + 10 * s;
    m_out += "<g class=\"legend\">\n";
    const auto square = [&](float at, bool filled) {
        return rect({at, my, at + box, my + box},
                    paint("fill", filled ? fill : m_pal.notPresentFill) + " " +
                        paint("stroke", filled ? m_pal.outline : m_pal.mutedText));
    };
    x = legendItem(x, y, full ? "present: points at a frame" : "present", square(x, true), box);
    x = legendItem(x, y, full ? "not present: no frame yet" : "not present", square(x, false), box);
    if (priv) {
        const std::string dash = "<line x1=\"" + num(x) + "\" y1=\"" + num(my + box * 0.5f) + "\" x2=\"" +
                                 num(x + 3 * box) + "\" y2=\"" + num(my + box * 0.5f) + "\" " +
                                 paint("stroke", arrowColor(m_opt.theme, segment)) + " stroke-width=\"" +
                                 num(3 * s) + "\" stroke-dasharray=\"" + num(6 * s) + " " + num(4 * s) +
                                 "\"/>\n";
        x = legendItem(x, y, full ? "private mapping: shared until written" : "private mapping", dash,
                       3 * box);
        const Rect r{x, my, x + box, my + box};
        x = legendItem(x, y, "private copy",
                       rect(r, paint("fill", fill)) + rect(r, "fill=\"url(#" + m_opt.idPrefix + "hatch)\"") +
                           outline(r, 2 * s, m_pal.text),
                       box);
    }
    char zoom[96];
    if (m_layout.singlePages)
        std::snprintf(zoom, sizeof zoom, "one box = one %u-byte page", m_snap.pageSize);
    else
        std::snprintf(zoom, sizeof zoom, "bands: 1 pixel = %.1f pages", 1.0 / m_layout.pagePx);
    const float zw = m.width(LabelFont::Regular, zoom, m_ui);
    if (c.x1 - zw - 10 * s > x)
        m_out += "<text x=\"" + num(c.x1 - zw - 10 * s) + "\" y=\"" + num(y + m.baseline(m_ui)) +
                 "\" font-size=\"" + num(m.emSize(m_ui)) + "\" " + paint("fill", m_pal.mutedText) + ">" +
                 zoom + "</text>\n";
    m_out += "</g>\n";
}

std::string SvgPainter::write() {
    const Rect& c = m_view.canvas;
    const float s = m_opt.scale;
    const float pad = 8 * s;
    const TextMetrics& m = TextMetrics::dejaVu();
    const Rect page{c.x0 - pad, c.y0 - captionHeight() - pad, c.x1 + pad,
                    m_bottom + legendHeight() + noteHeight() + pad};
    const std::string title =
        m_opt.caption.empty() ? "shmviz: page tables and physical memory" : m_opt.caption;
    m_out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    m_out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + num(page.width()) +
             "\" height=\"" + num(page.height()) + "\" viewBox=\"" + num(page.x0) + " " + num(page.y0) + " " +
             num(page.width()) + " " + num(page.height()) + "\" font-family=\"" +
             fontSpec(LabelFont::Regular).family + "\" xml:space=\"preserve\" role=\"img\">\n";
    m_out += "<title>" + escapedXml(title) + "</title>\n";
    m_out += "<desc>Drawn by shmviz from the kernel's page tables: every worker's virtual pages (left and "
             "right), the physical frames they point at (middle), one arrow per present page.</desc>\n";
    m_out += "<style>text { white-space: pre; }</style>\n";
    defs();
    m_out += rect(page, "class=\"background\" " + paint("fill", m_pal.canvas));
    if (!m_opt.caption.empty()) {
        const float px = m_ui * 1.15f;
        m_out += "<text class=\"caption\" x=\"" + num(c.x0) + "\" y=\"" +
                 num(page.y0 + pad + m.baseline(px)) + "\" font-size=\"" + num(m.emSize(px)) +
                 "\" font-weight=\"bold\" " + paint("fill", m_pal.text) + ">" + escapedXml(m_opt.caption) +
                 "</text>\n";
    }
    // As the window paints: column grounds, then the arrows over them, then pages and frames on top.
    m_out += "<g class=\"columns\">\n";
    for (const ColumnBox& col : m_layout.columns)
        m_out += rect({col.rect.x0 - 4 * m_s, col.rect.y0, col.rect.x1 + 4 * m_s,
                       m_layout.singlePages ? col.rect.y1 : col.title.y1},
                      "class=\"column\" " + paint("fill", m_pal.columnFill));
    m_out += "</g>\n";
    arrows();
    for (const ColumnBox& col : m_layout.columns)
        col.worker >= 0 ? worker(col) : physical(col);
    m_out += "<g class=\"labels\">\n";
    labelsIn({-1e9f, -1e9f, 1e9f, 1e9f});
    m_out += "</g>\n";
    legend(m_bottom + 6 * s);
    const std::vector<std::string> note = noteLines();
    for (std::size_t i = 0; i < note.size(); ++i)
        m_out += "<text class=\"note\" x=\"" + num(c.x0 + 10 * s) + "\" y=\"" +
                 num(m_bottom + legendHeight() + static_cast<float>(i) * m_ui * 1.2f + m.baseline(m_ui)) +
                 "\" font-size=\"" + num(m.emSize(m_ui)) + "\" " + paint("fill", m_pal.mutedText) + ">" +
                 escapedXml(note[i]) + "</text>\n";
    m_out += "</svg>\n";
    return std::move(m_out);
}

} // namespace

std::string diagramSvg(const core::Snapshot& snapshot, const DiagramLayout& layout,
                       const std::vector<Label>& labels, const ViewParams& view, const SvgOptions& options) {
    return SvgPainter(snapshot, layout, labels, view, options).write();
}

namespace {

// The view of a figure whose caption and legend are drawn `textScale` times the interface's size.
ViewParams figureView(const core::Snapshot& snapshot, const FigureOptions& options, float textScale) {
    ViewParams view;
    const float s = options.zoom;
    const float ui = kUiFontPx * s * textScale; // SvgPainter's m_ui
    const float pad = 8 * s;
    const float caption = options.caption.empty() ? 0 : ui * 1.15f + 10 * s;
    const float below = ui + 12 * s + (snapshot.pfnVisible ? 0 : ui + 4 * s);
    const auto w = static_cast<float>(options.width);
    const auto h = static_cast<float>(options.height);
    view.canvas = {pad, pad + caption, std::max(pad + 1, w - pad),
                   std::max(pad + caption + 1, h - pad - below)};
    view.lineHeight = kUiFontPx * s;
    view.maxPagePx = std::max(view.lineHeight + 12, 32 * s);
    return view;
}

} // namespace

float fittedTextScale(const core::Snapshot& snapshot, const FigureOptions& options) {
    const LayoutIndex index = indexSnapshot(snapshot);
    // Fitted with the caption and legend at interface size, then again with them as large as the
    // text: the second canvas is a little smaller, so the figure stays inside width x height.
    const float first = fitScale(snapshot, index, figureView(snapshot, options, 1), kMaxTextScale);
    return fitScale(snapshot, index, figureView(snapshot, options, first), kMaxTextScale);
}

FigureLayout layoutFigure(const core::Snapshot& snapshot, const FigureOptions& options) {
    FigureLayout f;
    const LayoutIndex index = indexSnapshot(snapshot);
    const float textScale = options.textScale > 0 ? options.textScale : fittedTextScale(snapshot, options);
    f.view = figureView(snapshot, options, textScale);
    f.view.lineHeight *= textScale;
    f.view.maxPagePx *= textScale;
    f.layout = layoutDiagram(snapshot, index, f.view);
    f.labels = labelDiagram(snapshot, index, f.layout, f.view, kLabelPad * options.zoom * textScale,
                            figureMeasure(f.view.lineHeight));
    f.svg = {options.theme, options.zoom, textScale, options.caption, options.idPrefix};
    return f;
}

std::string figureSvg(const core::Snapshot& snapshot, const FigureOptions& options) {
    const FigureLayout f = layoutFigure(snapshot, options);
    return diagramSvg(snapshot, f.layout, f.labels, f.view, f.svg);
}

} // namespace shmviz::render
