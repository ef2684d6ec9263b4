#pragma once
// Losses return their value and gradient together. Both take a `scale` that
// multiplies the gradient: pass 1/B for a batch of B split into sub-batches,
// so the sub-batch gradients sum to the gradient of the batch mean.
#include "tensor.h"

#include <cstdint>

namespace nn {

struct LossResult {
    double sum = 0.0;  // summed over the samples (divide by n for the mean)
    int correct = 0;   // samples whose arg-max output equals the label
};

// Softmax followed by cross-entropy, fused and numerically stable
// (log-sum-exp with the max subtracted). grad = scale * (softmax - onehot).
// With rows >= 0 only the first `rows` samples are scored (labels has that
// many); grad is still sized for all of them and the others are left as
// they were (uniformCrossEntropy fills them).
LossResult softmaxCrossEntropy(const Tensor& logits, const std::uint8_t* labels, Tensor& grad, float scale,
                               int rows = -1);

// Outlier exposure (Hendrycks, Mazeika & Dietterich 2019): the cross-entropy
// of the softmax against the uniform distribution over the K classes,
// L = logsumexp(z) - mean_k z_k, for the samples from `first` on;
// grad = scale * (softmax - 1/K). grad must already have logits' shape.
// LossResult::correct stays 0.
LossResult uniformCrossEntropy(const Tensor& logits, int first, Tensor& grad, float scale);

// Energy-margin outlier exposure (Liu, Wang, Owens & Li 2020, "Energy-based
// Out-of-distribution Detection", eq. 5), written with the score
// S(z) = logsumexp(z) (the negative free energy, what nn/notdigit thresholds):
// digits, samples [0, first), pay max(0, inMargin - S)^2 (their score is
// pushed up to inMargin), outliers, samples [first, n), pay
// max(0, S - outMargin)^2 (pushed down to outMargin). dS/dz = softmax(z), so
// the digits' rows get inScale * dL/dz ADDED to grad (which already holds
// their cross-entropy gradient) and the outliers' rows are SET to
// outScale * dL/dz. grad must already have logits' shape. Returns the summed
// penalties of each part.
struct EnergyMarginResult {
    double inSum = 0.0;   // digits' penalties, summed
    double outSum = 0.0;  // outliers' penalties, summed
};
EnergyMarginResult energyMargin(const Tensor& logits, int first, Tensor& grad, float inScale, float outScale,
                                float inMargin, float outMargin);

// Mean squared error against one-hot targets, summed over outputs, halved:
// L = 0.5 * sum_k (y_k - t_k)^2, grad = scale * (y - t).
LossResult mseOneHot(const Tensor& outputs, const std::uint8_t* labels, Tensor& grad, float scale);

// General MSE against dense targets (n * outputs values).
LossResult mse(const Tensor& outputs, const float* targets, Tensor& grad, float scale);

}  // namespace nn
