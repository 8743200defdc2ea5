// Nothing is silently cut: at 1280x720 and 1920x1080, zoom 1, 1.5 and 2, every label fits its
// box or ends in an ellipsis, and a number is never cut (each number drawn appears whole in the
// label's full text).
#include "render/diagram_labels.h"
#include "render/diagram_layout.h"
#include "snapshot_builder.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace shmviz::render {
namespace {

// DejaVu's advances at 15 px times the zoom: about 8.3 px a letter, 9 in mono, 10.5 in the bold titles.
MeasureText measureAt(float zoom) {
    return [zoom](LabelFont f, std::string_view text) {
        const float advance = f == LabelFont::Mono ? 9.0f : f == LabelFont::Large ? 10.5f : 8.3f;
        return advance * zoom * static_cast<float>(text.size());
    };
}

std::set<std::string> numbers(const std::string& text) {
    static const std::regex number("0x[0-9a-f]+|[0-9]+");
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

::testing::AssertionResult honest(const Label& label, const MeasureText& measure) {
    if (measure(label.font, label.text) > label.box.width() + 0.01f)
        return ::testing::AssertionFailure() << "\"" << label.text << "\" is wider than its box";
    if (label.cut && !label.text.empty() && !label.text.ends_with(kEllipsis))
        return ::testing::AssertionFailure() << "\"" << label.text << "\" is cut without an ellipsis";
    const std::set<std::string> whole = numbers(label.full);
    for (const std::string& n : numbers(label.text))
        if (!whole.contains(n))
            return ::testing::AssertionFailure() << "\"" << label.text << "\" shows " << n
                                                 << ", which is not a number of \"" << label.full << "\"";
    return ::testing::AssertionSuccess();
}

// The diagram's canvas in the window at these sizes, as MainView divides it.
ViewParams windowView(float width, float height, float zoom) {
    const float left = std::min(300 * zoom, width * 0.25f);
    const float right = std::min(360 * zoom, width * 0.27f);
    const float top = 19 * zoom;
    const float kernel = std::min(190 * zoom, (height - top) * 0.3f);
    ViewParams v;
    v.canvas = {left, top + 20 * zoom, width - right, height - kernel - 30 * zoom};
    v.lineHeight = 18 * zoom;
    v.maxPagePx = std::max(v.lineHeight + 12, 32 * zoom);
    return v;
}

core::Snapshot lecture(int workers) {
    core::Snapshot s = test::makeSnapshot(workers, 960); // 3932160 bytes
    s.segments[0].shmid = 6554;
    core::SegmentView posix;
    posix.id = 1;
    posix.kind = core::SegmentKind::Posix;
    posix.name = "/shmviz-lesson-with-a-long-name";
    posix.inode = 123456789;
    posix.size = 16384;
    s.segments.push_back(posix);
    for (int w = 0; w < workers; ++w) {
        core::AttachmentView a;
        a.id = 2;
        a.segment = 1;
        a.va = 0x7f1234560000ULL + w * 0x1000000ULL;
        a.size = 16384;
        a.entries.assign(4, 0);
        a.privateMapping = w == 1;
        s.workers[w].attachments.push_back(a);
        s.workers[w].pid = 4000000 + w;
    }
    for (int w = 0; w < workers; ++w)
        for (std::uint64_t p = 0; p < 960; p += 7)
            test::touch(s, w, p, 0x2a0000 + p);
    return s;
}

TEST(DiagramLabels, EveryLabelFitsOrEndsInAnEllipsisAtProjectorSizes) {
    for (const auto& [w, h] : {std::pair{1280.0f, 720.0f}, std::pair{1920.0f, 1080.0f}})
        for (const float zoom : {1.0f, 1.5f, 2.0f})
            for (const int workers : {1, 3, 8, 16}) {
                const core::Snapshot s = lecture(workers);
                const LayoutIndex index = indexSnapshot(s);
                // Fitted, zoomed to single pages, zoomed further; and the physical-memory map zoomed
                // into boxes (frames 0x2a0000.. every 7th: a few boxes) and part way.
                for (const auto& [pagePx, mapSpan] :
                     {std::pair{0.0f, 0.0}, std::pair{12.0f, 0.0}, std::pair{40.0f, 0.0},
                      std::pair{0.0f, 3.0}, std::pair{0.0f, 300.0}}) {
                    ViewParams v = windowView(w, h, zoom);
                    v.pagePx = pagePx;
                    v.mapFirst = 0x2a0000 + 400;
                    v.mapSpan = mapSpan;
                    const DiagramLayout l = layoutDiagram(s, index, v);
                    ASSERT_TRUE(l.map);
                    if (mapSpan > 0) {
                        EXPECT_TRUE(l.map->zoomed);
                        EXPECT_EQ(l.map->boxes, mapSpan < 10) << "3 frame numbers across: boxes";
                    }
                    const MeasureText measure = measureAt(zoom);
                    const std::vector<Label> labels = labelDiagram(s, index, l, v, 6 * zoom, measure);
                    ASSERT_FALSE(labels.empty());
                    for (const Label& label : labels)
                        EXPECT_TRUE(honest(label, measure))
                            << w << "x" << h << " zoom " << zoom << ", " << workers << " workers";
                }
            }
}

TEST(DiagramLabels, ALabelTooLongForAnyFormIsCutAtAWordWithAnEllipsis) {
    const MeasureText measure = measureAt(1);
    const Label l = fitLabel({0, 0, 100, 18}, LabelFont::Regular, LabelTone::Text,
                             {"seg 1  /shmviz-lesson-one", "/shmviz-lesson-one"}, measure);
    EXPECT_TRUE(l.cut);
    EXPECT_EQ(l.text, "/shmviz-...");
    EXPECT_EQ(l.full, "seg 1  /shmviz-lesson-one");
    const Label n = fitLabel({0, 0, 40, 18}, LabelFont::Mono, LabelTone::Text, {"bytes 3932160"}, measure);
    EXPECT_EQ(n.text, "...") << "a number is dropped whole, never cut";
    // Room for "135893..." but not for "135893 frames": the number is not shown as if cut short.
    const float room = measure(LabelFont::Regular, "135893...") + 1;
    const Label count =
        fitLabel({0, 0, room, 18}, LabelFont::Regular, LabelTone::Text, {"135893 frames"}, measure);
    EXPECT_TRUE(count.cut);
    EXPECT_EQ(count.text, "...") << "an ellipsis never follows a number";
}

TEST(DiagramLabels, AFrameSaysWhichPageItHoldsAndWhoMapsIt) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    test::touch(s, 0, 2, 0x1234);
    test::touch(s, 1, 2, 0x1234);
    ViewParams v = windowView(1920, 1080, 1);
    const LayoutIndex index = indexSnapshot(s);
    const DiagramLayout l = layoutDiagram(s, index, v);
    const std::vector<Label> labels = labelDiagram(s, index, l, v, 6, measureAt(1));
    const bool said = std::any_of(labels.begin(), labels.end(), [](const Label& x) {
        return x.text == "page 2: W0, W1" || x.text == "p2: W0, W1";
    });
    EXPECT_TRUE(said);
}

} // namespace
} // namespace shmviz::render
