// ONNX export: see onnx.h for the mapping of each layer.
#include "onnx.h"

#include "errors.h"
#include "layers/activation.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/maxpool2d.h"
#include "onnx_proto.h"
#include "serialize.h"

#include <algorithm>
#include <cctype>

namespace nn {

namespace {

using onnx::Writer;

struct GraphBuilder {
    Writer graph;
    int counter = 0;
    std::string cur = "input";
    bool flat = false;  // the current tensor is N x features (after a dense layer or a flatten)

    std::string fresh(const std::string& base) { return base + "_" + std::to_string(counter++); }

    void initializer(const std::string& name, const std::vector<std::int64_t>& dims, const float* v, std::size_t n)
    {
        graph.message(5, onnx::tensorProto(name, dims, v, n));
    }

    // Adds a node reading `cur` (and `extra` inputs), making its output the new `cur`.
    void node(const std::string& op, const std::string& layer, const std::vector<std::string>& extra = {},
              const std::vector<Writer>& attributes = {}, const std::string& output = {})
    {
        std::vector<std::string> inputs{cur};
        inputs.insert(inputs.end(), extra.begin(), extra.end());
        const std::string out = output.empty() ? layer + "_out" : output;
        graph.message(1, onnx::nodeProto(op, layer, inputs, {out}, attributes));
        cur = out;
    }
};

}  // namespace

std::vector<std::uint8_t> modelToOnnx(const Model& model, const OnnxExportOptions& options)
{
    // The spec's layers, set up as the model's are (the Model keeps its own
    // private); their parameters are the model's views in the same order.
    std::vector<std::unique_ptr<Layer>> layers = parseSpec(model.spec());
    Shape3 shape = model.inputShape();
    for (auto& l : layers)
        shape = l->setup(shape);
    const std::vector<ParamView>& views = model.paramViews();
    const float* values = model.params().data();
    std::size_t view = 0;
    const auto param = [&](const char* name) -> const ParamView& {
        if (view >= views.size() || views[view].spec.name != name)
            throw Error("ONNX export: the model's parameters are not in the order of its layers");
        return views[view++];
    };

    GraphBuilder g;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& l = *layers[i];
        const std::string name = std::to_string(i) + "_" + l.kind();
        const auto toSpatial = [&] {
            if (!g.flat)
                return;
            const Shape3 in = l.inputShape();
            const std::vector<std::int64_t> target{-1, in.c, in.h, in.w};
            const std::string shapeName = name + "_shape";
            g.graph.message(5, onnx::int64TensorProto(shapeName, {4}, target));
            g.node("Reshape", name + "_reshape", {shapeName});
            g.flat = false;
        };
        if (const auto* conv = dynamic_cast<const Conv2D*>(&l)) {
            toSpatial();
            const ParamView& w = param("weight");
            const ParamView& b = param("bias");
            g.initializer(w.name, {w.spec.shape.begin(), w.spec.shape.end()}, values + w.offset, w.spec.size());
            g.initializer(b.name, {b.spec.shape.begin(), b.spec.shape.end()}, values + b.offset, b.spec.size());
            const std::int64_t k = conv->kernel(), s = conv->stride(), p = conv->pad();
            g.node("Conv", name, {w.name, b.name},
                   {onnx::attrInts("kernel_shape", {k, k}), onnx::attrInts("strides", {s, s}),
                    onnx::attrInts("pads", {p, p, p, p}), onnx::attrInts("dilations", {1, 1}), onnx::attrInt("group", 1)});
        } else if (const auto* pool = dynamic_cast<const MaxPool2D*>(&l)) {
            toSpatial();
            const std::int64_t k = pool->window(), s = pool->poolStride();
            g.node("MaxPool", name, {},
                   {onnx::attrInts("kernel_shape", {k, k}), onnx::attrInts("strides", {s, s}),
                    onnx::attrInts("pads", {0, 0, 0, 0})});
        } else if (const auto* dense = dynamic_cast<const Dense*>(&l)) {
            if (!g.flat) {
                g.node("Flatten", name + "_flatten", {}, {onnx::attrInt("axis", 1)});
                g.flat = true;
            }
            const ParamView& w = param("weight");
            const ParamView& b = param("bias");
            g.initializer(w.name, {w.spec.shape.begin(), w.spec.shape.end()}, values + w.offset, w.spec.size());
            g.initializer(b.name, {b.spec.shape.begin(), b.spec.shape.end()}, values + b.offset, b.spec.size());
            (void)dense;
            // DigitPad's W is (out, in) and y = x W^T + b: Gemm's transB.
            g.node("Gemm", name, {w.name, b.name},
                   {onnx::attrFloat("alpha", 1.0f), onnx::attrFloat("beta", 1.0f), onnx::attrInt("transB", 1)});
        } else if (const auto* bn = dynamic_cast<const BatchNorm*>(&l)) {
            std::vector<std::string> inputs;
            for (const char* p : {"gamma", "beta", "running_mean", "running_var"}) {
                const ParamView& v = param(p);
                g.initializer(v.name, {v.spec.shape.begin(), v.spec.shape.end()}, values + v.offset, v.spec.size());
                inputs.push_back(v.name);
            }
            g.node("BatchNormalization", name, inputs,
                   {onnx::attrFloat("epsilon", 1e-5f), onnx::attrFloat("momentum", 1.0f - bn->momentum())});
        } else if (const auto* drop = dynamic_cast<const Dropout*>(&l)) {
            const float ratio = drop->rate();
            const std::string ratioName = name + "_ratio";
            g.initializer(ratioName, {}, &ratio, 1);
            g.node("Dropout", name, {ratioName});
        } else if (l.kind() == "relu" || l.kind() == "sigmoid" || l.kind() == "tanh") {
            std::string op = l.kind();
            op[0] = char(std::toupper(static_cast<unsigned char>(op[0])));
            g.node(op, name);
        } else if (l.kind() == "flatten") {
            g.node("Flatten", name, {}, {onnx::attrInt("axis", 1)});
            g.flat = true;
        } else {
            throw Error("ONNX export: layer " + std::to_string(i + 1) + " '" + l.spec() + "' has no ONNX form");
        }
    }
    if (view != views.size())
        throw Error("ONNX export: the model has parameters that no layer uses");
    // The output is N x classes whatever the last layer's shape.
    if (!g.flat)
        g.node("Flatten", "output_flatten", {}, {onnx::attrInt("axis", 1)});
    const std::string output = options.softmax ? "probabilities" : "logits";
    if (options.softmax)
        g.node("Softmax", "softmax", {}, {onnx::attrInt("axis", 1)});
    // Rename the last output to the graph's output name with an Identity:
    // every node keeps the name of its layer.
    g.node("Identity", "output", {}, {}, output);

    const Shape3 in = model.inputShape();
    g.graph.string(2, "digitpad");
    g.graph.message(11, onnx::valueInfo("input", {-1, in.c, in.h, in.w}));
    g.graph.message(12, onnx::valueInfo(output, {-1, model.outputs()}));

    Writer m;
    m.int64(1, 7);  // IR version 7: the one of opset 13
    m.string(2, "DigitPad");
    m.string(3, "1");
    Writer opset;
    opset.string(1, "");
    opset.int64(2, kOnnxOpset);
    m.message(8, opset);
    m.message(7, g.graph);
    std::map<std::string, std::string> meta = model.metadata();
    meta["digitpad_spec"] = model.spec();
    for (const auto& [k, v] : meta) {
        Writer e;
        e.string(1, k);
        e.string(2, v);
        m.message(14, e);
    }
    return m.out();
}

void saveOnnx(const Model& model, const std::string& path, const OnnxExportOptions& options)
{
    const std::vector<std::uint8_t> bytes = modelToOnnx(model, options);
    writeFileAtomic(path, bytes.data(), bytes.size());
}

bool isOnnxPath(const std::string& path)
{
    if (path.size() < 5)
        return false;
    std::string ext = path.substr(path.size() - 5);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".onnx";
}

}  // namespace nn
