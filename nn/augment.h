#pragma once
// Data augmentation for 28x28 (or any size) grey images in [0, 1], ink bright.
// Every transformation is driven by one seed, so the same seed and parameters
// always give the same image -- the GUI preview and the trainer call this
// same code and must agree pixel for pixel.
#include <cstdint>
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
    // Throws Error with the offending key on bad input.
    static AugmentParams parse(const std::string& text);
    std::string toString() const;
};

// Holds scratch buffers; one per thread. Not thread-safe itself.
class Augmenter {
public:
    // src and dst are w*h floats (may not alias). Deterministic in (params, seed).
    void apply(const float* src, float* dst, int w, int h, const AugmentParams& params, std::uint64_t seed);

private:
    std::vector<float> m_a, m_b, m_dx, m_dy, m_kernel;
};

}  // namespace nn
