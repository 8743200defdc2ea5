#pragma once
// The main view: every worker's pages, the physical frames and the arrows between them. Lays out
// and paints quads for the GL renderer; writes labels, legend and hover tooltips with ImGui.
#include "render/diagram_animation.h"
#include "render/diagram_labels.h"
#include "render/diagram_layout.h"
#include "render/palette.h"
#include "render/quad_list.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shmviz::ui {

class DiagramPanel {
  public:
    // Draws into the current ImGui window, using what is left of its content region.
    void draw(const FrameContext& ctx, UiState& state, const Fonts& fonts);

    const render::QuadList& quads() const { return m_quads; }
    const render::Rect& canvas() const { return m_view.canvas; }
    const render::ViewParams& view() const { return m_view; }
    const render::DiagramLayout& layout() const { return m_layout; }
    // Pages present in the snapshot drawn last, from its index's runs.
    std::size_t presentPages() const;
    const std::vector<render::Label>& labels() const { return m_labels; }
    float textScale() const { return m_textScale; }
    bool animating(double now) const { return m_animation.running(now); }

  private:
    // The index of the pages of ctx.snapshot: kept while its pages are the same, derived when workers
    // only ended, else made afresh.
    void updateIndex(const FrameContext& ctx);
    render::ViewParams viewFor(const core::Snapshot& snapshot, const UiState& state, ImVec2 origin,
                               ImVec2 avail);
    void updateLayout(const core::Snapshot& snapshot, const render::ViewParams& view, double now);
    void updateLabels(const core::Snapshot& snapshot, const UiState& state, const Fonts& fonts);
    void handleInput(const core::Snapshot& snapshot, UiState& state);
    void zoomWheel(const core::Snapshot& snapshot, float wheel, float mouseY);
    void selectPage(const core::Snapshot& snapshot, const render::PageBand& page, UiState& state) const;
    void drawLabels(const UiState& state, const Fonts& fonts) const;
    bool drawLabelTooltip(ImVec2 mouse) const;
    struct LegendText {
        ImFont* font;
        float size;
        float line;
        ImVec2 measure(const char* text) const;
    };
    LegendText legendText(const Fonts& fonts) const;
    void drawLegend(const core::Snapshot& snapshot, const UiState& state, const Fonts& fonts) const;
    void drawScaleNote(const core::Snapshot& snapshot, const UiState& state, const LegendText& text,
                       float keyEnd, float y) const;
    // "..." at `at` for the key's items that did not fit, naming them in its tooltip; returns its right end.
    float drawDroppedKeys(const LegendText& text, const std::string& dropped, ImVec2 at,
                          const render::Palette& pal) const;
    void drawTooltip(const core::Snapshot& snapshot, const render::Hit& hit, const Fonts& fonts) const;
    bool drawMapTooltip(const core::Snapshot& snapshot, ImVec2 mouse, const Fonts& fonts) const;

    render::ViewParams m_view;
    render::LayoutIndex m_index;                     // of the snapshots with this pagesStamp()
    std::shared_ptr<const core::Snapshot> m_indexed; // the one m_index was made for, when known
    std::shared_ptr<const core::Snapshot> m_retired; // the one before, freed a frame later
    std::uint64_t m_indexStamp = ~std::uint64_t{0};
    render::DiagramLayout m_layout;
    std::uint64_t m_generation = ~std::uint64_t{0};
    render::DiagramAnimation m_animation;
    render::QuadList m_quads;
    std::vector<render::Label> m_labels;
    float m_pagePx = 0;       // 0: fit in both directions
    float m_textScale = 1;    // of the diagram's text against the interface's
    float m_minTextScale = 1; // presenter mode: large enough for the back of a room
    float m_basePagePx = 30;
    float m_scrollY = 0;
    double m_mapFirst = 0; // the physical-memory map's zoomed axis (ViewParams::mapFirst, mapSpan)
    double m_mapSpan = 0;
    bool m_mapDrag = false; // this drag began on the map: it pans the map's axis
    std::optional<std::size_t> m_hoveredPage;
    bool m_dragged = false;
    bool m_animate = true;
};

} // namespace shmviz::ui
