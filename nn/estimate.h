#pragma once
// How long training will take on this machine, before it starts. The rate is
// measured, not assumed: a few training steps of a small reference network
// are timed once per process, which gives forward multiply-adds per second
// per thread; a model's epoch then costs (3 x forward) per training image
// (forward, backward to the inputs and to the weights) and 1 x forward per
// validation image.
namespace nn {

// Measured on the first call (about 0.1 s on one thread), then cached.
double measuredMacsPerThread();

// Seconds per epoch of a model with `flopsPerSample` forward multiply-adds
// per image. macsPerThread <= 0: measuredMacsPerThread().
double estimateEpochSeconds(double flopsPerSample, double trainImages, double validationImages, int threads,
                            double macsPerThread = 0);

}  // namespace nn
