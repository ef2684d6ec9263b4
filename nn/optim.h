#pragma once
// Optimizers over the model's flat parameter buffer. State is kept by
// parameter index (not by address), so it can be saved in a checkpoint and
// restored into a fresh model. Statistics parameters (BatchNorm running
// averages) are never touched; weight decay applies only to weights.
#include "model.h"

#include <string>
#include <vector>

namespace nn {

struct OptimizerConfig {
    enum Kind { SGD, Adam, AdamW, RMSprop };
    Kind kind = Adam;
    float momentum = 0.9f;     // SGD; RMSprop (0 there by default, see defaultMomentum)
    bool nesterov = false;     // SGD: Sutskever et al. 2013 formulation
    float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;  // Adam(W); eps also RMSprop's
    float rho = 0.9f;          // RMSprop: decay of the mean square (Hinton, lecture 6e: 0.9)
    float weightDecay = 0.0f;  // L2 (SGD, Adam, RMSprop) or decoupled (AdamW)
    float l1 = 0.0f;           // L1: adds l1 * sign(w) to each weight's gradient (every optimizer)

    static Kind parseKind(const std::string& name);  // "sgd", "adam", "adamw", "rmsprop"; throws Error
    static std::string kindName(Kind k);
    // The momentum a front end offers when none is given: 0.9 for SGD, 0 for RMSprop.
    static float defaultMomentum(Kind k) { return k == RMSprop ? 0.0f : 0.9f; }
    // Whether `momentum` is used by this optimizer.
    static bool usesMomentum(Kind k) { return k == SGD || k == RMSprop; }
};

class Optimizer {
public:
    Optimizer(const Model& model, OptimizerConfig config);

    // One update of `params` with the summed gradient `grads` at learning rate lr.
    void step(std::vector<float>& params, const std::vector<float>& grads, float lr);
    // The same update split for several threads: stepRange() over disjoint
    // ranges [lo, hi) covering all parameters (concurrently is fine), then
    // commitStep() once. Elementwise, so the result does not depend on the split.
    void stepRange(float* params, const float* grads, float lr, std::size_t lo, std::size_t hi);
    void commitStep() { ++m_t; }

    const OptimizerConfig& config() const { return m_config; }
    // For checkpoints: the step count and the moment buffers.
    long long steps() const { return m_t; }
    std::vector<float>& firstMoment() { return m_m; }
    std::vector<float>& secondMoment() { return m_v; }
    void restore(long long steps, std::vector<float> m, std::vector<float> v);

private:
    OptimizerConfig m_config;
    std::vector<unsigned char> m_kind;  // per element: 0 skip (stat), 1 no decay, 2 decay
    std::vector<float> m_m, m_v;
    long long m_t = 0;
};

// Learning-rate schedules, queried once per batch with the fractional epoch.
struct ScheduleConfig {
    enum Kind { Constant, Step, Cosine, Plateau };
    Kind kind = Constant;
    int stepEpochs = 5;     // Step: multiply by gamma every stepEpochs
    float gamma = 0.5f;
    float minLr = 0.0f;     // Cosine: floor (Loshchilov & Hutter 2017, without restarts)
    int patience = 2;       // Plateau: epochs without improvement before reducing
    float factor = 0.5f;
    int warmupBatches = 0;  // linear warm-up from 0 over this many batches

    static Kind parseKind(const std::string& name);  // "constant", "step", "cosine", "plateau"
    static std::string kindName(Kind k);
};

class LrSchedule {
public:
    LrSchedule(ScheduleConfig config, float baseLr, int totalEpochs);
    // epoch is fractional: 2.5 = half-way through the third epoch.
    float lr(double epoch, long long batchIndex) const;
    // Reports the validation loss at the end of an epoch (drives Plateau).
    void epochEnd(double valLoss);
    float plateauScale() const { return m_plateauScale; }
    void restore(float plateauScale, double best, int bad) { m_plateauScale = plateauScale; m_best = best; m_bad = bad; }
    double best() const { return m_best; }
    int badEpochs() const { return m_bad; }

private:
    ScheduleConfig m_config;
    float m_base;
    int m_total;
    float m_plateauScale = 1.0f;
    double m_best = 1e300;
    int m_bad = 0;
};

}  // namespace nn
