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
// grey paper and a pure-white canvas give the same input.
struct InkMap {
    float a = 1.0f, c = 0.0f;    // ink = clamp(a * grey + c, 0, 1), grey in [0, 1]
    float lut[256] = {};         // the same for 8-bit input
    float rawThreshold = 0.0f;   // grey beyond this (towards ink) is ink for the box
    bool dark = false;

    float operator()(float g) const { return std::clamp(a * g + c, 0.0f, 1.0f); }
    float operator()(std::uint8_t g) const { return lut[g]; }
    bool isInk(float g) const { return dark ? g < rawThreshold : g > rawThreshold; }
    bool isInk(std::uint8_t g) const { return isInk(float(g) * (1.0f / 255.0f)); }
};

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

// The offset that puts the resampled centre of mass at kField/2. The centre
// moves almost exactly with the offset (area averaging keeps the first moment
// up to how mass sits inside each output pixel), so a few Newton-like steps
// from the analytic guess converge to well below 1e-3 pixels.
float centringOffset(const float* profile, int lo, int hi, float s, float guess)
{
    float off = guess;
    for (int iter = 0; iter < 6; ++iter) {
        const float err = kField / 2.0f - resampledCentre(profile, lo, hi, s, off);
        off += err;
        if (std::abs(err) < 1e-4f)
            break;
    }
    return off;
}

template <class T>
PreprocessResult run(const T* gray, int w, int h, const PreprocessOptions& options)
{
    PreprocessResult r;
    if (!gray || w <= 0 || h <= 0)
        return r;

    // 1. Polarity and background level from the border.
    const float median = borderMedian(gray, w, h);
    const bool dark = options.darkInk < 0 ? median > 0.5f : options.darkInk == 1;
    const float level = std::clamp(dark ? 1.0f - median : median, 0.0f, 0.99f);
    const float gain = 1.0f / (1.0f - level);
    InkMap ink;
    ink.dark = dark;
    ink.a = dark ? -gain : gain;
    ink.c = dark ? (1.0f - level) * gain : -level * gain;
    ink.rawThreshold = dark ? 1.0f - level - options.inkThreshold : level + options.inkThreshold;
    if constexpr (std::is_same_v<T, std::uint8_t>)
        for (int g = 0; g < 256; ++g)
            ink.lut[g] = ink(float(g) / 255.0f);
    r.inverted = dark;

    // 2. Bounding box of the pixels clearly different from the background.
    int x0 = w, x1 = -1, y0 = h, y1 = -1;
    for (int y = 0; y < h; ++y) {
        const T* row = gray + std::size_t(y) * std::size_t(w);
        int first = 0;
        while (first < w && !ink.isInk(row[first]))
            ++first;
        if (first == w)
            continue;
        int last = w - 1;
        while (last > first && !ink.isInk(row[last]))
            --last;
        y0 = std::min(y0, y);
        y1 = y;
        x0 = std::min(x0, first);
        x1 = std::max(x1, last);
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
    // centre of mass will land in the output. Small stack buffers cover any
    // canvas; huge images fall back to the heap once.
    constexpr int kStack = 4096;
    float colStack[kStack], rowStack[kStack];
    std::vector<float> colHeap, rowHeap;
    float* colMass = colStack;
    float* rowMass = rowStack;
    if (bw > kStack) {
        colHeap.assign(std::size_t(bw), 0.0f);
        colMass = colHeap.data();
    }
    if (bh > kStack) {
        rowHeap.assign(std::size_t(bh), 0.0f);
        rowMass = rowHeap.data();
    }
    std::fill(colMass, colMass + bw, 0.0f);
    double total = 0.0, momentX = 0.0, momentY = 0.0;
    for (int y = 0; y < bh; ++y) {
        const T* row = gray + std::size_t(y0 + y) * std::size_t(w) + x0;
        float sum = 0.0f;
        for (int x = 0; x < bw; ++x) {
            const float v = ink(row[x]);
            colMass[x] += v;
            sum += v;
        }
        rowMass[y] = sum;
        total += sum;
        momentY += double(sum) * (y0 + y + 0.5);
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
    const float guessX = kField / 2.0f - (r.comX - float(x0)) * s;
    const float guessY = kField / 2.0f - (r.comY - float(y0)) * s;
    // Profiles are indexed from the box start, hence lo = x0 / y0 with local offsets.
    const float offX = centringOffset(colMass, x0, x0 + bw, s, guessX);
    const float offY = centringOffset(rowMass, y0, y0 + bh, s, guessY);
    r.shiftX = offX - nomX;
    r.shiftY = offY - nomY;

    // 5. One area-averaging pass straight into the 28x28 field with the
    // sub-pixel centring offset built in: scaling and shifting in a single
    // resampling blurs less than scaling to 20x20 and then shifting bilinearly.
    Span cols[kField];
    makeSpans(cols, x0, x0 + bw, s, offX);
    float* out = r.input.data();
    std::fill(r.input.begin(), r.input.end(), 0.0f);
    float rowSum[kField];
    for (int y = y0; y <= y1; ++y) {
        // Where source row y lands, in output rows.
        const float oy0 = float(y - y0) * s + offY;
        const float oy1 = oy0 + s;
        const int yFirst = std::max(0, int(std::floor(oy0)));
        const int yLast = std::min(kField - 1, int(std::ceil(oy1)) - 1);
        if (yLast < yFirst)
            continue;
        const T* row = gray + std::size_t(y) * std::size_t(w);
        for (int i = 0; i < kField; ++i) {
            const Span& sp = cols[i];
            if (sp.x1 < sp.x0) {
                rowSum[i] = 0.0f;
                continue;
            }
            float m = sp.w0 * ink(row[sp.x0]);
            if (sp.x1 > sp.x0) {
                for (int x = sp.x0 + 1; x < sp.x1; ++x)
                    m += ink(row[x]);
                m += sp.w1 * ink(row[sp.x1]);
            }
            rowSum[i] = m;
        }
        // Output value = mean over the output pixel's source area (1/s)^2:
        // s^2 * (column weights) * (row overlap in source units = overlap / s).
        for (int oy = yFirst; oy <= yLast; ++oy) {
            const float overlap = std::min(oy1, float(oy + 1)) - std::max(oy0, float(oy));
            if (overlap <= 0.0f)
                continue;
            const float k = s * overlap;
            float* o = out + oy * kField;
            for (int i = 0; i < kField; ++i)
                o[i] += k * rowSum[i];
        }
    }
    for (float& v : r.input)
        v = std::clamp(v, 0.0f, 1.0f);
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
