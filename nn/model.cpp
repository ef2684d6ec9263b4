#include "model.h"
#include "uitext.h"

#include "errors.h"
#include "layers/activation.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/fused.h"
#include "layers/maxpool2d.h"
#include "random.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <sstream>

namespace nn {

std::string Shape3::str() const
{
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

namespace {

std::string trim(std::string_view s)
{
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a])))
        ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1])))
        --b;
    return std::string(s.substr(a, b - a));
}

int editDistance(const std::string& a, const std::string& b)
{
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Limits of the spec language. With at most 100 layers, 100000 filters or
// units, kernels of at most 64 and padding of at most half the kernel, a
// 28x28 input never grows past 128x128 and no shape or fan-in overflows int
// (100000 * 128 * 128 < 2^31, 100000 * 64 * 64 < 2^31).
constexpr std::size_t kMaxSpecLayers = 100;
constexpr int kMaxKernel = 64;

struct LayerText {
    int index;             // 1-based, as people count
    std::string text;      // the layer's text
    std::vector<std::string> args;
    std::map<std::string, std::string> options;
};

[[noreturn]] void fail(const LayerText& l, UiText what)
{
    throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "layer %1 '%2': %3"), l.index, l.text, std::move(what)));
}

int toInt(const LayerText& l, const std::string& s, const char* what)
{
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 must be an integer, got '%2'"), what, s));
    if (v <= 0 && std::string(what) != "pad")
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 must be positive, got %2"), what, s));
    if (v < 0)
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 must not be negative, got %2"), what, s));
    if (v > 100000)
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 is too large: %2"), what, s));
    return v;
}

float toFloat(const LayerText& l, const std::string& s, const char* what)
{
    char* end = nullptr;
    errno = 0;
    const float v = std::strtof(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v))
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 must be a number, got '%2'"), what, s));
    return v;
}

const std::vector<std::string>& layerNames()
{
    static const std::vector<std::string> names = {"conv", "maxpool", "dense", "relu", "sigmoid", "tanh",
                                                   "dropout", "batchnorm", "flatten"};
    return names;
}

void expectArgs(const LayerText& l, std::size_t n, UiText usage)
{
    if (l.args.size() != n)
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "expected %1"), usage));
}

void allowOptions(const LayerText& l, std::initializer_list<const char*> allowed)
{
    for (const auto& option : l.options) {
        const std::string& k = option.first;  // a named variable: clang 14 cannot capture bindings
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }))
            fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "unknown option '%1'"), k));
    }
}

Init parseInit(const LayerText& l)
{
    auto it = l.options.find("init");
    if (it == l.options.end() || it->second == "he")
        return Init::He;
    if (it->second == "xavier" || it->second == "glorot")
        return Init::Xavier;
    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "init must be 'he' or 'xavier', got '%1'"), it->second));
}

std::unique_ptr<Layer> makeLayer(const LayerText& l)
{
    std::string name = l.args.empty() ? std::string() : l.args[0];
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "conv" || name == "conv2d") {
        expectArgs(l, 3, verbatim("'conv FILTERS KERNEL [stride=S] [pad=P] [init=he|xavier]'"));
        allowOptions(l, {"stride", "pad", "init"});
        const int filters = toInt(l, l.args[1], "filters");
        const int k = toInt(l, l.args[2], "kernel");
        const int stride = l.options.count("stride") ? toInt(l, l.options.at("stride"), "stride") : 1;
        // Bounds that keep every shape and fan-in of a spec for a 28x28 input
        // within int (see kMaxSpecLayers): a kernel of at most 64 and padding
        // of at most half the kernel, so no layer grows the image by more
        // than one pixel.
        if (k > kMaxKernel)
            fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "kernel %1 is too large (at most %2)"), l.args[2], kMaxKernel));
        int pad = 0;
        if (l.options.count("pad")) {
            if (l.options.at("pad") == "same") {
                if (k % 2 == 0)
                    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "pad=same needs an odd kernel")));
                pad = k / 2;
            } else {
                pad = toInt(l, l.options.at("pad"), "pad");
                if (pad > k / 2)
                    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "pad %1 is more than half the kernel %2 (at most %3)"),
                                   l.options.at("pad"), l.args[2], k / 2));
            }
        }
        return std::make_unique<Conv2D>(filters, k, stride, pad, parseInit(l));
    }
    if (name == "maxpool" || name == "pool" || name == "maxpool2d") {
        expectArgs(l, 2, verbatim("'maxpool SIZE [stride=S]'"));
        allowOptions(l, {"stride"});
        const int k = toInt(l, l.args[1], "size");
        const int stride = l.options.count("stride") ? toInt(l, l.options.at("stride"), "stride") : 0;
        return std::make_unique<MaxPool2D>(k, stride);
    }
    if (name == "dense" || name == "fc" || name == "linear") {
        expectArgs(l, 2, verbatim("'dense UNITS [init=he|xavier]'"));
        allowOptions(l, {"init"});
        return std::make_unique<Dense>(toInt(l, l.args[1], "units"), parseInit(l));
    }
    if (name == "dropout") {
        expectArgs(l, 2, uiText(DIGITPAD_UI_TEXT("nn::ui", "'%1' with RATE in [0, 1)"), "dropout RATE"));
        allowOptions(l, {});
        const float p = toFloat(l, l.args[1], "rate");
        if (!(p >= 0.0f && p < 1.0f))
            fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "rate must be in [0, 1), got %1"), l.args[1]));
        return std::make_unique<Dropout>(p);
    }
    if (name == "batchnorm" || name == "bn") {
        expectArgs(l, 1, uiText(DIGITPAD_UI_TEXT("nn::ui", "'%1' without arguments"), "batchnorm"));
        allowOptions(l, {});
        return std::make_unique<BatchNorm>();
    }
    auto simple = [&](auto make) {
        expectArgs(l, 1, uiText(DIGITPAD_UI_TEXT("nn::ui", "'%1' without arguments"), name));
        allowOptions(l, {});
        return make();
    };
    if (name == "relu")
        return simple([] { return std::make_unique<ReLU>(); });
    if (name == "sigmoid")
        return simple([] { return std::make_unique<Sigmoid>(); });
    if (name == "tanh")
        return simple([] { return std::make_unique<Tanh>(); });
    if (name == "flatten")
        return simple([] { return std::make_unique<Flatten>(); });

    std::string best;
    int bestDist = 3;
    for (const auto& n : layerNames()) {
        const int d = editDistance(name, n);
        if (d < bestDist) {
            bestDist = d;
            best = n;
        }
    }
    if (!best.empty())
        fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "unknown layer '%1' (did you mean '%2'?)"), name, best));
    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "unknown layer '%1' (known: %2)"), name,
                   "conv, maxpool, dense, relu, sigmoid, tanh, dropout, batchnorm, flatten"));
}

std::vector<LayerText> splitSpec(std::string_view spec)
{
    if (spec.size() > 10000)
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "architecture spec is too long (%1 characters)"), spec.size()));
    std::vector<LayerText> out;
    std::size_t start = 0;
    int index = 1;
    while (start <= spec.size()) {
        std::size_t bar = spec.find('|', start);
        if (bar == std::string_view::npos)
            bar = spec.size();
        LayerText l;
        l.index = index++;
        l.text = trim(spec.substr(start, bar - start));
        if (l.text.empty())
            throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "layer %1 is empty (two '|' in a row, or a '|' at an end)"),
                                   l.index));
        std::istringstream words(l.text);
        std::string w;
        while (words >> w) {
            auto eq = w.find('=');
            if (eq == std::string::npos) {
                if (!l.options.empty())
                    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "'%1' must come before the key=value options"), w));
                l.args.push_back(w);
            } else {
                std::string key = w.substr(0, eq);
                if (key.empty() || eq + 1 == w.size())
                    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "malformed option '%1' (expected key=value)"), w));
                if (l.options.count(key))
                    fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "option '%1' given twice"), key));
                l.options[key] = w.substr(eq + 1);
            }
        }
        if (l.args.empty())
            fail(l, uiText(DIGITPAD_UI_TEXT("nn::ui", "missing the layer name")));
        out.push_back(std::move(l));
        start = bar + 1;
        if (bar == spec.size())
            break;
    }
    if (out.size() > kMaxSpecLayers)
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "architecture spec has too many layers (%1, at most %2)"),
                               out.size(), kMaxSpecLayers));
    return out;
}

}  // namespace

std::vector<std::unique_ptr<Layer>> parseSpec(std::string_view spec)
{
    if (trim(spec).empty())
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "architecture spec is empty")));
    std::vector<std::unique_ptr<Layer>> layers;
    for (const auto& l : splitSpec(spec))
        layers.push_back(makeLayer(l));
    return layers;
}

const std::vector<Model::Preset>& Model::presets()
{
    static const std::vector<Preset> list = {
        {"mlp", DIGITPAD_UI_TEXT("nn::ui", "MLP"), "dense 256 | relu | dense 128 | relu | dense 10"},
        {"lenet5", DIGITPAD_UI_TEXT("nn::ui", "LeNet-5"),
         "conv 6 5 | relu | maxpool 2 | conv 16 5 | relu | maxpool 2 | dense 120 | relu | dense 84 | relu | dense 10"},
        {"cnn", DIGITPAD_UI_TEXT("nn::ui", "Default CNN"),
         "conv 32 5 pad=2 | batchnorm | relu | maxpool 2 | conv 64 5 pad=2 | batchnorm | relu | maxpool 2 | "
         "dense 128 | relu | dropout 0.4 | dense 10"},
        {"ref", DIGITPAD_UI_TEXT("nn::ui", "Reference CNN"),
         "conv 16 5 pad=2 | relu | maxpool 2 | conv 32 5 pad=2 | relu | maxpool 2 | dense 128 | relu | "
         "dropout 0.5 | dense 10"},
    };
    return list;
}

std::string Model::presetSpec(std::string_view name)
{
    if (name == "default")
        name = "cnn";
    std::string known;
    for (const Preset& p : presets()) {
        if (name == p.name)
            return p.spec;
        known += (known.empty() ? "" : ", ") + std::string(p.name);
    }
    throw SpecError("unknown preset '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> Model::presetNames()
{
    std::vector<std::string> names;
    for (const Preset& p : presets())
        names.push_back(p.name);
    return names;
}

Model Model::fromSpec(std::string_view spec, Shape3 input, int classes)
{
    if (input.c <= 0 || input.h <= 0 || input.w <= 0 || input.size() > (1 << 22))
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "input shape %1 is not usable"), input.str()));
    Model m;
    m.m_input = input;
    m.m_prototypes = parseSpec(spec);
    // Shape-check the whole chain once, naming the layer and shapes on failure.
    Shape3 shape = input;
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < m.m_prototypes.size(); ++i) {
        auto& layer = m.m_prototypes[i];
        try {
            shape = layer->setup(shape);
        } catch (const SpecError& e) {
            throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "layer %1 '%2' with input %3: %4"), i + 1, layer->spec(),
                                   layer->inputShape().str(), e.text()));
        }
        texts.push_back(layer->spec());
    }
    checkOutputs(shape, classes);
    m.m_outputs = shape.size();
    std::string canonical;
    for (std::size_t i = 0; i < texts.size(); ++i)
        canonical += (i ? " | " : "") + texts[i];
    m.m_spec = canonical;
    m.build();
    m.initialize(0x0d16'17ad);
    return m;
}

Model::SpecSummary Model::checkSpec(std::string_view spec, Shape3 input, int classes)
{
    if (input.c <= 0 || input.h <= 0 || input.w <= 0 || input.size() > (1 << 22))
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "input shape %1 is not usable"), input.str()));
    SpecSummary out;
    Shape3 shape = input;
    std::size_t i = 0;
    for (const auto& layer : parseSpec(spec)) {
        ++i;
        try {
            shape = layer->setup(shape);
        } catch (const SpecError& e) {
            throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "layer %1 '%2' with input %3: %4"), i, layer->spec(),
                                   layer->inputShape().str(), e.text()));
        }
        for (const auto& p : layer->params())
            out.params += (long long)p.size();
        out.flops += layer->flopsPerSample();
        out.spec += (out.spec.empty() ? "" : " | ") + layer->spec();
    }
    checkOutputs(shape, classes);
    return out;
}

void Model::checkOutputs(Shape3 shape, int classes)
{
    if (classes > 0 && shape.size() != classes)
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "the last layer must produce %1 outputs (one per class), got "
                                                          "%2 = %3 (end the spec with '%4')"),
                               classes, shape.str(), shape.size(), "dense " + std::to_string(classes)));
}

std::string paramViewName(std::size_t index, const Layer& layer, const ParamSpec& param)
{
    return std::to_string(index) + "." + layer.kind() + "." + param.name;
}

void Model::build()
{
    if (m_prototypes.empty()) {
        m_prototypes = parseSpec(m_spec);
        Shape3 s = m_input;
        for (auto& l : m_prototypes)
            s = l->setup(s);
        m_outputs = s.size();
    }
    m_views.clear();
    m_layerOffsets.clear();
    std::size_t offset = 0;
    for (std::size_t i = 0; i < m_prototypes.size(); ++i) {
        m_layerOffsets.push_back(offset);
        for (const auto& p : m_prototypes[i]->params()) {
            if (p.size() > (std::size_t(1) << 28))
                throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "layer %1 '%2' has %3 parameters in its %4, more than "
                                                                  "the limit of %5"),
                                       i + 1, m_prototypes[i]->spec(), p.size(), p.name, 268435456));
            m_views.push_back({paramViewName(i, *m_prototypes[i], p), p, offset});
            offset += p.size();
        }
    }
    if (offset > (std::size_t(1) << 28))
        throw SpecError(
            uiText(DIGITPAD_UI_TEXT("nn::ui", "model has %1 parameters, more than the limit of %2"), offset, 268435456));
    m_params.assign(offset, 0.0f);
    m_pool = std::make_unique<Pool>();
}

Model::Model(const Model& o)
    : m_spec(o.m_spec), m_input(o.m_input), m_outputs(o.m_outputs), m_metadata(o.m_metadata)
{
    build();
    m_params = o.m_params;
}

Model& Model::operator=(const Model& o)
{
    if (this != &o) {
        Model copy(o);
        *this = std::move(copy);
    }
    return *this;
}

Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

namespace {

void initializeView(const ParamView& v, float* p, SplitMix64& rng)
{
    const std::size_t n = v.spec.size();
    switch (v.spec.kind) {
    case ParamSpec::Weight: {
        // He et al. 2015 (normal, std sqrt(2/fan_in)) or Glorot & Bengio 2010 (uniform).
        if (v.spec.init == Init::He) {
            // The draws of random.h: the same model for a seed on every CPU level.
            const float sd = std::sqrt(2.0f / float(v.spec.fanIn));
            for (std::size_t i = 0; i < n; ++i)
                p[i] = rng.normal(0.0f, sd);
        } else {
            const float a = std::sqrt(6.0f / float(v.spec.fanIn + v.spec.fanOut));
            for (std::size_t i = 0; i < n; ++i)
                p[i] = rng.uniform(-a, a);
        }
        break;
    }
    case ParamSpec::Bias:
        std::fill(p, p + n, 0.0f);
        break;
    case ParamSpec::Ones:
        std::fill(p, p + n, 1.0f);
        break;
    case ParamSpec::Stat:
        std::fill(p, p + n, v.spec.name == "running_var" ? 1.0f : 0.0f);
        break;
    }
}

}  // namespace

void Model::initialize(std::uint64_t seed)
{
    SplitMix64 rng{seed};
    for (const auto& v : m_views)
        initializeView(v, m_params.data() + v.offset, rng);
}

void Model::initializeLayer(std::size_t index, std::uint64_t seed)
{
    if (index >= m_prototypes.size())
        throw SpecError("initializeLayer: layer " + std::to_string(index) + " requested, the model has " +
                        std::to_string(m_prototypes.size()));
    SplitMix64 rng{seed};
    const std::string prefix = std::to_string(index) + ".";
    for (const auto& v : m_views)
        if (v.name.compare(0, prefix.size(), prefix) == 0 && v.spec.kind != ParamSpec::Stat)
            initializeView(v, m_params.data() + v.offset, rng);
}

const std::vector<std::unique_ptr<Layer>>& Model::layers() const { return m_prototypes; }

std::vector<LayerInfo> Model::layerInfo() const
{
    std::vector<LayerInfo> out;
    for (std::size_t i = 0; i < m_prototypes.size(); ++i) {
        std::size_t n = 0;
        for (const auto& p : m_prototypes[i]->params())
            n += p.size();
        out.push_back({m_prototypes[i]->spec(), m_prototypes[i]->outputShape(), n});
    }
    return out;
}

double Model::flopsPerSample() const
{
    double f = 0;
    for (const auto& l : m_prototypes)
        f += l->flopsPerSample();
    return f;
}

std::size_t Model::trainableCount() const
{
    std::size_t n = 0;
    for (const auto& v : m_views)
        if (v.spec.kind != ParamSpec::Stat)
            n += v.spec.size();
    return n;
}

void Model::applyStatistics(const std::vector<float>& grads, int replicas)
{
    applyStatistics(grads.data(), replicas, 0, m_params.size());
}

void Model::applyStatistics(const float* grads, int replicas, std::size_t lo, std::size_t hi)
{
    for (std::size_t i = 0; i < m_views.size(); ++i) {
        const auto& v = m_views[i];
        if (v.spec.kind != ParamSpec::Stat)
            continue;
        // The owning BatchNorm's momentum; all our BatchNorms use the default.
        const float momentum = 0.1f;
        const std::size_t a = std::max(lo, v.offset), b = std::min(hi, v.offset + v.spec.size());
        for (std::size_t j = a; j < b; ++j) {
            const float batch = grads[j] / float(replicas);
            float& run = m_params[j];
            run = (1.0f - momentum) * run + momentum * batch;
        }
    }
}

void Model::logits(const float* x, int n, float* out) const
{
    std::unique_ptr<Net> net;
    std::unique_ptr<Tensor> input;
    {
        std::lock_guard lock(m_pool->mutex);
        if (!m_pool->free.empty()) {
            net = std::move(m_pool->free.back());
            m_pool->free.pop_back();
            input = std::move(m_pool->inputs.back());
            m_pool->inputs.pop_back();
        }
    }
    if (!net) {
        net = std::make_unique<Net>(const_cast<Model&>(*this), true, Net::Use::Infer);  // never writes values
        input = std::make_unique<Tensor>();
    }
    const int chunk = 32;  // images per forward: activations stay in cache
    for (int start = 0; start < n; start += chunk) {
        const int m = std::min(chunk, n - start);
        input->resize(m, m_input);
        std::copy(x + std::size_t(start) * m_input.size(), x + std::size_t(start + m) * m_input.size(), input->data());
        const Tensor& y = net->forward(*input, Mode::Infer);
        std::copy(y.data(), y.data() + y.size(), out + std::size_t(start) * m_outputs);
    }
    std::lock_guard lock(m_pool->mutex);
    m_pool->free.push_back(std::move(net));
    m_pool->inputs.push_back(std::move(input));
}

void Model::predict(const float* x, int n, float* probs) const
{
    logits(x, n, probs);
    for (int i = 0; i < n; ++i) {
        float* p = probs + std::size_t(i) * m_outputs;
        const float mx = *std::max_element(p, p + m_outputs);
        float sum = 0.0f;
        for (int k = 0; k < m_outputs; ++k) {
            p[k] = std::exp(p[k] - mx);
            sum += p[k];
        }
        for (int k = 0; k < m_outputs; ++k)
            p[k] /= sum;
    }
}

Net::Net(Model& model, bool fuse, Use use)
{
    m_grads.assign(model.m_params.size(), 0.0f);
    const auto& protos = model.m_prototypes;
    for (std::size_t i = 0; i < protos.size(); ++i) {
        std::unique_ptr<Layer> layer;
        const std::size_t first = i;
        if (fuse && i + 2 < protos.size() && ConvReluPool::fusable(*protos[i], *protos[i + 1], *protos[i + 2])) {
            layer = std::make_unique<ConvReluPool>(static_cast<const Conv2D&>(*protos[i]));
            layer->setup(protos[i]->inputShape());
            i += 2;
        } else if (fuse && use == Use::Infer && i + 3 < protos.size() &&
                   ConvReluPool::fusableWithBatchNorm(*protos[i], *protos[i + 1], *protos[i + 2], *protos[i + 3])) {
            layer = std::make_unique<ConvReluPool>(static_cast<const Conv2D&>(*protos[i]),
                                                   static_cast<const BatchNorm*>(protos[i + 1].get()));
            layer->setup(protos[i]->inputShape());
            i += 3;
        } else {
            layer = protos[i]->clone();
        }
        layer->bind(model.m_params.data() + model.m_layerOffsets[first], m_grads.data() + model.m_layerOffsets[first]);
        m_layers.push_back(std::move(layer));
        m_specIndex.push_back(int(first));
    }
    // Nobody reads the gradient with respect to the input images.
    if (!m_layers.empty())
        m_layers.front()->setInputGradientNeeded(false);
}

const Tensor& Net::forward(const Tensor& x, Mode mode)
{
    const Tensor* cur = &x;
    for (auto& l : m_layers)
        cur = &l->forward(*cur, mode);
    return *cur;
}

const Tensor& Net::backward(const Tensor& dLogits, std::size_t downTo)
{
    const Tensor* cur = &dLogits;
    for (std::size_t i = m_layers.size(); i-- > downTo;)
        cur = &m_layers[i]->backward(*cur);
    return *cur;
}

void Net::setInputGradientNeeded(bool needed)
{
    if (!m_layers.empty())
        m_layers.front()->setInputGradientNeeded(needed);
}

void Net::setSeed(std::uint64_t seed)
{
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        m_layers[i]->setSeed(seed * 0x9E3779B97F4A7C15ull + std::uint64_t(m_specIndex[i]));
}

bool isDigitModel(const Model& model, std::string* why)
{
    const bool ok = model.inputShape() == kDigitInput && model.outputs() == kDigitClasses;
    if (!ok && why)
        *why = "the model takes " + model.inputShape().str() + " inputs and gives " + std::to_string(model.outputs()) +
               " outputs; a digit model takes a " + kDigitInput.str() + " input and gives " +
               std::to_string(kDigitClasses) + " outputs";
    return ok;
}

void checkFiniteOutputs(const Model& model, const std::string& name)
{
    const std::size_t n = std::size_t(model.inputShape().size());
    std::vector<float> logits(std::size_t(std::max(model.outputs(), 1)));
    for (const float fill : {0.0f, 1.0f}) {
        const std::vector<float> x(n, fill);
        model.logits(x.data(), 1, logits.data());
        for (const float v : logits)
            if (!std::isfinite(v))
                throw FileError(name, std::string("the model's output for a ") + (fill == 0 ? "blank" : "fully inked") +
                                          " image is NaN or infinite (its weights overflow); it cannot classify anything");
    }
}

void Net::setBatchReducer(AllReduce* reduce, int t)
{
    for (const std::unique_ptr<Layer>& l : m_layers)
        if (auto* bn = dynamic_cast<BatchNorm*>(l.get()))
            bn->setReducer(reduce, t);
}

}  // namespace nn
