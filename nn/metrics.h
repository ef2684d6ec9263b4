#pragma once
// Classification metrics, all derived from one evaluation result.
#include <array>
#include <functional>
#include <cstdint>
#include <string>
#include <vector>

namespace nn {

class Model;
struct Dataset;

inline constexpr int kClasses = 10;

struct Evaluation {
    std::vector<std::uint8_t> labels;       // true label per sample
    std::vector<std::uint8_t> predictions;  // arg-max per sample
    std::vector<float> probabilities;       // n * kClasses
    double loss = 0.0;                      // mean cross-entropy
    int size() const { return static_cast<int>(labels.size()); }
};

struct ClassMetrics {
    double precision = 0, recall = 0, f1 = 0;
    int support = 0;  // true samples of the class
};

struct Metrics {
    double accuracy = 0;
    std::array<std::array<int, kClasses>, kClasses> confusion{};  // [true][predicted]
    std::array<ClassMetrics, kClasses> perClass{};
    ClassMetrics macro;     // unweighted mean over classes (support = total)
    ClassMetrics weighted;  // support-weighted mean
};

struct Misclassified {
    int index;        // into the evaluated set
    int label;
    int predicted;
    float confidence; // probability of the predicted class
    std::array<float, kClasses> probabilities;
};

// Runs the model over the whole set in parallel chunks. progress(done, total)
// may be called from the calling thread between chunks; returning false from
// it cancels (the result then holds the samples done so far).
Evaluation evaluate(const Model& model, const Dataset& data, int threads = 0,
                    const std::function<bool(int, int)>& progress = {});

Metrics computeMetrics(const std::vector<std::uint8_t>& labels, const std::vector<std::uint8_t>& predictions);
Metrics computeMetrics(const Evaluation& e);
std::vector<Misclassified> misclassified(const Evaluation& e);

// Text forms used by the CLI.
std::string formatConfusion(const Metrics& m);
std::string formatPerClass(const Metrics& m);
std::string metricsJson(const Metrics& m, double loss);

}  // namespace nn
