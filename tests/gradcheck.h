#pragma once
// Central finite-difference gradient checks for layers. The engine computes in
// float; the probe loss L = sum(y .* r) is accumulated in double and the step
// is chosen so that float rounding stays well below the tolerance.
#include <nn/layers/layer.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace gradcheck {

struct Result {
    double maxInputError = 0;  // largest relative difference, input gradient
    double maxParamError = 0;  // largest relative difference, parameter gradients
    int checked = 0;
};

inline double probe(nn::Layer& layer, const nn::Tensor& x, const std::vector<float>& r, std::uint64_t seed)
{
    layer.setSeed(seed);
    const nn::Tensor& y = layer.forward(x, nn::Mode::Train);
    double l = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        l += double(y[i]) * r[i];
    return l;
}

inline double relErr(double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(a) + std::abs(b)); }

// `prepare` may adjust the input (e.g. keep values away from ReLU's kink).
inline Result check(nn::Layer& layer, nn::Shape3 in, int n, std::uint64_t seed, float eps = 2e-3f,
                    float inputScale = 1.0f)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> N(0.0f, 1.0f);
    const nn::Shape3 out = layer.setup(in);
    std::size_t pcount = 0;
    std::vector<nn::ParamSpec> specs = layer.params();
    for (const auto& p : specs)
        pcount += p.size();
    std::vector<float> values(pcount), grads(pcount, 0.0f);
    std::size_t off = 0;
    for (const auto& p : specs) {
        for (std::size_t i = 0; i < p.size(); ++i)
            values[off + i] = p.kind == nn::ParamSpec::Stat ? (p.name == "running_var" ? 1.0f : 0.0f) : 0.5f * N(rng);
        off += p.size();
    }
    layer.bind(values.data(), grads.data());

    nn::Tensor x(n, in);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = inputScale * N(rng);
    std::vector<float> r(std::size_t(n) * out.size());
    for (auto& v : r)
        v = N(rng);

    const std::uint64_t dropSeed = seed * 7 + 1;
    probe(layer, x, r, dropSeed);
    nn::Tensor dy(n, out);
    std::copy(r.begin(), r.end(), dy.data());
    const nn::Tensor dx = layer.backward(dy);
    const std::vector<float> analytic = grads;

    Result res;
    // Input gradient: every element (inputs in the tests are small).
    for (std::size_t i = 0; i < x.size(); ++i) {
        const float keep = x[i];
        x[i] = keep + eps;
        const double lp = probe(layer, x, r, dropSeed);
        x[i] = keep - eps;
        const double lm = probe(layer, x, r, dropSeed);
        x[i] = keep;
        const double num = (lp - lm) / (2.0 * eps);
        const double e = relErr(num, dx[i]);
        if (e > res.maxInputError) {
            res.maxInputError = e;
            if (e > 1e-2)
                std::printf("  input[%zu]: analytic %.6f numeric %.6f\n", i, double(dx[i]), num);
        }
        ++res.checked;
    }
    // Parameter gradients (statistics slots are not gradients).
    off = 0;
    for (const auto& p : specs) {
        if (p.kind != nn::ParamSpec::Stat) {
            for (std::size_t i = 0; i < p.size(); ++i) {
                float& v = values[off + i];
                const float keep = v;
                v = keep + eps;
                const double lp = probe(layer, x, r, dropSeed);
                v = keep - eps;
                const double lm = probe(layer, x, r, dropSeed);
                v = keep;
                const double num = (lp - lm) / (2.0 * eps);
                const double e = relErr(num, analytic[off + i]);
                if (e > res.maxParamError) {
                    res.maxParamError = e;
                    if (e > 1e-2)
                        std::printf("  %s[%zu]: analytic %.6f numeric %.6f\n", p.name.c_str(), i,
                                    double(analytic[off + i]), num);
                }
                ++res.checked;
            }
        }
        off += p.size();
    }
    std::printf("  largest relative difference: input %.2e, params %.2e (%d values)\n", res.maxInputError,
                res.maxParamError, res.checked);
    return res;
}

}  // namespace gradcheck
