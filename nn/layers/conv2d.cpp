#include "conv2d.h"

#include <cstring>

namespace nn {

std::string Conv2D::spec() const
{
    std::string s = "conv " + std::to_string(m_filters) + " " + std::to_string(m_k);
    if (m_stride != 1)
        s += " stride=" + std::to_string(m_stride);
    if (m_pad != 0)
        s += " pad=" + std::to_string(m_pad);
    if (m_init == Init::Xavier)
        s += " init=xavier";
    return s;
}

Shape3 Conv2D::doSetup(Shape3 in)
{
    if (m_filters <= 0 || m_k <= 0 || m_stride <= 0 || m_pad < 0)
        throw SpecError("conv: filters, kernel and stride must be positive and pad not negative");
    const int hp = in.h + 2 * m_pad, wp = in.w + 2 * m_pad;
    if (hp < m_k || wp < m_k)
        throw SpecError("conv: kernel " + std::to_string(m_k) + "x" + std::to_string(m_k) +
                        " does not fit input " + in.str() +
                        (m_pad ? " padded by " + std::to_string(m_pad) : std::string()));
    return {m_filters, (hp - m_k) / m_stride + 1, (wp - m_k) / m_stride + 1};
}

std::vector<ParamSpec> Conv2D::params() const
{
    const int fanIn = m_inShape.c * m_k * m_k, fanOut = m_filters * m_k * m_k;
    return {
        {"weight", {m_filters, m_inShape.c, m_k, m_k}, ParamSpec::Weight, m_init, fanIn, fanOut},
        {"bias", {m_filters}, ParamSpec::Bias, m_init, fanIn, fanOut},
    };
}

// cols row r = (ci, ky, kx), column p = (oy, ox).
void Conv2D::im2col(const float* x, float* cols) const
{
    const int C = m_inShape.c, H = m_inShape.h, W = m_inShape.w;
    const int Ho = m_outShape.h, Wo = m_outShape.w, P = Ho * Wo;
    for (int ci = 0; ci < C; ++ci) {
        const float* xc = x + std::size_t(ci) * H * W;
        for (int ky = 0; ky < m_k; ++ky) {
            for (int kx = 0; kx < m_k; ++kx) {
                float* row = cols + (std::size_t(ci * m_k + ky) * m_k + kx) * P;
                for (int oy = 0; oy < Ho; ++oy) {
                    const int iy = oy * m_stride - m_pad + ky;
                    float* out = row + oy * Wo;
                    if (iy < 0 || iy >= H) {
                        std::memset(out, 0, sizeof(float) * Wo);
                        continue;
                    }
                    const float* xrow = xc + std::size_t(iy) * W;
                    if (m_stride == 1) {
                        // Contiguous run: zero the padded ends, copy the middle.
                        const int ixStart = kx - m_pad;
                        int lo = ixStart < 0 ? -ixStart : 0;
                        int hi = Wo;
                        if (ixStart + hi > W)
                            hi = W - ixStart;
                        if (hi < lo)
                            hi = lo;
                        for (int ox = 0; ox < lo; ++ox)
                            out[ox] = 0.0f;
                        if (hi > lo)
                            std::memcpy(out + lo, xrow + ixStart + lo, sizeof(float) * (hi - lo));
                        for (int ox = hi; ox < Wo; ++ox)
                            out[ox] = 0.0f;
                    } else {
                        for (int ox = 0; ox < Wo; ++ox) {
                            const int ix = ox * m_stride - m_pad + kx;
                            out[ox] = (ix >= 0 && ix < W) ? xrow[ix] : 0.0f;
                        }
                    }
                }
            }
        }
    }
}

void Conv2D::col2im(const float* cols, float* dx) const
{
    const int C = m_inShape.c, H = m_inShape.h, W = m_inShape.w;
    const int Ho = m_outShape.h, Wo = m_outShape.w, P = Ho * Wo;
    std::memset(dx, 0, sizeof(float) * std::size_t(C) * H * W);
    for (int ci = 0; ci < C; ++ci) {
        float* dxc = dx + std::size_t(ci) * H * W;
        for (int ky = 0; ky < m_k; ++ky) {
            for (int kx = 0; kx < m_k; ++kx) {
                const float* row = cols + (std::size_t(ci * m_k + ky) * m_k + kx) * P;
                for (int oy = 0; oy < Ho; ++oy) {
                    const int iy = oy * m_stride - m_pad + ky;
                    if (iy < 0 || iy >= H)
                        continue;
                    float* dxrow = dxc + std::size_t(iy) * W;
                    const float* in = row + oy * Wo;
                    for (int ox = 0; ox < Wo; ++ox) {
                        const int ix = ox * m_stride - m_pad + kx;
                        if (ix >= 0 && ix < W)
                            dxrow[ix] += in[ox];
                    }
                }
            }
        }
    }
}

void Conv2D::doForward(const Tensor& x, Tensor& y, Mode mode)
{
    const int K = m_inShape.c * m_k * m_k, P = m_outShape.h * m_outShape.w;
    ConstMatMap Wt(m_values, m_filters, K);  // (Cout, K)
    Eigen::Map<const Eigen::VectorXf> b(m_values + std::size_t(m_filters) * K, m_filters);
    const bool keep = mode == Mode::Train;
    const std::size_t colSize = std::size_t(K) * P;
    m_cols.resize(keep ? colSize * x.n() : colSize);
    for (int i = 0; i < x.n(); ++i) {
        float* cols = m_cols.data() + (keep ? colSize * i : 0);
        im2col(x.sample(i), cols);
        MatMap Y(y.sample(i), m_filters, P);  // (Cout, P)
        Y.noalias() = Wt * ConstMatMap(cols, K, P);
        Y.colwise() += b;
    }
}

void Conv2D::doBackward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int K = m_inShape.c * m_k * m_k, P = m_outShape.h * m_outShape.w;
    ConstMatMap Wt(m_values, m_filters, K);
    MatMap dW(m_grads, m_filters, K);
    Eigen::Map<Eigen::VectorXf> db(m_grads + std::size_t(m_filters) * K, m_filters);
    const std::size_t colSize = std::size_t(K) * P;
    if (m_cols.size() < colSize * x.n())
        throw Error("conv: backward() called without a training-mode forward()");
    m_dcols.resize(colSize);
    for (int i = 0; i < x.n(); ++i) {
        ConstMatMap cols(m_cols.data() + colSize * i, K, P);
        ConstMatMap dY(dy.sample(i), m_filters, P);
        dW.noalias() += dY * cols.transpose();
        for (int f = 0; f < m_filters; ++f)
            db[f] += sumFixed(dy.sample(i) + std::size_t(f) * P, std::size_t(P));
        MatMap dcols(m_dcols.data(), K, P);
        dcols.noalias() = Wt.transpose() * dY;
        col2im(m_dcols.data(), dx.sample(i));
    }
}

}  // namespace nn
