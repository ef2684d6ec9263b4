#pragma once
// Data augmentation for 28x28 (or any size) grey images in [0, 1], ink bright.
// Every transformation is driven by one seed, so the same seed and parameters
// always give the same image -- the GUI preview and the trainer call this
// same code and must agree pixel for pixel.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace nn {

struct AugmentParams {
    bool enabled = false;
    float rotationDeg = 0.0f;      // uniform in [-r, r]
    float scaleMin = 1.0f, scaleMax = 1.0f;  // isotropic scale, uniform
    float shiftPx = 0.0f;          // uniform in [-s, s] on each axis
    float shearDeg = 0.0f;         // horizontal shear angle, uniform in [-s, s]
    // Elastic distortion (Simard, Steinkraus & Platt 2003): random displacement
    // fields smoothed by a Gaussian of sigma pixels and scaled by alpha pixels.
    float elasticAlpha = 0.0f, elasticSigma = 4.0f;
    // Stroke thickness: grey dilation (>0) or erosion (<0) by up to this many
    // pixels, with a random fractional amount blended in.
    float thicknessMin = 0.0f, thicknessMax = 0.0f;
    float contrastMin = 1.0f, contrastMax = 1.0f;  // multiplies ink intensity
    float noiseStd = 0.0f;         // additive Gaussian noise, clipped to [0,1]

    // The mild, drawing-oriented defaults used for the shipped model.
    static AugmentParams standard();
    // "rot=10,scale=0.9:1.1,shift=2,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05"
    // Keys may be given in any subset; others keep their standard() values.
    // A range key given one value ("scale=1.2") fixes it; "elastic=8" keeps
    // the standard sigma. "none" or "off" disables augmentation; "" and
    // "standard" give standard(). Throws Error with the offending key on bad input.
    static AugmentParams parse(const std::string& text);
    // Always lists every key (or "none" when disabled); parse(toString()) == *this.
    std::string toString() const;

    bool operator==(const AugmentParams&) const = default;
};

// One numeric setting of AugmentParams. The table of all twelve drives
// parse() and toString(), the training panel's form and the augmentation
// preview's sliders, so that they can never disagree.
struct AugmentField {
    // The key in the text form ("rot", "scale", "elastic"...). A key with two
    // fields (a range, or elastic's alpha:sigma) has part 0 and part 1.
    const char* key;
    int part;
    enum Kind {
        Single,    // key=v
        Range,     // key=lo:hi, or key=v for lo = hi = v
        Optional,  // key=a[:b]; a alone keeps b
    } kind;
    float AugmentParams::*member;
    float min, max, step;  // what the GUI offers (forms and sliders)
    int decimals;
    // What parse() accepts: [validMin, validMax], a bound excluded when its
    // flag is set; failing it gives "<why>".
    float validMin, validMax;
    bool minExcluded, maxExcluded;
    const char* why;
    const char* label;  // "Rotation ±"
    const char* row;    // the form row a pair shares: "Scale"; a single's own label
    const char* unit;   // "°", " px" or ""
    const char* paper;  // where the transformation comes from
};
// The twelve fields in the order of the text form.
const std::vector<AugmentField>& augmentFields();
// The field of a member (nullptr for `enabled`).
const AugmentField* augmentField(float AugmentParams::*member);

// The seed of sample `index`'s augmentation in epoch `epoch` of a run with
// this seed: what the trainer uses, and what the preview shows.
std::uint64_t augmentSeed(std::uint64_t seed, int epoch, int index);

// The concrete values drawn for one image -- what apply() does besides the
// elastic field and the noise. Exposed for tests and the GUI's readout.
struct AugmentDraw {
    float rotationDeg = 0.0f;
    float scale = 1.0f;
    float shearDeg = 0.0f;
    float shiftX = 0.0f, shiftY = 0.0f;
    float thickness = 0.0f;
    float contrast = 1.0f;
};

// Holds scratch buffers; one per thread. Not thread-safe itself.
class Augmenter {
public:
    // src and dst are w*h floats (may not alias). Deterministic in (params, seed).
    void apply(const float* src, float* dst, int w, int h, const AugmentParams& params, std::uint64_t seed);

    // The values apply() draws for this seed (they come first in its random stream).
    static AugmentDraw draw(const AugmentParams& params, std::uint64_t seed);
    // The deterministic part with explicit values: affine, thickness, contrast,
    // clamp. apply() == this plus the elastic field and noise.
    void applyDrawn(const float* src, float* dst, int w, int h, const AugmentDraw& d);

    // Scale, then horizontal shear, then rotation, all about the image centre,
    // then a shift (pixels); bilinear, zero outside. src and dst may not alias.
    static void affine(const float* src, float* dst, int w, int h, float rotationDeg, float scale, float shearDeg,
                       float shiftX, float shiftY);
    // Grey dilation (t > 0) or erosion (t < 0) of img in place by |t| steps of
    // a 3x3 max/min filter, the fractional part blended. Uses this object's scratch.
    void thickness(float* img, int w, int h, float t);

private:
    void grow(int w, int h);
    // One 3x3 max (dilate) or min filter step from src into dst.
    void filter3x3(const float* src, float* dst, int w, int h, bool dilate);
    // Elastic displacement field (Simard et al. 2003) drawn from rng into m_dx/m_dy.
    void elasticField(int w, int h, float alpha, float sigma, std::mt19937_64& rng);

    std::vector<float> m_a, m_b, m_dx, m_dy, m_kernel;
};

}  // namespace nn
