#pragma once
// A list of coloured quads in window pixels, filled by the diagram painter and drawn by
// QuadRenderer in one instanced call.
#include "render/geometry.h"

#include <vector>

namespace shmviz::render {

// Corners in triangle-strip order: a b on one edge, c d on the opposite one.
struct QuadInstance {
    Vec2 a, b, c, d;
    Rgba color;
};
static_assert(sizeof(QuadInstance) == 12 * sizeof(float), "the shader reads 12 packed floats");

class QuadList {
  public:
    void clear() { m_quads.clear(); }
    void rect(const Rect& r, Rgba color);
    // A rectangle outline `width` pixels thick, drawn inside r.
    void outline(const Rect& r, float width, Rgba color);
    // A straight line from p to q.
    void line(Vec2 p, Vec2 q, float width, Rgba color);
    // A triangle pointing at `tip`, arriving from `from`.
    void arrowHead(Vec2 from, Vec2 tip, float length, float halfWidth, Rgba color);
    // A band joining two vertical spans.
    void ribbon(Vec2 fromTop, Vec2 fromBottom, Vec2 toTop, Vec2 toBottom, Rgba color);

    const std::vector<QuadInstance>& quads() const { return m_quads; }

  private:
    std::vector<QuadInstance> m_quads;
};

} // namespace shmviz::render
