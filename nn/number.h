#pragma once
// Numbers, not only digits (issue 15): a drawing or a photo of "42" is split
// into its digits, each read by the model, and the number is the digits left
// to right.
//
// How it splits (recognition-driven segmentation, as handwritten ZIP codes
// and cheques have long been read):
//  1. The page's ink as preprocess() sees it (nn::inkImage: any polarity,
//     grey paper, uneven light).
//  2. Connected pieces of ink (8-neighbours, a gap of one pixel bridged),
//     specks left out. Pieces one above the other (a 5's flag over its body,
//     the bar of a 7, a broken 4) form one group: they share most of their
//     columns.
//  3. Each group is read as one digit or cut into 2-4 where the ink is
//     thinnest (touching digits): along straight lines, upright or slanted,
//     and for two digits also along least-ink paths from the group's top to
//     its bottom that bend around the strokes (a thick 1 touching a 6 at one
//     point). Adjacent narrow groups may also be read
//     together as one digit (a digit broken side by side). Every way of
//     reading the row is scored by the model itself: the sum of the log
//     confidences of its digits, each reading's pieces preprocessed exactly as
//     a single drawn digit is. The best-scoring reading wins (dynamic
//     programming over the groups).
// The pad and `digitpad-cli predict --number` both call readNumber.
#include "notdigit.h"
#include "preprocess.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nn {

class Model;

struct NumberOptions {
    PreprocessOptions preprocess;  // polarity, ink threshold (darkInk -1: detected)
    int maxDigits = 16;            // more pieces than this: read as the first maxDigits
    // Pieces with less ink than this share of the heaviest one, and far from
    // it, are specks.
    float speckShare = 0.04f;
    // What a reading pays, in log-confidence units, for each cut through a
    // connected piece of ink and for each merge of two groups into one digit:
    // a single digit cut in two often reads as two confident digits (a 0 as
    // "( )"), so a cut must buy a clearly better reading. Tuned on numbers
    // made of the MNIST test set's tuning half (bench_number --set tuning),
    // never on the held-out half that test_number reads.
    double cutPenalty = 0.0;
    double mergePenalty = 0.0;
    // A digit's score is log(confidence) plus energyWeight * (its
    // not-a-digit score - energyReference) when the model is calibrated
    // (nn/notdigit.h): the softmax saturates (a 1 and a 4 touching read as
    // "4" at 100%, and as "1", "4" at 100% each), the energy still tells a
    // well-formed digit from a blob of two.
    double energyWeight = 0.3;
    double energyReference = 14.0;
    // What a digit pays when it is shorter than shortLimit times the
    // writing's height (the median piece's): a 5's flag written apart, the
    // end of a broken stem, read on its own as a confident "1" or "2".
    double shortPenalty = 2.0;
    double shortLimit = 0.55;
};

struct NumberDigit {
    int x = 0, y = 0, w = 0, h = 0;  // the digit's ink box, in source pixels
    PreprocessResult input;          // its 28x28 input
    DigitReading reading;            // probabilities, not-a-digit
    int digit = -1;                  // the most probable class
    float confidence = 0;            // its probability
};

struct NumberReading {
    bool empty = true;      // no ink
    bool inverted = false;  // dark ink on light paper
    std::vector<NumberDigit> digits;  // left to right
    // The digits as text, "407": each the most probable class.
    std::string text;
    double confidence = 0;  // the product of the digits' confidences
    // How many of the digits score as no digit (DigitReading::notDigit): the
    // pad marks them, `predict --number` names them. A number is read as
    // digits even so: a 1% false-rejection rate per digit would spoil 3% of
    // 3-digit numbers.
    int notDigits = 0;
};

// gray: w*h values in [0,1] (0 black, 1 white), row-major; or 8-bit grey.
NumberReading readNumber(const Model& model, const float* gray, int w, int h, const NumberOptions& options = {});
NumberReading readNumber(const Model& model, const std::uint8_t* gray, int w, int h,
                         const NumberOptions& options = {});

}  // namespace nn
