#pragma once
// How long training will take on this machine, before it starts. The rate is
// measured, not assumed: a few training steps of a small reference network
// are timed once per process, which gives forward multiply-adds per second
// per thread; a model's epoch then costs (3 x forward) per training image
// (forward, backward to the inputs and to the weights) and 1 x forward per
// validation image.
namespace nn {

// Throughput smoothed over measurements: an exponentially weighted moving
// average, value = (1 - weight) * value + weight * rate, so that a single
// measurement taken while another program was busy (or the machine was
// idle) moves the estimate only part of the way, and successive estimates
// do not swing with each run (1.7 s, then 9.1 s per epoch). The first
// measurement sets the value; rates that are not positive and finite are
// ignored.
class SmoothedRate {
public:
    explicit SmoothedRate(double weight, double initial = 0);
    void add(double rate);
    double value() const { return m_value; }  // 0 before any measurement
    bool empty() const { return m_value <= 0; }

private:
    double m_weight;
    double m_value;
};

// Measured on the first call (about 0.1 s on one thread), then cached.
double measuredMacsPerThread();

// Seconds per epoch of a model with `flopsPerSample` forward multiply-adds
// per image. macsPerThread <= 0: measuredMacsPerThread().
double estimateEpochSeconds(double flopsPerSample, double trainImages, double validationImages, int threads,
                            double macsPerThread = 0);

}  // namespace nn
