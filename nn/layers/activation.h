#pragma once
// Elementwise activations: ReLU, Sigmoid, Tanh. Each backward sits next to its forward.
#include "layer.h"

namespace nn {

class ReLU final : public Layer {
public:
    std::string kind() const override { return "relu"; }
    std::string spec() const override { return "relu"; }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<ReLU>(*this); }

protected:
    Shape3 doSetup(Shape3 in) override { return in; }
    void doForward(const Tensor& x, Tensor& y, Mode) override { y.vec() = x.vec().cwiseMax(0.0f); }
    void doBackward(const Tensor&, const Tensor& y, const Tensor& dy, Tensor& dx) override
    {
        dx.vec() = (y.vec().array() > 0.0f).select(dy.vec(), 0.0f);
    }
};

class Sigmoid final : public Layer {
public:
    std::string kind() const override { return "sigmoid"; }
    std::string spec() const override { return "sigmoid"; }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Sigmoid>(*this); }

protected:
    Shape3 doSetup(Shape3 in) override { return in; }
    void doForward(const Tensor& x, Tensor& y, Mode) override
    {
        y.vec() = (1.0f + (-x.vec().array()).exp()).inverse().matrix();
    }
    void doBackward(const Tensor&, const Tensor& y, const Tensor& dy, Tensor& dx) override
    {
        dx.vec() = (dy.vec().array() * y.vec().array() * (1.0f - y.vec().array())).matrix();
    }
};

class Tanh final : public Layer {
public:
    std::string kind() const override { return "tanh"; }
    std::string spec() const override { return "tanh"; }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Tanh>(*this); }

protected:
    Shape3 doSetup(Shape3 in) override { return in; }
    void doForward(const Tensor& x, Tensor& y, Mode) override { y.vec() = x.vec().array().tanh().matrix(); }
    void doBackward(const Tensor&, const Tensor& y, const Tensor& dy, Tensor& dx) override
    {
        dx.vec() = (dy.vec().array() * (1.0f - y.vec().array().square())).matrix();
    }
};

// Reshapes (c,h,w) to (c*h*w,1,1). Dense accepts any input, so this is only
// needed to make a spec read clearly.
class Flatten final : public Layer {
public:
    std::string kind() const override { return "flatten"; }
    std::string spec() const override { return "flatten"; }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Flatten>(*this); }

protected:
    Shape3 doSetup(Shape3 in) override { return {in.size(), 1, 1}; }
    void doForward(const Tensor& x, Tensor& y, Mode) override { y.vec() = x.vec(); }
    void doBackward(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx) override { dx.vec() = dy.vec(); }
};

}  // namespace nn
