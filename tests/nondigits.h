#pragma once
// Things people draw on a digit pad that are not digits, made from strokes
// (tests/handwriting.h's pen model) and seeded: shapes (circles, squares,
// triangles, stars, smileys), random scribbles, crossed-out digits and
// hatching. Letters from fonts need Qt and are made in the test itself. No
// Qt here: plain float pages, 0 black .. 1 white, as nn::preprocess takes them.
//
// These are a test set: nothing is tuned on them (the not-a-digit threshold
// is fitted on MNIST digits alone, nn/notdigit.h).
#include "handwriting.h"

#include <array>
#include <string>

namespace nondigits {

using handwriting::Glyph;
using handwriting::Pt;
using handwriting::Stroke;

enum class Kind { Circle, Square, Triangle, Star, Smiley, Scribble, CrossedOut, Hatching };
inline constexpr std::array<Kind, 8> kKinds{Kind::Circle,   Kind::Square,     Kind::Triangle, Kind::Star,
                                            Kind::Smiley,   Kind::Scribble,   Kind::CrossedOut, Kind::Hatching};

inline std::string kindName(Kind k)
{
    switch (k) {
    case Kind::Circle: return "circle";
    case Kind::Square: return "square";
    case Kind::Triangle: return "triangle";
    case Kind::Star: return "star";
    case Kind::Smiley: return "smiley";
    case Kind::Scribble: return "scribble";
    case Kind::CrossedOut: return "crossed-out digit";
    case Kind::Hatching: return "hatching";
    }
    return "?";
}

// A closed polygon through `pts` with a little hand wobble.
inline Stroke closed(std::vector<Pt> pts, std::mt19937& rng, float wobble)
{
    std::normal_distribution<float> g(0.0f, wobble);
    Stroke s;
    for (const Pt& p : pts)
        s.push_back({p.x + g(rng), p.y + g(rng)});
    s.push_back(s.front());
    return s;
}

// The shape's strokes in a unit box (y down), varied by seed.
inline Glyph shape(Kind kind, std::uint32_t seed)
{
    std::mt19937 rng(seed * 2246822519u + 3u);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    const float wob = 0.01f;
    Glyph g;
    switch (kind) {
    case Kind::Circle: {
        // Round, from slightly tall to wide; a circle drawn as such (not a narrow 0).
        const float rx = 0.5f, ry = 0.5f * (0.8f + 0.35f * u(rng));
        const float a0 = 360.0f * u(rng);
        g.push_back(handwriting::arc(0.5f, 0.5f, rx, ry, a0, a0 + 360.0f + 15.0f * u(rng), 48));
        break;
    }
    case Kind::Square: {
        const float w = 0.8f + 0.4f * u(rng), h = 0.8f + 0.4f * u(rng);
        g.push_back(closed({{0, 0}, {w, 0}, {w, h}, {0, h}}, rng, wob));
        break;
    }
    case Kind::Triangle: {
        const float apex = 0.2f + 0.6f * u(rng), h = 0.7f + 0.4f * u(rng);
        if (u(rng) < 0.75f)
            g.push_back(closed({{apex, 0}, {1, h}, {0, h}}, rng, wob));
        else  // pointing down
            g.push_back(closed({{0, 0}, {1, 0}, {apex, h}}, rng, wob));
        break;
    }
    case Kind::Star: {
        // A five-pointed star in one stroke (the pentagram way) or as an outline.
        const float a0 = -90.0f + 20.0f * (u(rng) - 0.5f);
        std::vector<Pt> pts;
        if (u(rng) < 0.5f) {
            for (int i = 0; i < 5; ++i) {
                const float a = (a0 + 144.0f * float(i)) * handwriting::kPi / 180.0f;
                pts.push_back({0.5f + 0.5f * std::cos(a), 0.5f + 0.5f * std::sin(a)});
            }
        } else {
            const float inner = 0.35f + 0.15f * u(rng);
            for (int i = 0; i < 10; ++i) {
                const float a = (a0 + 36.0f * float(i)) * handwriting::kPi / 180.0f;
                const float r = i % 2 ? 0.5f * inner : 0.5f;
                pts.push_back({0.5f + r * std::cos(a), 0.5f + r * std::sin(a)});
            }
        }
        g.push_back(closed(pts, rng, wob));
        break;
    }
    case Kind::Smiley: {
        g.push_back(handwriting::arc(0.5f, 0.5f, 0.5f, 0.5f, 0, 365, 48));
        const float ey = 0.33f + 0.06f * u(rng), ex = 0.17f + 0.05f * u(rng);
        g.push_back({{0.5f - ex, ey}});  // eyes: dots
        g.push_back({{0.5f + ex, ey}});
        const float smile = 0.18f + 0.1f * u(rng);
        g.push_back(handwriting::arc(0.5f, 0.55f, 0.25f, smile, 20, 160, 16));
        break;
    }
    case Kind::Scribble: {
        // A pen wandering about: a smooth random walk with turns, 1-3 strokes.
        const int strokes = 1 + int(u(rng) * 3);
        for (int s = 0; s < strokes; ++s) {
            Stroke st;
            float x = u(rng), y = u(rng), a = 6.283f * u(rng), turn = 0;
            const int n = 30 + int(u(rng) * 60);
            for (int i = 0; i < n; ++i) {
                st.push_back({x, y});
                turn = 0.8f * turn + 0.6f * (u(rng) - 0.5f);
                a += turn;
                x += 0.06f * std::cos(a);
                y += 0.06f * std::sin(a);
                if (x < 0 || x > 1)
                    a = handwriting::kPi - a, x = std::clamp(x, 0.0f, 1.0f);
                if (y < 0 || y > 1)
                    a = -a, y = std::clamp(y, 0.0f, 1.0f);
            }
            g.push_back(st);
        }
        break;
    }
    case Kind::CrossedOut: {
        // A digit of some writer, struck out with a zig-zag or a cross.
        const handwriting::Writer wr(seed + 4000u);
        g = handwriting::glyph(int(seed % 10), wr);
        float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
        for (const Stroke& st : g)
            for (const Pt& p : st)
                x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
        if (u(rng) < 0.5f) {  // a big cross over it
            g.push_back({{x0 - 0.05f, y0}, {x1 + 0.05f, y1}});
            g.push_back({{x1 + 0.05f, y0}, {x0 - 0.05f, y1}});
        } else {  // a zig-zag scratched back and forth across it
            Stroke z;
            const int passes = 4 + int(u(rng) * 4);
            for (int i = 0; i <= passes; ++i) {
                const float y = y0 + (y1 - y0) * float(i) / float(passes);
                z.push_back({i % 2 ? x1 + 0.05f : x0 - 0.05f, y + 0.03f * (u(rng) - 0.5f)});
            }
            g.push_back(z);
        }
        break;
    }
    case Kind::Hatching: {
        // Parallel strokes at one angle, sometimes crossed by a second set.
        const int sets = u(rng) < 0.5f ? 1 : 2;
        for (int s = 0; s < sets; ++s) {
            const float a = (s == 0 ? 45.0f : -45.0f) * handwriting::kPi / 180.0f + 0.3f * (u(rng) - 0.5f);
            const float dx = std::cos(a), dy = std::sin(a);
            const int lines = 5 + int(u(rng) * 5);
            for (int i = 0; i < lines; ++i) {
                const float off = -0.5f + float(i) / float(lines - 1);
                const float cx = 0.5f - off * dy, cy = 0.5f + off * dx;
                const float half = 0.5f * std::sqrt(std::max(0.05f, 1.0f - 2.0f * off * off));
                g.push_back({{cx - half * dx, cy - half * dy}, {cx + half * dx, cy + half * dy}});
            }
        }
        break;
    }
    }
    return g;
}

// The shape drawn as the canvas would: scaled to `size` of a 560 px page at
// a random place, pen 10-30 px, bright ink on dark (the preprocessing
// detects polarity).
inline handwriting::Page draw(Kind kind, std::uint32_t seed, int canvas = 560)
{
    std::mt19937 rng(seed * 747796405u + 11u);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Glyph g = shape(kind, seed);
    float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
    for (const Stroke& st : g)
        for (const Pt& p : st)
            x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    const float N = float(canvas);
    const float pen = 10.0f + 20.0f * u(rng);
    const float size = (0.35f + 0.45f * u(rng)) * N;
    const float k = (size - pen) / std::max({x1 - x0, y1 - y0, 1e-3f});
    const float w = (x1 - x0) * k + pen, h = (y1 - y0) * k + pen;
    const float left = (N - std::min(N, w)) * u(rng), top = (N - std::min(N, h)) * u(rng);
    for (Stroke& st : g)
        for (Pt& p : st)
            p = {left + pen / 2 + (p.x - x0) * k, top + pen / 2 + (p.y - y0) * k};
    handwriting::Page page(canvas, canvas, 0.0f);
    std::vector<float> cover(page.px.size(), 0.0f);
    handwriting::strokeCoverage(cover, canvas, canvas, g, pen);
    for (std::size_t i = 0; i < cover.size(); ++i)
        page.px[i] = cover[i];
    return page;
}

}  // namespace nondigits
