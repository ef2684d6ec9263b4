#pragma once
// The layer contract (after dlib's dnn and frugally-deep):
//  - setup(in) is called once with the per-sample input shape and returns the
//    output shape, or throws SpecError naming the shapes involved.
//  - forward(x, mode) checks x's shape and returns the layer's own output
//    buffer; that buffer and x must stay alive until backward().
//  - backward(dy) uses what the last forward() cached, returns dL/dx and ADDS
//    into the parameter gradients (so gradients of sub-batches can be summed).
//    It follows the mode of that forward: after Mode::Infer it differentiates
//    the inference function (batchnorm with its running statistics, dropout
//    off), which is what input gradients of a trained model need.
//  - Parameters live in one flat buffer owned by the Model; a layer only holds
//    views into it (bind()). Gradients live in a buffer owned by each Net, so
//    several Nets (one per thread) share the values and own their gradients.
#include "../errors.h"
#include "../tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nn {

enum class Mode { Train, Infer };
enum class Init { He, Xavier };

struct ParamSpec {
    enum Kind {
        Weight,  // random init (He/Xavier), weight decay applies
        Bias,    // zero init, no decay
        Ones,    // BatchNorm gamma: one init, no decay
        Stat     // BatchNorm running statistics: not trained by gradients
    };
    std::string name;        // e.g. "weight"; the model prefixes the layer index
    std::vector<int> shape;  // e.g. {Cout, Cin, k, k}
    Kind kind = Weight;
    Init init = Init::He;
    int fanIn = 0, fanOut = 0;
    std::size_t size() const
    {
        std::size_t s = 1;
        for (int d : shape)
            s *= static_cast<std::size_t>(d);
        return s;
    }
};

class Layer {
public:
    virtual ~Layer() = default;

    virtual std::string kind() const = 0;
    // The layer as it is written in an architecture spec, e.g. "conv 32 5 pad=2".
    virtual std::string spec() const = 0;
    virtual std::unique_ptr<Layer> clone() const = 0;
    virtual std::vector<ParamSpec> params() const { return {}; }
    // Multiply-adds per sample in forward, for time estimates.
    virtual double flopsPerSample() const { return 0.0; }
    // Layers with randomness (dropout) reseed their generator here.
    virtual void setSeed(std::uint64_t) {}

    Shape3 setup(Shape3 in)
    {
        m_inShape = in;
        m_outShape = doSetup(in);
        return m_outShape;
    }
    Shape3 inputShape() const { return m_inShape; }
    Shape3 outputShape() const { return m_outShape; }

    void bind(float* values, float* grads)
    {
        m_values = values;
        m_grads = grads;
    }
    // The first layer of a Net need not compute dL/dx (nobody reads it):
    // backward() then only adds the parameter gradients and the returned dx
    // is unspecified. On by default.
    void setInputGradientNeeded(bool needed) { m_needInputGrad = needed; }
    bool inputGradientNeeded() const { return m_needInputGrad; }

    const Tensor& forward(const Tensor& x, Mode mode)
    {
        if (!(x.shape() == m_inShape))
            throw ShapeError(kind() + ": expected input " + m_inShape.str() + ", got " + x.shape().str());
        m_x = &x;
        m_y.resize(x.n(), m_outShape);
        doForward(x, m_y, mode);
        return m_y;
    }

    const Tensor& backward(const Tensor& dy)
    {
        m_dx.resize(dy.n(), m_inShape);
        doBackward(*m_x, m_y, dy, m_dx);
        return m_dx;
    }
    // The output of the last forward() (what it returned).
    const Tensor& output() const { return m_y; }

protected:
    virtual Shape3 doSetup(Shape3 in) = 0;
    virtual void doForward(const Tensor& x, Tensor& y, Mode mode) = 0;
    virtual void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) = 0;

    Shape3 m_inShape, m_outShape;
    float* m_values = nullptr;  // this layer's slice of the model's parameters
    float* m_grads = nullptr;   // this layer's slice of the Net's gradients
    bool m_needInputGrad = true;

private:
    const Tensor* m_x = nullptr;
    Tensor m_y;   // (n, out)
    Tensor m_dx;  // (n, in)
};

}  // namespace nn
