#pragma once
// Max pooling over k x k windows (stride defaults to k, no padding). The
// index of each window's maximum is kept for backward.
#include "layer.h"

namespace nn {

class MaxPool2D final : public Layer {
public:
    explicit MaxPool2D(int k, int stride = 0) : m_k(k), m_stride(stride > 0 ? stride : k) {}
    std::string kind() const override { return "maxpool"; }
    std::string spec() const override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<MaxPool2D>(*this); }
    int window() const { return m_k; }
    int poolStride() const { return m_stride; }

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    int m_k, m_stride;
    std::vector<int> m_argmax;  // (n, out): index into the sample's input
};

}  // namespace nn
