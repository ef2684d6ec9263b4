#pragma once
// Inside the network (issue 16's layer inspector): the output of every layer
// of the model's spec for one input, where each unit of a layer looks in the
// input (its receptive field), the convolution kernels, and the dataset
// images that excite each channel most.
//
// A LayerTracer runs the model layer by layer without fusion, in inference
// mode (batchnorm with its running statistics, dropout as identity), so each
// spec layer's output is seen as the spec writes it: "conv | batchnorm |
// relu | maxpool" gives four maps, where Model::logits runs one fused layer.
// The last layer's output equals Model::logits (tests/test_inspect.cpp).
#include "model.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace nn {

struct Dataset;

struct LayerTrace {
    std::size_t index = 0;      // in the model's spec (0-based)
    std::string kind;           // "conv", "batchnorm", "relu", "maxpool", "dense", ...
    std::string spec;           // "conv 32 5 pad=2"
    Shape3 shape;               // per-sample output shape (dense: c outputs, 1x1)
    std::size_t params = 0;     // trainable + statistics
    std::vector<float> values;  // shape.size() values, channel-major (c, h, w)
    float min = 0, max = 0;     // over values (0, 0 when empty)

    bool spatial() const { return shape.h > 1 || shape.w > 1; }
    float at(int c, int y, int x) const { return values[(std::size_t(c) * shape.h + y) * shape.w + x]; }
};

// Input pixels [x0, x1) x [y0, y1) that a unit can see, clipped to the input.
struct ReceptiveField {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
    bool operator==(const ReceptiveField&) const = default;
};

class LayerTracer {
public:
    // Copies the model: the tracer stays valid whatever happens to it.
    explicit LayerTracer(const Model& model);
    LayerTracer(const LayerTracer&) = delete;
    LayerTracer& operator=(const LayerTracer&) = delete;

    const Model& model() const { return m_model; }
    std::size_t layers() const { return m_info.size(); }
    const std::vector<LayerInfo>& layerInfo() const { return m_info; }

    // One sample of model().inputShape(). The result stays valid until the
    // next call. Not thread-safe: one tracer per thread.
    const std::vector<LayerTrace>& trace(const float* input);

    // The input pixels that unit (channel, y, x) of layer `layer`'s output
    // depends on: convolutions and pools widen it by their kernel and stride
    // (padding clips it at the border); element-wise layers keep it; flatten
    // maps a unit back to its place; a dense layer sees the whole input.
    // Throws ShapeError on a layer or unit outside the model.
    ReceptiveField receptiveField(std::size_t layer, int channel, int y, int x) const;

    // A batch (n samples of the input shape) through every layer: each(layer,
    // output) sees each spec layer's output for the whole batch in turn.
    void forEachLayer(const Tensor& batch, const std::function<void(std::size_t, const Tensor&)>& each);

private:
    Model m_model;
    Net m_net;
    std::vector<LayerInfo> m_info;
    std::vector<LayerTrace> m_traces;
    Tensor m_x;
};

// A convolution layer's kernels, (filters, inputs, k, k) row-major.
struct ConvKernels {
    std::size_t layer = 0;
    int filters = 0, inputs = 0, k = 0;
    std::vector<float> values;
    float maxAbs = 0;  // for a colour scale centred at zero
    const float* kernel(int filter, int input) const { return values.data() + (std::size_t(filter) * inputs + input) * k * k; }
    // The mean over the input channels of one filter (k*k values): what a
    // deeper layer's filter looks for, on average, in the maps before it.
    std::vector<float> meanOverInputs(int filter) const;
};

// Throws ShapeError when layer `layer` of the model's spec is not a convolution.
ConvKernels convKernels(const Model& model, std::size_t layer);

// For every channel of every layer, the `perChannel` dataset images with the
// highest activation anywhere in that channel's map (ties: lower index
// first), best first. exemplars[layer][channel] -> image indices.
struct ChannelExemplars {
    int perChannel = 0;
    std::vector<std::vector<std::vector<int>>> images;
    std::vector<std::vector<std::vector<float>>> peaks;  // the activation of each, same layout
};

// Runs the whole dataset through a tracer (in batches); progress(done, total)
// is called after each batch; it stops early (returning what it has, with
// `complete` false) when `stop` becomes true.
ChannelExemplars channelExemplars(const Model& model, const Dataset& data, int perChannel,
                                  const std::function<void(int, int)>& progress = {},
                                  const std::atomic<bool>* stop = nullptr, bool* complete = nullptr);

}  // namespace nn
