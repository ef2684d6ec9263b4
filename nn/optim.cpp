#include "optim.h"

#include <cmath>
#include <numbers>

namespace nn {

OptimizerConfig::Kind OptimizerConfig::parseKind(const std::string& name)
{
    if (name == "sgd")
        return SGD;
    if (name == "adam")
        return Adam;
    if (name == "adamw")
        return AdamW;
    if (name == "rmsprop")
        return RMSprop;
    throw Error("unknown optimizer '" + name + "' (known: sgd, adam, adamw, rmsprop)");
}

std::string OptimizerConfig::kindName(Kind k)
{
    switch (k) {
    case SGD: return "sgd";
    case Adam: return "adam";
    case AdamW: return "adamw";
    case RMSprop: return "rmsprop";
    }
    return "?";
}

Optimizer::Optimizer(const Model& model, OptimizerConfig config) : m_config(config)
{
    const std::size_t n = model.params().size();
    m_kind.assign(n, 1);
    for (const auto& v : model.paramViews()) {
        const unsigned char k = v.spec.kind == ParamSpec::Stat ? 0 : v.spec.kind == ParamSpec::Weight ? 2 : 1;
        std::fill(m_kind.begin() + long(v.offset), m_kind.begin() + long(v.offset + v.spec.size()), k);
    }
    // First moment: SGD's velocity, Adam's mean, RMSprop's momentum buffer.
    // Second moment: Adam's and RMSprop's mean square.
    m_m.assign(n, 0.0f);
    if (config.kind != OptimizerConfig::SGD)
        m_v.assign(n, 0.0f);
}

void Optimizer::restore(long long steps, std::vector<float> m, std::vector<float> v)
{
    if (m.size() != m_m.size() || v.size() != m_v.size())
        throw Error("optimizer state does not match the " + OptimizerConfig::kindName(m_config.kind) +
                    " optimizer: it holds " + std::to_string(m.size()) + " first and " + std::to_string(v.size()) +
                    " second moments, the optimizer needs " + std::to_string(m_m.size()) + " and " +
                    std::to_string(m_v.size()));
    m_t = steps;
    m_m = std::move(m);
    m_v = std::move(v);
}

void Optimizer::step(std::vector<float>& params, const std::vector<float>& grads, float lr)
{
    stepRange(params.data(), grads.data(), lr, 0, params.size());
    commitStep();
}

void Optimizer::stepRange(float* params, const float* grads, float lr, std::size_t lo, std::size_t n)
{
    const float wd = m_config.weightDecay;
    float* p = params;
    const float* g = grads;
    float* m = m_m.data();
    const unsigned char* kind = m_kind.data();
    // L1 on weights: its subgradient l1 * sign(w) joins the gradient (0 at w = 0).
    const float l1 = m_config.l1;
    const auto l1Term = [l1](float w) { return w > 0.0f ? l1 : w < 0.0f ? -l1 : 0.0f; };
    switch (m_config.kind) {
    case OptimizerConfig::SGD: {
        // v = mu v + g; p -= lr * v (or, Nesterov, p -= lr * (g + mu v)).
        const float mu = m_config.momentum;
        const bool nesterov = m_config.nesterov;
        for (std::size_t i = lo; i < n; ++i) {
            if (!kind[i])
                continue;
            const float gi = g[i] + (kind[i] == 2 ? wd * p[i] + l1Term(p[i]) : 0.0f);
            m[i] = mu * m[i] + gi;
            p[i] -= lr * (nesterov ? gi + mu * m[i] : m[i]);
        }
        break;
    }
    case OptimizerConfig::Adam:
    case OptimizerConfig::AdamW: {
        // Adam: Kingma & Ba 2015. AdamW: Loshchilov & Hutter 2019 (decoupled decay).
        const bool decoupled = m_config.kind == OptimizerConfig::AdamW;
        const float b1 = m_config.beta1, b2 = m_config.beta2, eps = m_config.eps;
        const long long t = m_t + 1;  // this step's number (commitStep() counts it)
        const float c1 = 1.0f - std::pow(b1, float(t));
        const float c2 = 1.0f - std::pow(b2, float(t));
        const float stepSize = lr * std::sqrt(c2) / c1;
        float* v = m_v.data();
        for (std::size_t i = lo; i < n; ++i) {
            if (!kind[i])
                continue;
            float gi = g[i];
            if (kind[i] == 2) {
                gi += l1Term(p[i]);
                if (wd != 0.0f) {
                    if (decoupled)
                        p[i] -= lr * wd * p[i];
                    else
                        gi += wd * p[i];
                }
            }
            m[i] = b1 * m[i] + (1.0f - b1) * gi;
            v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
            p[i] -= stepSize * m[i] / (std::sqrt(v[i]) + eps * std::sqrt(c2));
        }
        break;
    }
    case OptimizerConfig::RMSprop: {
        // Tieleman & Hinton 2012 (lecture 6e): a running mean square of the
        // gradient divides it: v = rho v + (1 - rho) g^2; step = g / (sqrt(v) + eps).
        // With momentum (as in PyTorch): b = mu b + step; p -= lr b.
        const float rho = m_config.rho, eps = m_config.eps, mu = m_config.momentum;
        float* v = m_v.data();
        for (std::size_t i = lo; i < n; ++i) {
            if (!kind[i])
                continue;
            const float gi = g[i] + (kind[i] == 2 ? wd * p[i] + l1Term(p[i]) : 0.0f);
            v[i] = rho * v[i] + (1.0f - rho) * gi * gi;
            const float s = gi / (std::sqrt(v[i]) + eps);
            if (mu != 0.0f) {
                m[i] = mu * m[i] + s;
                p[i] -= lr * m[i];
            } else {
                p[i] -= lr * s;
            }
        }
        break;
    }
    }
}

ScheduleConfig::Kind ScheduleConfig::parseKind(const std::string& name)
{
    if (name == "constant")
        return Constant;
    if (name == "step")
        return Step;
    if (name == "cosine")
        return Cosine;
    if (name == "plateau")
        return Plateau;
    throw Error("unknown schedule '" + name + "' (known: constant, step, cosine, plateau)");
}

std::string ScheduleConfig::kindName(Kind k)
{
    switch (k) {
    case Constant: return "constant";
    case Step: return "step";
    case Cosine: return "cosine";
    case Plateau: return "plateau";
    }
    return "?";
}

LrSchedule::LrSchedule(ScheduleConfig config, float baseLr, int totalEpochs)
    : m_config(config), m_base(baseLr), m_total(totalEpochs < 1 ? 1 : totalEpochs) {}

float LrSchedule::lr(double epoch, long long batchIndex) const
{
    float lr = m_base;
    switch (m_config.kind) {
    case ScheduleConfig::Constant:
        break;
    case ScheduleConfig::Step:
        lr = m_base * std::pow(m_config.gamma, float(int(epoch) / std::max(1, m_config.stepEpochs)));
        break;
    case ScheduleConfig::Cosine: {
        const double t = std::min(1.0, epoch / m_total);
        lr = m_config.minLr + (m_base - m_config.minLr) * float(0.5 * (1.0 + std::cos(std::numbers::pi * t)));
        break;
    }
    case ScheduleConfig::Plateau:
        lr = m_base * m_plateauScale;
        break;
    }
    if (m_config.warmupBatches > 0 && batchIndex < m_config.warmupBatches)
        lr *= float(batchIndex + 1) / float(m_config.warmupBatches);
    return lr;
}

void LrSchedule::epochEnd(double valLoss)
{
    if (m_config.kind != ScheduleConfig::Plateau)
        return;
    if (valLoss < m_best * (1.0 - 1e-4)) {
        m_best = valLoss;
        m_bad = 0;
    } else if (++m_bad > m_config.patience) {
        m_plateauScale *= m_config.factor;
        m_bad = 0;
    }
}

}  // namespace nn
