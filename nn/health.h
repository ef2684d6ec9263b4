#pragma once
// Training health (issue 16): what a person needs to see vanishing or
// exploding gradients and dying ReLUs happen while a network trains. Per
// layer with parameters: the norm of its gradient for the batch just
// stepped, the RMS of its weights, and histograms of both; per ReLU: the
// fraction of its units that are zero for every image of a probe batch
// ("dead"). The trainer measures it every TrainConfig::healthIntervalSec
// and hands it out with the batch report (BatchReport::health).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nn {

class Model;
struct Dataset;

struct Histogram {
    float lo = 0, hi = 0;     // the range the bins cover (all values fall inside)
    std::vector<int> counts;  // equal-width bins
    // bins >= 1; an empty or constant input gives one populated bin.
    static Histogram of(const float* values, std::size_t n, int bins);
    int total() const;
};

struct LayerHealth {
    std::size_t layer = 0;  // in the model's spec
    std::string spec;
    // Layers with trainable parameters (conv, dense, batchnorm's scale and shift):
    std::size_t parameters = 0;
    double gradNorm = -1;   // L2 norm of the layer's gradient; -1 for a layer without parameters
    double weightRms = -1;  // root mean square of its parameters
    Histogram weights, grads;
    // ReLU layers: the fraction of units zero for every probe image; -1 otherwise.
    double dead = -1;
};

struct TrainingHealth {
    long long step = 0;
    int epoch = 0;
    std::vector<LayerHealth> layers;  // the layers with parameters and the ReLUs, in spec order
    int probeImages = 0;              // how many images the dead-ReLU count used
    std::string probe;                // "validation" or "training"
};

// The gradient norm of each layer over a run, for a chart: one series per
// layer with parameters (by spec index), at most `capacity` points each --
// when full, every other point is dropped, so a long run keeps its whole
// shape at half the resolution.
class HealthHistory {
public:
    struct Series {
        std::size_t layer = 0;
        std::string spec;
        std::vector<long long> steps;
        std::vector<double> gradNorms;
    };
    explicit HealthHistory(std::size_t capacity = 400) : m_capacity(capacity < 2 ? 2 : capacity) {}
    void add(const TrainingHealth& health);
    void clear() { m_series.clear(); }
    const std::vector<Series>& series() const { return m_series; }

private:
    std::size_t m_capacity;
    std::vector<Series> m_series;
};

// grads: the gradient of the last batch in model.params()' layout (a Net's
// grads(); statistics slots are ignored). probe: images to count dead ReLUs
// on (the first probeImages of it; nullptr or 0: not counted).
TrainingHealth measureHealth(const Model& model, const std::vector<float>& grads, const Dataset* probe,
                             int probeImages, int bins = 32);

// Per spec layer: for a ReLU, the fraction of its units that are zero (not
// positive) for every one of the first `images` images of `data`; -1 for
// other layers.
std::vector<double> deadReluFractions(const Model& model, const Dataset& data, int images);

}  // namespace nn
