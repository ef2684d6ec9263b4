#include "inspect.h"

#include "data/dataset.h"
#include "errors.h"
#include "layers/conv2d.h"
#include "layers/maxpool2d.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace nn {

namespace {

std::pair<float, float> range(const float* p, std::size_t n)
{
    if (n == 0)
        return {0.0f, 0.0f};
    const auto [lo, hi] = std::minmax_element(p, p + n);
    return {*lo, *hi};
}

}  // namespace

LayerTracer::LayerTracer(const Model& model)
    : m_model(model), m_net(m_model, /*fuse=*/false), m_info(m_model.layerInfo())
{
    const auto& layers = m_net.layers();
    if (layers.size() != m_info.size())
        throw ShapeError("inspect: the unfused net has " + std::to_string(layers.size()) + " layers, the spec " +
                         std::to_string(m_info.size()));
    m_traces.resize(m_info.size());
    for (std::size_t i = 0; i < m_info.size(); ++i) {
        LayerTrace& t = m_traces[i];
        t.index = i;
        t.kind = layers[i]->kind();
        t.spec = m_info[i].spec;
        t.shape = m_info[i].output;
        t.params = m_info[i].params;
        t.values.assign(std::size_t(t.shape.size()), 0.0f);
    }
}

void LayerTracer::forEachLayer(const Tensor& batch, const std::function<void(std::size_t, const Tensor&)>& each)
{
    const Tensor* cur = &batch;
    const auto& layers = m_net.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        cur = &layers[i]->forward(*cur, Mode::Infer);
        each(i, *cur);
    }
}

const std::vector<LayerTrace>& LayerTracer::trace(const float* input)
{
    m_x.resize(1, m_model.inputShape());
    std::copy(input, input + m_x.size(), m_x.data());
    forEachLayer(m_x, [this](std::size_t i, const Tensor& y) {
        LayerTrace& t = m_traces[i];
        std::copy(y.data(), y.data() + t.values.size(), t.values.begin());
        std::tie(t.min, t.max) = range(t.values.data(), t.values.size());
    });
    return m_traces;
}

ReceptiveField LayerTracer::receptiveField(std::size_t layer, int channel, int y, int x) const
{
    if (layer >= m_info.size())
        throw ShapeError("inspect: layer " + std::to_string(layer) + " of " + std::to_string(m_info.size()));
    const Shape3 out = m_info[layer].output;
    if (channel < 0 || channel >= out.c || y < 0 || y >= out.h || x < 0 || x >= out.w)
        throw ShapeError("inspect: unit (" + std::to_string(channel) + ", " + std::to_string(y) + ", " +
                         std::to_string(x) + ") outside layer " + std::to_string(layer) + "'s output " + out.str());
    const Shape3 input = m_model.inputShape();
    const ReceptiveField whole{0, 0, input.w, input.h};
    // Inclusive unit ranges in the current layer's output, walked back to the input.
    int y0 = y, y1 = y, x0 = x, x1 = x;
    const auto& layers = m_net.layers();
    for (std::size_t i = layer + 1; i-- > 0;) {
        const Layer& l = *layers[i];
        const Shape3 in = l.inputShape();
        if (const auto* conv = dynamic_cast<const Conv2D*>(&l)) {
            const int k = conv->kernel(), s = conv->stride(), p = conv->pad();
            y0 = y0 * s - p, y1 = y1 * s - p + k - 1;
            x0 = x0 * s - p, x1 = x1 * s - p + k - 1;
        } else if (const auto* pool = dynamic_cast<const MaxPool2D*>(&l)) {
            const int k = pool->window(), s = pool->poolStride();
            y0 = y0 * s, y1 = y1 * s + k - 1;
            x0 = x0 * s, x1 = x1 * s + k - 1;
        } else if (l.kind() == "dense") {
            return whole;
        } else if (l.kind() == "flatten") {
            // Output unit `channel` (1x1 map) is input unit (c, yy, xx).
            const int hw = in.h * in.w;
            const int unit = channel;
            channel = unit / hw;
            y0 = y1 = (unit % hw) / in.w;
            x0 = x1 = unit % in.w;
            continue;
        }
        // Element-wise layers (activations, batchnorm, dropout) keep the range.
        y0 = std::max(y0, 0), x0 = std::max(x0, 0);
        y1 = std::min(y1, in.h - 1), x1 = std::min(x1, in.w - 1);
    }
    return {x0, y0, x1 + 1, y1 + 1};
}

std::vector<float> ConvKernels::meanOverInputs(int filter) const
{
    std::vector<float> mean(std::size_t(k) * k, 0.0f);
    for (int c = 0; c < inputs; ++c) {
        const float* w = kernel(filter, c);
        for (std::size_t i = 0; i < mean.size(); ++i)
            mean[i] += w[i];
    }
    for (float& v : mean)
        v /= float(std::max(inputs, 1));
    return mean;
}

ConvKernels convKernels(const Model& model, std::size_t layer)
{
    const auto info = model.layerInfo();
    if (layer >= info.size())
        throw ShapeError("inspect: layer " + std::to_string(layer) + " of " + std::to_string(info.size()));
    const std::string prefix = std::to_string(layer) + ".conv.weight";
    for (const ParamView& v : model.paramViews()) {
        if (v.name != prefix)
            continue;
        if (v.spec.shape.size() != 4)
            break;
        ConvKernels k;
        k.layer = layer;
        k.filters = v.spec.shape[0];
        k.inputs = v.spec.shape[1];
        k.k = v.spec.shape[2];
        const float* p = model.params().data() + v.offset;
        k.values.assign(p, p + v.spec.size());
        for (float w : k.values)
            k.maxAbs = std::max(k.maxAbs, std::abs(w));
        return k;
    }
    throw ShapeError("inspect: layer " + std::to_string(layer) + " (" + info[layer].spec + ") is not a convolution");
}

ChannelExemplars channelExemplars(const Model& model, const Dataset& data, int perChannel,
                                  const std::function<void(int, int)>& progress, const std::atomic<bool>* stop,
                                  bool* complete)
{
    if (perChannel <= 0)
        throw ShapeError("inspect: exemplars per channel must be positive, not " + std::to_string(perChannel));
    if (data.pixels() != model.inputShape().size())
        throw ShapeError("inspect: the images have " + std::to_string(data.pixels()) + " pixels, the model takes " +
                         model.inputShape().str());
    LayerTracer tracer(model);
    const auto& info = tracer.layerInfo();
    ChannelExemplars out;
    out.perChannel = perChannel;
    out.images.resize(info.size());
    out.peaks.resize(info.size());
    for (std::size_t l = 0; l < info.size(); ++l) {
        out.images[l].resize(std::size_t(info[l].output.c));
        out.peaks[l].resize(std::size_t(info[l].output.c));
    }
    // Keeps each channel's list sorted best first: (peak desc, index asc).
    auto offer = [perChannel](std::vector<int>& idx, std::vector<float>& peak, int image, float v) {
        if (int(idx.size()) == perChannel && !(v > peak.back()))
            return;
        std::size_t at = idx.size();
        while (at > 0 && v > peak[at - 1])
            --at;
        idx.insert(idx.begin() + std::ptrdiff_t(at), image);
        peak.insert(peak.begin() + std::ptrdiff_t(at), v);
        if (int(idx.size()) > perChannel) {
            idx.pop_back();
            peak.pop_back();
        }
    };
    constexpr int kBatch = 128;
    Tensor batch;
    const int n = data.size();
    bool stopped = false;
    for (int first = 0; first < n; first += kBatch) {
        if (stop && stop->load()) {
            stopped = true;
            break;
        }
        const int m = std::min(kBatch, n - first);
        batch.resize(m, model.inputShape());
        for (int i = 0; i < m; ++i)
            data.imageAsFloat(first + i, batch.sample(i));
        tracer.forEachLayer(batch, [&](std::size_t l, const Tensor& y) {
            const Shape3 s = y.shape();
            const int hw = s.h * s.w;
            for (int i = 0; i < m; ++i) {
                const float* sample = y.sample(i);
                for (int c = 0; c < s.c; ++c) {
                    const float* map = sample + std::size_t(c) * hw;
                    offer(out.images[l][std::size_t(c)], out.peaks[l][std::size_t(c)], first + i,
                          *std::max_element(map, map + hw));
                }
            }
        });
        if (progress)
            progress(first + m, n);
    }
    if (complete)
        *complete = !stopped;
    return out;
}

}  // namespace nn
