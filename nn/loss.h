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
LossResult softmaxCrossEntropy(const Tensor& logits, const std::uint8_t* labels, Tensor& grad, float scale);

// Mean squared error against one-hot targets, summed over outputs, halved:
// L = 0.5 * sum_k (y_k - t_k)^2, grad = scale * (y - t).
LossResult mseOneHot(const Tensor& outputs, const std::uint8_t* labels, Tensor& grad, float scale);

// General MSE against dense targets (n * outputs values).
LossResult mse(const Tensor& outputs, const float* targets, Tensor& grad, float scale);

}  // namespace nn
