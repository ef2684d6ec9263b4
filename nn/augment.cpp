#include "augment.h"
#include "uitext.h"

#include "errors.h"
#include "random.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string_view>

namespace nn {

namespace {

constexpr float kDegToRad = std::numbers::pi_v<float> / 180.0f;

// Our own conversions from the engine's 64-bit words: the std distributions'
// algorithms are implementation-defined, and the same seed must give the
// same image with any standard library.
float uniform01(std::mt19937_64& rng) { return float(double(rng() >> 11) * 0x1.0p-53); }
float uniform(std::mt19937_64& rng, float lo, float hi) { return lo + (hi - lo) * uniform01(rng); }
// Box-Muller; one value per call keeps the stream order obvious.
float gaussian(std::mt19937_64& rng)
{
    const double u1 = (double(rng() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]: log is finite
    const double u2 = double(rng() >> 11) * 0x1.0p-53;
    return float(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
}

// Fixed order, every value always drawn: narrowing one range never shifts
// the values drawn for the others, and apply() continues the same stream.
AugmentDraw drawFrom(const AugmentParams& params, std::mt19937_64& rng)
{
    AugmentDraw d;
    d.rotationDeg = uniform(rng, -params.rotationDeg, params.rotationDeg);
    d.scale = uniform(rng, params.scaleMin, params.scaleMax);
    d.shearDeg = uniform(rng, -params.shearDeg, params.shearDeg);
    d.shiftX = uniform(rng, -params.shiftPx, params.shiftPx);
    d.shiftY = uniform(rng, -params.shiftPx, params.shiftPx);
    d.thickness = uniform(rng, params.thicknessMin, params.thicknessMax);
    d.contrast = uniform(rng, params.contrastMin, params.contrastMax);
    return d;
}

// Bilinear sample at continuous index coordinates (pixel i's centre is at
// i); everything outside the image is background (0).
inline float sampleBilinear(const float* img, int w, int h, float fx, float fy)
{
    const float x0f = std::floor(fx), y0f = std::floor(fy);
    const int x0 = int(x0f), y0 = int(y0f);
    if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h)
        return 0.0f;
    const float ax = fx - x0f, ay = fy - y0f;
    auto at = [&](int x, int y) { return (x >= 0 && y >= 0 && x < w && y < h) ? img[y * w + x] : 0.0f; };
    const float top = at(x0, y0) + ax * (at(x0 + 1, y0) - at(x0, y0));
    const float bottom = at(x0, y0 + 1) + ax * (at(x0 + 1, y0 + 1) - at(x0, y0 + 1));
    return top + ay * (bottom - top);
}

// ---- parsing ---------------------------------------------------------------

std::string trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

[[noreturn]] void badValue(const std::string& key, const std::string& value, const std::string& why)
{
    throw Error("augmentation: bad value \"" + value + "\" for \"" + key + "\": " + why);
}

float number(const std::string& key, const std::string& value, const std::string& part)
{
    float v = 0.0f;
    const char* first = part.data();
    const char* last = first + part.size();
    if (!part.empty() && *first == '+')
        ++first;  // from_chars rejects a leading '+', people write it anyway
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last || !std::isfinite(v))
        badValue(key, value, "\"" + part + "\" is not a number");
    return v;
}

// "a" or "a:b". One value means a fixed value: lo = hi = a.
void range(const std::string& key, const std::string& value, float& lo, float& hi)
{
    const auto colon = value.find(':');
    if (colon == std::string::npos) {
        lo = hi = number(key, value, value);
        return;
    }
    lo = number(key, value, trim(std::string_view(value).substr(0, colon)));
    hi = number(key, value, trim(std::string_view(value).substr(colon + 1)));
    if (lo > hi)
        badValue(key, value, "the range's lower end is larger than its upper end");
}

void check(const AugmentField& f, const std::string& value, float v)
{
    const bool low = f.minExcluded ? !(v > f.validMin) : !(v >= f.validMin);
    const bool high = f.maxExcluded ? !(v < f.validMax) : !(v <= f.validMax);
    if (low || high)
        badValue(f.key, value, f.why);
}

// Shortest text that reads back as exactly the same float.
std::string fmt(float v)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

}  // namespace

AugmentParams AugmentParams::standard()
{
    AugmentParams p;
    p.enabled = true;
    p.rotationDeg = 12.0f;
    p.scaleMin = 0.85f;
    p.scaleMax = 1.1f;
    p.shiftPx = 2.5f;
    p.shearDeg = 12.0f;
    p.elasticAlpha = 0.0f;  // off: rotation/scale/shear/thickness cover hand-drawn variation
    p.elasticSigma = 4.0f;
    p.thicknessMin = -0.4f;
    p.thicknessMax = 0.9f;
    p.contrastMin = 0.75f;
    p.contrastMax = 1.0f;
    p.noiseStd = 0.0f;
    return p;
}

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr const char* kAffine = DIGITPAD_UI_TEXT("nn::ui", "Simard, Steinkraus & Platt 2003 (affine distortions); LeCun et al. 1998");
constexpr const char* kElastic = DIGITPAD_UI_TEXT("nn::ui", "Simard, Steinkraus & Platt 2003 (elastic distortions)");
constexpr const char* kMorph = DIGITPAD_UI_TEXT("nn::ui", "grey-scale morphology (Serra 1982): dilation and erosion of the strokes");
constexpr const char* kPhoto = DIGITPAD_UI_TEXT("nn::ui", "photometric jitter, e.g. Krizhevsky, Sutskever & Hinton 2012");

using F = AugmentField;
const std::vector<AugmentField> kFields = {
    {"rot", 0, F::Single, &AugmentParams::rotationDeg, 0, 45, 0.5f, 1, 0, 180, false, false,
     "rotation must be in 0..180 degrees", DIGITPAD_UI_TEXT("nn::ui", "Rotation \u00b1"), DIGITPAD_UI_TEXT("nn::ui", "Rotation \u00b1"), "\u00b0", kAffine},
    {"scale", 0, F::Range, &AugmentParams::scaleMin, 0.5f, 1.5f, 0.01f, 2, 0, kInf, true, false,
     "scale must be positive", DIGITPAD_UI_TEXT("nn::ui", "Scale min"), DIGITPAD_UI_TEXT("nn::ui", "Scale"), "", kAffine},
    {"scale", 1, F::Range, &AugmentParams::scaleMax, 0.5f, 1.5f, 0.01f, 2, 0, kInf, true, false,
     "scale must be positive", DIGITPAD_UI_TEXT("nn::ui", "Scale max"), DIGITPAD_UI_TEXT("nn::ui", "Scale"), "", kAffine},
    {"shift", 0, F::Single, &AugmentParams::shiftPx, 0, 6, 0.1f, 1, 0, kInf, false, false,
     "shift must be >= 0 pixels", DIGITPAD_UI_TEXT("nn::ui", "Shift \u00b1"), DIGITPAD_UI_TEXT("nn::ui", "Shift \u00b1"), " px", kAffine},
    {"shear", 0, F::Single, &AugmentParams::shearDeg, 0, 40, 0.5f, 1, 0, 80, false, true,
     "shear must be in 0..80 degrees", DIGITPAD_UI_TEXT("nn::ui", "Shear \u00b1"), DIGITPAD_UI_TEXT("nn::ui", "Shear \u00b1"), "\u00b0", kAffine},
    {"elastic", 0, F::Optional, &AugmentParams::elasticAlpha, 0, 40, 0.5f, 1, 0, kInf, false, false,
     "alpha must be >= 0", DIGITPAD_UI_TEXT("nn::ui", "Elastic alpha"), DIGITPAD_UI_TEXT("nn::ui", "Elastic"), " px", kElastic},
    {"elastic", 1, F::Optional, &AugmentParams::elasticSigma, 1, 10, 0.1f, 1, 0, 64, true, false,
     "sigma must be in (0, 64] pixels", DIGITPAD_UI_TEXT("nn::ui", "Elastic sigma"), DIGITPAD_UI_TEXT("nn::ui", "Elastic"), " px", kElastic},
    {"thick", 0, F::Range, &AugmentParams::thicknessMin, -2, 2, 0.05f, 2, -8, 8, false, false,
     "thickness must be within -8..8 pixels", DIGITPAD_UI_TEXT("nn::ui", "Thickness min"), DIGITPAD_UI_TEXT("nn::ui", "Thickness"), " px", kMorph},
    {"thick", 1, F::Range, &AugmentParams::thicknessMax, -2, 2, 0.05f, 2, -8, 8, false, false,
     "thickness must be within -8..8 pixels", DIGITPAD_UI_TEXT("nn::ui", "Thickness max"), DIGITPAD_UI_TEXT("nn::ui", "Thickness"), " px", kMorph},
    {"contrast", 0, F::Range, &AugmentParams::contrastMin, 0.1f, 1.5f, 0.01f, 2, 0, kInf, false, false,
     "contrast must be >= 0", DIGITPAD_UI_TEXT("nn::ui", "Contrast min"), DIGITPAD_UI_TEXT("nn::ui", "Contrast"), "", kPhoto},
    {"contrast", 1, F::Range, &AugmentParams::contrastMax, 0.1f, 1.5f, 0.01f, 2, 0, kInf, false, false,
     "contrast must be >= 0", DIGITPAD_UI_TEXT("nn::ui", "Contrast max"), DIGITPAD_UI_TEXT("nn::ui", "Contrast"), "", kPhoto},
    {"noise", 0, F::Single, &AugmentParams::noiseStd, 0, 0.3f, 0.005f, 3, 0, kInf, false, false,
     "noise must be >= 0", DIGITPAD_UI_TEXT("nn::ui", "Noise \u03c3"), DIGITPAD_UI_TEXT("nn::ui", "Noise \u03c3"), "", kPhoto},
};

std::string knownKeys()
{
    std::string out;
    for (const AugmentField& f : kFields)
        if (f.part == 0)
            out += (out.empty() ? "" : ", ") + std::string(f.key);
    return out;
}

}  // namespace

const std::vector<AugmentField>& augmentFields() { return kFields; }

const AugmentField* augmentField(float AugmentParams::*member)
{
    for (const AugmentField& f : kFields)
        if (f.member == member)
            return &f;
    return nullptr;
}

std::uint64_t augmentSeed(std::uint64_t seed, int epoch, int index)
{
    return mix64(seed ^ mix64((std::uint64_t(epoch) << 32) ^ std::uint64_t(index)));
}

AugmentParams AugmentParams::parse(const std::string& text)
{
    const std::string all = trim(text);
    if (all == "none" || all == "off") {
        AugmentParams p = standard();
        p.enabled = false;
        return p;
    }
    AugmentParams p = standard();
    if (all.empty() || all == "standard" || all == "on")
        return p;

    std::size_t pos = 0;
    while (pos <= all.size()) {
        const std::size_t comma = std::min(all.find(',', pos), all.size());
        const std::string item = trim(std::string_view(all).substr(pos, comma - pos));
        pos = comma + 1;
        if (item.empty())
            continue;  // tolerate "rot=10,,shift=2" and a trailing comma
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            throw Error("augmentation: \"" + item + "\" has no value (expected key=value, e.g. rot=10)");
        const std::string key = trim(std::string_view(item).substr(0, eq));
        const std::string value = trim(std::string_view(item).substr(eq + 1));
        if (value.empty())
            badValue(key, value, "the value is empty");

        const AugmentField* first = nullptr;
        const AugmentField* second = nullptr;
        for (const AugmentField& f : kFields)
            if (key == f.key)
                (f.part == 0 ? first : second) = &f;
        if (!first)
            throw Error("augmentation: unknown key \"" + key + "\" (known: " + knownKeys() + ")");
        const auto colon = value.find(':');
        switch (first->kind) {
        case AugmentField::Single:
            if (colon != std::string::npos)
                badValue(key, value, "expected one number, not a range");
            p.*first->member = number(key, value, value);
            break;
        case AugmentField::Range:
            range(key, value, p.*first->member, p.*second->member);
            break;
        case AugmentField::Optional:
            if (colon == std::string::npos) {
                p.*first->member = number(key, value, value);
            } else {
                p.*first->member = number(key, value, trim(std::string_view(value).substr(0, colon)));
                p.*second->member = number(key, value, trim(std::string_view(value).substr(colon + 1)));
            }
            break;
        }
        check(*first, value, p.*first->member);
        if (second)
            check(*second, value, p.*second->member);
    }
    p.enabled = true;
    return p;
}

std::string AugmentParams::toString() const
{
    if (!enabled)
        return "none";
    std::string out;
    for (const AugmentField& f : kFields)
        out += f.part == 0 ? (out.empty() ? "" : ",") + std::string(f.key) + "=" + fmt(this->*f.member)
                           : ":" + fmt(this->*f.member);
    return out;
}

// ---- Augmenter -------------------------------------------------------------

void Augmenter::grow(int w, int h)
{
    // resize() to the same size keeps the storage: no allocation in a steady loop.
    const auto n = std::size_t(w) * std::size_t(h);
    m_a.resize(n);
    m_b.resize(n);
    m_dx.resize(n);
    m_dy.resize(n);
}

AugmentDraw Augmenter::draw(const AugmentParams& params, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    return drawFrom(params, rng);
}

// Affine distortions as used for MNIST by Simard, Steinkraus & Platt (2003),
// "Best Practices for Convolutional Neural Networks Applied to Visual Document
// Analysis", section 2, and LeCun et al. (1998) "Gradient-based learning
// applied to document recognition": small rotations, scalings and shears are
// label-preserving for handwriting. Inverse mapping (each output pixel asks
// where it came from) with bilinear interpolation leaves no holes.
void Augmenter::affine(const float* src, float* dst, int w, int h, float rotationDeg, float scale, float shearDeg,
                       float shiftX, float shiftY)
{
    if (rotationDeg == 0.0f && scale == 1.0f && shearDeg == 0.0f && shiftX == 0.0f && shiftY == 0.0f) {
        std::memcpy(dst, src, sizeof(float) * std::size_t(w) * std::size_t(h));
        return;
    }
    // Forward: p' = c + R * H * s * (p - c) + t with H = [[1, tan], [0, 1]].
    // Inverse: p = c + (1/s) H^-1 R^-1 (p' - c - t).
    const float th = rotationDeg * kDegToRad;
    const float cs = std::cos(th), sn = std::sin(th);
    const float tn = std::tan(shearDeg * kDegToRad);
    const float inv = 1.0f / scale;
    // H^-1 R^-1 = [[1, -tn], [0, 1]] * [[cs, sn], [-sn, cs]]
    const float m00 = inv * (cs + tn * sn), m01 = inv * (sn - tn * cs);
    const float m10 = inv * -sn, m11 = inv * cs;
    // Centre of the image in continuous coordinates where pixel i spans [i, i+1).
    const float cx = 0.5f * float(w), cy = 0.5f * float(h);
    for (int y = 0; y < h; ++y) {
        const float vy = float(y) + 0.5f - cy - shiftY;
        for (int x = 0; x < w; ++x) {
            const float vx = float(x) + 0.5f - cx - shiftX;
            // Back to index coordinates (pixel centre at i) for the sampler.
            const float ux = cx + m00 * vx + m01 * vy - 0.5f;
            const float uy = cy + m10 * vx + m11 * vy - 0.5f;
            dst[y * w + x] = sampleBilinear(src, w, h, ux, uy);
        }
    }
}

// Elastic distortion, Simard, Steinkraus & Platt (2003), section 2: every
// pixel gets a displacement drawn uniformly from [-1, 1] per axis; the two
// fields are convolved with a Gaussian of standard deviation sigma (pixels)
// and multiplied by alpha. Large sigma gives smooth, pen-like warps; small
// sigma gives noise. The Gaussian is separable, applied as a row then a column
// pass with zero padding.
void Augmenter::elasticField(int w, int h, float alpha, float sigma, std::mt19937_64& rng)
{
    const std::size_t n = std::size_t(w) * std::size_t(h);
    for (std::size_t i = 0; i < n; ++i)
        m_dx[i] = uniform(rng, -1.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i)
        m_dy[i] = uniform(rng, -1.0f, 1.0f);

    const int r = std::max(1, int(std::ceil(3.0f * sigma)));
    m_kernel.resize(std::size_t(2 * r + 1));
    float sum = 0.0f;
    for (int k = -r; k <= r; ++k) {
        const float v = std::exp(-0.5f * float(k * k) / (sigma * sigma));
        m_kernel[std::size_t(k + r)] = v;
        sum += v;
    }
    // Normalised to unit sum, then scaled by alpha once here, not per pixel.
    for (float& v : m_kernel)
        v *= std::sqrt(alpha) / sum;  // two passes: sqrt(alpha)^2 = alpha
    const float* kern = m_kernel.data() + r;

    for (std::vector<float>* field : {&m_dx, &m_dy}) {
        float* f = field->data();
        float* t = m_b.data();  // free until the warp that follows
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                float acc = 0.0f;
                const int k0 = std::max(-r, -x), k1 = std::min(r, w - 1 - x);
                for (int k = k0; k <= k1; ++k)
                    acc += kern[k] * f[y * w + x + k];
                t[y * w + x] = acc;
            }
        for (int y = 0; y < h; ++y) {
            const int k0 = std::max(-r, -y), k1 = std::min(r, h - 1 - y);
            for (int x = 0; x < w; ++x) {
                float acc = 0.0f;
                for (int k = k0; k <= k1; ++k)
                    acc += kern[k] * t[(y + k) * w + x];
                f[y * w + x] = acc;
            }
        }
    }
}

void Augmenter::filter3x3(const float* src, float* dst, int w, int h, bool dilate)
{
    // Separable: a 3x3 max (min) is a 1x3 max (min) of a 3x1 max (min).
    // Pixels outside the image are ignored rather than padded.
    float* t = m_dx.data();
    auto pick = [dilate](float a, float b) { return dilate ? std::max(a, b) : std::min(a, b); };
    for (int y = 0; y < h; ++y) {
        const float* s = src + y * w;
        float* o = t + y * w;
        for (int x = 0; x < w; ++x) {
            float v = s[x];
            if (x > 0)
                v = pick(v, s[x - 1]);
            if (x + 1 < w)
                v = pick(v, s[x + 1]);
            o[x] = v;
        }
    }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float v = t[y * w + x];
            if (y > 0)
                v = pick(v, t[(y - 1) * w + x]);
            if (y + 1 < h)
                v = pick(v, t[(y + 1) * w + x]);
            dst[y * w + x] = v;
        }
}

// Stroke thickness by grey-scale morphology (Serra 1982, "Image Analysis and
// Mathematical Morphology"): a 3x3 max filter is a dilation that thickens
// bright strokes by one pixel per side, a min filter an erosion that thins
// them. Pens and canvases differ in width far more than MNIST's scanned
// strokes do; blending in a fractional step makes the width continuous.
void Augmenter::thickness(float* img, int w, int h, float t)
{
    grow(w, h);
    if (t == 0.0f)
        return;
    const bool dilate = t > 0.0f;
    const float amount = std::abs(t);
    const int steps = int(std::floor(amount));
    const float frac = amount - float(steps);
    const std::size_t n = std::size_t(w) * std::size_t(h);
    float* step = m_dy.data();
    for (int s = 0; s < steps; ++s) {
        filter3x3(img, step, w, h, dilate);
        std::memcpy(img, step, sizeof(float) * n);
    }
    if (frac > 0.0f) {
        filter3x3(img, step, w, h, dilate);
        for (std::size_t i = 0; i < n; ++i)
            img[i] += frac * (step[i] - img[i]);
    }
}

void Augmenter::applyDrawn(const float* src, float* dst, int w, int h, const AugmentDraw& d)
{
    grow(w, h);
    affine(src, m_a.data(), w, h, d.rotationDeg, d.scale, d.shearDeg, d.shiftX, d.shiftY);
    thickness(m_a.data(), w, h, d.thickness);
    const std::size_t n = std::size_t(w) * std::size_t(h);
    for (std::size_t i = 0; i < n; ++i)
        dst[i] = std::clamp(m_a[i] * d.contrast, 0.0f, 1.0f);
}

void Augmenter::apply(const float* src, float* dst, int w, int h, const AugmentParams& params, std::uint64_t seed)
{
    const std::size_t n = std::size_t(w) * std::size_t(h);
    if (!params.enabled) {
        std::memcpy(dst, src, sizeof(float) * n);
        return;
    }
    grow(w, h);
    // One engine seeded from `seed` alone: the same (params, seed) gives the
    // same image on any thread, in the trainer and in the GUI preview.
    std::mt19937_64 rng(seed);
    const AugmentDraw d = drawFrom(params, rng);

    affine(src, m_a.data(), w, h, d.rotationDeg, d.scale, d.shearDeg, d.shiftX, d.shiftY);
    float* cur = m_a.data();

    if (params.elasticAlpha > 0.0f) {
        elasticField(w, h, params.elasticAlpha, params.elasticSigma, rng);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const int i = y * w + x;
                m_b[std::size_t(i)] = sampleBilinear(m_a.data(), w, h, float(x) + m_dx[std::size_t(i)],
                                                     float(y) + m_dy[std::size_t(i)]);
            }
        cur = m_b.data();
    }

    thickness(cur, w, h, d.thickness);

    // Contrast: a fainter pen or scan; no paper, MNIST's own strokes vary this
    // way. Additive Gaussian noise: training with noise acts as a regulariser
    // (Bishop 1995, "Training with noise is equivalent to Tikhonov
    // regularization"). Then back to [0, 1].
    if (params.noiseStd > 0.0f) {
        for (std::size_t i = 0; i < n; ++i)
            dst[i] = std::clamp(cur[i] * d.contrast + params.noiseStd * gaussian(rng), 0.0f, 1.0f);
    } else {
        for (std::size_t i = 0; i < n; ++i)
            dst[i] = std::clamp(cur[i] * d.contrast, 0.0f, 1.0f);
    }
}

}  // namespace nn
