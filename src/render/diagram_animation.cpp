#include "render/diagram_animation.h"

#include <algorithm>
#include <unordered_set>

namespace shmviz::render {
namespace {

template <class Item> std::unordered_set<std::uint64_t> keysOf(const std::vector<Item>& items) {
    std::unordered_set<std::uint64_t> keys;
    for (const Item& item : items)
        keys.insert(item.key);
    return keys;
}

float easeOut(double t) {
    const double c = std::clamp(t, 0.0, 1.0);
    return static_cast<float>(1 - (1 - c) * (1 - c));
}

float easeInOut(double t) {
    const double c = std::clamp(t, 0.0, 1.0);
    return static_cast<float>(c * c * (3 - 2 * c));
}

} // namespace

void DiagramAnimation::onSnapshotChanged(const DiagramLayout& previous, const DiagramLayout& next,
                                         double now) {
    std::erase_if(m_arrowStarts, [now](const auto& kv) { return now - kv.second > kGrowSeconds; });
    std::erase_if(m_frameStarts, [now](const auto& kv) { return now - kv.second > kGrowSeconds; });
    std::erase_if(m_moves, [now](const auto& kv) { return now - kv.second.start > kMoveSeconds; });
    std::erase_if(m_fadingFrames, [now](const FadingFrame& f) { return now - f.start > kFadeSeconds; });
    std::erase_if(m_fadingArrows, [now](const FadingArrow& a) { return now - a.start > kFadeSeconds; });

    const auto oldArrows = keysOf(previous.arrows);
    const auto newArrows = keysOf(next.arrows);
    const auto oldFrames = keysOf(previous.frames);
    const auto newFrames = keysOf(next.frames);

    std::vector<std::uint64_t> grown;
    for (const Arrow& a : next.arrows)
        if (!oldArrows.contains(a.key))
            grown.push_back(a.key);
    std::unordered_map<std::uint64_t, const Arrow*> oldByKey;
    for (const Arrow& a : previous.arrows)
        oldByKey.emplace(a.key, &a);
    std::vector<std::pair<std::uint64_t, Move>> moved;
    for (const Arrow& a : next.arrows)
        if (auto it = oldByKey.find(a.key); it != oldByKey.end() && it->second->target != a.target) {
            // Start from where the head is drawn now, in case it was still moving.
            const auto [top, bottom] = arrowTarget(*it->second, now);
            moved.push_back({a.key, {top, bottom, now}});
        }
    std::vector<std::uint64_t> appeared;
    for (const FrameBand& f : next.frames)
        if (!oldFrames.contains(f.key))
            appeared.push_back(f.key);
    std::vector<FadingArrow> goneArrows;
    for (const Arrow& a : previous.arrows)
        if (!newArrows.contains(a.key))
            goneArrows.push_back({a, now});
    std::vector<FadingFrame> goneFrames;
    for (const FrameBand& f : previous.frames)
        if (!newFrames.contains(f.key))
            goneFrames.push_back({f, now});

    if (grown.size() + appeared.size() + goneArrows.size() + goneFrames.size() + moved.size() >
        kMaxAnimatedItems)
        return;
    for (const auto& [k, move] : moved)
        m_moves[k] = move;
    if (!moved.empty())
        m_until = std::max(m_until, now + kMoveSeconds);
    for (std::uint64_t k : grown)
        m_arrowStarts[k] = now;
    for (std::uint64_t k : appeared)
        m_frameStarts[k] = now;
    m_fadingArrows.insert(m_fadingArrows.end(), goneArrows.begin(), goneArrows.end());
    m_fadingFrames.insert(m_fadingFrames.end(), goneFrames.begin(), goneFrames.end());
    if (!grown.empty() || !appeared.empty())
        m_until = std::max(m_until, now + kGrowSeconds);
    if (!goneArrows.empty() || !goneFrames.empty())
        m_until = std::max(m_until, now + kFadeSeconds);
}

float DiagramAnimation::arrowProgress(std::uint64_t key, double now) const {
    auto it = m_arrowStarts.find(key);
    return it == m_arrowStarts.end() ? 1.0f : easeOut((now - it->second) / kGrowSeconds);
}

std::pair<Vec2, Vec2> DiagramAnimation::arrowTarget(const Arrow& arrow, double now) const {
    auto it = m_moves.find(arrow.key);
    if (it == m_moves.end())
        return {arrow.toTop, arrow.toBottom};
    const float t = easeInOut((now - it->second.start) / kMoveSeconds);
    const auto lerp = [t](Vec2 a, Vec2 b) { return Vec2{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; };
    return {lerp(it->second.fromTop, arrow.toTop), lerp(it->second.fromBottom, arrow.toBottom)};
}

float DiagramAnimation::frameOpacity(std::uint64_t key, double now) const {
    auto it = m_frameStarts.find(key);
    return it == m_frameStarts.end() ? 1.0f : easeOut((now - it->second) / kGrowSeconds);
}

float DiagramAnimation::fadeOpacity(double start, double now) {
    return 1.0f - easeOut((now - start) / kFadeSeconds);
}

bool DiagramAnimation::running(double now) const {
    return now < m_until;
}

} // namespace shmviz::render
