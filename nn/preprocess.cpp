#include "preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace nn {

namespace {

constexpr int kField = 28;
// Less ink than one fully inked source pixel is a stray click, not a digit.
constexpr float kMinInk = 1.0f;

// Maps a raw grey value to ink in [0, 1]: inverted if the ink is dark, the
// background level subtracted and the rest stretched back to full range, so
// grey paper and a pure-white canvas give the same input. Written as one
// multiply-add and a compare so the per-pixel loops vectorise for both input
// types (a lookup table for bytes would not).
struct InkMap {
    float a = 1.0f, c = 0.0f;  // ink = clamp(a * g + c, 0, 1), g in input units
    float sign = 1.0f;         // -1 for dark ink: "more ink" is "darker"
    float edge = 0.0f;         // sign * g > edge: ink, for the bounding box

    // Spelled as two selects (not std::clamp) so the compiler emits min/max
    // instructions and vectorises the loops that call this.
    template <class T>
    float operator()(T g) const
    {
        float v = a * float(g) + c;
        v = v > 0.0f ? v : 0.0f;
        return v < 1.0f ? v : 1.0f;
    }
    bool isInk(float g) const { return sign * g > edge; }
    // Bytes compare as integers (dark ink flipped by xor): no conversion.
    int flip = 0, byteEdge = 0;
    bool isInk(std::uint8_t g) const { return (g ^ flip) > byteEdge; }
    void setEdge(float e, bool dark)
    {
        sign = dark ? -1.0f : 1.0f;
        edge = e;
        // For bytes in 0..255: g > e <=> g > floor(e); -g > e <=> 255 - g > floor(255 + e).
        flip = dark ? 0xff : 0;
        byteEdge = int(std::clamp(std::floor(dark ? 255.0f + e : e), -1.0f, 255.0f));
    }
};

// Sum of n floats with sixteen partial sums: one running sum would make
// every add wait for the previous one.
float sum(const float* p, int n)
{
    float lanes[16] = {};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; ++k)
            lanes[k] += p[i + k];
    for (; i < n; ++i)
        lanes[0] += p[i];
    float total = 0.0f;
    for (const float v : lanes)
        total += v;
    return total;
}

inline int toBin(float g) { return std::clamp(int(g * 255.0f + 0.5f), 0, 255); }
inline int toBin(std::uint8_t g) { return g; }

// The background is judged from the outermost frame (2 pixels wide, 1 for
// tiny images): a drawing rarely fills its border. The median rather than the
// mean, so a stroke that runs off the edge does not shift the estimate.
template <class T>
float borderMedian(const T* gray, int w, int h)
{
    const int f = std::min(w, h) >= 16 ? 2 : 1;
    int hist[256] = {};
    int count = 0;
    for (int y = 0; y < h; ++y) {
        const T* row = gray + std::size_t(y) * std::size_t(w);
        if (y < f || y >= h - f) {
            for (int x = 0; x < w; ++x)
                ++hist[toBin(row[x])];
            count += w;
        } else {
            for (int x = 0; x < std::min(f, w); ++x)
                ++hist[toBin(row[x])];
            for (int x = std::max(f, w - f); x < w; ++x)
                ++hist[toBin(row[x])];
            count += std::min(f, w) + (w - std::max(f, w - f));
        }
    }
    int seen = 0;
    for (int b = 0; b < 256; ++b) {
        seen += hist[b];
        if (2 * seen >= count)
            return float(b) / 255.0f;
    }
    return 0.0f;
}

// Which source pixels one output pixel covers along one axis: [x0, x1] with
// partial weights w0, w1 at the ends and 1 in between (area averaging).
struct Span {
    int x0 = 0, x1 = -1;  // empty when x1 < x0
    float w0 = 0, w1 = 0;
};

// Output pixel i (of kField) covers source [lo + (i - off) / s, + 1/s), clipped
// to the ink box [lo, hi). Source pixel x spans [x, x + 1).
void makeSpans(Span* spans, int lo, int hi, float s, float off)
{
    const float inv = 1.0f / s;
    for (int i = 0; i < kField; ++i) {
        Span& sp = spans[i];
        const float a = std::max(float(lo) + (float(i) - off) * inv, float(lo));
        const float b = std::min(float(lo) + (float(i) + 1.0f - off) * inv, float(hi));
        if (b <= a) {
            sp = Span{};
            continue;
        }
        sp.x0 = std::min(int(std::floor(a)), hi - 1);
        sp.x1 = std::max(int(std::ceil(b)) - 1, sp.x0);
        if (sp.x0 == sp.x1) {
            sp.w0 = b - a;
            sp.w1 = 0.0f;
        } else {
            sp.w0 = float(sp.x0 + 1) - a;
            sp.w1 = b - float(sp.x1);
        }
    }
}

// Mass-weighted mean of (i + 0.5) of the 1-D area-resampled profile, i.e. where
// the centre of mass lands along this axis for offset `off`.
float resampledCentre(const float* profile, int lo, int hi, float s, float off)
{
    Span spans[kField];
    makeSpans(spans, lo, hi, s, off);
    double mass = 0.0, moment = 0.0;
    for (int i = 0; i < kField; ++i) {
        const Span& sp = spans[i];
        if (sp.x1 < sp.x0)
            continue;
        double m = sp.w0 * profile[sp.x0 - lo];
        if (sp.x1 > sp.x0) {
            for (int x = sp.x0 + 1; x < sp.x1; ++x)
                m += profile[x - lo];
            m += sp.w1 * profile[sp.x1 - lo];
        }
        mass += m;
        moment += m * (i + 0.5);
    }
    return mass > 0.0 ? float(moment / mass) : kField / 2.0f;
}

// The offset that puts the resampled centre of mass at `target`. The centre
// moves almost exactly with the offset (area averaging keeps the first moment
// up to how mass sits inside each output pixel), so a few Newton-like steps
// from the analytic guess converge to well below 1e-3 pixels.
float centringOffset(const float* profile, int lo, int hi, float s, float target, float guess)
{
    float off = guess;
    for (int iter = 0; iter < 6; ++iter) {
        const float err = target - resampledCentre(profile, lo, hi, s, off);
        off += err;
        if (std::abs(err) < 1e-4f)
            break;
    }
    return off;
}

// Number of ink pixels among n; branch-free so it vectorises, which lets the
// bounding-box scan skip empty stretches of a large canvas quickly.
template <class T>
int countInk(const InkMap& ink, const T* p, int n)
{
    int count = 0;
    for (int i = 0; i < n; ++i)
        count += ink.isInk(p[i]) ? 1 : 0;
    return count;
}

// Moves the 28x28 image by (dx, dy) output pixels, bilinear, zero fill.
// Only used for the small residual left when ink was cut off at the edge.
void shiftBilinear(float* img, float dx, float dy)
{
    float tmp[kField * kField];
    std::copy(img, img + kField * kField, tmp);
    for (int y = 0; y < kField; ++y)
        for (int x = 0; x < kField; ++x) {
            const float fx = float(x) - dx, fy = float(y) - dy;
            const float x0f = std::floor(fx), y0f = std::floor(fy);
            const int x0 = int(x0f), y0 = int(y0f);
            const float ax = fx - x0f, ay = fy - y0f;
            auto at = [&](int xx, int yy) {
                return (xx >= 0 && yy >= 0 && xx < kField && yy < kField) ? tmp[yy * kField + xx] : 0.0f;
            };
            img[y * kField + x] = (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
                                  ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1));
        }
}

struct Moments {
    double mass = 0, x = 0, y = 0;
};
Moments fieldMoments(const float* img)
{
    Moments m;
    for (int y = 0; y < kField; ++y)
        for (int x = 0; x < kField; ++x) {
            const double v = img[y * kField + x];
            m.mass += v;
            m.x += v * (x + 0.5);
            m.y += v * (y + 0.5);
        }
    return m;
}

// ---- Paper, polarity and which ink belongs to the digit ----

// Grey-level statistics per cell of a coarse grid (up to 16x16, cells of
// about 35 pixels on the canvas, from every step-th pixel): enough to tell
// which side the ink is on and where the paper is under uneven light, at a
// small fraction of a pass over the image.
constexpr int kMaxCells = 16;
constexpr int kCellSamples = 64;

struct Cells {
    int g = 1;  // cells per axis
    float p1[kMaxCells * kMaxCells] = {}, p10[kMaxCells * kMaxCells] = {}, p50[kMaxCells * kMaxCells] = {},
          p90[kMaxCells * kMaxCells] = {}, p99[kMaxCells * kMaxCells] = {};
    float lo = 0, hi = 1;  // the whole page's 1st and 99th percentiles
};

template <class T>
void cellStats(const T* gray, int w, int h, Cells& cs)
{
    const int g = std::clamp(std::min(w, h) / 35, 1, kMaxCells);
    cs.g = g;
    // About 10000 samples over the page, row by row (every step-th pixel of
    // every step-th row), counted into a 64-level histogram per cell (levels
    // 1/64 apart are plenty for telling ink from paper and following light).
    int step = std::max(1, int(std::lround(std::sqrt(double(w) * double(h) / 10000.0))));
    while ((double(w) / g / step + 1) * (double(h) / g / step + 1) > kCellSamples)
        ++step;
    constexpr int kLevels = 64;
    std::uint8_t hist[kMaxCells * kMaxCells][kLevels] = {};
    int n[kMaxCells * kMaxCells] = {};
    int all[256] = {}, total = 0;
    for (int y = step / 2; y < h; y += step) {
        const T* row = gray + std::size_t(y) * std::size_t(w);
        const int cy = int((long long)y * g / h);
        int cx = 0, xEnd = int((long long)w / g);
        for (int x = step / 2; x < w; x += step) {
            while (x >= xEnd) {
                ++cx;
                xEnd = int((long long)(cx + 1) * w / g);
            }
            const int c = cy * g + cx;
            const int bin = toBin(row[x]);
            if (n[c] < kCellSamples) {
                ++hist[c][bin >> 2];
                ++n[c];
            }
            ++all[bin];
            ++total;
        }
    }
    for (int c = 0; c < g * g; ++c) {
        const int m = n[c];
        if (m == 0) {
            cs.p1[c] = cs.p10[c] = cs.p50[c] = cs.p90[c] = cs.p99[c] = 0.5f;
            continue;
        }
        // The k-th smallest sample's level for k = m/100, m/10, m/2, and the
        // same from the top.
        const int want[5] = {m / 100, m / 10, m / 2, m - 1 - m / 10, m - 1 - m / 100};
        float* out[5] = {cs.p1, cs.p10, cs.p50, cs.p90, cs.p99};
        int seen = 0, k = 0;
        for (int b = 0; b < kLevels && k < 5; ++b) {
            seen += hist[c][b];
            while (k < 5 && seen > want[k])
                out[k++][c] = (float(4 * b) + 1.5f) / 255.0f;
        }
    }
    for (int b = 0, seen = 0; b < 256; ++b) {
        if (seen <= total / 100 && seen + all[b] > total / 100)
            cs.lo = float(b) / 255.0f;
        seen += all[b];
        if (seen > total - total / 100 - 1) {
            cs.hi = float(b) / 255.0f;
            break;
        }
    }
}

// Dark ink or light ink, whatever the paper's own brightness: the ink is the
// page's extreme (1st or 99th percentile) farther from the paper, which the
// border's median gives. When both extremes are about as far (uneven light
// moving the border's median), the cells vote: where the ink is, a cell's
// darkest percent lies far below its median (dark ink) or its brightest far
// above (light ink), while light moves both tails alike. Returns -1 when
// nothing stands out (then the border alone decides).
int inkSide(const Cells& cs, float border)
{
    const float below = border - cs.lo, above = cs.hi - border;
    if (std::max(below, above) < 0.05f)
        return -1;
    if (below > 1.5f * above || above > 1.5f * below)
        return below > above ? 1 : 0;
    double dark = 0, light = 0;
    for (int c = 0; c < cs.g * cs.g; ++c) {
        dark += std::max(0.0f, cs.p50[c] - cs.p1[c]);
        light += std::max(0.0f, cs.p99[c] - cs.p50[c]);
    }
    if (dark + light < 0.05)
        return -1;
    return dark > light ? 1 : 0;
}

// The paper's level per cell: its 90th percentile for dark ink, its 10th for
// light ink (even a thick pen leaves a tenth of most cells to the paper). A cell mostly covered by a thick
// stroke stands out from its neighbours towards the ink and takes their median.
void paperLevels(const Cells& cs, bool dark, float* level)
{
    const int g = cs.g;
    for (int c = 0; c < g * g; ++c)
        level[c] = dark ? cs.p90[c] : cs.p10[c];
    if (g < 3)
        return;
    float fixed[kMaxCells * kMaxCells];
    for (int cy = 0; cy < g; ++cy)
        for (int cx = 0; cx < g; ++cx) {
            float nb[8];
            int n = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int yy = cy + dy, xx = cx + dx;
                    if ((dx || dy) && yy >= 0 && xx >= 0 && yy < g && xx < g)
                        nb[n++] = level[yy * g + xx];
                }
            std::nth_element(nb, nb + n / 2, nb + n);
            const float med = nb[n / 2], v = level[cy * g + cx];
            fixed[cy * g + cx] = (dark ? med - v : v - med) > 0.1f ? med : v;
        }
    std::copy(fixed, fixed + g * g, level);
}

// Ink under uneven light: the paper level interpolated bilinearly between
// cell centres, and ink measured against it (relative to the paper for dark
// ink, so that light falling off darkens ink and paper alike and the ink
// stays the same; against the headroom above it for light ink).
template <class T>
struct LitMap {
    int w = 0, h = 0, g = 1;
    bool dark = true;
    float unit = 1.0f;
    float threshold = 0.08f;  // ink, in ink units, for the bounding box
    // Light ink: (v - p) / p is what light falling off does not change; scaled
    // so that at the median paper level m it is the even-light (v - m) / (1 - m).
    float lightScale = 1.0f;  // m / (1 - m)
    float level[kMaxCells * kMaxCells] = {};

    // Paper level along row y for x in [x0, x0 + n).
    void paper(int y, int x0, int n, float* out) const
    {
        const float fy = std::clamp((float(y) + 0.5f) * float(g) / float(h) - 0.5f, 0.0f, float(g - 1));
        const int cy0 = std::min(int(fy), g - 1), cy1 = std::min(cy0 + 1, g - 1);
        const float ty = fy - float(cy0);
        float col[kMaxCells];
        for (int cx = 0; cx < g; ++cx)
            col[cx] = level[cy0 * g + cx] + ty * (level[cy1 * g + cx] - level[cy0 * g + cx]);
        // Linear between cell centres (constant outside them): one
        // vectorisable fill per stretch.
        const float cw = float(w) / float(g);
        int i = 0;
        for (int seg = 0; seg <= g && i < n; ++seg) {
            // Stretch seg spans x in [centre(seg-1), centre(seg)).
            const float xa = seg == 0 ? -1e9f : (float(seg) - 0.5f) * cw - 0.5f;
            const float xb = seg == g ? 1e9f : (float(seg) + 0.5f) * cw - 0.5f;
            const int end = int(std::clamp(std::ceil(xb) - float(x0), float(i), float(n)));
            if (seg == 0 || seg == g) {
                const float v = col[seg == 0 ? 0 : g - 1];
                for (; i < end; ++i)
                    out[i] = v;
                continue;
            }
            const float v0 = col[seg - 1], slope = (col[seg] - col[seg - 1]) / cw;
            for (; i < end; ++i)
                out[i] = v0 + slope * (float(x0 + i) - xa);
        }
    }
    // Ink values in [0, 1] of row[x0 .. x0 + n) into out (bg: scratch of n).
    void line(const T* row, int y, int x0, int n, float* out, float* bg) const
    {
        paper(y, x0, n, bg);
        for (int i = 0; i < n; ++i) {
            const float v = float(row[x0 + i]) * unit, p = bg[i];
            float ink = dark ? (p - v) / std::max(p, 0.01f) : (v - p) * lightScale / std::max(p, 0.01f);
            ink = ink > 0.0f ? ink : 0.0f;
            out[i] = ink < 1.0f ? ink : 1.0f;
        }
    }
};

// Connected pieces of ink on a coarse grid (up to 64x64 cells; a gap of one
// empty cell still connects, so a 5's flag stays with its body) and which of
// them make the digit: the heaviest piece that is not a band along the
// page's edge (a table or a shadow under a photographed sheet), and every
// piece near it. Specks and shadows far from the digit are dropped.
constexpr int kGrid = 64;

struct Pieces {
    int k = 0;                   // grid cells per axis, 0: no grid (tiny image)
    int cellX[kGrid + 1] = {};   // cell boundaries in pixels
    int cellY[kGrid + 1] = {};
    int occ[kGrid * kGrid] = {};  // ink pixels per cell
    bool keep[kGrid * kGrid] = {};
    bool dropped = false;        // some ink was left out
    int cx0 = 0, cy0 = 0, cx1 = -1, cy1 = -1;  // kept cells' box
};

void choosePieces(Pieces& pc)
{
    const int k = pc.k;
    short label[kGrid * kGrid];
    std::fill(label, label + k * k, short(-1));
    // Rows (columns) at the page's edge inked from end to end (all but a
    // cell) are a band -- a table or a shadow -- even where the digit
    // touches them: they are left out before the pieces are found. A digit
    // written to the page's edges still leaves some of them free.
    // short(-2): a band cell.
    auto full = [&](int i, bool isRow) {
        int n = 0;
        for (int j = 0; j < k; ++j)
            n += pc.occ[isRow ? i * k + j : j * k + i] ? 1 : 0;
        return n >= k - 1;
    };
    for (int side = 0; side < 4; ++side) {
        const bool isRow = side < 2;
        for (int step = 0; step < k / 4; ++step) {
            const int i = (side % 2 == 0) ? step : k - 1 - step;
            if (!full(i, isRow))
                break;
            for (int j = 0; j < k; ++j)
                label[isRow ? i * k + j : j * k + i] = short(-2);
        }
    }
    struct Piece {  // set when found: no initialisers, 1024 of them live on the stack
        long long mass;
        int x0, y0, x1, y1;
        bool band;
    };
    Piece pieces[kGrid * kGrid / 4];
    int n = 0;
    const int maxPieces = kGrid * kGrid / 4;
    short stack[kGrid * kGrid];
    for (int start = 0; start < k * k; ++start) {
        if (!pc.occ[start] || label[start] != -1)
            continue;
        // More pieces than slots (a page of noise): the rest join the last.
        const bool fresh = n < maxPieces;
        const int id = fresh ? n++ : maxPieces - 1;
        Piece& p = pieces[id];
        if (fresh)
            p = Piece{0, kGrid, kGrid, -1, -1, false};
        int top = 0;
        stack[top++] = short(start);
        label[start] = short(id);
        while (top) {
            const int c = stack[--top], cy = c / k, cx = c % k;
            p.mass += pc.occ[c];
            p.x0 = std::min(p.x0, cx), p.x1 = std::max(p.x1, cx);
            p.y0 = std::min(p.y0, cy), p.y1 = std::max(p.y1, cy);
            for (int dy = -2; dy <= 2; ++dy)
                for (int dx = -2; dx <= 2; ++dx) {
                    const int yy = cy + dy, xx = cx + dx;
                    if (yy < 0 || xx < 0 || yy >= k || xx >= k)
                        continue;
                    const int q = yy * k + xx;
                    if (pc.occ[q] && label[q] == -1) {
                        label[q] = short(id);
                        stack[top++] = short(q);
                    }
                }
        }
    }
    if (n == 0) {
        // Nothing but band: keep it all (a line drawn along the edge is ink).
        for (int c = 0; c < k * k; ++c)
            if (label[c] == -2)
                label[c] = -1;
        std::fill(pc.keep, pc.keep + k * k, true);
        pc.cx0 = 0, pc.cy0 = 0, pc.cx1 = k - 1, pc.cy1 = k - 1;
        return;
    }
    int main = -1;
    double best = -1;
    for (int i = 0; i < n; ++i) {
        Piece& p = pieces[i];
        const int pw = p.x1 - p.x0 + 1, ph = p.y1 - p.y0 + 1;
        // Along an edge, over half of it, and thin across: a band, not a stroke.
        p.band = ((p.y0 == 0 || p.y1 == k - 1) && pw >= k / 2 && ph <= k / 4) ||
                 ((p.x0 == 0 || p.x1 == k - 1) && ph >= k / 2 && pw <= k / 4);
        const double score = double(p.mass) * (p.band ? 0.05 : 1.0);
        if (score > best)
            best = score, main = i;
    }
    bool kept[kGrid * kGrid / 4] = {};
    kept[main] = true;
    int bx0 = pieces[main].x0, by0 = pieces[main].y0, bx1 = pieces[main].x1, by1 = pieces[main].y1;
    for (bool grew = true; grew;) {
        grew = false;
        const int reach = std::max(2, (std::max(bx1 - bx0, by1 - by0) + 1) / 4);
        for (int i = 0; i < n; ++i) {
            const Piece& p = pieces[i];
            if (kept[i] || p.band)
                continue;
            const int gx = std::max({bx0 - p.x1, p.x0 - bx1, 0}), gy = std::max({by0 - p.y1, p.y0 - by1, 0});
            if (std::max(gx, gy) <= reach || p.mass * 4 >= pieces[main].mass) {
                kept[i] = true;
                grew = true;
                bx0 = std::min(bx0, p.x0), by0 = std::min(by0, p.y0);
                bx1 = std::max(bx1, p.x1), by1 = std::max(by1, p.y1);
            }
        }
    }
    // Cells without ink in the sampled rows may hold some in the others:
    // only the dropped pieces' cells are left out. The box grows by a cell.
    for (int c = 0; c < k * k; ++c) {
        pc.keep[c] = !pc.occ[c] || (label[c] >= 0 && kept[label[c]]);
        pc.dropped = pc.dropped || !pc.keep[c];
    }
    pc.cx0 = std::max(0, bx0 - 1), pc.cy0 = std::max(0, by0 - 1);
    pc.cx1 = std::min(k - 1, bx1 + 1), pc.cy1 = std::min(k - 1, by1 + 1);
}

// Stroke strength and width (issue 15). A thin pen on a large glyph becomes,
// after area averaging, a faint line far narrower than MNIST's strokes: scale
// the ink so the strongest strokes reach full intensity, and thicken by a
// fraction of a 3x3 grey dilation (two pixels wider) up to the width of
// MNIST's thinner digits. (MNIST's stroke width, measured as below on 2000
// test digits: 25th percentile 2.0 output pixels, median 2.3.)
constexpr float kMnistStroke = 2.0f;  // output pixels

void thickenStrokes(float* img, float strokeWidth)
{
    const float alpha = std::clamp((kMnistStroke - strokeWidth) / 2.0f, 0.0f, 1.0f);
    if (alpha <= 0.0f)
        return;
    float peak = 0.0f;
    for (int i = 0; i < kField * kField; ++i)
        peak = std::max(peak, img[i]);
    if (peak <= 0.0f)
        return;
    // Thickening copies the strongest strokes outwards: bring them to full
    // ink first (a hairline is a faint line after area averaging).
    const float gain = 1.0f / peak;
    float src[kField * kField];
    for (int i = 0; i < kField * kField; ++i)
        src[i] = img[i] = std::min(1.0f, img[i] * gain);
    for (int y = 0; y < kField; ++y)
        for (int x = 0; x < kField; ++x) {
            float m = 0.0f;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= kField || yy >= kField)
                        continue;
                    // Diagonal neighbours count less: a round pen, not a square one.
                    const float v = src[yy * kField + xx] * ((dx && dy) ? 0.6f : 1.0f);
                    m = std::max(m, v);
                }
            float& o = img[y * kField + x];
            o = std::max(o, alpha * m);
        }
}

// Faint ink (a thin pen, grey ink on grey paper): the strongest strokes are
// brought to full intensity. A uniform gain with nothing clipped: the centre
// of mass stays where it is.
void strengthenStrokes(float* img)
{
    float peak = 0.0f;
    for (int i = 0; i < kField * kField; ++i)
        peak = std::max(peak, img[i]);
    if (peak <= 0.0f || peak >= 0.9f)
        return;
    const float gain = 1.0f / peak;
    for (int i = 0; i < kField * kField; ++i)
        img[i] = std::min(1.0f, img[i] * gain);
}

// How ink is read off one row: with even light, one multiply-add against the
// paper level (FlatMap); under uneven light, against a per-pixel paper level
// (LitMap, above). Both give ink values in [0, 1] and decide what is ink.
template <class T>
struct FlatMap {
    InkMap ink;
    void line(const T* row, int, int x0, int n, float* out) const
    {
        for (int i = 0; i < n; ++i)
            out[i] = ink(row[x0 + i]);
    }
    void accumulate(const T* row, int, int x0, int n, float wy, float* acc) const
    {
        for (int i = 0; i < n; ++i)
            acc[i] += wy * ink(row[x0 + i]);
    }
    // out[i] = 1 where row[x0 + i] is ink: one vectorised pass.
    void mark(const T* row, int, int x0, int n, std::uint8_t* out) const
    {
        for (int i = 0; i < n; ++i)
            out[i] = ink.isInk(row[x0 + i]) ? 1 : 0;
    }
    int first(const T* row, int, int x0, int n) const
    {
        int i = 0;
        while (i + 32 <= n && countInk(ink, row + x0 + i, 32) == 0)
            i += 32;
        for (; i < n; ++i)
            if (ink.isInk(row[x0 + i]))
                return i;
        return -1;
    }
    int last(const T* row, int, int x0, int n) const
    {
        int i = n;
        while (i - 32 >= 0 && countInk(ink, row + x0 + i - 32, 32) == 0)
            i -= 32;
        for (--i; i >= 0; --i)
            if (ink.isInk(row[x0 + i]))
                return i;
        return -1;
    }
};

template <class T>
struct LitInk {
    LitMap<T> map;
    // The last row's ink over the whole width: every pass reads a row more
    // than once (occupancy, box, profiles, resampling), the paper level and
    // its division are worked out once. cache/bg: w floats each.
    float* cache = nullptr;
    float* bg = nullptr;
    mutable int cachedY = -1;
    const float* ink(const T* row, int y) const
    {
        if (y != cachedY) {
            map.line(row, y, 0, map.w, cache, bg);
            cachedY = y;
        }
        return cache;
    }
    void line(const T* row, int y, int x0, int n, float* out) const
    {
        const float* v = ink(row, y) + x0;
        std::copy(v, v + n, out);
    }
    void accumulate(const T* row, int y, int x0, int n, float wy, float* acc) const
    {
        const float* v = ink(row, y) + x0;
        for (int i = 0; i < n; ++i)
            acc[i] += wy * v[i];
    }
    void mark(const T* row, int y, int x0, int n, std::uint8_t* out) const
    {
        const float* v = ink(row, y) + x0;
        for (int i = 0; i < n; ++i)
            out[i] = v[i] > map.threshold ? 1 : 0;
    }
    int first(const T* row, int y, int x0, int n) const
    {
        const float* v = ink(row, y) + x0;
        for (int i = 0; i < n; ++i)
            if (v[i] > map.threshold)
                return i;
        return -1;
    }
    int last(const T* row, int y, int x0, int n) const
    {
        const float* v = ink(row, y) + x0;
        for (int i = n - 1; i >= 0; --i)
            if (v[i] > map.threshold)
                return i;
        return -1;
    }
};

// From the ink map on: which ink is the digit, its box, profiles and stroke
// width, the area-averaged 28x28 field, stroke normalisation and centring.
template <class T, class Map>
PreprocessResult place(const T* gray, int w, int h, const PreprocessOptions& options, const Map& map,
                       PreprocessResult r)
{
    // Line buffers on the stack cover any canvas; only a page wider than
    // kStack pixels uses the heap.
    constexpr int kStack = 4096;
    float lineStack[kStack], tmpStack[kStack];
    std::uint8_t marksStack[kStack];
    std::vector<float> lineHeap, tmpHeap;
    std::vector<std::uint8_t> marksHeap;
    float* line = lineStack;
    float* tmp = tmpStack;
    std::uint8_t* marks = marksStack;
    if (w > kStack) {
        lineHeap.resize(std::size_t(w));
        tmpHeap.resize(std::size_t(w));
        marksHeap.resize(std::size_t(w));
        line = lineHeap.data();
        tmp = tmpHeap.data();
        marks = marksHeap.data();
    }

    // 2. Which ink is the digit: on a coarse grid of the page, the heaviest
    // piece and what lies near it (tiny images: all of it).
    Pieces pc;
    if (std::min(w, h) >= 128) {
        const int k = kGrid;
        pc.k = k;
        for (int i = 0; i <= k; ++i) {
            pc.cellX[i] = int((long long)i * w / k);
            pc.cellY[i] = int((long long)i * h / k);
        }
        // Every third row is enough to find the pieces (the thinnest pen's
        // antialiased stroke spans three); the box below is exact.
        const int rowStep = h >= 384 ? 3 : (h >= 256 ? 2 : 1);
        bool any = false;
        for (int cy = 0; cy < k; ++cy)
            for (int y = pc.cellY[cy]; y < pc.cellY[cy + 1]; y += rowStep) {
                const T* row = gray + std::size_t(y) * std::size_t(w);
                const int first = map.first(row, y, 0, w);
                if (first < 0)
                    continue;
                const int last = map.last(row, y, first, w - first) + first;
                int cxa = int((long long)first * k / w), cxb = int((long long)last * k / w);
                while (cxa > 0 && first < pc.cellX[cxa])
                    --cxa;
                while (cxb + 1 < k && last >= pc.cellX[cxb + 1])
                    ++cxb;
                const int xa = pc.cellX[cxa], xb = pc.cellX[cxb + 1];
                map.mark(row, y, xa, xb - xa, marks);
                for (int cx = cxa; cx <= cxb; ++cx) {
                    int c = 0;
                    for (int x = pc.cellX[cx]; x < pc.cellX[cx + 1]; ++x)
                        c += marks[x - xa];
                    pc.occ[cy * k + cx] += c;
                    any = any || c;
                }
            }
        if (!any)
            return r;
        choosePieces(pc);
    }
    auto keptRow = [&](int y) { return pc.k ? int((long long)y * pc.k / h) : 0; };
    // Zeroes the ink of dropped pieces in a mapped line of row y from x0.
    auto mask = [&](int y, int x0, int n, float* v) {
        if (!pc.dropped)
            return;
        int cy = keptRow(y);
        while (cy + 1 < pc.k && y >= pc.cellY[cy + 1])
            ++cy;
        while (cy > 0 && y < pc.cellY[cy])
            --cy;
        for (int cx = 0; cx < pc.k; ++cx) {
            if (pc.keep[cy * pc.k + cx])
                continue;
            const int a = std::max(pc.cellX[cx], x0), b = std::min(pc.cellX[cx + 1], x0 + n);
            for (int x = a; x < b; ++x)
                v[x - x0] = 0.0f;
        }
    };

    // 3. Bounding box of the kept ink.
    int x0 = w, x1 = -1, y0 = h, y1 = -1;
    if (pc.k == 0 || !pc.dropped) {
        const int ya = pc.k ? pc.cellY[pc.cy0] : 0, yb = pc.k ? pc.cellY[pc.cy1 + 1] : h;
        for (int y = ya; y < yb; ++y) {
            const T* row = gray + std::size_t(y) * std::size_t(w);
            const int first = map.first(row, y, 0, w);
            if (first < 0)
                continue;
            const int last = map.last(row, y, first, w - first) + first;
            y0 = std::min(y0, y);
            y1 = y;
            x0 = std::min(x0, first);
            x1 = std::max(x1, last);
        }
    } else {
        const int k = pc.k;
        for (int cy = pc.cy0; cy <= pc.cy1; ++cy)
            for (int y = pc.cellY[cy]; y < pc.cellY[cy + 1]; ++y) {
                const T* row = gray + std::size_t(y) * std::size_t(w);
                int first = -1, last = -1;
                for (int cx = pc.cx0; cx <= pc.cx1 && first < 0; ++cx) {
                    if (!pc.keep[cy * k + cx])
                        continue;
                    const int i = map.first(row, y, pc.cellX[cx], pc.cellX[cx + 1] - pc.cellX[cx]);
                    if (i >= 0)
                        first = pc.cellX[cx] + i;
                }
                if (first < 0)
                    continue;
                for (int cx = pc.cx1; cx >= pc.cx0 && last < 0; --cx) {
                    if (!pc.keep[cy * k + cx])
                        continue;
                    const int i = map.last(row, y, pc.cellX[cx], pc.cellX[cx + 1] - pc.cellX[cx]);
                    if (i >= 0)
                        last = pc.cellX[cx] + i;
                }
                y0 = std::min(y0, y);
                y1 = y;
                x0 = std::min(x0, first);
                x1 = std::max(x1, last);
            }
    }
    if (x1 < 0)
        return r;
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    r.boxX = x0;
    r.boxY = y0;
    r.boxW = bw;
    r.boxH = bh;

    // 4. Ink profiles along each axis: the total and the centre of mass come
    // from them, and since the area resampling is separable, so does where the
    // centre of mass will land in the output. Along the way, the stroke
    // width: ink area over half the ink's outline (edges between ink and
    // paper, counted along rows and columns: pi/4 of that is the length).
    float colStack[kStack], rowStack[kStack];
    std::uint8_t binStack[kStack], prevStack[kStack];
    std::vector<float> colHeap, rowHeap;
    std::vector<std::uint8_t> binHeap, prevHeap;
    float* colMass = colStack;
    float* rowMass = rowStack;
    std::uint8_t* bin = binStack;
    std::uint8_t* prev = prevStack;
    if (bw > kStack) {
        colHeap.resize(std::size_t(bw));
        binHeap.resize(std::size_t(bw));
        prevHeap.resize(std::size_t(bw));
        colMass = colHeap.data();
        bin = binHeap.data();
        prev = prevHeap.data();
    }
    if (bh > kStack) {
        rowHeap.resize(std::size_t(bh));
        rowMass = rowHeap.data();
    }
    std::fill(colMass, colMass + bw, 0.0f);
    std::fill(prev, prev + bw, std::uint8_t(0));
    double total = 0.0, momentX = 0.0, momentY = 0.0;
    long long area = 0, edges = 0;
    for (int y = 0; y < bh; ++y) {
        const T* row = gray + std::size_t(y0 + y) * std::size_t(w);
        map.line(row, y0 + y, x0, bw, line);
        mask(y0 + y, x0, bw, line);
        int inked = 0, across = 0, down = 0;
        for (int x = 0; x < bw; ++x) {
            const float v = line[x];
            colMass[x] += v;
            bin[x] = v > 0.5f ? 1 : 0;
            inked += bin[x];
            down += bin[x] ^ prev[x];
        }
        for (int x = 1; x < bw; ++x)
            across += bin[x] ^ bin[x - 1];
        area += inked;
        edges += across + down + bin[0] + bin[bw - 1];
        std::swap(bin, prev);
        const float rowSum = sum(line, bw);
        rowMass[y] = rowSum;
        total += rowSum;
        momentY += double(rowSum) * (y0 + y + 0.5);
    }
    for (int x = 0; x < bw; ++x)
        edges += prev[x];  // the bottom edge of the last row
    for (int x = 0; x < bw; ++x)
        momentX += double(colMass[x]) * (x0 + x + 0.5);
    if (total < kMinInk)
        return r;
    r.comX = float(momentX / total);
    r.comY = float(momentY / total);
    const double strokeWidth = edges > 0 ? double(area) / (double(edges) * 3.14159265 / 8.0) : 0.0;

    // 5. Scale so the larger side is options.box output pixels, aspect kept
    // (LeCun et al. 1998: MNIST digits were size-normalised to 20x20 keeping
    // the aspect ratio, then centred by centre of mass in 28x28).
    const float s = float(options.box) / float(std::max(bw, bh));
    r.scale = s;
    const float nomX = 0.5f * (kField - float(bw) * s);
    const float nomY = 0.5f * (kField - float(bh) * s);
    // Continuous coordinates from here on: pixel i spans [i, i+1).
    const float target = options.centre + 0.5f;
    const float offX = centringOffset(colMass, x0, x0 + bw, s, target, target - (r.comX - float(x0)) * s);
    const float offY = centringOffset(rowMass, y0, y0 + bh, s, target, target - (r.comY - float(y0)) * s);

    // 6. One area-averaging pass straight into the 28x28 field with the
    // sub-pixel centring offset built in: scaling and shifting in a single
    // resampling blurs less than scaling to 20x20 and then shifting bilinearly.
    // Rows first: each output row gathers its weighted source rows into a line
    // (a vectorised multiply-add over the box width), then the line's columns
    // are summed per output pixel.
    Span cols[kField], rows[kField];
    makeSpans(cols, x0, x0 + bw, s, offX);
    makeSpans(rows, y0, y0 + bh, s, offY);
    float* out = r.input.data();
    const float cellArea = s * s;  // 1 / (source pixels per output pixel)
    for (int oy = 0; oy < kField; ++oy) {
        const Span& sy = rows[oy];
        if (sy.x1 < sy.x0)
            continue;
        std::fill(line, line + bw, 0.0f);
        for (int y = sy.x0; y <= sy.x1; ++y) {
            const float wy = y == sy.x0 ? sy.w0 : (y == sy.x1 ? sy.w1 : 1.0f);
            const T* row = gray + std::size_t(y) * std::size_t(w);
            if (!pc.dropped) {
                map.accumulate(row, y, x0, bw, wy, line);
                continue;
            }
            map.line(row, y, x0, bw, tmp);
            mask(y, x0, bw, tmp);
            for (int x = 0; x < bw; ++x)
                line[x] += wy * tmp[x];
        }
        for (int ox = 0; ox < kField; ++ox) {
            const Span& sx = cols[ox];
            if (sx.x1 < sx.x0)
                continue;
            float m = sx.w0 * line[sx.x0 - x0];
            if (sx.x1 > sx.x0) {
                for (int x = sx.x0 + 1; x < sx.x1; ++x)
                    m += line[x - x0];
                m += sx.w1 * line[sx.x1 - x0];
            }
            out[oy * kField + ox] = std::min(cellArea * m, 1.0f);
        }
    }
    thickenStrokes(out, float(strokeWidth) * s);

    // 7. With nothing cut off at the field's edge the centre of mass is now on
    // target to well under 1e-3 pixels. Ink pushed past the edge (a far-off
    // dot) takes its mass with it, and thickening moves it a little; a small
    // bilinear shift fixes the rest.
    float shiftX = offX - nomX, shiftY = offY - nomY;
    for (int iter = 0; iter < 3; ++iter) {
        const Moments m = fieldMoments(out);
        if (m.mass <= 0.0)
            break;
        const auto dx = float(target - m.x / m.mass), dy = float(target - m.y / m.mass);
        if (std::abs(dx) < 1e-3f && std::abs(dy) < 1e-3f)
            break;
        shiftBilinear(out, dx, dy);
        shiftX += dx;
        shiftY += dy;
    }
    strengthenStrokes(out);
    r.shiftX = shiftX;
    r.shiftY = shiftY;
    r.empty = false;
    return r;
}

// Decides polarity, paper level and lighting, and calls use(map, inverted)
// with the ink map that reads this page (FlatMap or LitInk).
template <class T, class Use>
auto withInkMap(const T* gray, int w, int h, const PreprocessOptions& options, Use&& use)
{
    constexpr float unit = std::is_same_v<T, std::uint8_t> ? 1.0f / 255.0f : 1.0f;

    // 1. Polarity from the cells' histograms (the border's median decides
    // only when they show no ink, or for images too small for cells), the
    // paper's level per cell, and whether the light is even.
    Cells cells;
    cellStats(gray, w, h, cells);
    const float median = borderMedian(gray, w, h);
    int side = options.darkInk;
    if (side < 0)
        side = cells.g > 1 ? inkSide(cells, median) : -1;
    if (side < 0)
        side = median > 0.5f ? 1 : 0;
    const bool dark = side == 1;
    float paper[kMaxCells * kMaxCells];
    paperLevels(cells, dark, paper);
    const int nc = cells.g * cells.g;
    // Uneven light shows at the page's edge, where there is rarely ink: the
    // outer ring of cells decides (ink inside the page is no lighting), from
    // its 25th to its 75th percentile (strokes running off the edge cover
    // some of its cells; a gradient or a shadow, half of them or more).
    float ring[4 * kMaxCells];
    int nr = 0;
    for (int c = 0; c < nc; ++c) {
        const int cy = c / cells.g, cx = c % cells.g;
        if (cy == 0 || cx == 0 || cy == cells.g - 1 || cx == cells.g - 1)
            ring[nr++] = paper[c];
    }
    std::sort(ring, ring + nr);
    const float lo = ring[nr / 4], hi = ring[nr - 1 - nr / 4];
    if (cells.g < 3 || hi - lo < 0.08f) {
        // Even light: the border's median is the paper level.
        const float level = std::clamp(dark ? 1.0f - median : median, 0.0f, 0.99f);
        const float gain = 1.0f / (1.0f - level);
        FlatMap<T> map;
        map.ink.a = (dark ? -gain : gain) * unit;
        map.ink.c = dark ? (1.0f - level) * gain : -level * gain;
        map.ink.setEdge((dark ? -(1.0f - level - options.inkThreshold) : level + options.inkThreshold) / unit, dark);
        return use(map, dark);
    }
    LitInk<T> map;
    map.map.w = w;
    map.map.h = h;
    map.map.g = cells.g;
    map.map.dark = dark;
    map.map.unit = unit;
    std::copy(paper, paper + nc, map.map.level);
    float mid[kMaxCells * kMaxCells];
    std::copy(paper, paper + nc, mid);
    std::nth_element(mid, mid + nc / 2, mid + nc);
    // Under uneven light the paper level is an estimate (a shadow's edge
    // runs between the cells): what is ink must stand out more.
    map.map.threshold =
        std::max(0.25f, options.inkThreshold / std::max(0.01f, dark ? mid[nc / 2] : 1.0f - mid[nc / 2]));
    map.map.lightScale = std::max(mid[nc / 2], 0.01f) / std::max(1.0f - mid[nc / 2], 0.01f);
    constexpr int kStack = 4096;
    float cacheStack[kStack], bgStack[kStack];
    std::vector<float> cacheHeap, bgHeap;
    map.cache = cacheStack;
    map.bg = bgStack;
    if (w > kStack) {
        cacheHeap.resize(std::size_t(w));
        bgHeap.resize(std::size_t(w));
        map.cache = cacheHeap.data();
        map.bg = bgHeap.data();
    }
    return use(map, dark);
}

template <class T>
PreprocessResult run(const T* gray, int w, int h, const PreprocessOptions& options)
{
    PreprocessResult r;
    if (!gray || w <= 0 || h <= 0)
        return r;
    return withInkMap(gray, w, h, options, [&](const auto& map, bool dark) {
        r.inverted = dark;
        return place(gray, w, h, options, map, r);
    });
}

template <class T>
InkImage inkImageOf(const T* gray, int w, int h, const PreprocessOptions& options)
{
    InkImage out;
    if (!gray || w <= 0 || h <= 0)
        return out;
    out.w = w;
    out.h = h;
    out.ink.resize(std::size_t(w) * std::size_t(h));
    out.mask.resize(out.ink.size());
    withInkMap(gray, w, h, options, [&](const auto& map, bool dark) {
        out.inverted = dark;
        for (int y = 0; y < h; ++y) {
            const T* row = gray + std::size_t(y) * std::size_t(w);
            map.line(row, y, 0, w, out.ink.data() + std::size_t(y) * std::size_t(w));
            map.mark(row, y, 0, w, out.mask.data() + std::size_t(y) * std::size_t(w));
        }
        return 0;
    });
    return out;
}

}  // namespace

PreprocessResult preprocess(const float* gray, int w, int h, const PreprocessOptions& options)
{
    return run(gray, w, h, options);
}

PreprocessResult preprocess(const std::uint8_t* gray, int w, int h, const PreprocessOptions& options)
{
    return run(gray, w, h, options);
}

InkImage inkImage(const float* gray, int w, int h, const PreprocessOptions& options)
{
    return inkImageOf(gray, w, h, options);
}

InkImage inkImage(const std::uint8_t* gray, int w, int h, const PreprocessOptions& options)
{
    return inkImageOf(gray, w, h, options);
}

PreprocessResult asIs(const float* input28x28)
{
    PreprocessResult r;
    std::copy(input28x28, input28x28 + 28 * 28, r.input.begin());
    r.empty = std::none_of(r.input.begin(), r.input.end(), [](float v) { return v > 0.0f; });
    r.boxW = r.boxH = 28;
    r.scale = 1.0f;
    r.comX = r.comY = 14.0f;
    return r;
}

}  // namespace nn
