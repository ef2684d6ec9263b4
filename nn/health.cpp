#include "health.h"

#include "data/dataset.h"
#include "errors.h"
#include "inspect.h"
#include "model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nn {

Histogram Histogram::of(const float* v, std::size_t n, int bins)
{
    if (bins < 1)
        throw ShapeError("histogram: bins must be positive, not " + std::to_string(bins));
    Histogram h;
    h.counts.assign(std::size_t(bins), 0);
    if (n == 0)
        return h;
    float lo = v[0], hi = v[0];
    for (std::size_t i = 1; i < n; ++i) {
        lo = std::min(lo, v[i]);
        hi = std::max(hi, v[i]);
    }
    h.lo = lo;
    h.hi = hi;
    const double width = double(hi) - double(lo);
    for (std::size_t i = 0; i < n; ++i) {
        const int b = width > 0 ? std::min(bins - 1, int((double(v[i]) - lo) / width * bins)) : 0;
        ++h.counts[std::size_t(b)];
    }
    return h;
}

int Histogram::total() const { return std::accumulate(counts.begin(), counts.end(), 0); }

std::vector<double> deadReluFractions(const Model& model, const Dataset& data, int images)
{
    LayerTracer tracer(model);
    const auto& info = tracer.layerInfo();
    std::vector<double> out(info.size(), -1.0);
    const int n = std::min(images, data.size());
    if (n <= 0)
        return out;
    if (data.pixels() != model.inputShape().size())
        throw ShapeError("health: the probe images have " + std::to_string(data.pixels()) + " pixels, the model takes " +
                         model.inputShape().str());
    Tensor batch(n, model.inputShape());
    for (int i = 0; i < n; ++i)
        data.imageAsFloat(i, batch.sample(i));
    std::vector<bool> relu(info.size());
    for (std::size_t l = 0; l < info.size(); ++l)
        relu[l] = info[l].spec == "relu";
    tracer.forEachLayer(batch, [&](std::size_t l, const Tensor& y) {
        if (!relu[l])
            return;
        const int units = y.sampleSize();
        int dead = 0;
        for (int u = 0; u < units; ++u) {
            bool fired = false;
            for (int i = 0; i < n && !fired; ++i)
                fired = y.sample(i)[u] > 0.0f;
            dead += fired ? 0 : 1;
        }
        out[l] = double(dead) / std::max(1, units);
    });
    return out;
}

void HealthHistory::add(const TrainingHealth& h)
{
    for (const LayerHealth& l : h.layers) {
        if (l.gradNorm < 0)
            continue;
        auto it = std::find_if(m_series.begin(), m_series.end(), [&](const Series& s) { return s.layer == l.layer; });
        if (it == m_series.end()) {
            m_series.push_back({l.layer, l.spec, {}, {}});
            it = m_series.end() - 1;
        }
        if (!it->steps.empty() && h.step <= it->steps.back())
            continue;  // a report for a step already seen
        if (it->steps.size() >= m_capacity) {
            std::size_t k = 0;
            for (std::size_t i = 0; i < it->steps.size(); i += 2, ++k) {
                it->steps[k] = it->steps[i];
                it->gradNorms[k] = it->gradNorms[i];
            }
            it->steps.resize(k);
            it->gradNorms.resize(k);
        }
        it->steps.push_back(h.step);
        it->gradNorms.push_back(l.gradNorm);
    }
}

TrainingHealth measureHealth(const Model& model, const std::vector<float>& grads, const Dataset* probe,
                             int probeImages, int bins)
{
    if (grads.size() != model.params().size())
        throw ShapeError("health: the gradient has " + std::to_string(grads.size()) + " values, the model " +
                         std::to_string(model.params().size()) + " parameters");
    TrainingHealth h;
    const auto info = model.layerInfo();
    std::vector<double> dead(info.size(), -1.0);
    if (probe && probeImages > 0 && probe->size() > 0) {
        dead = deadReluFractions(model, *probe, probeImages);
        h.probeImages = std::min(probeImages, probe->size());
    }
    std::vector<float> w, g;
    for (std::size_t l = 0; l < info.size(); ++l) {
        const std::string prefix = std::to_string(l) + ".";
        w.clear();
        g.clear();
        for (const ParamView& v : model.paramViews()) {
            if (v.spec.kind == ParamSpec::Stat || v.name.compare(0, prefix.size(), prefix) != 0)
                continue;
            const float* p = model.params().data() + v.offset;
            w.insert(w.end(), p, p + v.spec.size());
            g.insert(g.end(), grads.data() + v.offset, grads.data() + v.offset + v.spec.size());
        }
        if (w.empty() && dead[l] < 0)
            continue;
        LayerHealth lh;
        lh.layer = l;
        lh.spec = info[l].spec;
        lh.dead = dead[l];
        if (!w.empty()) {
            lh.parameters = w.size();
            double gs = 0, ws = 0;
            for (std::size_t i = 0; i < w.size(); ++i) {
                gs += double(g[i]) * g[i];
                ws += double(w[i]) * w[i];
            }
            lh.gradNorm = std::sqrt(gs);
            lh.weightRms = std::sqrt(ws / double(w.size()));
            lh.weights = Histogram::of(w.data(), w.size(), bins);
            lh.grads = Histogram::of(g.data(), g.size(), bins);
        }
        h.layers.push_back(std::move(lh));
    }
    return h;
}

}  // namespace nn
