#include "preprocess.h"

#include <algorithm>
#include <cmath>
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

template <class T>
PreprocessResult run(const T* gray, int w, int h, const PreprocessOptions& options)
{
    PreprocessResult r;
    if (!gray || w <= 0 || h <= 0)
        return r;
    constexpr float unit = std::is_same_v<T, std::uint8_t> ? 1.0f / 255.0f : 1.0f;

    // 1. Polarity and background level from the border.
    const float median = borderMedian(gray, w, h);
    const bool dark = options.darkInk < 0 ? median > 0.5f : options.darkInk == 1;
    const float level = std::clamp(dark ? 1.0f - median : median, 0.0f, 0.99f);
    const float gain = 1.0f / (1.0f - level);
    InkMap ink;
    ink.a = (dark ? -gain : gain) * unit;
    ink.c = dark ? (1.0f - level) * gain : -level * gain;
    ink.setEdge((dark ? -(1.0f - level - options.inkThreshold) : level + options.inkThreshold) / unit, dark);
    r.inverted = dark;

    // 2. Bounding box of the pixels clearly different from the background.
    int x0 = w, x1 = -1, y0 = h, y1 = -1;
    constexpr int kChunk = 32;
    for (int y = 0; y < h; ++y) {
        const T* row = gray + std::size_t(y) * std::size_t(w);
        int first = 0;
        while (first + kChunk <= w && countInk(ink, row + first, kChunk) == 0)
            first += kChunk;
        while (first < w && !ink.isInk(row[first]))
            ++first;
        if (first == w)
            continue;
        int end = w;  // one past the last ink pixel
        while (end - kChunk > first && countInk(ink, row + end - kChunk, kChunk) == 0)
            end -= kChunk;
        while (end - 1 > first && !ink.isInk(row[end - 1]))
            --end;
        y0 = std::min(y0, y);
        y1 = y;
        x0 = std::min(x0, first);
        x1 = std::max(x1, end - 1);
    }
    if (x1 < 0)
        return r;
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    r.boxX = x0;
    r.boxY = y0;
    r.boxW = bw;
    r.boxH = bh;

    // 3. Ink profiles along each axis: the total and the centre of mass come
    // from them, and since the area resampling is separable, so does where the
    // centre of mass will land in the output. Stack buffers cover any canvas;
    // only a box wider or taller than kStack pixels uses the heap.
    constexpr int kStack = 4096;
    float colStack[kStack], rowStack[kStack], lineStack[kStack];
    std::vector<float> colHeap, rowHeap, lineHeap;
    float* colMass = colStack;
    float* rowMass = rowStack;
    float* line = lineStack;
    if (bw > kStack) {
        colHeap.resize(std::size_t(bw));
        lineHeap.resize(std::size_t(bw));
        colMass = colHeap.data();
        line = lineHeap.data();
    }
    if (bh > kStack) {
        rowHeap.resize(std::size_t(bh));
        rowMass = rowHeap.data();
    }
    std::fill(colMass, colMass + bw, 0.0f);
    double total = 0.0, momentX = 0.0, momentY = 0.0;
    for (int y = 0; y < bh; ++y) {
        const T* row = gray + std::size_t(y0 + y) * std::size_t(w) + x0;
        for (int x = 0; x < bw; ++x) {
            const float v = ink(row[x]);
            line[x] = v;
            colMass[x] += v;
        }
        const float rowSum = sum(line, bw);
        rowMass[y] = rowSum;
        total += rowSum;
        momentY += double(rowSum) * (y0 + y + 0.5);
    }
    for (int x = 0; x < bw; ++x)
        momentX += double(colMass[x]) * (x0 + x + 0.5);
    if (total < kMinInk)
        return r;
    r.comX = float(momentX / total);
    r.comY = float(momentY / total);

    // 4. Scale so the larger side is options.box output pixels, aspect kept
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

    // 5. One area-averaging pass straight into the 28x28 field with the
    // sub-pixel centring offset built in: scaling and shifting in a single
    // resampling blurs less than scaling to 20x20 and then shifting bilinearly.
    // Rows first: each output row gathers its weighted source rows into a line
    // (a vectorised multiply-add over the box width), then the line's columns
    // are summed per output pixel.
    Span cols[kField], rows[kField];
    makeSpans(cols, x0, x0 + bw, s, offX);
    makeSpans(rows, y0, y0 + bh, s, offY);
    float* out = r.input.data();
    const float area = s * s;  // 1 / (source pixels per output pixel)
    for (int oy = 0; oy < kField; ++oy) {
        const Span& sy = rows[oy];
        if (sy.x1 < sy.x0)
            continue;
        std::fill(line, line + bw, 0.0f);
        for (int y = sy.x0; y <= sy.x1; ++y) {
            const float wy = y == sy.x0 ? sy.w0 : (y == sy.x1 ? sy.w1 : 1.0f);
            const T* row = gray + std::size_t(y) * std::size_t(w) + x0;
            for (int x = 0; x < bw; ++x)
                line[x] += wy * ink(row[x]);
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
            out[oy * kField + ox] = std::min(area * m, 1.0f);
        }
    }

    // 6. With nothing cut off at the field's edge the centre of mass is now on
    // target to well under 1e-3 pixels. Ink pushed past the edge (a far-off
    // dot) takes its mass with it; a small bilinear shift fixes the rest.
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
    r.shiftX = shiftX;
    r.shiftY = shiftY;
    r.empty = false;
    return r;
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

}  // namespace nn
