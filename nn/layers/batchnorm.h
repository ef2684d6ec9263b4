#pragma once
// Batch normalisation (Ioffe & Szegedy 2015). After a conv it normalises each
// channel over (n, h, w); after a dense layer each unit over n. Training uses
// the batch's statistics and ADDS the batch mean and variance into the
// gradient slots of the running statistics; Model::applyStatistics() folds
// them into the running averages after the gradients of all sub-batches have
// been summed. Inference uses the running averages.
//
// When a batch is split across threads (one Net per thread, the Trainer),
// each thread's BatchNorm sums its share and setReducer()'s AllReduce makes
// the sums the whole batch's: the batch statistics, and in backward the sums
// that couple the samples, do not depend on the number of threads.
#include "layer.h"

namespace nn {

class AllReduce;

class BatchNorm final : public Layer {
public:
    explicit BatchNorm(float momentum = 0.1f, float eps = 1e-5f) : m_momentum(momentum), m_eps(eps) {}
    std::string kind() const override { return "batchnorm"; }
    std::string spec() const override { return "batchnorm"; }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<BatchNorm>(*this); }
    std::vector<ParamSpec> params() const override;
    float momentum() const { return m_momentum; }
    float eps() const { return m_eps; }
    // Inference as a per-channel affine map y = x * scale[c] + shift[c], from
    // the running statistics in `values` (gamma, beta, mean, var; C each).
    // What folding the layer into the preceding convolution uses.
    static void inferenceAffine(const float* values, int C, float eps, float* scale, float* shift);
    // Participant `t` of `reduce` (nullptr: this layer sees the whole batch).
    void setReducer(AllReduce* reduce, int t)
    {
        m_reduce = reduce;
        m_participant = t;
    }

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    void reduce(double* data, int n);
    static void inferenceAffine(const float* values, int C, float eps, float* scale, float* shift, int c);

    float m_momentum, m_eps;
    std::vector<float> m_xhat;    // normalised input of the last training batch
    std::vector<float> m_invStd;  // (C)
    std::vector<double> m_sums;   // (2C + 1) per-channel sums, shared across threads by m_reduce
    double m_count = 0;           // values per channel in the whole batch
    bool m_inferForward = false;  // the last forward used the running statistics
    AllReduce* m_reduce = nullptr;
    int m_participant = 0;
};

}  // namespace nn
