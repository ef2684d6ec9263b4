#include "saliency.h"

#include "errors.h"
#include "gradient.h"
#include "layers/conv2d.h"
#include "model.h"
#include "uitext.h"

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

const char* saliencyMethodKey(SaliencyMethod method)
{
    switch (method) {
    case SaliencyMethod::Occlusion: return "occlusion";
    case SaliencyMethod::Gradient: return "gradient";
    case SaliencyMethod::GradientTimesInput: return "gradient-x-input";
    case SaliencyMethod::IntegratedGradients: return "integrated-gradients";
    case SaliencyMethod::GradCam: return "grad-cam";
    }
    return "occlusion";
}

const char* saliencyMethodName(SaliencyMethod method)
{
    switch (method) {
    case SaliencyMethod::Occlusion: return DIGITPAD_UI_TEXT("nn::ui", "Occlusion");
    case SaliencyMethod::Gradient: return DIGITPAD_UI_TEXT("nn::ui", "Gradient");
    case SaliencyMethod::GradientTimesInput: return DIGITPAD_UI_TEXT("nn::ui", "Gradient × input");
    case SaliencyMethod::IntegratedGradients: return DIGITPAD_UI_TEXT("nn::ui", "Integrated gradients");
    case SaliencyMethod::GradCam: return DIGITPAD_UI_TEXT("nn::ui", "Grad-CAM");
    }
    return "";
}

SaliencyMethod saliencyMethodFromKey(const std::string& key)
{
    std::string known;
    for (SaliencyMethod m : kSaliencyMethods) {
        if (key == saliencyMethodKey(m))
            return m;
        known += (known.empty() ? "" : ", ") + std::string(saliencyMethodKey(m));
    }
    throw ShapeError("unknown saliency method '" + key + "' (known: " + known + ")");
}

int gradCamLayer(const Model& model)
{
    const auto& layers = model.layers();
    int conv = -1;
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i]->kind() == "conv")
            conv = int(i);
    if (conv < 0)
        return -1;
    // The feature maps are what the convolution's channels look like after
    // their normalisation and activation: follow the layers that keep the shape
    // channel by channel.
    int last = conv;
    for (std::size_t i = std::size_t(conv) + 1; i < layers.size(); ++i) {
        const std::string k = layers[i]->kind();
        if (k != "batchnorm" && k != "relu" && k != "sigmoid" && k != "tanh" && k != "dropout")
            break;
        last = int(i);
    }
    return last;
}

bool saliencyApplies(const Model& model, SaliencyMethod method, std::string* why)
{
    if (method == SaliencyMethod::GradCam && gradCamLayer(model) < 0) {
        if (why)
            *why = "Grad-CAM needs a convolution layer; this model (" + model.spec() + ") has none";
        return false;
    }
    return true;
}

namespace {

void checkTarget(const Model& model, int target, const char* what)
{
    if (target >= model.outputs())
        throw ShapeError(std::string(what) + ": class " + std::to_string(target) + " requested, the model has " +
                         std::to_string(model.outputs()) + " outputs");
}

// The map's frame: size, probabilities and the target (the top class when
// options.target is -1), from the model's logits of the input.
SaliencyMap startMap(const Model& model, const float* input, const SaliencyOptions& o, SaliencyMethod method,
                     std::vector<float>* logitsOut = nullptr)
{
    checkTarget(model, o.target, saliencyMethodKey(method));
    const int classes = model.outputs();
    SaliencyMap m;
    m.method = method;
    m.w = model.inputShape().w;
    m.h = model.inputShape().h;
    std::vector<float> z(static_cast<std::size_t>(classes));
    model.logits(input, 1, z.data());
    m.target = o.target >= 0 ? o.target : int(std::max_element(z.begin(), z.end()) - z.begin());
    m.probabilities.resize(std::size_t(classes));
    model.predict(input, 1, m.probabilities.data());
    if (logitsOut)
        *logitsOut = std::move(z);
    return m;
}

// Per pixel: the sum over channels of `perValue` (c*h*w values).
void finishMap(SaliencyMap& m, const std::vector<double>& perValue, int channels)
{
    const std::size_t hw = std::size_t(m.w) * m.h;
    m.values.assign(hw, 0.0f);
    for (int c = 0; c < channels; ++c)
        for (std::size_t k = 0; k < hw; ++k)
            m.values[k] += float(perValue[std::size_t(c) * hw + k]);
    m.maxAbs = 0;
    for (float v : m.values)
        m.maxAbs = std::max(m.maxAbs, std::abs(v));
}

enum class Weighting { None, Input };

SaliencyMap gradientMap(const Model& model, const float* input, const SaliencyOptions& o, SaliencyMethod method,
                        Weighting weighting)
{
    SaliencyMap m = startMap(model, input, o, method);
    const int S = model.inputShape().size();
    std::vector<float> g(static_cast<std::size_t>(S));
    InputGradient(model).logitGradient(input, m.target, g.data());
    std::vector<double> v(static_cast<std::size_t>(S));
    for (int i = 0; i < S; ++i)
        v[std::size_t(i)] = weighting == Weighting::Input ? double(g[std::size_t(i)]) * input[i] : g[std::size_t(i)];
    finishMap(m, v, model.inputShape().c);
    m.evaluated = 1;
    return m;
}

}  // namespace

SaliencyMap gradientSaliency(const Model& model, const float* input, const SaliencyOptions& o)
{
    return gradientMap(model, input, o, SaliencyMethod::Gradient, Weighting::None);
}

SaliencyMap gradientTimesInput(const Model& model, const float* input, const SaliencyOptions& o)
{
    return gradientMap(model, input, o, SaliencyMethod::GradientTimesInput, Weighting::Input);
}

SaliencyMap integratedGradients(const Model& model, const float* input, const SaliencyOptions& o)
{
    if (o.steps < 1 || o.steps > 100000 || o.maxSteps > 100000)
        throw ShapeError("integrated gradients: steps must be 1..100000, got " + std::to_string(o.steps));
    if (!(o.completeness >= 0))
        throw ShapeError("integrated gradients: the completeness tolerance must be >= 0");
    std::vector<float> z;
    SaliencyMap m = startMap(model, input, o, SaliencyMethod::IntegratedGradients, &z);
    const int S = model.inputShape().size(), classes = model.outputs();
    // Baseline: a black image (all zeros, MNIST's background).
    const std::vector<float> baseline(static_cast<std::size_t>(S), 0.0f);
    std::vector<float> zb(static_cast<std::size_t>(classes));
    model.logits(baseline.data(), 1, zb.data());
    m.logitDifference = double(z[std::size_t(m.target)]) - double(zb[std::size_t(m.target)]);

    InputGradient grad(model);
    const int chunk = 16;  // path points per backward pass
    std::vector<double> gsum(static_cast<std::size_t>(S), 0.0), attr(static_cast<std::size_t>(S));
    std::vector<float> xs, seed, g;
    // Adds the gradients at the path points alphas.
    const auto addPoints = [&](const std::vector<double>& alphas) {
        for (std::size_t k0 = 0; k0 < alphas.size(); k0 += chunk) {
            const int n = int(std::min<std::size_t>(chunk, alphas.size() - k0));
            xs.resize(std::size_t(n) * S);
            seed.assign(std::size_t(n) * classes, 0.0f);
            g.resize(std::size_t(n) * S);
            for (int j = 0; j < n; ++j) {
                const float a = float(alphas[k0 + std::size_t(j)]);
                for (int i = 0; i < S; ++i)
                    xs[std::size_t(j) * S + i] = baseline[std::size_t(i)] + a * (input[i] - baseline[std::size_t(i)]);
                seed[std::size_t(j) * classes + m.target] = 1.0f;
            }
            grad.compute(xs.data(), n, seed.data(), nullptr, g.data());
            for (int j = 0; j < n; ++j)
                for (int i = 0; i < S; ++i)
                    gsum[std::size_t(i)] += g[std::size_t(j) * S + i];
        }
    };
    int N = o.steps;
    std::vector<double> alphas;
    for (int k = 0; k < N; ++k)
        alphas.push_back((k + 0.5) / N);  // midpoint rule
    for (;;) {
        addPoints(alphas);
        double total = 0;
        for (int i = 0; i < S; ++i) {
            attr[std::size_t(i)] = gsum[std::size_t(i)] * double(input[i] - baseline[std::size_t(i)]) / N;
            total += attr[std::size_t(i)];
        }
        m.attributionSum = total;
        // Relative to the difference; a difference of (almost) nothing has no
        // relative error, so the absolute one is reported then.
        m.completenessError = std::abs(total - m.logitDifference) / std::max(std::abs(m.logitDifference), 1e-6);
        if (o.completeness <= 0 || m.completenessError <= o.completeness || 3LL * N > o.maxSteps)
            break;
        // The midpoints of 3N steps: N of them are the current ones.
        alphas.clear();
        for (int k = 0; k < 3 * N; ++k)
            if (k % 3 != 1)
                alphas.push_back((k + 0.5) / (3 * N));
        N *= 3;
    }
    finishMap(m, attr, model.inputShape().c);
    m.evaluated = N;
    return m;
}

SaliencyMap gradCam(const Model& model, const float* input, const SaliencyOptions& o)
{
    std::string why;
    if (!saliencyApplies(model, SaliencyMethod::GradCam, &why))
        throw ShapeError(why);
    SaliencyMap m = startMap(model, input, o, SaliencyMethod::GradCam);
    const int layer = gradCamLayer(model);
    std::vector<float> seed(std::size_t(model.outputs()), 0.0f);
    seed[std::size_t(m.target)] = 1.0f;
    const InputGradient::Features f = InputGradient(model).layerGradient(input, seed.data(), std::size_t(layer));
    const int C = f.shape.c, fh = f.shape.h, fw = f.shape.w, P = fh * fw;
    // cam = relu(sum_c alpha_c A_c), alpha_c = mean over the map of dz/dA_c.
    std::vector<double> cam(std::size_t(P), 0.0);
    for (int c = 0; c < C; ++c) {
        double alpha = 0;
        for (int p = 0; p < P; ++p)
            alpha += f.gradients[std::size_t(c) * P + p];
        alpha /= P;
        for (int p = 0; p < P; ++p)
            cam[std::size_t(p)] += alpha * f.activations[std::size_t(c) * P + p];
    }
    for (double& v : cam)
        v = std::max(v, 0.0);
    // Bilinear upsampling to the input, pixel centres aligned.
    const int H = m.h, W = m.w;
    std::vector<double> up(std::size_t(H) * W);
    for (int y = 0; y < H; ++y) {
        const double fy = std::clamp((y + 0.5) * fh / H - 0.5, 0.0, double(fh - 1));
        const int y0 = int(fy), y1 = std::min(y0 + 1, fh - 1);
        const double ty = fy - y0;
        for (int x = 0; x < W; ++x) {
            const double fx = std::clamp((x + 0.5) * fw / W - 0.5, 0.0, double(fw - 1));
            const int x0 = int(fx), x1 = std::min(x0 + 1, fw - 1);
            const double tx = fx - x0;
            const auto at = [&](int yy, int xx) { return cam[std::size_t(yy) * fw + xx]; };
            up[std::size_t(y) * W + x] = (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x1)) +
                                         ty * ((1 - tx) * at(y1, x0) + tx * at(y1, x1));
        }
    }
    finishMap(m, up, 1);
    m.evaluated = 1;
    return m;
}

SaliencyMap computeSaliency(const Model& model, const float* input, SaliencyMethod method,
                            const SaliencyOptions& options)
{
    switch (method) {
    case SaliencyMethod::Occlusion: return occlusionSaliency(model, input, options);
    case SaliencyMethod::Gradient: return gradientSaliency(model, input, options);
    case SaliencyMethod::GradientTimesInput: return gradientTimesInput(model, input, options);
    case SaliencyMethod::IntegratedGradients: return integratedGradients(model, input, options);
    case SaliencyMethod::GradCam: return gradCam(model, input, options);
    }
    return occlusionSaliency(model, input, options);
}

}  // namespace nn
