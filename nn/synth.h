#pragma once
// Synthetic training data drawn with a pen (nn/strokes.h) and made into the
// network's input by the pad's own preprocessing (nn/preprocess.h), so that
// what the trainer sees is what the pad would give the model:
//
// - digit styles MNIST's American writers rarely used (issue 15): a 1 with a
//   long up-stroke flag (a narrow ʌ), a 1 with a base serif, a 7 with a
//   crossbar, a 4 with an open top, a closed 4, a 9 with a straight stem and
//   a 2 with a loop at the bottom -- each varied per synthetic writer
//   (slant, rotation, width, wobble, where strokes start and end), pen width,
//   size and place;
// - things that are not digits, for outlier exposure (Hendrycks, Mazeika &
//   Dietterich 2019, "Deep Anomaly Detection with Outlier Exposure"): letters
//   drawn as strokes, shapes, scribbles, hatching and crossed-out digits. The
//   trainer pushes the model's softmax towards uniform on them
//   (TrainConfig::outlierBatch), which lowers their energy score
//   (nn/notdigit.h).
//
// Everything derives from the seed: the same seed gives the same images.
#include "data/dataset.h"
#include "strokes.h"

#include <array>
#include <cstdint>
#include <vector>

namespace nn {

enum class DigitStyle { FlagOne, SerifOne, CrossedSeven, OpenFour, ClosedFour, StraightNine, LoopTwo };
inline constexpr std::array<DigitStyle, 7> kDigitStyles{DigitStyle::FlagOne,      DigitStyle::SerifOne,
                                                        DigitStyle::CrossedSeven, DigitStyle::OpenFour,
                                                        DigitStyle::ClosedFour,   DigitStyle::StraightNine,
                                                        DigitStyle::LoopTwo};
// "1 with a long flag", ...
const char* styleName(DigitStyle s);
// The digit the style writes.
int styleDigit(DigitStyle s);

// A synthetic writer: how a hand shapes every glyph.
struct Hand {
    float slant = 0;      // x shifted by -slant * y (right-leaning when positive)
    float rotate = 0;     // radians
    float width = 0.6f;   // the glyph box's width over its height
    float wobble = 0.01f; // smooth per-point displacement, in box heights
    std::array<float, 6> r{};  // style parameters in [0, 1): where strokes start and end
    std::uint64_t seed = 0;
    // A writer drawn from `seed` (mostly right-leaning, as people write).
    static Hand random(std::uint64_t seed);
};

// The style's strokes in a unit box (y down, height 1, x in about [0, 1]),
// shaped by the writer's style parameters, before slant and wobble.
strokes::Glyph styleSkeleton(DigitStyle s, const std::array<float, 6>& r);
// A glyph as the hand writes it: box width scaled by hand.width * narrow,
// wobbled, slanted and rotated around the box centre.
strokes::Glyph applyHand(const strokes::Glyph& skeleton, const Hand& hand, float narrow = 1.0f);
// styleSkeleton through applyHand (1s narrower, as written).
strokes::Glyph styleGlyph(DigitStyle s, const Hand& hand);

// One non-digit, its kind chosen by the seed: a letter (A C E F H K M N P R
// T U V W X Y, a e h m n r t u), a shape (ellipse, rectangle, triangle,
// polygon, star, heart, spiral, arrow, plus, grid, zig-zag, wave, face,
// check mark, infinity sign), a scribble (a smooth curve through random
// points), hatching at a random angle, or a crossed-out digit style.
strokes::Glyph outlierGlyph(std::uint64_t seed);

// How a glyph is put on a square page: its larger side (or its height, for
// digits) is `size` of the page, the pen `pen` pixels wide, its box at
// (placeX, placeY) of the room left (0..1 each).
struct PenPlacement {
    int canvas = 280;
    float pen = 14.0f;
    float size = 0.6f;
    float placeX = 0.5f, placeY = 0.5f;
    bool byHeight = true;  // scale by the height (digits) or by the larger side (shapes)
};
// The page's ink coverage (canvas * canvas values in [0, 1], ink bright).
std::vector<float> drawGlyph(const strokes::Glyph& g, const PenPlacement& p);
// A random placement from `seed`: pen 4-22% of the ink height (at least
// 2 px), ink 30-90% of the page.
PenPlacement randomPlacement(std::uint64_t seed, int canvas = 280);

// `count` images of the digit styles in turn, each by its own writer and
// placement from `seed`, drawn on a 280 px page and preprocessed as the pad
// does. Labels are the styles' digits. threads 0: all hardware threads.
Dataset synthesizeStyles(int count, std::uint64_t seed, int threads = 0);
// `count` non-digits (outlierGlyph), drawn and preprocessed the same way
// (scaled by their larger side, the pen 0.6 times as wide).
// Their labels are meaningless (0): the trainer ignores them.
Dataset synthesizeOutliers(int count, std::uint64_t seed, int threads = 0);

}  // namespace nn
