#pragma once
// Synthetic handwriting for the preprocessing tests and bench_handwriting:
// each digit 0-9 as pen strokes (polylines in a unit box, y down), varied per
// synthetic writer (slant, width, rotation, wobble, where strokes end), drawn
// as the canvas draws -- antialiased round-capped strokes of a given pen
// width (nn/strokes.h) -- on a grey page, in either polarity, with optional uneven lighting,
// specks of dust and a shadow band along one edge. No Qt: plain floats, 0
// black .. 1 white, as nn::preprocess takes them.
#include <nn/strokes.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace handwriting {

using nn::strokes::append;
using nn::strokes::arc;
using nn::strokes::Glyph;
using nn::strokes::kPi;
using nn::strokes::polyline;
using nn::strokes::Pt;
using nn::strokes::Stroke;
using nn::strokes::strokeCoverage;

// One writer's way of shaping a digit: a few style choices drawn per writer.
struct Writer {
    std::uint32_t seed = 0;
    float slant = 0, rotate = 0, width = 0.6f;  // shear x by -slant*y; radians; box width / height
    float wobble = 0.01f;                       // smooth per-point displacement, box units
    float r[8] = {};                            // style parameters in [0, 1)
    explicit Writer(std::uint32_t s) : seed(s)
    {
        std::mt19937 rng(s * 2654435761u + 17u);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        slant = (u(rng) - 0.35f) * 0.5f;  // mostly right-leaning, as people write
        rotate = (u(rng) - 0.5f) * 0.12f;
        width = 0.5f + 0.3f * u(rng);
        wobble = 0.005f + 0.02f * u(rng);
        for (float& v : r)
            v = u(rng);
    }
};

// The digit's strokes in a unit box (x, y in [0, 1], y down), before the
// writer's slant, width and wobble.
inline Glyph skeleton(int digit, const Writer& wr)
{
    const float* r = wr.r;
    switch (digit) {
    case 0:
        return {arc(0.5f, 0.5f, 0.48f, 0.5f, -100.0f + 20.0f * r[0], 260.0f + 20.0f * r[1], 40)};
    case 1: {
        Stroke s;
        if (r[0] < 0.3f)  // a short lead-in at the top
            s.push_back({0.3f, 0.18f + 0.1f * r[1]});
        s.push_back({0.55f, 0.0f});
        s.push_back({0.5f + 0.04f * (r[2] - 0.5f), 1.0f});
        return {s};
    }
    case 2: {
        Stroke s = arc(0.5f, 0.28f, 0.42f, 0.28f, 190.0f - 20.0f * r[0], 370.0f + 10.0f * r[1], 20);
        s.push_back({0.05f + 0.05f * r[2], 1.0f});
        s.push_back({1.0f, 0.98f + 0.02f * r[3]});
        return {s};
    }
    case 3: {
        Stroke s = arc(0.48f, 0.25f, 0.4f, 0.25f, 200.0f - 20.0f * r[0], 450.0f, 20);
        append(s, arc(0.48f, 0.74f, 0.48f, 0.26f, -90.0f, 150.0f + 20.0f * r[1], 22));
        return {s};
    }
    case 4: {
        const float bar = 0.62f + 0.08f * r[0];
        const float stemX = 0.66f + 0.1f * r[1];
        if (r[2] < 0.5f)  // one stroke down-left and across, then the stem
            return {polyline({{stemX - 0.05f, 0.0f}, {0.0f, bar}, {1.0f, bar}}),
                    polyline({{stemX, 0.25f + 0.1f * r[3]}, {stemX, 1.0f}})};
        // Two strokes: down and across, then the long stem from the top.
        return {polyline({{0.12f, 0.0f}, {0.02f, bar}, {1.0f, bar}}), polyline({{stemX, 0.0f}, {stemX, 1.0f}})};
    }
    case 5: {
        const float top = 0.0f;
        Stroke body = polyline({{0.22f, top}, {0.16f, 0.45f}});
        append(body, arc(0.45f, 0.68f, 0.45f, 0.32f, -130.0f, 150.0f + 10.0f * r[0], 22));
        Stroke flag = polyline({{0.22f, top}, {0.95f - 0.1f * r[1], top - 0.01f}});
        if (r[2] < 0.5f)  // the flag as its own stroke, a little apart
            flag = polyline({{0.3f, top}, {0.95f - 0.1f * r[1], top - 0.02f}});
        return {body, flag};
    }
    case 6: {
        Stroke s = arc(1.0f, 0.75f, 0.95f, 0.75f, 250.0f - 10.0f * r[0], 180.0f, 14);
        s.erase(s.begin());
        s.insert(s.begin(), Pt{0.85f, 0.0f});
        append(s, arc(0.52f, 0.72f, 0.45f, 0.28f, 180.0f, 540.0f - 40.0f * r[1], 28));
        return {s};
    }
    case 7: {
        Glyph g{polyline({{0.0f, 0.02f * r[0]}, {1.0f, 0.0f}, {0.35f + 0.15f * r[1], 1.0f}})};
        return g;
    }
    case 8: {
        Stroke s = arc(0.5f, 0.25f, 0.36f, 0.25f, 0.0f, -360.0f + 30.0f * r[0], 26);
        // Down through the middle into the lower, larger loop.
        Stroke lower = arc(0.5f, 0.74f, 0.46f, 0.26f, -90.0f, 270.0f, 30);
        append(s, lower);
        return {s};
    }
    case 9: {
        Stroke s = arc(0.5f, 0.27f, 0.45f, 0.27f, 0.0f, -360.0f, 28);
        if (r[0] < 0.5f)
            s.push_back({0.95f - 0.05f * r[1], 1.0f});  // straight stem
        else
            append(s, arc(0.35f, 0.3f, 0.6f, 0.7f, 0.0f, 80.0f, 10));  // curved stem
        return {s};
    }
    default:
        return {};
    }
}

// The writer's glyph: skeleton with slant, width, rotation and wobble, still
// in a box of height 1 (width as the writer's), top-left near the origin.
// `salt` varies the wobble per glyph, `narrow` scales the writer's width.
inline Glyph shaped(Glyph g, const Writer& wr, std::uint32_t salt, float narrow)
{
    std::mt19937 rng(wr.seed * 31u + salt);
    std::normal_distribution<float> n(0.0f, 1.0f);
    const float c = std::cos(wr.rotate), s = std::sin(wr.rotate);
    // Two smooth wobble fields (low-frequency sines) per writer and digit.
    const float fx = 2.0f + 3.0f * std::abs(n(rng)), fy = 2.0f + 3.0f * std::abs(n(rng));
    const float px = 6.28f * std::abs(n(rng)), py = 6.28f * std::abs(n(rng));
    for (Stroke& st : g)
        for (Pt& p : st) {
            float x = (p.x - 0.5f) * wr.width * narrow, y = p.y - 0.5f;
            x += wr.wobble * std::sin(fx * y * 6.28f + px);
            y += wr.wobble * std::sin(fy * x * 6.28f + py);
            x -= wr.slant * y;
            p = {c * x - s * y, s * x + c * y};
        }
    return g;
}

inline Glyph glyph(int digit, const Writer& wr)
{
    return shaped(skeleton(digit, wr), wr, std::uint32_t(digit), digit == 1 ? 0.3f : 1.0f);
}

// A page of w x h grey pixels, 0 black .. 1 white.
struct Page {
    int w = 0, h = 0;
    std::vector<float> px;
    Page(int w_, int h_, float paper) : w(w_), h(h_), px(std::size_t(w_) * std::size_t(h_), paper) {}
    float& at(int x, int y) { return px[std::size_t(y) * std::size_t(w) + std::size_t(x)]; }
};

// How a test page is made.
struct Scene {
    int canvas = 560;        // square page, as the app's canvas
    float pen = 16;          // pen width, canvas pixels
    float size = 0.6f;       // ink height (pen included) as a fraction of the page
    float paper = 0.0f;      // page grey level
    float ink = 1.0f;        // ink grey level
    float gradient = 0;      // lighting falls linearly by this much across the page (multiplies every pixel)
    float shadow = 0;        // one half darker by this much, with a soft edge
    int specks = 0;          // dust dots away from the digit
    float band = 0;          // a darker band along the bottom edge, as a fraction of the page height
    float room = 1;          // the digit is placed within this top fraction of the page
};

// Draws the glyph `g` (a writer's, from glyph() or shaped()) per `scene`;
// placement and dust from `seed`.
inline Page drawGlyph(Glyph g, const Scene& sc, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    float gx0 = 1e9f, gx1 = -1e9f, gy0 = 1e9f, gy1 = -1e9f;
    for (const Stroke& st : g)
        for (const Pt& p : st) {
            gx0 = std::min(gx0, p.x), gx1 = std::max(gx1, p.x);
            gy0 = std::min(gy0, p.y), gy1 = std::max(gy1, p.y);
        }
    const float N = float(sc.canvas);
    const float inkH = std::max(sc.size * N, sc.pen + 2.0f);
    const float k = std::max(1.0f, inkH - sc.pen) / std::max(1e-3f, gy1 - gy0);  // skeleton scale
    const float inkW = (gx1 - gx0) * k + sc.pen;
    // The digit stays within the top `room` of the page and clear of the band.
    const float room = std::min(N * sc.room, sc.band > 0 ? N * (1.0f - sc.band) - 4.0f : N);
    const float left = (N - std::min(N, inkW)) * u(rng), top = std::max(0.0f, (room - inkH)) * u(rng);
    for (Stroke& st : g)
        for (Pt& p : st)
            p = {left + sc.pen / 2 + (p.x - gx0) * k, top + sc.pen / 2 + (p.y - gy0) * k};

    const int W = sc.canvas, H = sc.canvas;
    std::vector<float> cover(std::size_t(W) * std::size_t(H), 0.0f);
    strokeCoverage(cover, W, H, g, sc.pen);
    // Dust: small dots at least a fifth of the page from the digit's box.
    const float bx0 = left, bx1 = left + inkW, by0 = top, by1 = top + inkH;
    for (int i = 0, tries = 0; i < sc.specks && tries < 1000; ++tries) {
        const float x = u(rng) * N, y = u(rng) * N * (1.0f - sc.band);
        const float ddx = std::max({bx0 - x, 0.0f, x - bx1}), ddy = std::max({by0 - y, 0.0f, y - by1});
        if (std::hypot(ddx, ddy) < 0.2f * N)
            continue;
        const float rad = 1.0f + 3.0f * u(rng);
        strokeCoverage(cover, W, H, {{{x, y}}}, 2 * rad);
        ++i;
    }
    Page page(W, H, sc.paper);
    const float bandTop = N * (1.0f - sc.band);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const float c = cover[std::size_t(y) * std::size_t(W) + std::size_t(x)];
            float v = sc.paper + c * (sc.ink - sc.paper);
            if (sc.band > 0 && float(y) >= bandTop)  // a table or shadow below the sheet: darker than the paper
                v = std::min(v, sc.paper * 0.45f);
            float light = 1.0f - sc.gradient * (float(x) + 0.5f) / N;
            light -= sc.shadow * std::clamp((float(x) - 0.5f * N) / (0.05f * N) + 0.5f, 0.0f, 1.0f);
            page.at(x, y) = std::clamp(v * light, 0.0f, 1.0f);
        }
    return page;
}

// Draws `digit` of writer `wr` per `scene`; placement and dust from `seed`.
inline Page draw(int digit, const Writer& wr, const Scene& sc, std::uint32_t seed)
{
    return drawGlyph(glyph(digit, wr), sc, seed);
}

}  // namespace handwriting
