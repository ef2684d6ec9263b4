#include "strokes.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace nn::strokes {

Stroke arc(float cx, float cy, float rx, float ry, float a0, float a1, int n)
{
    Stroke s;
    for (int i = 0; i <= n; ++i) {
        const float a = (a0 + (a1 - a0) * float(i) / float(n)) * kPi / 180.0f;
        s.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
    }
    return s;
}

Stroke& append(Stroke& a, const Stroke& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Box bounds(const Glyph& g)
{
    Box b{1e30f, 1e30f, -1e30f, -1e30f};
    bool any = false;
    for (const Stroke& st : g)
        for (const Pt& p : st) {
            any = true;
            b.x0 = std::min(b.x0, p.x), b.x1 = std::max(b.x1, p.x);
            b.y0 = std::min(b.y0, p.y), b.y1 = std::max(b.y1, p.y);
        }
    return any ? b : Box{};
}

void strokeCoverage(std::vector<float>& cover, int w, int h, const Glyph& g, float pen)
{
    const float r = pen / 2.0f;
    for (const Stroke& st : g)
        for (std::size_t i = 0; i + 1 < st.size() || (st.size() == 1 && i == 0); ++i) {
            const Pt a = st[i], b = st.size() == 1 ? st[i] : st[i + 1];
            const int x0 = std::max(0, int(std::floor(std::min(a.x, b.x) - r - 1)));
            const int x1 = std::min(w - 1, int(std::ceil(std::max(a.x, b.x) + r + 1)));
            const int y0 = std::max(0, int(std::floor(std::min(a.y, b.y) - r - 1)));
            const int y1 = std::min(h - 1, int(std::ceil(std::max(a.y, b.y) + r + 1)));
            const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x) {
                    const float qx = float(x) + 0.5f, qy = float(y) + 0.5f;
                    const float t =
                        len2 > 0 ? std::clamp(((qx - a.x) * dx + (qy - a.y) * dy) / len2, 0.0f, 1.0f) : 0.0f;
                    const float d = std::hypot(qx - (a.x + t * dx), qy - (a.y + t * dy));
                    const float cv = std::clamp(r + 0.5f - d, 0.0f, 1.0f);
                    float& c = cover[std::size_t(y) * std::size_t(w) + std::size_t(x)];
                    c = std::max(c, cv);
                }
        }
}

}  // namespace nn::strokes
