#include "gradient.h"

#include "errors.h"

#include <algorithm>
#include <string>

namespace nn {

InputGradient::InputGradient(const Model& model)
    : m_model(model),
      // An unfused training-kind Net: only it has every layer's backward.
      // Backward writes the Net's own gradient buffer, never the values.
      m_net(std::make_unique<Net>(const_cast<Model&>(model), false, Net::Use::Train))
{
    m_net->setInputGradientNeeded(true);
}

InputGradient::~InputGradient() = default;

void InputGradient::compute(const float* x, int n, const float* seed, float* logits, float* grad)
{
    const Shape3 in = m_model.inputShape();
    const int classes = m_model.outputs();
    m_x.resize(n, in);
    std::copy(x, x + std::size_t(n) * in.size(), m_x.data());
    const Tensor& z = m_net->forward(m_x, Mode::Infer);
    if (logits)
        std::copy(z.data(), z.data() + z.size(), logits);
    m_dz.resize(n, z.shape());
    std::copy(seed, seed + std::size_t(n) * classes, m_dz.data());
    const Tensor& dx = m_net->backward(m_dz, 0);
    std::copy(dx.data(), dx.data() + dx.size(), grad);
    m_net->zeroGrads();  // parameter gradients are a by-product nobody reads
}

float InputGradient::logitGradient(const float* x, int k, float* grad)
{
    const int classes = m_model.outputs();
    if (k < 0 || k >= classes)
        throw ShapeError("input gradient: class " + std::to_string(k) + " requested, the model has " +
                         std::to_string(classes) + " outputs");
    std::vector<float> seed(std::size_t(classes), 0.0f), z(static_cast<std::size_t>(classes));
    seed[std::size_t(k)] = 1.0f;
    compute(x, 1, seed.data(), z.data(), grad);
    return z[std::size_t(k)];
}

InputGradient::Features InputGradient::layerGradient(const float* x, const float* seed, std::size_t layer)
{
    const auto& layers = m_net->layers();
    if (layer >= layers.size())
        throw ShapeError("input gradient: layer " + std::to_string(layer) + " requested, the model has " +
                         std::to_string(layers.size()));
    const Shape3 in = m_model.inputShape();
    m_x.resize(1, in);
    std::copy(x, x + in.size(), m_x.data());
    const Tensor& z = m_net->forward(m_x, Mode::Infer);
    Features f;
    f.logits.assign(z.data(), z.data() + z.size());
    const Tensor& a = layers[layer]->output();
    f.shape = a.shape();
    f.activations.assign(a.data(), a.data() + a.size());
    m_dz.resize(1, z.shape());
    std::copy(seed, seed + z.size(), m_dz.data());
    // The gradient reaching layer `layer`'s output is the one leaving the
    // next layer's backward (the logits' gradient for the last layer).
    if (layer + 1 == layers.size()) {
        f.gradients.assign(m_dz.data(), m_dz.data() + m_dz.size());
    } else {
        const Tensor& g = m_net->backward(m_dz, layer + 1);
        f.gradients.assign(g.data(), g.data() + g.size());
    }
    m_net->zeroGrads();
    return f;
}

}  // namespace nn
