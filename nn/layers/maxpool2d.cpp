#include "maxpool2d.h"

#include <limits>

namespace nn {

std::string MaxPool2D::spec() const
{
    std::string s = "maxpool " + std::to_string(m_k);
    if (m_stride != m_k)
        s += " stride=" + std::to_string(m_stride);
    return s;
}

Shape3 MaxPool2D::doSetup(Shape3 in)
{
    if (m_k <= 0 || m_stride <= 0)
        throw SpecError("maxpool: window and stride must be positive");
    if (in.h < m_k || in.w < m_k)
        throw SpecError(uiText(DIGITPAD_UI_TEXT("nn::ui", "maxpool: window %1x%1 does not fit input %2"), m_k, in.str()));
    return {in.c, (in.h - m_k) / m_stride + 1, (in.w - m_k) / m_stride + 1};
}

void MaxPool2D::doForward(const Tensor& x, Tensor& y, Mode)
{
    const int C = m_inShape.c, H = m_inShape.h, W = m_inShape.w;
    const int Ho = m_outShape.h, Wo = m_outShape.w;
    const int outSize = m_outShape.size();
    m_argmax.resize(std::size_t(x.n()) * outSize);
    for (int i = 0; i < x.n(); ++i) {
        const float* xs = x.sample(i);
        float* ys = y.sample(i);
        int* am = m_argmax.data() + std::size_t(i) * outSize;
        for (int c = 0; c < C; ++c) {
            for (int oy = 0; oy < Ho; ++oy) {
                for (int ox = 0; ox < Wo; ++ox) {
                    float best = -std::numeric_limits<float>::infinity();
                    int bestIdx = 0;
                    for (int ky = 0; ky < m_k; ++ky) {
                        const int base = (c * H + oy * m_stride + ky) * W + ox * m_stride;
                        for (int kx = 0; kx < m_k; ++kx) {
                            const float v = xs[base + kx];
                            if (v > best) {
                                best = v;
                                bestIdx = base + kx;
                            }
                        }
                    }
                    const int o = (c * Ho + oy) * Wo + ox;
                    ys[o] = best;
                    am[o] = bestIdx;
                }
            }
        }
    }
}

void MaxPool2D::doBackward(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int outSize = m_outShape.size();
    dx.setZero();
    for (int i = 0; i < dy.n(); ++i) {
        const float* dys = dy.sample(i);
        float* dxs = dx.sample(i);
        const int* am = m_argmax.data() + std::size_t(i) * outSize;
        for (int o = 0; o < outSize; ++o)
            dxs[am[o]] += dys[o];
    }
}

}  // namespace nn
