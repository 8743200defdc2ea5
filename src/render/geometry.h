#pragma once
// Plain 2D geometry in window pixels (origin top left, y down), shared by layout and renderer.

namespace shmviz::render {

struct Vec2 {
    float x = 0;
    float y = 0;
};

struct Rect {
    float x0 = 0;
    float y0 = 0;
    float x1 = 0;
    float y1 = 0;

    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    Vec2 center() const { return {(x0 + x1) * 0.5f, (y0 + y1) * 0.5f}; }
    bool contains(Vec2 p) const { return p.x >= x0 && p.x < x1 && p.y >= y0 && p.y < y1; }
    bool overlapsRows(float top, float bottom) const { return y1 > top && y0 < bottom; }
};

struct Rgba {
    float r = 0;
    float g = 0;
    float b = 0;
    float a = 1;
};

} // namespace shmviz::render
