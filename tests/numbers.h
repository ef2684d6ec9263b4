#pragma once
// Written numbers for test_number and bench_number (issue 15): digits side by
// side with random gaps, small overlaps and uneven baselines, as people write
// "42" on the pad or on paper. Two sources:
//  - MNIST digits (their 28x28 ink, as scanned), scaled up to a canvas-like
//    size and printed dark on light paper;
//  - synthetic writers' pen strokes (tests/handwriting.h), drawn as the
//    canvas draws them.
// No Qt: plain floats, 0 black .. 1 white, as nn::readNumber takes them.
#include "handwriting.h"

#include <nn/data/dataset.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace numbers {

struct Written {
    handwriting::Page page{0, 0, 1.0f};
    std::string truth;
};

// How the digits are spaced: the gap between neighbouring digits' ink boxes,
// as a fraction of the digits' height (negative: they overlap and may
// touch), and how far each digit's baseline moves up or down.
struct Spacing {
    float gapMin = -0.08f, gapMax = 0.30f;
    float baseline = 0.10f;
};

// MNIST digits `indices` of `set` as one number, each digit scaled by `scale`
// (bilinear), dark ink (0.1) on paper (0.9).
inline Written mnistNumber(const nn::Dataset& set, const std::vector<int>& indices, std::uint32_t seed,
                           const Spacing& sp = {}, int scale = 4)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    struct Digit {
        std::vector<float> ink;  // 28 * scale square
        int x0, x1, y0, y1;      // ink box
    };
    const int S = 28 * scale;
    std::vector<Digit> digits;
    Written out;
    for (int idx : indices) {
        std::vector<float> img(28 * 28);
        set.imageAsFloat(idx, img.data());
        Digit d{std::vector<float>(std::size_t(S) * std::size_t(S), 0.0f), S, 0, S, 0};
        for (int y = 0; y < S; ++y)
            for (int x = 0; x < S; ++x) {
                const float fx = (float(x) + 0.5f) / float(scale) - 0.5f, fy = (float(y) + 0.5f) / float(scale) - 0.5f;
                const int ix = int(std::floor(fx)), iy = int(std::floor(fy));
                const float tx = fx - float(ix), ty = fy - float(iy);
                const auto at = [&](int xx, int yy) {
                    return xx < 0 || yy < 0 || xx >= 28 || yy >= 28 ? 0.0f : img[std::size_t(yy) * 28 + std::size_t(xx)];
                };
                const float v = (1 - ty) * ((1 - tx) * at(ix, iy) + tx * at(ix + 1, iy)) +
                                ty * ((1 - tx) * at(ix, iy + 1) + tx * at(ix + 1, iy + 1));
                d.ink[std::size_t(y) * std::size_t(S) + std::size_t(x)] = v;
                if (v > 0.1f) {
                    d.x0 = std::min(d.x0, x), d.x1 = std::max(d.x1, x + 1);
                    d.y0 = std::min(d.y0, y), d.y1 = std::max(d.y1, y + 1);
                }
            }
        digits.push_back(std::move(d));
        out.truth += char('0' + set.labels[std::size_t(idx)]);
    }
    const float H = 20.0f * float(scale);  // MNIST's digits are 20 pixels tall
    // Left edges of each digit's ink.
    std::vector<int> left;
    float x = 0.3f * H;
    for (const Digit& d : digits) {
        left.push_back(int(std::lround(x)));
        x += float(d.x1 - d.x0) + H * (sp.gapMin + (sp.gapMax - sp.gapMin) * u(rng));
    }
    const int W = int(std::lround(x + 0.3f * H)), Hp = int(std::lround(2.0f * H));
    out.page = handwriting::Page(W, Hp, 0.9f);
    std::vector<float> cover(std::size_t(W) * std::size_t(Hp), 0.0f);
    for (std::size_t k = 0; k < digits.size(); ++k) {
        const Digit& d = digits[k];
        const int top = int(std::lround(0.5f * H + (2.0f * u(rng) - 1.0f) * sp.baseline * H)) - d.y0;
        const int dx = left[k] - d.x0;
        for (int y = 0; y < S; ++y)
            for (int xx = 0; xx < S; ++xx) {
                const int px = xx + dx, py = y + top;
                if (px < 0 || py < 0 || px >= W || py >= Hp)
                    continue;
                float& c = cover[std::size_t(py) * std::size_t(W) + std::size_t(px)];
                c = std::max(c, d.ink[std::size_t(y) * std::size_t(S) + std::size_t(xx)]);
            }
    }
    for (std::size_t i = 0; i < cover.size(); ++i)
        out.page.px[i] = 0.9f - 0.8f * cover[i];
    return out;
}

// The number `text` in writer `wr`'s hand, pen `pen` pixels, digits `height`
// pixels tall, dark ink on white, strokes as the canvas draws them.
inline Written strokeNumber(const std::string& text, const handwriting::Writer& wr, std::uint32_t seed,
                            const Spacing& sp = {}, float height = 160, float pen = 14)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    handwriting::Glyph all;
    const float k = height - pen;  // skeleton units to pixels
    float x = 0.3f * height;
    for (char ch : text) {
        handwriting::Glyph g = handwriting::glyph(ch - '0', wr);
        float gx0 = 1e9f, gx1 = -1e9f, gy0 = 1e9f, gy1 = -1e9f;
        for (const auto& st : g)
            for (const auto& p : st) {
                gx0 = std::min(gx0, p.x), gx1 = std::max(gx1, p.x);
                gy0 = std::min(gy0, p.y), gy1 = std::max(gy1, p.y);
            }
        const float scale = k / std::max(1e-3f, gy1 - gy0);
        const float top = 0.5f * height + (2.0f * u(rng) - 1.0f) * sp.baseline * height;
        for (auto& st : g) {
            for (auto& p : st)
                p = {x + pen / 2 + (p.x - gx0) * scale, top + pen / 2 + (p.y - gy0) * scale};
            all.push_back(st);
        }
        x += (gx1 - gx0) * scale + pen + height * (sp.gapMin + (sp.gapMax - sp.gapMin) * u(rng));
    }
    Written out;
    out.truth = text;
    const int W = int(std::lround(x + 0.3f * height)), H = int(std::lround(2.0f * height));
    std::vector<float> cover(std::size_t(W) * std::size_t(H), 0.0f);
    handwriting::strokeCoverage(cover, W, H, all, pen);
    out.page = handwriting::Page(W, H, 1.0f);
    for (std::size_t i = 0; i < cover.size(); ++i)
        out.page.px[i] = 1.0f - cover[i];
    return out;
}

}  // namespace numbers
