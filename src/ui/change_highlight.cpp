#include "ui/change_highlight.h"

#include <imgui.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace shmviz::ui {
namespace {

ImU32 colour(const render::Rgba& c, float alpha) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
}

// (worker index, attachment index, page) of each changed entry, as the layout numbers them.
std::set<std::tuple<int, std::size_t, std::uint64_t>> layoutPages(const core::Snapshot& snap,
                                                                  const std::vector<core::PageRef>& refs) {
    std::set<std::tuple<int, std::size_t, std::uint64_t>> out;
    for (const core::PageRef& r : refs)
        for (std::size_t wi = 0; wi < snap.workers.size(); ++wi)
            if (snap.workers[wi].id == r.worker)
                for (std::size_t ai = 0; ai < snap.workers[wi].attachments.size(); ++ai)
                    if (snap.workers[wi].attachments[ai].id == r.attachment)
                        out.insert({static_cast<int>(wi), ai, r.page});
    return out;
}

bool bandHolds(const render::PageBand& band,
               const std::set<std::tuple<int, std::size_t, std::uint64_t>>& pages) {
    auto it = pages.lower_bound({band.worker, band.attachment, band.firstPage});
    return it != pages.end() && std::get<0>(*it) == band.worker && std::get<1>(*it) == band.attachment &&
           std::get<2>(*it) < band.firstPage + band.count;
}

} // namespace

void drawChangeHighlight(const render::DiagramLayout& layout, const core::Snapshot& snapshot,
                         const core::SnapshotDiff& diff, const render::Palette& palette, float strength,
                         float lineWidth) {
    if (strength <= 0 || diff.empty())
        return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pad = lineWidth * 1.5f;
    const auto outline = [&](const render::Rect& r, ImU32 c) {
        dl->AddRect(ImVec2(r.x0 - pad, r.y0 - pad), ImVec2(r.x1 + pad, r.y1 + pad), c, 0, 0, lineWidth);
    };
    const auto added = layoutPages(snapshot, diff.arrowsAdded);
    const auto removed = layoutPages(snapshot, diff.arrowsRemoved);
    for (const render::PageBand& band : layout.pages) {
        if (bandHolds(band, added))
            outline(band.rect, colour(palette.selection, strength));
        else if (bandHolds(band, removed))
            outline(band.rect, colour(palette.destroyed, strength));
    }
    const std::set<std::uint64_t> appeared(diff.framesAppeared.begin(), diff.framesAppeared.end());
    for (const render::FrameBand& band : layout.frames)
        for (std::size_t i = band.firstFrame; i < band.firstFrame + band.count && i < snapshot.frames.size();
             ++i)
            if (appeared.count(snapshot.frames[i].pfn)) {
                outline(band.rect, colour(palette.selection, strength));
                break;
            }
}

} // namespace shmviz::ui
