#pragma once
// "Is this a digit at all?" A classifier trained on digits gives every input
// ten probabilities that sum to one, so a letter or a smiley gets a confident
// digit too. This scores how much an input looks like what the model was
// trained on and flags the inputs that score below a threshold.
//
// The score is the negative free energy of the temperature-scaled logits,
//   score(x) = T * log sum_k exp(z_k(x) / T),
// (Liu, Wang, Owens & Li 2020, "Energy-based Out-of-distribution Detection"):
// unlike the largest softmax probability it keeps the logits' magnitude, which
// a softmax normalises away. T is the temperature of temperature scaling
// (Guo et al. 2017, fitTemperature() in calibration.h), fitted on validation
// digits; the threshold is the score below which a chosen small fraction of
// those same validation digits falls (by default 1%), so the false-rejection
// rate on digits is set in advance and the detection rate on non-digits is
// whatever the model gives. Both are stored in the model's metadata.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nn {

class Model;
struct Dataset;

// Metadata keys of a model file that carry the fitted values.
inline constexpr const char* kTemperatureKey = "calibration_temperature";
inline constexpr const char* kNotDigitThresholdKey = "not_digit_threshold";
inline constexpr const char* kNotDigitRateKey = "not_digit_validation_rate";
inline constexpr const char* kCalibrationDataKey = "calibration_data";

struct NotDigitCalibration {
    double temperature = 1.0;
    double threshold = 0.0;      // score < threshold: not a digit
    double validationRate = 0;   // fraction of the validation digits below the threshold
    int samples = 0;             // validation digits it was fitted on
    std::string data;            // which digits, for the metadata ("MNIST test, tuning half (5,000)")
};

// T * logsumexp(logits / T) over `classes` logits. Higher: more digit-like.
double digitScore(const float* logits, int classes, double temperature);

// Fits the temperature on (logits, labels) by minimising the NLL, then the
// threshold so that a fraction `flagRate` (in [0, 0.5]) of these samples
// scores below it (the rate-quantile of their scores). n >= 20.
// logits: n * classes. Throws ShapeError on bad sizes or rates.
NotDigitCalibration fitNotDigit(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                                int classes, double flagRate = 0.01);

// The model's logits for every image of `data` (n * model.outputs()), the
// images as Dataset::imageAsFloat gives them (MNIST input, no preprocessing).
// threads 0: one per hardware thread.
std::vector<float> datasetLogits(const Model& model, const Dataset& data, int threads = 0);

// fitNotDigit on the model's logits for `validation`.
NotDigitCalibration calibrateNotDigit(const Model& model, const Dataset& validation, double flagRate = 0.01,
                                      int threads = 0);

// The halves of the MNIST test set the calibration uses: the model files
// DigitPad trains (the default model too) may have seen every training
// image, so the validation digits are a fixed, seeded half of the test set
// ("tuning"), and rates are reported on the other half ("held out"), which
// is never tuned on. Returns {tuning, heldOut}.
std::pair<Dataset, Dataset> calibrationHalves(const Dataset& mnistTest);

// Writes / reads the metadata keys above. readNotDigit returns nullopt when
// the model carries no (or no usable) calibration: such a model never says
// "not a digit".
void storeNotDigit(Model& model, const NotDigitCalibration& c);
std::optional<NotDigitCalibration> readNotDigit(const Model& model);

// The decision: the score of these logits is below the threshold.
bool isNotDigit(const float* logits, int classes, const NotDigitCalibration& c);

// What the pad and `predict` need from one input: the probabilities
// (softmax of the raw logits, as Model::predict gives them), the score and
// the decision (false when the model has no calibration).
struct DigitReading {
    std::vector<float> probabilities;
    double score = 0;
    bool calibrated = false;
    bool notDigit = false;
};
DigitReading readDigit(const Model& model, const float* input);

}  // namespace nn
