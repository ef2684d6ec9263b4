#include "saliency.h"

#include "errors.h"
#include "model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace nn {

double logOdds(const float* z, int classes, int k)
{
    double mx = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < classes; ++j)
        if (j != k)
            mx = std::max(mx, double(z[j]));
    if (!std::isfinite(mx))
        return 0.0;  // a single class has no alternative
    double s = 0.0;
    for (int j = 0; j < classes; ++j)
        if (j != k)
            s += std::exp(double(z[j]) - mx);
    return double(z[k]) - (mx + std::log(s));
}

namespace {

// Occluder origins along one axis: every stride, plus the last position so
// that the far edge is covered as often as the near one.
std::vector<int> positions(int size, int patch, int stride)
{
    std::vector<int> p;
    const int last = std::max(0, size - patch);
    for (int x = 0; x < last; x += stride)
        p.push_back(x);
    p.push_back(last);
    return p;
}

}  // namespace

SaliencyMap occlusionSaliency(const Model& model, const float* input, const SaliencyOptions& o)
{
    const Shape3 in = model.inputShape();
    const int classes = model.outputs();
    if (o.patch < 1 || o.stride < 1)
        throw ShapeError("saliency: patch and stride must be at least 1, got patch " + std::to_string(o.patch) +
                         ", stride " + std::to_string(o.stride));
    if (o.target >= classes)
        throw ShapeError("saliency: class " + std::to_string(o.target) + " requested, the model has " +
                         std::to_string(classes) + " outputs");
    const int H = in.h, W = in.w, C = in.c, S = in.size();
    const int patch = std::min(o.patch, std::min(H, W));

    SaliencyMap m;
    m.w = W;
    m.h = H;
    std::vector<float> base(static_cast<std::size_t>(classes));
    model.logits(input, 1, base.data());
    m.target = o.target >= 0 ? o.target : int(std::max_element(base.begin(), base.end()) - base.begin());
    m.probabilities.resize(std::size_t(classes));
    model.predict(input, 1, m.probabilities.data());
    const double baseScore = logOdds(base.data(), classes, m.target);

    const std::vector<int> ys = positions(H, patch, o.stride), xs = positions(W, patch, o.stride);
    struct Pos { int x, y; };
    std::vector<Pos> todo;
    std::vector<float> coverage(std::size_t(H) * W, 0.0f);
    for (int y0 : ys)
        for (int x0 : xs) {
            bool changes = false;
            for (int c = 0; c < C && !changes; ++c)
                for (int y = y0; y < y0 + patch && !changes; ++y)
                    for (int x = x0; x < x0 + patch; ++x)
                        if (input[std::size_t(c) * H * W + std::size_t(y) * W + x] != o.fill) {
                            changes = true;
                            break;
                        }
            for (int y = y0; y < y0 + patch; ++y)
                for (int x = x0; x < x0 + patch; ++x)
                    coverage[std::size_t(y) * W + x] += 1.0f;
            // Hiding what is already background changes nothing: its drop is
            // exactly 0, so the model need not run.
            if (changes)
                todo.push_back({x0, y0});
        }

    const int n = int(todo.size());
    std::vector<float> batch(std::size_t(n) * S);
    for (int i = 0; i < n; ++i) {
        float* x = batch.data() + std::size_t(i) * S;
        std::copy(input, input + S, x);
        for (int c = 0; c < C; ++c)
            for (int y = todo[std::size_t(i)].y; y < todo[std::size_t(i)].y + patch; ++y)
                std::fill_n(x + std::size_t(c) * H * W + std::size_t(y) * W + todo[std::size_t(i)].x, patch, o.fill);
    }
    std::vector<float> logits(std::size_t(n) * classes);
    if (n > 0)
        model.logits(batch.data(), n, logits.data());
    m.evaluated = n;

    std::vector<double> sum(std::size_t(H) * W, 0.0);
    for (int i = 0; i < n; ++i) {
        const double drop = baseScore - logOdds(logits.data() + std::size_t(i) * classes, classes, m.target);
        for (int y = todo[std::size_t(i)].y; y < todo[std::size_t(i)].y + patch; ++y)
            for (int x = todo[std::size_t(i)].x; x < todo[std::size_t(i)].x + patch; ++x)
                sum[std::size_t(y) * W + x] += drop;
    }
    m.values.resize(std::size_t(H) * W);
    for (std::size_t k = 0; k < m.values.size(); ++k) {
        m.values[k] = coverage[k] > 0 ? float(sum[k] / coverage[k]) : 0.0f;
        m.maxAbs = std::max(m.maxAbs, std::abs(m.values[k]));
    }
    return m;
}

}  // namespace nn
