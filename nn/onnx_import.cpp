// ONNX import: a chain of supported nodes becomes a DigitPad spec and weights.
//
// The graph is walked in its (topological) order with one "current"
// activation: every layer node must read it and produces the next one, so a
// branch (a residual Add, two heads) is refused. Constant, Shape, Gather,
// Unsqueeze, Concat and Cast on constants are evaluated here, with the batch
// dimension as a symbol, which is what torch writes for x.view(x.size(0), -1);
// the Reshape they feed must then be a flatten.
#include "onnx.h"

#include "errors.h"
#include "fileio.h"
#include "onnx_proto.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace nn {

namespace {

using onnx::Node;
using onnx::Tensor;

constexpr std::int64_t kBatch = std::numeric_limits<std::int64_t>::min();  // the symbolic batch size in shape values

UiText supported()
{
    return uiText(DIGITPAD_UI_TEXT(
        "nn::ui",
        "DigitPad imports Conv, BatchNormalization, Relu, Sigmoid, Tanh, MaxPool, Flatten, Reshape (to N x features), "
        "Gemm, MatMul and Add (a bias after MatMul), Dropout, Identity, Softmax and LogSoftmax (last), and the "
        "Constant, Shape, Gather, Unsqueeze, Concat and Cast nodes of a flatten"));
}

struct LayerOut {
    std::string spec;
    std::vector<std::vector<float>> params;  // in the layer's ParamSpec order
};

class Importer {
public:
    Importer(const onnx::ModelProto& m, const std::string& name) : m_model(m), m_name(name) {}

    Model run();

private:
    [[noreturn]] void fail(UiText what) const { throw FileError(m_name, std::move(what)); }
    [[noreturn]] void failNode(const Node& n, UiText what) const
    {
        throw FileError(m_name, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 %2"), nodeLabel(n), std::move(what)), n.offset);
    }
    UiText nodeLabel(const Node& n) const
    {
        return uiText(DIGITPAD_UI_TEXT("nn::ui", "node %1 '%2' (op %3)"), m_index + 1, n.name, n.opType);
    }

    void checkOpset();
    void checkInput();
    void step(const Node& n);

    const Tensor* constant(const std::string& name) const
    {
        const auto it = m_consts.find(name);
        return it == m_consts.end() ? nullptr : &it->second;
    }
    const Tensor& needConstant(const Node& n, std::size_t input, const char* what) const
    {
        if (input >= n.inputs.size() || n.inputs[input].empty())
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has no %1 input"), what));
        const Tensor* t = constant(n.inputs[input]);
        if (!t)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "its %1 '%2' is computed in the graph; DigitPad needs it as an initializer or a Constant"),
                what, n.inputs[input]));
        return *t;
    }
    const std::vector<float>& floats(const Node& n, const Tensor& t, const char* what) const
    {
        if (t.dataType != onnx::kFloat && t.dataType != onnx::kDouble)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "its %1 '%2' is of ONNX type %3, not float"),
                what, t.name, std::to_string(t.dataType)));
        for (const float v : t.floats)
            if (!std::isfinite(v))
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "its %1 '%2' contains NaN or infinite values"),
                    what, t.name));
        return t.floats;
    }
    void readsCurrent(const Node& n) const
    {
        if (n.inputs.empty() || n.inputs[0] != m_cur)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "does not read the output of the layer before it ('%1'); DigitPad imports a plain chain of layers, "
                "without branches"),
                m_cur));
    }
    void oneOutput(const Node& n) const
    {
        if (n.outputs.empty() || n.outputs[0].empty())
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has no output")));
        for (std::size_t i = 1; i < n.outputs.size(); ++i)
            if (!n.outputs[i].empty() && used(n.outputs[i]))
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "its output %1 '%2' is used; DigitPad supports the first output only"),
                    std::to_string(i + 1), n.outputs[i]));
    }
    bool used(const std::string& value) const;
    std::int64_t intAttr(const Node& n, const char* name, std::int64_t fallback) const
    {
        const onnx::Attribute* a = n.attribute(name);
        return a ? a->i : fallback;
    }
    float floatAttr(const Node& n, const char* name, float fallback) const
    {
        const onnx::Attribute* a = n.attribute(name);
        return a ? a->f : fallback;
    }
    std::vector<std::int64_t> intsAttr(const Node& n, const char* name) const
    {
        const onnx::Attribute* a = n.attribute(name);
        return a ? a->ints : std::vector<std::int64_t>{};
    }
    void addLayer(const Node& n, LayerOut layer, Shape3 out, bool flat)
    {
        m_layers.push_back(std::move(layer));
        m_shape = out;
        m_flat = flat;
        m_cur = n.outputs[0];
        m_lastMatMul = false;
    }
    void alias(const Node& n) { m_cur = n.outputs[0]; }
    void flatten(const Node& n)
    {
        // A flatten right before a dense layer is implicit in DigitPad:
        // the next Gemm/MatMul drops it again (see dense()).
        addLayer(n, {"flatten", {}}, {m_shape.size(), 1, 1}, true);
    }
    void dense(const Node& n, std::vector<float> weightOutIn, int units, std::vector<float> bias);
    void conv(const Node& n);
    void pool(const Node& n);
    void reshape(const Node& n);
    std::vector<std::int64_t> shapeValue(const Node& n, std::size_t input) const;

    const onnx::ModelProto& m_model;
    const std::string& m_name;
    std::int64_t m_opset = 0;
    std::map<std::string, Tensor> m_consts;
    std::vector<LayerOut> m_layers;
    std::string m_cur;
    Shape3 m_shape{1, 28, 28};
    bool m_flat = false;
    bool m_lastMatMul = false;  // the last layer is a MatMul's dense, still without its bias
    bool m_ended = false;       // a Softmax/LogSoftmax was seen: nothing may follow
    std::size_t m_index = 0;
};

bool Importer::used(const std::string& value) const
{
    for (const Node& n : m_model.graph.nodes)
        for (const std::string& i : n.inputs)
            if (i == value)
                return true;
    for (const auto& o : m_model.graph.outputs)
        if (o.name == value)
            return true;
    return false;
}

void Importer::checkOpset()
{
    for (const onnx::OpsetId& o : m_model.opsets)
        if (o.domain.empty() || o.domain == "ai.onnx")
            m_opset = o.version;
    if (m_opset == 0)
        fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "the model imports no version of the standard ONNX operator set")));
    if (m_opset < kOnnxMinImportOpset || m_opset > kOnnxMaxImportOpset)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "opset %1 is not supported (DigitPad imports opsets %2 to %3)"),
            std::to_string(m_opset), std::to_string(kOnnxMinImportOpset), std::to_string(kOnnxMaxImportOpset)));
}

void Importer::checkInput()
{
    const onnx::Graph& g = m_model.graph;
    std::vector<const onnx::ValueInfo*> inputs;
    for (const auto& in : g.inputs)
        if (!constant(in.name))  // older exports list the initializers as inputs too
            inputs.push_back(&in);
    if (inputs.size() != 1)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the graph has %1 inputs; DigitPad needs one, a 1x28x28 image"),
            std::to_string(inputs.size())));
    const onnx::ValueInfo& in = *inputs.front();
    const auto dims = [&] {
        std::string s;
        for (std::size_t i = 0; i < in.dims.size(); ++i)
        {
            if (i)
                s += 'x';
            s += in.dims[i] >= 0 ? std::to_string(in.dims[i]) : in.params[i].empty() ? std::string("?") : in.params[i];
        }
        return s;
    };
    if (in.elemType != onnx::kFloat)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the input '%1' is of ONNX type %2; DigitPad needs float images"),
            in.name, std::to_string(in.elemType)));
    if (!in.hasShape)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the input '%1' has no shape; DigitPad needs N x 1 x 28 x 28"),
            in.name));
    const bool ok = in.dims.size() == 4 && (in.dims[0] < 0 || in.dims[0] >= 1) && in.dims[1] == 1 &&
                    in.dims[2] == 28 && in.dims[3] == 28;
    if (!ok)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the input '%1' is %2; DigitPad draws 1x28x28 images (input N x 1 x 28 x 28)"),
            in.name, dims()));
    if (g.outputs.size() != 1)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the graph has %1 outputs; DigitPad needs one, the 10 class scores"),
            std::to_string(g.outputs.size())));
    m_cur = in.name;
}

std::vector<std::int64_t> Importer::shapeValue(const Node& n, std::size_t input) const
{
    const Tensor& t = needConstant(n, input, "shape");
    if (t.dataType != onnx::kInt64 && t.dataType != onnx::kInt32)
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "its shape '%1' is not an integer tensor"), t.name));
    return t.ints;
}

void Importer::dense(const Node& n, std::vector<float> w, int units, std::vector<float> bias)
{
    // DigitPad's dense flattens its input itself: a flatten just before it is dropped.
    if (!m_layers.empty() && m_layers.back().spec == "flatten")
        m_layers.pop_back();
    const int in = m_shape.size();
    if (w.size() != std::size_t(units) * std::size_t(in))
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "its weights have %1 values for %2 inputs and %3 outputs"),
            std::to_string(w.size()), std::to_string(in), std::to_string(units)));
    addLayer(n, {"dense " + std::to_string(units), {std::move(w), std::move(bias)}}, {units, 1, 1}, true);
}

void Importer::conv(const Node& n)
{
    if (m_flat)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "reads a flattened tensor; DigitPad's Conv reads N x C x H x W")));
    const Tensor& wt = needConstant(n, 1, "weight");
    const std::vector<float>& w = floats(n, wt, "weight");
    if (wt.dims.size() != 4)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "its weight has %1 dimensions; a 2-D convolution needs 4"),
            std::to_string(wt.dims.size())));
    const std::int64_t f = wt.dims[0], c = wt.dims[1], kh = wt.dims[2], kw = wt.dims[3];
    if (intAttr(n, "group", 1) != 1)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "is a grouped convolution (group %1); DigitPad supports group 1"),
            std::to_string(intAttr(n, "group", 1))));
    if (c != m_shape.c)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "its weight expects %1 input channels, the layer before gives %2"),
            std::to_string(c), std::to_string(m_shape.c)));
    if (kh != kw)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "has a %1x%2 kernel; DigitPad supports square kernels"),
            std::to_string(kh), std::to_string(kw)));
    for (const std::int64_t d : intsAttr(n, "dilations"))
        if (d != 1)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has dilation %1; DigitPad supports dilation 1"),
                std::to_string(d)));
    std::vector<std::int64_t> strides = intsAttr(n, "strides");
    if (strides.empty())
        strides = {1, 1};
    if (strides.size() != 2 || strides[0] != strides[1] || strides[0] < 1)
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has strides that are not the same in both directions")));
    std::int64_t pad = 0;
    const onnx::Attribute* autoPad = n.attribute("auto_pad");
    const std::string ap = autoPad ? autoPad->s : "NOTSET";
    if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
        if (strides[0] != 1 || kh % 2 == 0)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has auto_pad %1 with stride %2 and kernel %3; DigitPad pads the same on all sides (stride 1, odd "
                "kernel)"),
                ap, std::to_string(strides[0]), std::to_string(kh)));
        pad = kh / 2;
    } else if (ap == "NOTSET" || ap == "VALID" || ap.empty()) {
        std::vector<std::int64_t> pads = intsAttr(n, "pads");
        if (ap != "VALID" && !pads.empty()) {
            if (pads.size() != 4 || pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3])
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "pads its input unevenly; DigitPad pads the same on all four sides")));
            pad = pads[0];
        }
    } else {
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has auto_pad '%1'"), ap));
    }
    std::vector<float> bias(std::size_t(std::max<std::int64_t>(f, 0)), 0.0f);
    if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
        const Tensor& bt = needConstant(n, 2, "bias");
        bias = floats(n, bt, "bias");
        if (std::int64_t(bias.size()) != f)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has %1 biases for %2 filters"),
                std::to_string(bias.size()), std::to_string(f)));
    }
    if (f < 1 || f > 100000 || kh < 1 || kh > 64 || pad < 0 || pad > kh / 2)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "has %1 filters of %2x%3 with padding %4; DigitPad supports up to 100000 filters, kernels up to 64 and "
            "padding up to half the kernel"),
            std::to_string(f), std::to_string(kh), std::to_string(kh), std::to_string(pad)));
    std::string spec = "conv " + std::to_string(f) + " " + std::to_string(kh);
    if (strides[0] != 1)
        spec += " stride=" + std::to_string(strides[0]);
    if (pad)
        spec += " pad=" + std::to_string(pad);
    const int hp = m_shape.h + 2 * int(pad), wp = m_shape.w + 2 * int(pad);
    if (hp < kh || wp < kh)
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "its kernel does not fit its %1 input"), m_shape.str()));
    const Shape3 out{int(f), (hp - int(kh)) / int(strides[0]) + 1, (wp - int(kh)) / int(strides[0]) + 1};
    addLayer(n, {spec, {w, bias}}, out, false);
}

void Importer::pool(const Node& n)
{
    if (m_flat)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "reads a flattened tensor; DigitPad's MaxPool reads N x C x H x W")));
    const std::vector<std::int64_t> k = intsAttr(n, "kernel_shape");
    if (k.size() != 2 || k[0] != k[1] || k[0] < 1 || k[0] > 64)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "has a kernel that is not square (DigitPad pools k x k windows, k up to 64)")));
    std::vector<std::int64_t> s = intsAttr(n, "strides");
    if (s.empty())
        s = {1, 1};  // ONNX's default, unlike DigitPad's (the window)
    if (s.size() != 2 || s[0] != s[1] || s[0] < 1 || s[0] > 64)
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has strides that are not the same in both directions")));
    for (const std::int64_t p : intsAttr(n, "pads"))
        if (p != 0)
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "pads its input; DigitPad's MaxPool has no padding")));
    for (const std::int64_t d : intsAttr(n, "dilations"))
        if (d != 1)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has dilation %1; DigitPad supports dilation 1"),
                std::to_string(d)));
    const onnx::Attribute* autoPad = n.attribute("auto_pad");
    if (autoPad && autoPad->s != "NOTSET" && autoPad->s != "VALID" && !autoPad->s.empty())
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "has auto_pad '%1'; DigitPad's MaxPool has no padding"),
            autoPad->s));
    if (m_shape.h < k[0] || m_shape.w < k[0])
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "its window does not fit its %1 input"), m_shape.str()));
    // ceil_mode gives the same shape as floor when the windows fit exactly.
    if (intAttr(n, "ceil_mode", 0) != 0 && ((m_shape.h - k[0]) % s[0] != 0 || (m_shape.w - k[0]) % s[0] != 0))
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "rounds its output size up (ceil_mode); DigitPad rounds down")));
    if (intAttr(n, "storage_order", 0) != 0)
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has storage_order 1")));
    std::string spec = "maxpool " + std::to_string(k[0]);
    if (s[0] != k[0])
        spec += " stride=" + std::to_string(s[0]);
    const Shape3 out{m_shape.c, (m_shape.h - int(k[0])) / int(s[0]) + 1, (m_shape.w - int(k[0])) / int(s[0]) + 1};
    addLayer(n, {spec, {}}, out, false);
}

void Importer::reshape(const Node& n)
{
    readsCurrent(n);
    std::vector<std::int64_t> target = shapeValue(n, 1);
    const std::vector<std::int64_t> in = m_flat ? std::vector<std::int64_t>{kBatch, m_shape.size()}
                                                : std::vector<std::int64_t>{kBatch, m_shape.c, m_shape.h, m_shape.w};
    const bool allowZero = intAttr(n, "allowzero", 0) != 0;
    for (std::size_t i = 0; i < target.size(); ++i)
        if (target[i] == 0 && !allowZero && i < in.size())
            target[i] = in[i];
    const std::int64_t features = m_shape.size();
    // N x features, as x.view(x.size(0), -1), x.view(-1, F), x.reshape(1, -1) for a batch of 1.
    const bool batchFirst = target.size() == 2 && (target[0] == kBatch || target[0] == -1 || target[0] == 1);
    if (batchFirst && (target[1] == -1 || target[1] == features) && !(target[0] == -1 && target[1] == -1)) {
        if (m_flat)
            alias(n);
        else
            flatten(n);
        return;
    }
    if (target == in) {
        alias(n);
        return;
    }
    // N x F back to N x F x 1 x 1 (what the exporter writes before a conv or
    // maxpool that follows a dense layer): DigitPad's shape is F x 1 x 1 already.
    const bool batch4 = target.size() == 4 && (target[0] == kBatch || target[0] == -1 || target[0] == 1);
    if (m_flat && batch4 && target[1] == features && target[2] == 1 && target[3] == 1) {
        m_flat = false;
        alias(n);
        return;
    }
    std::string s;
    for (std::size_t i = 0; i < target.size(); ++i)
    {
        if (i)
            s += 'x';
        s += target[i] == kBatch ? std::string("N") : std::to_string(target[i]);
    }
    failNode(n, uiText(DIGITPAD_UI_TEXT(
        "nn::ui",
        "reshapes %1 to %2; DigitPad supports a Reshape to N x %3 (a flatten) only"),
        m_shape.str(), s, std::to_string(features)));
}

void Importer::step(const Node& n)
{
    const std::string& op = n.opType;
    if (!n.domain.empty() && n.domain != "ai.onnx")
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "is from the operator domain '%1'; %2"), n.domain, supported()));
    if (n.outputs.empty())
        failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has no output")));

    // Constants and the shape arithmetic of a flatten.
    if (op == "Constant") {
        const onnx::Attribute* v = n.attribute("value");
        Tensor t;
        if (v && !v->tensor.empty()) {
            t = v->tensor.front();
        } else if (const onnx::Attribute* f = n.attribute("value_float")) {
            t.dataType = onnx::kFloat;
            t.floats = {f->f};
        } else if (const onnx::Attribute* fs = n.attribute("value_floats")) {
            t.dataType = onnx::kFloat;
            t.floats = fs->floats;
            t.dims = {std::int64_t(t.floats.size())};
        } else if (const onnx::Attribute* i = n.attribute("value_int")) {
            t.dataType = onnx::kInt64;
            t.ints = {i->i};
        } else if (const onnx::Attribute* is = n.attribute("value_ints")) {
            t.dataType = onnx::kInt64;
            t.ints = is->ints;
            t.dims = {std::int64_t(t.ints.size())};
        } else {
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has no value DigitPad can read")));
        }
        t.name = n.outputs[0];
        m_consts[n.outputs[0]] = std::move(t);
        return;
    }
    if (op == "Shape") {
        readsCurrent(n);
        Tensor t;
        t.dataType = onnx::kInt64;
        t.ints = m_flat ? std::vector<std::int64_t>{kBatch, m_shape.size()}
                        : std::vector<std::int64_t>{kBatch, m_shape.c, m_shape.h, m_shape.w};
        const std::int64_t r = std::int64_t(t.ints.size());
        std::int64_t start = intAttr(n, "start", 0), end = intAttr(n, "end", r);
        start = std::clamp(start < 0 ? start + r : start, std::int64_t(0), r);
        end = std::clamp(end < 0 ? end + r : end, std::int64_t(0), r);
        t.ints = std::vector<std::int64_t>(t.ints.begin() + start, t.ints.begin() + std::max(start, end));
        t.dims = {std::int64_t(t.ints.size())};
        t.name = n.outputs[0];
        m_consts[n.outputs[0]] = std::move(t);
        return;
    }
    if (op == "Gather" || op == "Unsqueeze" || op == "Concat" || op == "Cast" || op == "Squeeze") {
        if (op == "Cast" && !n.inputs.empty() && n.inputs[0] == m_cur) {
            if (intAttr(n, "to", onnx::kFloat) != onnx::kFloat)
                failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "casts the activations to another type than float")));
            alias(n);
            return;
        }
        for (std::size_t i = 0; i < n.inputs.size(); ++i)
            if (!n.inputs[i].empty() && !constant(n.inputs[i]))
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "computes on '%1', which is not a shape or a constant; %2"),
                    n.inputs[i], supported()));
        Tensor t;
        t.dataType = onnx::kInt64;
        t.name = n.outputs[0];
        if (op == "Concat") {
            if (intAttr(n, "axis", 0) != 0)
                failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "concatenates along an axis other than 0")));
            for (std::size_t i = 0; i < n.inputs.size(); ++i) {
                const std::vector<std::int64_t> v = shapeValue(n, i);
                t.ints.insert(t.ints.end(), v.begin(), v.end());
            }
        } else if (op == "Gather") {
            const std::vector<std::int64_t> data = shapeValue(n, 0);
            const Tensor& idx = needConstant(n, 1, "indices");
            if (intAttr(n, "axis", 0) != 0 || idx.ints.size() != 1 || idx.dims.size() > 1)
                failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "gathers something other than one entry of a shape")));
            std::int64_t k = idx.ints[0];
            if (k < 0)
                k += std::int64_t(data.size());
            if (k < 0 || k >= std::int64_t(data.size()))
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "gathers index %1 of a shape of %2 dimensions"),
                    std::to_string(idx.ints[0]), std::to_string(data.size())));
            t.ints = {data[std::size_t(k)]};
            if (idx.dims.size() == 1)
                t.dims = {1};
        } else if (op == "Cast") {
            const Tensor& src = needConstant(n, 0, "input");
            t = src;
            t.name = n.outputs[0];
        } else {  // Unsqueeze / Squeeze of a scalar or a 1-element vector: the same values
            const Tensor& src = needConstant(n, 0, "input");
            if (src.ints.size() != 1 && src.floats.size() != 1)
                failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "reshapes a constant of more than one value")));
            t = src;
            t.name = n.outputs[0];
            t.dims = op == "Unsqueeze" ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{};
        }
        if (t.dims.empty() && t.ints.size() != 1)
            t.dims = {std::int64_t(t.ints.size())};
        m_consts[n.outputs[0]] = std::move(t);
        return;
    }

    if (op == "Identity") {  // also after the softmax: it only renames
        readsCurrent(n);
        oneOutput(n);
        alias(n);
        return;
    }
    if (m_ended)
        failNode(n, uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "comes after the Softmax/LogSoftmax; DigitPad needs the softmax to be the last node")));
    if (op == "Dropout") {
        readsCurrent(n);
        oneOutput(n);
        float ratio = floatAttr(n, "ratio", 0.5f);
        if (n.inputs.size() > 1 && !n.inputs[1].empty()) {
            const std::vector<float>& r = floats(n, needConstant(n, 1, "ratio"), "ratio");
            if (r.size() != 1)
                failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has a ratio of %1 values"), std::to_string(r.size())));
            ratio = r[0];
        }
        if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
            const Tensor* mode = constant(n.inputs[2]);
            if (!mode || mode->ints.size() != 1 || mode->ints[0] != 0)
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "runs in training mode; DigitPad imports inference graphs")));
        }
        if (!(ratio >= 0.0f && ratio < 1.0f))
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has ratio %1; DigitPad supports dropout rates in [0, 1)"),
                std::to_string(ratio)));
        char buf[32];
        std::snprintf(buf, sizeof buf, "dropout %g", double(ratio));
        addLayer(n, {buf, {}}, m_shape, m_flat);
        return;
    }
    if (op == "Relu" || op == "Sigmoid" || op == "Tanh") {
        readsCurrent(n);
        oneOutput(n);
        std::string s = op;
        s[0] = char(std::tolower(static_cast<unsigned char>(s[0])));
        addLayer(n, {s, {}}, m_shape, m_flat);
        return;
    }
    if (op == "Softmax" || op == "LogSoftmax") {
        readsCurrent(n);
        oneOutput(n);
        const std::int64_t axis = intAttr(n, "axis", m_opset >= 13 ? -1 : 1);
        if (!m_flat || (axis != 1 && axis != -1))
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "is not over the class scores of an N x classes tensor; DigitPad takes a softmax over the classes "
                "at the end only")));
        m_ended = true;  // DigitPad's own softmax gives the probabilities (of LogSoftmax too: exp of it)
        alias(n);
        return;
    }
    if (op == "Flatten") {
        readsCurrent(n);
        oneOutput(n);
        if (intAttr(n, "axis", 1) != 1)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "flattens from axis %1; DigitPad flattens from axis 1"),
                std::to_string(intAttr(n, "axis", 1))));
        if (m_flat)
            alias(n);
        else
            flatten(n);
        return;
    }
    if (op == "Reshape") {
        oneOutput(n);
        reshape(n);
        return;
    }
    if (op == "Conv") {
        readsCurrent(n);
        oneOutput(n);
        conv(n);
        return;
    }
    if (op == "MaxPool") {
        readsCurrent(n);
        oneOutput(n);
        pool(n);
        return;
    }
    if (op == "BatchNormalization") {
        readsCurrent(n);
        oneOutput(n);
        if (intAttr(n, "training_mode", 0) != 0)
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "runs in training mode; DigitPad imports inference graphs")));
        if (n.inputs.size() < 5)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has %1 inputs; BatchNormalization needs 5"),
                std::to_string(n.inputs.size())));
        const char* what[] = {"scale", "bias", "mean", "variance"};
        std::vector<std::vector<float>> p;
        for (std::size_t i = 0; i < 4; ++i) {
            p.push_back(floats(n, needConstant(n, i + 1, what[i]), what[i]));
            if (std::int64_t(p.back().size()) != m_shape.c)
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "has %1 values in its %2 for %3 channels"),
                    std::to_string(p.back().size()), what[i], std::to_string(m_shape.c)));
        }
        // DigitPad's epsilon is 1e-5; another epsilon folds into the variance
        // (sqrt(var + eps) is the same number).
        const float eps = floatAttr(n, "epsilon", 1e-5f);
        if (!(eps >= 0.0f) || !std::isfinite(eps))
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "has epsilon %1"), std::to_string(eps)));
        for (float& v : p[3]) {
            v = v + eps - 1e-5f;
            if (!(v + 1e-5f > 0.0f))
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "has a variance of which the square root is not defined")));
        }
        addLayer(n, {"batchnorm", std::move(p)}, m_shape, m_flat);
        return;
    }
    if (op == "Gemm") {
        readsCurrent(n);
        oneOutput(n);
        if (intAttr(n, "transA", 0) != 0)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "transposes its input (transA); DigitPad's dense layer does not")));
        const Tensor& bt = needConstant(n, 1, "weight");
        const std::vector<float>& b = floats(n, bt, "weight");
        if (bt.dims.size() != 2)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "its weight has %1 dimensions, not 2"),
                std::to_string(bt.dims.size())));
        const bool transB = intAttr(n, "transB", 0) != 0;
        const std::int64_t units = transB ? bt.dims[0] : bt.dims[1], in = transB ? bt.dims[1] : bt.dims[0];
        if (in != m_shape.size())
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "its weight takes %1 inputs, the layer before gives %2"),
                std::to_string(in), std::to_string(m_shape.size())));
        if (units < 1 || units > 100000)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has %1 outputs (DigitPad: 1 to 100000)"),
                std::to_string(units)));
        const float alpha = floatAttr(n, "alpha", 1.0f), beta = floatAttr(n, "beta", 1.0f);
        std::vector<float> w(b.size());
        for (std::int64_t o = 0; o < units; ++o)
            for (std::int64_t i = 0; i < in; ++i)
                w[std::size_t(o * in + i)] = alpha * (transB ? b[std::size_t(o * in + i)] : b[std::size_t(i * units + o)]);
        std::vector<float> bias(std::size_t(units), 0.0f);
        if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
            const Tensor& ct = needConstant(n, 2, "bias");
            const std::vector<float>& c = floats(n, ct, "bias");
            if (c.size() == std::size_t(units))
                for (std::size_t o = 0; o < c.size(); ++o)
                    bias[o] = beta * c[o];
            else if (c.size() == 1)
                for (float& v : bias)
                    v = beta * c[0];
            else
                failNode(n, uiText(DIGITPAD_UI_TEXT(
                    "nn::ui",
                    "has %1 biases for %2 outputs"),
                    std::to_string(c.size()), std::to_string(units)));
        }
        dense(n, std::move(w), int(units), std::move(bias));
        return;
    }
    if (op == "MatMul") {
        readsCurrent(n);
        oneOutput(n);
        const Tensor& bt = needConstant(n, 1, "weight");
        const std::vector<float>& b = floats(n, bt, "weight");
        if (bt.dims.size() != 2 || bt.dims[0] != m_shape.size())
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "its weight is not a matrix of %1 rows (the inputs)"),
                std::to_string(m_shape.size())));
        const std::int64_t in = bt.dims[0], units = bt.dims[1];
        if (units < 1 || units > 100000)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "has %1 outputs (DigitPad: 1 to 100000)"),
                std::to_string(units)));
        if (!m_flat && m_shape.size() != m_shape.c)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "multiplies an N x C x H x W tensor; DigitPad's dense layer needs it flattened first")));
        std::vector<float> w(b.size());
        for (std::int64_t o = 0; o < units; ++o)
            for (std::int64_t i = 0; i < in; ++i)
                w[std::size_t(o * in + i)] = b[std::size_t(i * units + o)];
        dense(n, std::move(w), int(units), std::vector<float>(std::size_t(units), 0.0f));
        m_lastMatMul = true;
        return;
    }
    if (op == "Add") {
        oneOutput(n);
        if (n.inputs.size() != 2 || !m_lastMatMul)
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "is not the bias of a MatMul; DigitPad supports Add only as the bias right after a MatMul")));
        const std::size_t other = n.inputs[0] == m_cur ? 1 : n.inputs[1] == m_cur ? 0 : 2;
        if (other == 2)
            failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "does not read the output of the MatMul before it")));
        const std::vector<float>& c = floats(n, needConstant(n, other, "bias"), "bias");
        std::vector<float>& bias = m_layers.back().params[1];
        if (c.size() != bias.size())
            failNode(n, uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "adds %1 values to %2 outputs"),
                std::to_string(c.size()), std::to_string(bias.size())));
        bias = c;
        m_cur = n.outputs[0];
        m_lastMatMul = false;
        return;
    }
    failNode(n, uiText(DIGITPAD_UI_TEXT("nn::ui", "is not supported; %1"), supported()));
}

Model Importer::run()
{
    if (!m_model.hasGraph)
        fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "not a valid ONNX model: it has no graph")));
    checkOpset();
    for (const Tensor& t : m_model.graph.initializers)
        m_consts[t.name] = t;
    checkInput();
    for (m_index = 0; m_index < m_model.graph.nodes.size(); ++m_index)
        step(m_model.graph.nodes[m_index]);
    const std::string& output = m_model.graph.outputs.front().name;
    if (output != m_cur)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the graph's output '%1' is not the end of its chain of layers ('%2')"),
            output, m_cur));
    if (m_layers.empty())
        fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "the graph has no layers")));
    if (!m_flat)
        m_layers.push_back({"flatten", {}});
    if (m_shape.size() != kDigitClasses)
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "the network gives %1 outputs (%2); DigitPad needs 10 class scores"),
            std::to_string(m_shape.size()), m_shape.str()));

    std::string spec;
    for (const LayerOut& l : m_layers)
        spec += (spec.empty() ? "" : " | ") + l.spec;
    std::optional<Model> model;
    try {
        model.emplace(Model::fromSpec(spec, kDigitInput, kDigitClasses));
    } catch (const SpecError& e) {
        fail(uiText(DIGITPAD_UI_TEXT("nn::ui", "the network cannot be a DigitPad model (%1): %2"), spec, e.text()));
    }
    std::vector<const std::vector<float>*> values;
    for (const LayerOut& l : m_layers)
        for (const auto& p : l.params)
            values.push_back(&p);
    const auto& views = model->paramViews();
    if (views.size() != values.size())
        fail(uiText(DIGITPAD_UI_TEXT(
            "nn::ui",
            "internal: %1 tensors for %2 parameters"),
            std::to_string(values.size()), std::to_string(views.size())));
    for (std::size_t i = 0; i < views.size(); ++i) {
        if (values[i]->size() != views[i].spec.size())
            fail(uiText(DIGITPAD_UI_TEXT(
                "nn::ui",
                "internal: tensor for %1 has %2 values, needs %3"),
                views[i].name, std::to_string(values[i]->size()), std::to_string(views[i].spec.size())));
        std::copy(values[i]->begin(), values[i]->end(), model->params().begin() + std::ptrdiff_t(views[i].offset));
    }
    for (const auto& [k, v] : m_model.metadata)
        if (k != "digitpad_spec")
            model->metadata()[k] = v;
    const std::size_t slash = m_name.find_last_of('/');
    model->metadata()["imported_from"] = slash == std::string::npos ? m_name : m_name.substr(slash + 1);
    std::string producer = m_model.producerName.empty() ? "unknown" : m_model.producerName;
    if (!m_model.producerVersion.empty())
        producer += " " + m_model.producerVersion;
    model->metadata()["onnx_producer"] = producer + ", opset " + std::to_string(m_opset);
    checkFiniteOutputs(*model, m_name);
    return std::move(*model);
}

}  // namespace

Model onnxToModel(const std::uint8_t* data, std::size_t size, const std::string& name)
{
    const onnx::ModelProto m = onnx::parseModel(data, size, name);
    return Importer(m, name).run();
}

Model loadOnnx(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, kOnnxMaxFileBytes);
    return onnxToModel(bytes.data(), bytes.size(), path);
}

}  // namespace nn
