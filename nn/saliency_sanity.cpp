#include "saliency_sanity.h"

#include "errors.h"
#include "model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nn {

SaliencyFunction saliencyFunction(SaliencyMethod method, const SaliencyOptions& options)
{
    return [method, options](const Model& model, const float* input, int target) {
        SaliencyOptions o = options;
        o.target = target;
        return computeSaliency(model, input, method, o).values;
    };
}

namespace {

std::vector<double> ranks(const std::vector<float>& v)
{
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        const double mean = 0.5 * double(i + j);  // average rank of the tie
        for (std::size_t k = i; k <= j; ++k)
            r[order[k]] = mean;
        i = j + 1;
    }
    return r;
}

}  // namespace

double spearman(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        throw ShapeError("spearman: " + std::to_string(a.size()) + " values against " + std::to_string(b.size()));
    if (a.size() < 2)
        return 0.0;
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = double(a.size()), mean = (n - 1) / 2;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (saa <= 0 || sbb <= 0)
        return 0.0;
    return sab / std::sqrt(saa * sbb);
}

std::vector<int> randomisableLayers(const Model& model)
{
    std::vector<int> out;
    const auto& layers = model.layers();
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (const ParamSpec& p : layers[i]->params())
            if (p.kind == ParamSpec::Weight) {
                out.push_back(int(i));
                break;
            }
    return out;
}

SanityReport cascadingRandomisation(const Model& model, const float* input, const SaliencyFunction& method,
                                    const SanityOptions& o, const std::function<void(int, int)>& progress,
                                    const std::atomic<bool>* cancel)
{
    SanityReport r;
    r.threshold = o.threshold;
    if (o.target >= model.outputs())
        throw ShapeError("sanity check: class " + std::to_string(o.target) + " requested, the model has " +
                         std::to_string(model.outputs()) + " outputs");
    if (o.target >= 0) {
        r.target = o.target;
    } else {
        std::vector<float> z(std::size_t(model.outputs()));
        model.logits(input, 1, z.data());
        r.target = int(std::max_element(z.begin(), z.end()) - z.begin());
    }
    const auto absolute = [](std::vector<float> v) {
        for (float& x : v)
            x = std::abs(x);
        return v;
    };
    const std::vector<float> original = absolute(method(model, input, r.target));
    const std::vector<int> layers = randomisableLayers(model);
    Model cascade = model;
    const int total = int(layers.size());
    for (int s = 0; s < total; ++s) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            r.cancelled = true;
            break;
        }
        const int layer = layers[std::size_t(total - 1 - s)];
        cascade.initializeLayer(std::size_t(layer), o.seed * 0x9E3779B97F4A7C15ull + std::uint64_t(layer));
        SanityStep step;
        step.layer = layer;
        step.spec = model.layers()[std::size_t(layer)]->spec();
        const std::vector<float> map = absolute(method(cascade, input, r.target));
        step.correlation = spearman(original, map);
        std::vector<float> a, b;
        for (std::size_t i = 0; i < map.size() && i < original.size(); ++i)
            if (input[i] != 0.0f) {
                a.push_back(original[i]);
                b.push_back(map[i]);
            }
        step.inkCorrelation = spearman(a, b);
        r.steps.push_back(step);
        if (progress)
            progress(s + 1, total);
    }
    r.passed = !r.cancelled && !r.steps.empty() && r.steps.back().correlation < r.threshold;
    return r;
}

}  // namespace nn
