#pragma once
// ONNX files written by the tests themselves, node by node, through the same
// protobuf writer as the exporter (nn/onnx_proto.h): graphs shaped like
// torch.onnx.export's (MatMul + Add, Shape-Gather-Concat-Reshape, LogSoftmax,
// opset 11 attributes) and graphs DigitPad must refuse.
#include <nn/model.h>
#include <nn/onnx_proto.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace testonnx {

using nn::onnx::Writer;

struct OnnxGraph {
    int opset = 13;
    std::string input = "input", output = "logits";
    std::vector<std::int64_t> inputDims{-1, 1, 28, 28};
    std::vector<std::int64_t> outputDims{-1, 10};
    std::vector<Writer> nodes, inits;
    std::vector<std::pair<std::string, std::string>> metadata;

    OnnxGraph& node(const std::string& op, const std::string& name, const std::vector<std::string>& in,
                    const std::vector<std::string>& out, const std::vector<Writer>& attrs = {})
    {
        nodes.push_back(nn::onnx::nodeProto(op, name, in, out, attrs));
        return *this;
    }
    OnnxGraph& init(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& v)
    {
        inits.push_back(nn::onnx::tensorProto(name, dims, v.data(), v.size()));
        return *this;
    }
    OnnxGraph& initInts(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<std::int64_t>& v)
    {
        inits.push_back(nn::onnx::int64TensorProto(name, dims, v));
        return *this;
    }
    std::vector<std::uint8_t> bytes() const
    {
        Writer g;
        for (const Writer& n : nodes)
            g.message(1, n);
        g.string(2, "test");
        for (const Writer& t : inits)
            g.message(5, t);
        g.message(11, nn::onnx::valueInfo(input, inputDims));
        g.message(12, nn::onnx::valueInfo(output, outputDims));
        Writer m;
        m.int64(1, 7);
        m.string(2, "test");
        Writer o;
        o.string(1, "");
        o.int64(2, opset);
        m.message(8, o);
        m.message(7, g);
        for (const auto& [k, v] : metadata) {
            Writer e;
            e.string(1, k);
            e.string(2, v);
            m.message(14, e);
        }
        return m.out();
    }
};

inline std::vector<float> ramp(std::size_t n, float scale = 0.01f, int mod = 17)
{
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = scale * float(int(i % std::size_t(mod)) - mod / 2);
    return v;
}

// Random weights, and BatchNorm statistics away from 0 and 1 so that a
// mistake in their order or epsilon shows.
inline nn::Model randomModel(const std::string& spec, std::uint64_t seed)
{
    nn::Model m = nn::Model::fromSpec(spec);
    m.initialize(seed);
    std::mt19937 rng{unsigned(seed)};
    std::uniform_real_distribution<float> u(0.5f, 1.5f), s(-0.3f, 0.3f);
    for (const auto& v : m.paramViews()) {
        float* p = m.params().data() + v.offset;
        const std::string& n = v.spec.name;
        for (std::size_t i = 0; i < v.spec.size(); ++i) {
            if (n == "running_var" || n == "gamma")
                p[i] = u(rng);
            else if (n == "running_mean" || n == "beta" || n == "bias")
                p[i] = s(rng);
        }
    }
    return m;
}

// The largest |a - b|; infinite when the sizes differ or both are empty.
inline float maxDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size() || a.empty())
        return std::numeric_limits<float>::infinity();
    float d = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

}  // namespace testonnx
