#pragma once
// Brief animations between two snapshots so a room can follow a change: new arrows grow from
// the page to the frame, new frames fade in, vanished frames and arrows fade out where they were.
// Pure bookkeeping over layout keys; time in seconds from any monotonic clock.
#include "render/diagram_layout.h"

#include <unordered_map>
#include <utility>
#include <vector>

namespace shmviz::render {

inline constexpr double kGrowSeconds = 0.5;
inline constexpr double kFadeSeconds = 0.7;
// An arrow whose page now points at another frame (copy-on-write) swings over this slowly.
inline constexpr double kMoveSeconds = 1.2;
// Bulk changes (a 1 GiB touch) are not animated item by item.
inline constexpr std::size_t kMaxAnimatedItems = 256;

class DiagramAnimation {
  public:
    // Call when `next` is the first layout of a new snapshot that replaced `previous`.
    void onSnapshotChanged(const DiagramLayout& previous, const DiagramLayout& next, double now);

    // 0..1: how far the arrow has grown; 1 for arrows that are not new.
    float arrowProgress(std::uint64_t key, double now) const;
    // Where an arrow's head is now: between its old and new frame while it moves, else its own.
    std::pair<Vec2, Vec2> arrowTarget(const Arrow& arrow, double now) const;
    // 0..1: opacity of a frame that just appeared.
    float frameOpacity(std::uint64_t key, double now) const;

    struct FadingFrame {
        FrameBand frame;
        double start = 0;
    };
    struct FadingArrow {
        Arrow arrow;
        double start = 0;
    };
    const std::vector<FadingFrame>& fadingFrames() const { return m_fadingFrames; }
    const std::vector<FadingArrow>& fadingArrows() const { return m_fadingArrows; }
    static float fadeOpacity(double start, double now);

    // True while something still moves; the frame loop keeps drawing until it is false.
    bool running(double now) const;

  private:
    std::unordered_map<std::uint64_t, double> m_arrowStarts;
    std::unordered_map<std::uint64_t, double> m_frameStarts;
    struct Move {
        Vec2 fromTop;
        Vec2 fromBottom;
        double start = 0;
    };
    std::unordered_map<std::uint64_t, Move> m_moves; // by arrow key
    std::vector<FadingFrame> m_fadingFrames;
    std::vector<FadingArrow> m_fadingArrows;
    double m_until = 0;
};

} // namespace shmviz::render
