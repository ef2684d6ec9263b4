#pragma once
// 2-D convolution with stride and zero padding, lowered onto one GEMM per
// sample: im2col turns the (Cin, H, W) input into a (Cin*k*k, Ho*Wo) matrix,
// and y = W (Cout, Cin*k*k) * cols + b.
#include "layer.h"

namespace nn {

class Conv2D final : public Layer {
public:
    Conv2D(int filters, int kernel, int stride = 1, int pad = 0, Init init = Init::He)
        : m_filters(filters), m_k(kernel), m_stride(stride), m_pad(pad), m_init(init) {}
    std::string kind() const override { return "conv"; }
    std::string spec() const override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Conv2D>(*this); }
    std::vector<ParamSpec> params() const override;
    double flopsPerSample() const override
    {
        return double(m_filters) * m_inShape.c * m_k * m_k * m_outShape.h * m_outShape.w;
    }

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    void im2col(const float* x, float* cols) const;
    void col2im(const float* cols, float* dx) const;

    int m_filters, m_k, m_stride, m_pad;
    Init m_init;
    std::vector<float> m_cols;  // (n, Cin*k*k, Ho*Wo), kept from forward for backward
    std::vector<float> m_dcols; // (Cin*k*k, Ho*Wo)
};

}  // namespace nn
