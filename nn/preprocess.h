#pragma once
// Any grayscale drawing or image -> the 28x28 input, made the way MNIST was:
// auto-detect dark ink on a light background and invert; crop the ink's
// bounding box; scale it to fit 20x20 keeping its aspect ratio with
// area-averaging (grey edges kept, no re-binarising); place it in 28x28 so
// that its centre of mass sits at the centre (sub-pixel, bilinear).
// So that everyone's handwriting reads alike (issue 15): the ink's side is
// the page's extreme farther from the paper, whatever the paper's brightness;
// under uneven light the paper level is followed across the page; specks and
// bands along the edge far from the digit are left out (the digit's own
// separate strokes stay); thin pens' faint hairlines are brought to full
// strength and thickened towards MNIST's stroke width.
// The canvas, `digitpad-cli predict` and the tests all use this one function.
#include <array>
#include <cstdint>
#include <vector>

namespace nn {

struct PreprocessOptions {
    float inkThreshold = 0.08f;  // |pixel - background| below this is not ink (for the bounding box)
    int box = 20;                // the ink's larger side is scaled to this
    // -1: detect, 0: ink is bright, 1: ink is dark.
    int darkInk = -1;
    // Where the ink's centre of mass is put, in pixel-index coordinates (pixel
    // i's centre is at i): sum(i * v) / sum(v). MNIST's digits measure 14.0 on
    // average (uniform in 13.5..14.5 from its whole-pixel translation; all
    // 70000 checked), i.e. 14.5 if pixel i spans [i, i+1).
    float centre = 14.0f;
};

struct PreprocessResult {
    bool empty = true;              // no ink found: nothing to predict
    bool inverted = false;          // the input was dark-on-light
    std::array<float, 28 * 28> input{};  // the network's input, [0,1], ink bright
    // Where things were, in source pixel coordinates:
    int boxX = 0, boxY = 0, boxW = 0, boxH = 0;  // ink bounding box
    float comX = 0, comY = 0;       // ink centre of mass (pixel i spans [i, i+1))
    float scale = 1.0f;             // source pixels -> output pixels
    float shiftX = 0, shiftY = 0;   // centring shift in the 28x28 field, from the box centred there
};

// gray: w*h values in [0,1] (0 black, 1 white), row-major.
PreprocessResult preprocess(const float* gray, int w, int h, const PreprocessOptions& options = {});
// Same for 8-bit grey (0 black, 255 white).
PreprocessResult preprocess(const std::uint8_t* gray, int w, int h, const PreprocessOptions& options = {});
// The page's ink as preprocess() reads it, pixel by pixel: polarity, paper
// level and uneven light taken out, so that 0 is paper and 1 full ink
// whatever the page (for splitting a written number into its digits,
// nn/number.h). mask[i] is 1 where ink[i] counts as ink (the bounding box's
// threshold).
struct InkImage {
    int w = 0, h = 0;
    bool inverted = false;  // the input was dark-on-light
    std::vector<float> ink;
    std::vector<std::uint8_t> mask;
};
InkImage inkImage(const float* gray, int w, int h, const PreprocessOptions& options = {});
InkImage inkImage(const std::uint8_t* gray, int w, int h, const PreprocessOptions& options = {});

// A 28x28 network input taken as it is (an MNIST sample, a perturbed image):
// values in [0,1], ink bright; the geometry is the identity (the whole field
// is the box, scale 1, no shift), empty when no pixel is above 0.
PreprocessResult asIs(const float* input28x28);

}  // namespace nn
