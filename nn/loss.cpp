#include "loss.h"

#include <algorithm>
#include <cmath>

namespace nn {

namespace {
int argmax(const float* p, int n)
{
    int best = 0;
    for (int k = 1; k < n; ++k)
        if (p[k] > p[best])
            best = k;
    return best;
}
}  // namespace

LossResult softmaxCrossEntropy(const Tensor& logits, const std::uint8_t* labels, Tensor& grad, float scale, int rows)
{
    const int n = logits.n(), k = logits.sampleSize();
    grad.resize(n, logits.shape());
    LossResult r;
    const int scored = rows < 0 ? n : std::min(rows, n);
    for (int i = 0; i < scored; ++i) {
        const float* z = logits.sample(i);
        float* g = grad.sample(i);
        float mx = z[0];
        for (int j = 1; j < k; ++j)
            mx = std::max(mx, z[j]);
        double sum = 0.0;
        for (int j = 0; j < k; ++j) {
            g[j] = std::exp(z[j] - mx);
            sum += g[j];
        }
        const int y = labels[i];
        r.sum += std::log(sum) - double(z[y] - mx);
        const float inv = float(1.0 / sum);
        for (int j = 0; j < k; ++j)
            g[j] = scale * (g[j] * inv - (j == y ? 1.0f : 0.0f));
        if (argmax(z, k) == y)
            ++r.correct;
    }
    return r;
}

LossResult uniformCrossEntropy(const Tensor& logits, int first, Tensor& grad, float scale)
{
    const int n = logits.n(), k = logits.sampleSize();
    LossResult r;
    for (int i = std::max(0, first); i < n; ++i) {
        const float* z = logits.sample(i);
        float* g = grad.sample(i);
        float mx = z[0];
        double mean = 0.0;
        for (int j = 0; j < k; ++j) {
            mx = std::max(mx, z[j]);
            mean += z[j];
        }
        mean /= k;
        double sum = 0.0;
        for (int j = 0; j < k; ++j) {
            g[j] = std::exp(z[j] - mx);
            sum += g[j];
        }
        r.sum += std::log(sum) + double(mx) - mean;
        const float inv = float(1.0 / sum), u = 1.0f / float(k);
        for (int j = 0; j < k; ++j)
            g[j] = scale * (g[j] * inv - u);
    }
    return r;
}

EnergyMarginResult energyMargin(const Tensor& logits, int first, Tensor& grad, float inScale, float outScale,
                                float inMargin, float outMargin)
{
    const int n = logits.n(), k = logits.sampleSize();
    first = std::clamp(first, 0, n);
    EnergyMarginResult r;
    for (int i = 0; i < n; ++i) {
        const float* z = logits.sample(i);
        float* g = grad.sample(i);
        float mx = z[0];
        for (int j = 1; j < k; ++j)
            mx = std::max(mx, z[j]);
        double sum = 0.0;
        for (int j = 0; j < k; ++j)
            sum += std::exp(double(z[j] - mx));
        const double score = std::log(sum) + double(mx);
        const bool digit = i < first;
        // The hinge's excess: how far the score is on the wrong side of its margin.
        const double excess = digit ? std::max(0.0, double(inMargin) - score) : std::max(0.0, score - double(outMargin));
        (digit ? r.inSum : r.outSum) += excess * excess;
        // d/dz of excess^2: -2 excess softmax for a digit, +2 excess softmax for an outlier.
        const double c = (digit ? -2.0 * double(inScale) : 2.0 * double(outScale)) * excess / sum;
        for (int j = 0; j < k; ++j) {
            const float d = float(c * std::exp(double(z[j] - mx)));
            g[j] = digit ? g[j] + d : d;
        }
    }
    return r;
}

LossResult mse(const Tensor& outputs, const float* targets, Tensor& grad, float scale)
{
    const int n = outputs.n(), k = outputs.sampleSize();
    grad.resize(n, outputs.shape());
    LossResult r;
    for (int i = 0; i < n; ++i) {
        const float* y = outputs.sample(i);
        const float* t = targets + std::size_t(i) * k;
        float* g = grad.sample(i);
        for (int j = 0; j < k; ++j) {
            const float d = y[j] - t[j];
            r.sum += 0.5 * double(d) * d;
            g[j] = scale * d;
        }
        if (argmax(y, k) == argmax(t, k))
            ++r.correct;
    }
    return r;
}

LossResult mseOneHot(const Tensor& outputs, const std::uint8_t* labels, Tensor& grad, float scale)
{
    // As mse() against one-hot targets, without materialising them.
    const int n = outputs.n(), k = outputs.sampleSize();
    grad.resize(n, outputs.shape());
    LossResult r;
    for (int i = 0; i < n; ++i) {
        const float* y = outputs.sample(i);
        float* g = grad.sample(i);
        for (int j = 0; j < k; ++j) {
            const float d = y[j] - (j == labels[i] ? 1.0f : 0.0f);
            r.sum += 0.5 * double(d) * d;
            g[j] = scale * d;
        }
        // argmax of a one-hot target is its label (the first maximum).
        if (argmax(y, k) == labels[i])
            ++r.correct;
    }
    return r;
}

}  // namespace nn
