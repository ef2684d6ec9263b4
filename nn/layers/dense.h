#pragma once
// Fully connected layer: y = x W^T + b, for any input shape (flattened).
#include "../gemm.h"
#include "layer.h"

namespace nn {

class Dense final : public Layer {
public:
    Dense(int units, Init init = Init::He) : m_units(units), m_init(init) {}
    std::string kind() const override { return "dense"; }
    std::string spec() const override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Dense>(*this); }
    std::vector<ParamSpec> params() const override;
    double flopsPerSample() const override { return double(m_units) * m_inShape.size(); }
    int units() const { return m_units; }

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    int m_units;
    Init m_init;
    GemmWorkspace m_gemm;  // Eigen's packed panels, kept across calls
};

}  // namespace nn
