#pragma once
// Gradients with respect to the input image, from the engine's own backward
// pass: what gradient saliency maps, integrated gradients, Grad-CAM and
// adversarial examples are built on. The network runs in inference mode
// (batchnorm with its running statistics, dropout off), layer by layer (no
// fused layers), so the gradient is that of exactly the function
// Model::logits computes. tests/test_input_gradient.cpp checks it against
// finite differences for every layer kind.
//
// One InputGradient is for one thread at a time (it owns a Net and its
// buffers); the model must outlive it and must not change while it is used.
#include "model.h"

#include <memory>
#include <vector>

namespace nn {

class InputGradient {
public:
    explicit InputGradient(const Model& model);
    ~InputGradient();
    InputGradient(const InputGradient&) = delete;
    InputGradient& operator=(const InputGradient&) = delete;

    const Model& model() const { return m_model; }

    // x: n samples of model().inputShape(). seed: n * outputs() coefficients
    // c; per sample the scalar is s = sum_k c_k z_k of its logits z.
    // logits (n * outputs(), may be nullptr) receives z; grad (n * input
    // size) receives ds/dx.
    void compute(const float* x, int n, const float* seed, float* logits, float* grad);
    // ds/dx of one sample's logit `k`; returns that logit.
    float logitGradient(const float* x, int k, float* grad);

    // Grad-CAM's ingredients (Selvaraju et al. 2017): the feature maps A of
    // spec layer `layer` (its output, per sample) and ds/dA, for one sample.
    // Both have layerShape(layer).size() values.
    struct Features {
        Shape3 shape;
        std::vector<float> activations, gradients;
        std::vector<float> logits;
    };
    Features layerGradient(const float* x, const float* seed, std::size_t layer);

private:
    const Model& m_model;
    std::unique_ptr<Net> m_net;
    Tensor m_x, m_dz;
};

}  // namespace nn
