#pragma once
// Reliability of a classifier's confidence: do samples predicted with 80%
// confidence turn out right 80% of the time? Confidences (the probability of
// the predicted class) are grouped into equal-width bins; each bin compares
// its mean confidence with its accuracy. The expected calibration error is
// the sample-weighted mean gap (Naeini, Cooper & Hauskrecht 2015, "Obtaining
// Well Calibrated Probabilities Using Bayesian Binning"; reliability diagrams
// as in Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural
// Networks", section 2).
#include <cstdint>
#include <vector>

namespace nn {

struct Evaluation;

struct ReliabilityBin {
    double lower = 0, upper = 0;  // the bin covers (lower, upper]; the first bin also holds 0
    int count = 0;
    int correct = 0;
    double meanConfidence = 0;    // 0 when empty
    double accuracy = 0;          // correct / count, 0 when empty
    double gap() const { return accuracy - meanConfidence; }  // < 0: over-confident
};

struct Calibration {
    std::vector<ReliabilityBin> bins;
    int total = 0;
    double ece = 0;   // sum over bins of count/total * |accuracy - meanConfidence|
    double mce = 0;   // largest |accuracy - meanConfidence| over non-empty bins
    double meanConfidence = 0, accuracy = 0;  // over all samples
};

// confidences[i] in [0, 1] (values outside are clamped); correct[i] != 0 when
// sample i was classified correctly. Bin m of M covers ((m)/M, (m+1)/M].
// Throws ShapeError when the sizes differ or bins < 1.
Calibration calibration(const std::vector<float>& confidences, const std::vector<std::uint8_t>& correct, int bins = 10);
// Confidence = the largest of each sample's probabilities.
Calibration calibration(const Evaluation& e, int bins = 10);

// The bin (0..bins-1) a confidence falls into (in float arithmetic, so that
// 0.8f with 5 bins is in (0.6, 0.8], not (0.8, 1]).
int calibrationBin(float confidence, int bins);

// Temperature scaling (Guo, Pleiss, Sun & Weinberger 2017, section 4.2): one
// scalar T divides every logit, softmax(z / T); it leaves the arg-max (and so
// the accuracy) alone and changes only how confident the probabilities are.
// The mean negative log-likelihood of `labels` under softmax(z / T);
// logits: n * classes.
double temperatureNll(const float* logits, const std::uint8_t* labels, int n, int classes, double temperature);
// The T in [0.05, 20] that minimises temperatureNll (the NLL is convex in
// 1/T, so a golden-section search over log T finds the one minimum).
// Throws ShapeError when n < 1 or classes < 2.
double fitTemperature(const float* logits, const std::uint8_t* labels, int n, int classes);
// calibration(e) of the evaluation's probabilities after temperature T:
// log p is z up to a constant per sample, so softmax(log p / T) is the
// temperature-scaled softmax (probabilities below 1e-30 count as 1e-30).
Calibration calibrationAtTemperature(const Evaluation& e, double temperature, int bins = 10);

}  // namespace nn
