#pragma once
// 2-D convolution with stride and zero padding, lowered onto GEMM: im2col
// turns a chunk of m input images (Cin, H, W) into one (Cin*k*k, m*Ho*Wo)
// matrix, so that the whole chunk is one product z = W (Cout, Cin*k*k) * cols.
// The chunk is sized so that cols stays in the L2 cache. Backward recomputes
// the im2col of each chunk from the input (cheaper than keeping it in memory).
//
// The chunked kernels are public so that the fused conv+relu+maxpool layer
// (fused.h) can run the same lowering and only replace the epilogue.
#include "../gemm.h"
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

    int filters() const { return m_filters; }
    int kernel() const { return m_k; }
    int stride() const { return m_stride; }
    int pad() const { return m_pad; }
    Init init() const { return m_init; }

    // ---- chunked lowering (valid after setup() and bind()) ----
    int patchSize() const { return m_inShape.c * m_k * m_k; }   // K: rows of cols
    int pixels() const { return m_outShape.h * m_outShape.w; }  // P: output pixels per image
    // Images per GEMM for a batch of n.
    int chunkImages(int n) const;
    // cols (K, m*P), leading dimension m*P: image j's patches at column offset j*P.
    void im2colChunk(const Tensor& x, int i0, int m, float* cols) const;
    // z (Cout, m*P) = W * cols, without the bias.
    void gemmForward(const float* cols, int m, float* z) const;
    // From dz (Cout, m*P) and the chunk's cols: dW += dz cols^T, db += row sums
    // of dz, and when dx is given dx[i0..i0+m) = col2im(W^T dz) (dcols: K*m*P scratch).
    void gemmBackward(const float* dz, const float* cols, int i0, int m, Tensor* dx, float* dcols) const;
    const float* biasValues() const { return m_values + std::size_t(m_filters) * patchSize(); }

    // The same chunk steps with the lowering chosen here: a layer with one
    // input channel (the first layer) is computed directly from the (padded)
    // images, without im2col, when dx is not needed. cols/dcols: scratch as above.
    void forwardChunk(const Tensor& x, int i0, int m, float* cols, float* z);
    void backwardChunk(const float* dz, const Tensor& x, int i0, int m, Tensor* dx, float* cols, float* dcols);

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    void im2col(const float* x, float* cols, std::size_t ld) const;
    void col2im(const float* cols, std::size_t ld, float* dx) const;
    bool directOk() const;
    const float* padChunk(const Tensor& x, int i0, int m);  // m zero-padded images, padStride() apart
    std::size_t padStride() const;
    void directForward(const float* xp, int m, float* z) const;
    void directWeightGrad(const float* dz, const float* xp, int m) const;

    int m_filters, m_k, m_stride, m_pad;
    Init m_init;
    std::vector<float> m_cols;   // (K, m*P) of the current chunk
    std::vector<float> m_z;      // (Cout, m*P)
    std::vector<float> m_dcols;  // (K, m*P)
    std::vector<float> m_xpad;   // padded images of a chunk (direct path)
    mutable GemmWorkspace m_gemm;  // Eigen's packed panels, kept across calls
};

}  // namespace nn
