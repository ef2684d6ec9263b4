#pragma once
// conv -> relu -> maxpool 2 as one layer: the same chunked im2col + GEMM as
// Conv2D, then a single pass over the GEMM output that adds the bias, applies
// ReLU, takes the 2x2 maximum and writes the pooled NCHW output (remembering
// which of the four won, for backward). Backward is the mirror image: one pass
// builds dz from the pooled gradient, then Conv2D's GEMM backward.
//
// It is not a spec layer: Net substitutes it for the three layers it replaces
// (same parameters, same values, same results up to float rounding of the
// GEMM), so specs, files and parameter names are unchanged.
//
// For inference it also replaces "conv | batchnorm | relu | maxpool 2": the
// batchnorm's running statistics are folded into the epilogue as a
// per-channel affine map (scale, shift; the conv bias goes into the shift),
// computed from the current parameter values on each forward, so the folded
// layer never goes stale when the weights change. Such a layer is inference
// only: a training forward needs the batch statistics and throws.
#include "batchnorm.h"
#include "conv2d.h"

#include <cstdint>

namespace nn {

class ConvReluPool final : public Layer {
public:
    // bn: the batchnorm between conv and relu (inference only), or nullptr.
    explicit ConvReluPool(const Conv2D& conv, const BatchNorm* bn = nullptr);
    std::string kind() const override { return m_hasBn ? "conv+batchnorm+relu+maxpool" : "conv+relu+maxpool"; }
    std::string spec() const override
    {
        return m_conv.spec() + (m_hasBn ? " | batchnorm" : "") + " | relu | maxpool 2";
    }
    std::unique_ptr<Layer> clone() const override { return std::make_unique<ConvReluPool>(*this); }
    std::vector<ParamSpec> params() const override;
    double flopsPerSample() const override { return m_conv.flopsPerSample(); }

    // Whether layers[i..i+2] (conv, relu, maxpool 2 stride 2) can be fused.
    static bool fusable(const Layer& conv, const Layer& relu, const Layer& pool);
    // Whether layers[i..i+3] (conv, batchnorm, relu, maxpool 2) can be fused for inference.
    static bool fusableWithBatchNorm(const Layer& conv, const Layer& bn, const Layer& relu, const Layer& pool);

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    Conv2D m_conv;
    bool m_hasBn = false;
    float m_bnEps = 0.0f;
    bool m_trained = false;
    std::vector<float> m_scale, m_shift;  // (C): the epilogue's z * scale + shift
    std::vector<float> m_cols, m_z, m_dcols;
    std::vector<std::uint8_t> m_arg;  // (n, out): which of the 2x2 window won (0..3)
};

}  // namespace nn
