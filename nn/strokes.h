#pragma once
// Pen strokes: a drawing as polylines (a "glyph" in a box of its own, y
// down) and the ink a round-capped, antialiased pen of a given width lays
// along them, as the canvas's QPainter draws it. The synthetic training data
// (nn/synth.h) and the tests' synthetic handwriting (tests/handwriting.h)
// both draw with it. No Qt.
#include <initializer_list>
#include <vector>

namespace nn::strokes {

struct Pt {
    float x, y;
};
using Stroke = std::vector<Pt>;
using Glyph = std::vector<Stroke>;

inline constexpr float kPi = 3.14159265f;

// Points on an ellipse arc around (cx, cy), angles in degrees (0 = right,
// 90 = down, as y grows downwards); n + 1 points.
Stroke arc(float cx, float cy, float rx, float ry, float a0, float a1, int n = 24);
inline Stroke polyline(std::initializer_list<Pt> pts) { return Stroke(pts); }
Stroke& append(Stroke& a, const Stroke& b);

struct Box {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
};
// The points' bounding box (all zero for an empty glyph).
Box bounds(const Glyph& g);

// Ink coverage of a round-capped pen of width `pen` along the strokes, with
// a one-pixel antialiased ramp: cover (w * h values, row-major) becomes the
// larger of its value and the pen's coverage, in [0, 1]. A stroke of one
// point is a dot.
void strokeCoverage(std::vector<float>& cover, int w, int h, const Glyph& g, float pen);

}  // namespace nn::strokes
