#include "render/quad_list.h"

#include <cmath>

namespace shmviz::render {

void QuadList::rect(const Rect& r, Rgba color) {
    m_quads.push_back({{r.x0, r.y0}, {r.x1, r.y0}, {r.x0, r.y1}, {r.x1, r.y1}, color});
}

void QuadList::outline(const Rect& r, float width, Rgba color) {
    rect({r.x0, r.y0, r.x1, r.y0 + width}, color);
    rect({r.x0, r.y1 - width, r.x1, r.y1}, color);
    rect({r.x0, r.y0 + width, r.x0 + width, r.y1 - width}, color);
    rect({r.x1 - width, r.y0 + width, r.x1, r.y1 - width}, color);
}

void QuadList::line(Vec2 p, Vec2 q, float width, Rgba color) {
    const float dx = q.x - p.x;
    const float dy = q.y - p.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0)
        return;
    const float nx = -dy / len * width * 0.5f;
    const float ny = dx / len * width * 0.5f;
    m_quads.push_back(
        {{p.x + nx, p.y + ny}, {q.x + nx, q.y + ny}, {p.x - nx, p.y - ny}, {q.x - nx, q.y - ny}, color});
}

void QuadList::arrowHead(Vec2 from, Vec2 tip, float length, float halfWidth, Rgba color) {
    const float dx = tip.x - from.x;
    const float dy = tip.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0)
        return;
    const float ux = dx / len;
    const float uy = dy / len;
    const Vec2 base{tip.x - ux * length, tip.y - uy * length};
    const Vec2 l{base.x - uy * halfWidth, base.y + ux * halfWidth};
    const Vec2 r{base.x + uy * halfWidth, base.y - ux * halfWidth};
    m_quads.push_back({l, tip, r, tip, color});
}

void QuadList::ribbon(Vec2 fromTop, Vec2 fromBottom, Vec2 toTop, Vec2 toBottom, Rgba color) {
    m_quads.push_back({fromTop, toTop, fromBottom, toBottom, color});
}

} // namespace shmviz::render
