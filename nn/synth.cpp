#include "synth.h"

#include "parallel.h"
#include "preprocess.h"
#include "random.h"

#include <algorithm>
#include <cmath>

namespace nn {

using strokes::arc;
using strokes::Glyph;
using strokes::kPi;
using strokes::Pt;
using strokes::polyline;
using strokes::Stroke;

namespace {

// Uniform floats in [0, 1) from a splitmix64 sequence.
struct Uniform {
    SplitMix64 g;
    explicit Uniform(std::uint64_t seed) : g{mix64(seed)} {}
    float operator()() { return float(g.next() >> 40) / float(1u << 24); }
    float range(float a, float b) { return a + (b - a) * (*this)(); }
    int below(int n) { return int(g.below(std::uint64_t(n))); }
};

Stroke closedPolygon(const std::vector<Pt>& pts)
{
    Stroke s(pts);
    s.push_back(pts.front());
    return s;
}

}  // namespace

const char* styleName(DigitStyle s)
{
    switch (s) {
    case DigitStyle::FlagOne: return "1 with a long flag";
    case DigitStyle::SerifOne: return "1 with a base serif";
    case DigitStyle::CrossedSeven: return "7 with a crossbar";
    case DigitStyle::OpenFour: return "4 with an open top";
    case DigitStyle::ClosedFour: return "4 closed";
    case DigitStyle::StraightNine: return "9 with a straight stem";
    case DigitStyle::LoopTwo: return "2 with a loop";
    }
    return "?";
}

int styleDigit(DigitStyle s)
{
    switch (s) {
    case DigitStyle::FlagOne:
    case DigitStyle::SerifOne: return 1;
    case DigitStyle::CrossedSeven: return 7;
    case DigitStyle::OpenFour:
    case DigitStyle::ClosedFour: return 4;
    case DigitStyle::StraightNine: return 9;
    case DigitStyle::LoopTwo: return 2;
    }
    return 0;
}

Hand Hand::random(std::uint64_t seed)
{
    Uniform u(seed ^ 0x48414E44ull);
    Hand h;
    h.seed = seed;
    h.slant = (u() - 0.35f) * 0.5f;
    h.rotate = (u() - 0.5f) * 0.14f;
    h.width = 0.5f + 0.35f * u();
    h.wobble = 0.004f + 0.02f * u();
    for (float& v : h.r)
        v = u();
    return h;
}

Glyph styleSkeleton(DigitStyle s, const std::array<float, 6>& r)
{
    switch (s) {
    case DigitStyle::FlagOne: {
        // A long up-stroke from low on the left to the top, then straight
        // down: a narrow ʌ whose right leg is the longer.
        const float startY = 0.35f + 0.3f * r[0], startX = 0.0f + 0.15f * r[1];
        return {polyline({{startX, startY}, {0.62f + 0.1f * r[2], 0.0f}, {0.62f + 0.1f * (r[3] - 0.5f), 1.0f}})};
    }
    case DigitStyle::SerifOne: {
        const float stem = 0.5f + 0.08f * (r[0] - 0.5f);
        Glyph g{polyline({{0.15f + 0.1f * r[1], 0.18f + 0.15f * r[2]}, {stem, 0.0f}, {stem, 1.0f}})};
        const float half = 0.25f + 0.15f * r[3];
        g.push_back(polyline({{stem - half, 1.0f}, {stem + half, 1.0f - 0.02f * r[4]}}));
        return g;
    }
    case DigitStyle::CrossedSeven: {
        // Sometimes a short down-tick at the left end of the top bar.
        Stroke top;
        if (r[0] < 0.4f)
            top.push_back({0.02f, 0.12f + 0.08f * r[1]});
        top.push_back({0.0f, 0.02f * r[2]});
        const float footX = 0.25f + 0.2f * r[3];
        top.push_back({1.0f, 0.0f});
        top.push_back({footX, 1.0f});
        const float y = 0.45f + 0.12f * r[4];
        const float stemX = 1.0f + (footX - 1.0f) * y;  // where the stem is at height y
        const float half = 0.22f + 0.12f * r[5];
        return {top, polyline({{stemX - half, y + 0.02f}, {stemX + half, y - 0.02f}})};
    }
    case DigitStyle::OpenFour: {
        // Two nearly parallel uprights: the left one down to the bar, the
        // stem from above the bar (often from the top) to the bottom.
        const float bar = 0.55f + 0.12f * r[0];
        const float stemX = 0.62f + 0.12f * r[1];
        const float leftX = 0.05f + 0.1f * r[2];
        return {polyline({{leftX + 0.05f * r[3], 0.0f}, {leftX, bar}, {1.0f, bar - 0.02f}}),
                polyline({{stemX, 0.0f + 0.25f * r[4]}, {stemX - 0.03f * r[5], 1.0f}})};
    }
    case DigitStyle::ClosedFour: {
        // The printed 4: up the stem, down-left to the bar, across.
        const float bar = 0.62f + 0.1f * r[0];
        const float stemX = 0.62f + 0.12f * r[1];
        if (r[2] < 0.5f)
            return {polyline({{stemX, 1.0f}, {stemX, 0.0f}, {0.0f, bar}, {1.0f, bar}})};
        return {polyline({{stemX, 0.0f}, {0.0f, bar}, {1.0f, bar}}), polyline({{stemX, 0.0f}, {stemX, 1.0f}})};
    }
    case DigitStyle::StraightNine: {
        // A round head and a straight, upright stem from its right side
        // (sometimes from the top of the head) to the bottom.
        const float ry = 0.24f + 0.06f * r[0];
        const float rx = 0.4f + 0.08f * r[1];
        Stroke s = arc(0.5f, ry, rx, ry, 0.0f, -360.0f, 28);
        const float x = 0.5f + rx;
        if (r[2] < 0.5f) {
            s.push_back({x, 1.0f});
            return {s};
        }
        return {s, polyline({{x, 0.0f}, {x - 0.02f * r[3], 1.0f}})};
    }
    case DigitStyle::LoopTwo: {
        // The top arc, down to the bottom left, a small loop there (300
        // degrees round, starting and ending beside the diagonal), then the base.
        Stroke s = arc(0.5f, 0.27f, 0.42f, 0.27f, 195.0f - 20.0f * r[0], 380.0f, 20);
        const float lr = 0.09f + 0.06f * r[1];
        const float cx = 0.12f + lr, cy = 1.0f - lr;
        s.push_back({cx + 0.2f * lr, cy - lr});
        strokes::append(s, arc(cx, cy, lr, lr, -80.0f, -80.0f - 300.0f, 14));  // round the loop (anticlockwise)
        s.push_back({1.0f, 0.97f + 0.03f * r[2]});
        return {s};
    }
    }
    return {};
}

Glyph applyHand(const Glyph& skeleton, const Hand& hand, float narrow)
{
    Glyph g = skeleton;
    Uniform u(hand.seed * 31u + 7u + std::uint64_t(g.size()));
    const float c = std::cos(hand.rotate), s = std::sin(hand.rotate);
    const float fx = 2.0f + 3.0f * u(), fy = 2.0f + 3.0f * u();
    const float px = 6.28f * u(), py = 6.28f * u();
    for (Stroke& st : g)
        for (Pt& p : st) {
            float x = (p.x - 0.5f) * hand.width * narrow, y = p.y - 0.5f;
            x += hand.wobble * std::sin(fx * y * 6.28f + px);
            y += hand.wobble * std::sin(fy * x * 6.28f + py);
            x -= hand.slant * y;
            p = {c * x - s * y, s * x + c * y};
        }
    return g;
}

Glyph styleGlyph(DigitStyle s, const Hand& hand)
{
    const float narrow = styleDigit(s) == 1 ? (s == DigitStyle::SerifOne ? 0.75f : 0.55f) : 1.0f;
    return applyHand(styleSkeleton(s, hand.r), hand, narrow);
}

namespace {

Glyph letter(int which, Uniform& u)
{
    const float j = 0.06f * (u() - 0.5f);  // where crossbars sit
    switch (which) {
    case 0: return {polyline({{0, 1}, {0.5f, 0}, {1, 1}}), polyline({{0.22f, 0.62f + j}, {0.78f, 0.62f + j}})};  // A
    case 1: return {arc(0.55f, 0.5f, 0.5f, 0.5f, -50.0f, -310.0f, 24)};                                          // C
    case 2: return {polyline({{0.9f, 0}, {0.1f, 0}, {0.1f, 1}, {0.9f, 1}}), polyline({{0.1f, 0.5f + j}, {0.7f, 0.5f + j}})};  // E
    case 3: return {polyline({{0.9f, 0}, {0.1f, 0}, {0.1f, 1}}), polyline({{0.1f, 0.48f + j}, {0.7f, 0.48f + j}})};  // F
    case 4: return {polyline({{0.1f, 0}, {0.1f, 1}}), polyline({{0.9f, 0}, {0.9f, 1}}), polyline({{0.1f, 0.5f + j}, {0.9f, 0.5f + j}})};  // H
    case 5: return {polyline({{0.1f, 0}, {0.1f, 1}}), polyline({{0.9f, 0}, {0.12f, 0.55f + j}, {0.9f, 1}})};  // K
    case 6: return {polyline({{0, 1}, {0.1f, 0}, {0.5f, 0.65f + j}, {0.9f, 0}, {1, 1}})};  // M
    case 7: return {polyline({{0.1f, 1}, {0.1f, 0}, {0.9f, 1}, {0.9f, 0}})};  // N
    case 8: {  // P
        Stroke s = polyline({{0.1f, 1}, {0.1f, 0}});
        strokes::append(s, arc(0.35f, 0.27f, 0.5f, 0.27f, -90.0f, 90.0f, 12));
        s.push_back({0.1f, 0.54f});
        return {s};
    }
    case 9: {  // R
        Stroke s = polyline({{0.1f, 1}, {0.1f, 0}});
        strokes::append(s, arc(0.35f, 0.25f, 0.5f, 0.25f, -90.0f, 90.0f, 12));
        s.push_back({0.1f, 0.5f});
        s.push_back({0.9f, 1.0f});
        return {s};
    }
    case 10: return {polyline({{0, 0}, {1, 0}}), polyline({{0.5f + j, 0}, {0.5f + j, 1}})};  // T
    case 11: {  // U
        Stroke s = polyline({{0.05f, 0}});
        strokes::append(s, arc(0.5f, 0.6f, 0.45f, 0.4f, 180.0f, 0.0f, 16));
        s.push_back({0.95f, 0});
        return {s};
    }
    case 12: return {polyline({{0, 0}, {0.5f, 1}, {1, 0}})};                                    // V
    case 13: return {polyline({{0, 0}, {0.25f, 1}, {0.5f, 0.3f + j}, {0.75f, 1}, {1, 0}})};       // W
    case 14: return {polyline({{0, 0}, {1, 1}}), polyline({{1, 0}, {0, 1}})};                   // X
    case 15: return {polyline({{0, 0}, {0.5f, 0.5f + j}, {1, 0}}), polyline({{0.5f, 0.5f + j}, {0.5f, 1}})};  // Y
    case 16: {  // a (round, with its stem)
        Stroke s = arc(0.45f, 0.6f, 0.42f, 0.4f, -30.0f, -390.0f, 24);
        return {s, polyline({{0.88f, 0.2f}, {0.88f, 1.0f}})};
    }
    case 17: {  // e
        Stroke s = polyline({{0.05f, 0.55f}, {0.95f, 0.55f}});
        strokes::append(s, arc(0.5f, 0.55f, 0.45f, 0.45f, 0.0f, -300.0f, 22));
        return {s};
    }
    case 18: {  // h
        Stroke s = polyline({{0.1f, 0}, {0.1f, 1}});
        Stroke b = polyline({{0.1f, 0.65f}});
        strokes::append(b, arc(0.5f, 0.65f, 0.4f, 0.3f, 180.0f, 360.0f, 10));
        b.push_back({0.9f, 1.0f});
        return {s, b};
    }
    case 19: {  // m
        Stroke s = polyline({{0.05f, 1}, {0.05f, 0.35f}});
        strokes::append(s, arc(0.27f, 0.45f, 0.22f, 0.15f, 180.0f, 360.0f, 8));
        s.push_back({0.49f, 1});
        s.push_back({0.49f, 0.45f});
        strokes::append(s, arc(0.72f, 0.45f, 0.23f, 0.15f, 180.0f, 360.0f, 8));
        s.push_back({0.95f, 1});
        return {s};
    }
    case 20: {  // n
        Stroke s = polyline({{0.1f, 1}, {0.1f, 0.3f}});
        strokes::append(s, arc(0.5f, 0.5f, 0.4f, 0.3f, 180.0f, 360.0f, 10));
        s.push_back({0.9f, 1});
        return {s};
    }
    case 21: {  // r
        Stroke s = polyline({{0.15f, 1}, {0.15f, 0.2f}});
        Stroke a = polyline({{0.15f, 0.5f}});
        strokes::append(a, arc(0.6f, 0.45f, 0.45f, 0.3f, 200.0f, 300.0f, 8));
        return {s, a};
    }
    case 22: return {polyline({{0.5f, 0}, {0.5f, 0.85f}, {0.75f, 1.0f}, {1.0f, 0.9f}}), polyline({{0.1f, 0.3f + j}, {0.9f, 0.3f + j}})};  // t
    default: {  // u
        Stroke s = polyline({{0.1f, 0}});
        strokes::append(s, arc(0.5f, 0.6f, 0.4f, 0.4f, 180.0f, 0.0f, 14));
        s.push_back({0.9f, 0});
        s.push_back({0.9f, 1});
        return {s};
    }
    }
}

constexpr int kLetterShapes = 24;

Glyph shape(int which, Uniform& u)
{
    switch (which) {
    case 0: {  // ellipse, round to wide to tall, drawn once around (or a little more)
        const float ry = 0.5f * (0.75f + 0.5f * u());
        const float a0 = 360.0f * u();
        return {arc(0.5f, 0.5f, 0.5f, ry, a0, a0 + 360.0f + 25.0f * u(), 40)};
    }
    case 1: {  // rectangle
        const float w = 0.6f + 0.6f * u(), h = 0.6f + 0.6f * u();
        return {closedPolygon({{0, 0}, {w, 0}, {w, h}, {0, h}})};
    }
    case 2: {  // triangle, any orientation
        std::vector<Pt> p;
        const float a0 = 360.0f * u();
        for (int i = 0; i < 3; ++i) {
            const float a = (a0 + 120.0f * float(i) + 25.0f * (u() - 0.5f)) * kPi / 180.0f;
            p.push_back({0.5f + 0.5f * std::cos(a), 0.5f + 0.5f * std::sin(a)});
        }
        return {closedPolygon(p)};
    }
    case 3: {  // polygon of 5 to 8 sides
        const int n = 5 + u.below(4);
        std::vector<Pt> p;
        const float a0 = 360.0f * u();
        for (int i = 0; i < n; ++i) {
            const float a = (a0 + 360.0f * float(i) / float(n)) * kPi / 180.0f;
            p.push_back({0.5f + 0.5f * std::cos(a), 0.5f + 0.5f * std::sin(a)});
        }
        return {closedPolygon(p)};
    }
    case 4: {  // star: 5-7 points, in one stroke or as an outline
        const int n = 5 + u.below(3);
        const float a0 = 360.0f * u(), inner = 0.3f + 0.2f * u();
        std::vector<Pt> p;
        if (n == 5 && u() < 0.5f) {
            for (int i = 0; i < 5; ++i) {
                const float a = (a0 + 144.0f * float(i)) * kPi / 180.0f;
                p.push_back({0.5f + 0.5f * std::cos(a), 0.5f + 0.5f * std::sin(a)});
            }
        } else {
            for (int i = 0; i < 2 * n; ++i) {
                const float a = (a0 + 180.0f * float(i) / float(n)) * kPi / 180.0f;
                const float rr = i % 2 ? 0.5f * inner : 0.5f;
                p.push_back({0.5f + rr * std::cos(a), 0.5f + rr * std::sin(a)});
            }
        }
        return {closedPolygon(p)};
    }
    case 5: {  // heart
        Stroke s;
        for (int i = 0; i <= 40; ++i) {
            const float t = 2.0f * kPi * float(i) / 40.0f;
            const float x = 16.0f * std::pow(std::sin(t), 3.0f);
            const float y = 13.0f * std::cos(t) - 5.0f * std::cos(2 * t) - 2.0f * std::cos(3 * t) - std::cos(4 * t);
            s.push_back({0.5f + x / 34.0f, 0.5f - y / 34.0f});
        }
        return {s};
    }
    case 6: {  // spiral
        Stroke s;
        const float turns = 1.5f + 1.5f * u(), a0 = 6.28f * u();
        const float dir = u() < 0.5f ? 1.0f : -1.0f;
        for (int i = 0; i <= 60; ++i) {
            const float t = float(i) / 60.0f;
            const float a = a0 + dir * turns * 6.283f * t;
            s.push_back({0.5f + 0.5f * t * std::cos(a), 0.5f + 0.5f * t * std::sin(a)});
        }
        return {s};
    }
    case 7: {  // arrow
        const float a = 6.283f * u(), c = std::cos(a), s = std::sin(a);
        const Pt tip{0.5f + 0.5f * c, 0.5f + 0.5f * s}, tail{0.5f - 0.5f * c, 0.5f - 0.5f * s};
        const float h = 0.3f, w = 0.5f;
        const Pt l{tip.x - h * (c * std::cos(w) - s * std::sin(w)), tip.y - h * (s * std::cos(w) + c * std::sin(w))};
        const Pt r{tip.x - h * (c * std::cos(-w) - s * std::sin(-w)), tip.y - h * (s * std::cos(-w) + c * std::sin(-w))};
        return {polyline({tail, tip}), polyline({l, tip, r})};
    }
    case 8: {  // plus or a cross
        if (u() < 0.5f)
            return {polyline({{0.5f, 0}, {0.5f, 1}}), polyline({{0, 0.5f}, {1, 0.5f}})};
        return {polyline({{0, 0}, {1, 1}}), polyline({{1, 0}, {0, 1}})};
    }
    case 9: {  // grid: a noughts-and-crosses board
        const float a = 0.3f + 0.1f * u(), b = 0.62f + 0.1f * u();
        return {polyline({{a, 0}, {a, 1}}), polyline({{b, 0}, {b, 1}}), polyline({{0, a}, {1, a}}),
                polyline({{0, b}, {1, b}})};
    }
    case 10: {  // zig-zag
        Stroke s;
        const int n = 4 + u.below(6);
        const bool across = u() < 0.7f;
        for (int i = 0; i <= n; ++i) {
            const float t = float(i) / float(n), v = i % 2 ? 1.0f : 0.0f;
            s.push_back(across ? Pt{t, 0.3f + 0.4f * v} : Pt{0.3f + 0.4f * v, t});
        }
        return {s};
    }
    case 11: {  // wave
        Stroke s;
        const float periods = 1.5f + 2.0f * u(), amp = 0.15f + 0.2f * u();
        for (int i = 0; i <= 40; ++i) {
            const float t = float(i) / 40.0f;
            s.push_back({t, 0.5f + amp * std::sin(periods * 6.283f * t)});
        }
        return {s};
    }
    case 12: {  // face: a round head, eyes (dots or strokes), a mouth
        Glyph g{arc(0.5f, 0.5f, 0.5f, 0.5f * (0.85f + 0.25f * u()), 0, 365, 40)};
        const float ey = 0.32f + 0.08f * u(), ex = 0.15f + 0.07f * u();
        if (u() < 0.5f) {
            g.push_back({{0.5f - ex, ey}});
            g.push_back({{0.5f + ex, ey}});
        } else {
            g.push_back(polyline({{0.5f - ex, ey - 0.05f}, {0.5f - ex, ey + 0.05f}}));
            g.push_back(polyline({{0.5f + ex, ey - 0.05f}, {0.5f + ex, ey + 0.05f}}));
        }
        const float m = 0.1f + 0.12f * u();
        if (u() < 0.7f)
            g.push_back(arc(0.5f, 0.58f, 0.22f + 0.08f * u(), m, 15, 165, 14));  // smile
        else
            g.push_back(arc(0.5f, 0.8f, 0.22f, m, 195, 345, 14));  // frown
        return g;
    }
    case 13: return {polyline({{0, 0.55f}, {0.35f, 1.0f}, {1.0f, 0.0f + 0.2f * u()}})};  // check mark
    case 14: {  // infinity sign, lying down
        Stroke s;
        for (int i = 0; i <= 48; ++i) {
            const float t = 2.0f * kPi * float(i) / 48.0f;
            const float d = 1.0f + std::sin(t) * std::sin(t);
            s.push_back({0.5f + 0.5f * std::cos(t) / d, 0.5f + 0.5f * std::sin(t) * std::cos(t) / d});
        }
        return {s};
    }
    default: {  // house: a square with a roof
        return {polyline({{0, 1}, {0, 0.45f}, {0.5f, 0}, {1, 0.45f}, {1, 1}, {0, 1}})};
    }
    }
}

constexpr int kShapes = 16;

// A smooth curve through random points (Catmull-Rom), 1-3 strokes.
Glyph scribble(Uniform& u)
{
    Glyph g;
    const int strokesN = 1 + u.below(3);
    for (int k = 0; k < strokesN; ++k) {
        std::vector<Pt> c;
        const int n = 4 + u.below(7);
        for (int i = 0; i < n; ++i)
            c.push_back({u(), u()});
        Stroke s;
        for (int i = 0; i + 1 < n; ++i) {
            const Pt p0 = c[std::size_t(std::max(0, i - 1))], p1 = c[std::size_t(i)], p2 = c[std::size_t(i + 1)],
                     p3 = c[std::size_t(std::min(n - 1, i + 2))];
            for (int j = 0; j < 8; ++j) {
                const float t = float(j) / 8.0f, t2 = t * t, t3 = t2 * t;
                auto cr = [&](float a, float b, float cc, float d) {
                    return 0.5f * (2 * b + (-a + cc) * t + (2 * a - 5 * b + 4 * cc - d) * t2 + (-a + 3 * b - 3 * cc + d) * t3);
                };
                s.push_back({cr(p0.x, p1.x, p2.x, p3.x), cr(p0.y, p1.y, p2.y, p3.y)});
            }
        }
        s.push_back(c.back());
        g.push_back(s);
    }
    return g;
}

// Parallel lines at a random angle, sometimes crossed by a second set.
Glyph hatching(Uniform& u)
{
    Glyph g;
    const int sets = u() < 0.6f ? 1 : 2;
    float a = kPi * u();
    for (int s = 0; s < sets; ++s, a += kPi / 2 + 0.4f * (u() - 0.5f)) {
        const float dx = std::cos(a), dy = std::sin(a);
        const int lines = 3 + u.below(6);
        for (int i = 0; i < lines; ++i) {
            const float off = -0.45f + 0.9f * float(i) / float(lines - 1);
            const float cx = 0.5f - off * dy, cy = 0.5f + off * dx;
            const float half = 0.5f * std::sqrt(std::max(0.05f, 1.0f - 2.0f * off * off)) * (0.7f + 0.3f * u());
            g.push_back(polyline({{cx - half * dx, cy - half * dy}, {cx + half * dx, cy + half * dy}}));
        }
    }
    return g;
}

// A digit style struck through: a cross, a zig-zag or two or three bars.
Glyph crossedOut(Uniform& u, std::uint64_t seed)
{
    const DigitStyle st = kDigitStyles[std::size_t(u.below(int(kDigitStyles.size())))];
    Glyph g = styleGlyph(st, Hand::random(seed ^ 0x5C4A7C11ull));
    const strokes::Box b = strokes::bounds(g);
    const float x0 = b.x0 - 0.1f, x1 = b.x1 + 0.1f, y0 = b.y0, y1 = b.y1;
    const float pick = u();
    if (pick < 0.35f) {
        g.push_back(polyline({{x0, y0}, {x1, y1}}));
        g.push_back(polyline({{x1, y0}, {x0, y1}}));
    } else if (pick < 0.75f) {
        Stroke z;
        const int passes = 4 + u.below(6);
        for (int i = 0; i <= passes; ++i) {
            const float y = y0 + (y1 - y0) * float(i) / float(passes);
            z.push_back({i % 2 ? x1 : x0, y + 0.04f * (u() - 0.5f)});
        }
        g.push_back(z);
    } else {
        const int bars = 2 + u.below(2);
        for (int i = 0; i < bars; ++i) {
            const float y = y0 + (y1 - y0) * (0.25f + 0.5f * float(i) / float(bars - 1)) + 0.05f * (u() - 0.5f);
            g.push_back(polyline({{x0, y - 0.1f}, {x1, y + 0.1f}}));
        }
    }
    return g;
}

}  // namespace

Glyph outlierGlyph(std::uint64_t seed)
{
    Uniform u(seed ^ 0x4F55544Cull);
    const float pick = u();
    Glyph g;
    if (pick < 0.3f)
        g = letter(u.below(kLetterShapes), u);
    else if (pick < 0.65f)
        g = shape(u.below(kShapes), u);
    else if (pick < 0.78f)
        g = scribble(u);
    else if (pick < 0.88f)
        g = hatching(u);
    else
        return crossedOut(u, seed);
    Hand h = Hand::random(seed ^ 0x68616E64ull);
    h.width = 0.7f + 0.5f * u();
    return applyHand(g, h);
}

std::vector<float> drawGlyph(const Glyph& g, const PenPlacement& p)
{
    const int N = p.canvas;
    std::vector<float> cover(std::size_t(N) * std::size_t(N), 0.0f);
    const strokes::Box b = strokes::bounds(g);
    const float n = float(N);
    const float inkSide = std::max(p.size * n, p.pen + 2.0f);
    const float side = p.byHeight ? b.height() : std::max(b.width(), b.height());
    float k = std::max(1.0f, inkSide - p.pen) / std::max(1e-3f, side);
    // Never wider than the page.
    k = std::min(k, std::max(1.0f, n - p.pen - 2.0f) / std::max(1e-3f, b.width()));
    const float inkW = b.width() * k + p.pen, inkH = b.height() * k + p.pen;
    const float left = std::max(0.0f, n - inkW) * std::clamp(p.placeX, 0.0f, 1.0f);
    const float top = std::max(0.0f, n - inkH) * std::clamp(p.placeY, 0.0f, 1.0f);
    Glyph placed = g;
    for (strokes::Stroke& st : placed)
        for (Pt& q : st)
            q = {left + p.pen / 2 + (q.x - b.x0) * k, top + p.pen / 2 + (q.y - b.y0) * k};
    strokes::strokeCoverage(cover, N, N, placed, p.pen);
    return cover;
}

PenPlacement randomPlacement(std::uint64_t seed, int canvas)
{
    Uniform u(seed ^ 0x50454E21ull);
    PenPlacement p;
    p.canvas = canvas;
    p.size = 0.3f + 0.6f * u();
    p.pen = std::max(2.0f, (0.04f + 0.18f * u()) * p.size * float(canvas));
    p.placeX = u();
    p.placeY = u();
    return p;
}

namespace {

template <class MakeGlyph>
Dataset synthesize(int count, std::uint64_t seed, int threads, bool byHeight, MakeGlyph&& make)
{
    Dataset d;
    d.images.assign(std::size_t(std::max(0, count)) * 784, 0);
    d.labels.assign(std::size_t(std::max(0, count)), 0);
    ThreadPool pool(threads > 0 ? threads : ThreadPool::hardwareThreads());
    const int T = std::min(pool.size(), std::max(1, count));
    pool.run(T, [&](int t) {
        for (int i = t; i < count; i += T) {
            const std::uint64_t s = mix64(seed ^ mix64(std::uint64_t(i) + 1));
            int label = 0;
            const Glyph g = make(i, s, label);
            PenPlacement p = randomPlacement(s);
            p.byHeight = byHeight;
            if (!byHeight)  // shapes are scaled by their larger side: a thinner pen keeps them drawn, not filled
                p.pen = std::max(2.0f, 0.6f * p.pen);
            const std::vector<float> page = drawGlyph(g, p);
            PreprocessOptions o;
            o.darkInk = 0;
            const PreprocessResult r = preprocess(page.data(), p.canvas, p.canvas, o);
            std::uint8_t* dst = d.images.data() + std::size_t(i) * 784;
            for (int k = 0; k < 784; ++k)
                dst[k] = std::uint8_t(std::lround(std::clamp(r.input[std::size_t(k)], 0.0f, 1.0f) * 255.0f));
            d.labels[std::size_t(i)] = std::uint8_t(label);
        }
    });
    return d;
}

}  // namespace

Dataset synthesizeStyles(int count, std::uint64_t seed, int threads)
{
    return synthesize(count, seed, threads, true, [](int i, std::uint64_t s, int& label) {
        const DigitStyle st = kDigitStyles[std::size_t(i) % kDigitStyles.size()];
        label = styleDigit(st);
        return styleGlyph(st, Hand::random(s));
    });
}

Dataset synthesizeOutliers(int count, std::uint64_t seed, int threads)
{
    return synthesize(count, seed, threads, false, [](int, std::uint64_t s, int& label) {
        label = 0;
        return outlierGlyph(s);
    });
}

}  // namespace nn
