#include "dense.h"

namespace nn {

std::string Dense::spec() const
{
    return "dense " + std::to_string(m_units) + (m_init == Init::Xavier ? " init=xavier" : "");
}

Shape3 Dense::doSetup(Shape3 in)
{
    if (m_units <= 0)
        throw SpecError("dense: the number of units must be positive, got " + std::to_string(m_units));
    return {m_units, 1, 1};
}

std::vector<ParamSpec> Dense::params() const
{
    const int in = m_inShape.size();
    return {
        {"weight", {m_units, in}, ParamSpec::Weight, m_init, in, m_units},  // (out, in)
        {"bias", {m_units}, ParamSpec::Bias, m_init, in, m_units},
    };
}

void Dense::doForward(const Tensor& x, Tensor& y, Mode)
{
    const int in = m_inShape.size();
    Eigen::Map<const Eigen::RowVectorXf> b(m_values + std::size_t(m_units) * in, m_units);
    // Y (n, out) = X (n, in) W^T, W (out, in).
    gemm(false, true, x.n(), m_units, in, x.data(), in, m_values, in, y.data(), m_units, false, m_gemm);
    y.rows().rowwise() += b;
}

void Dense::doBackward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int in = m_inShape.size();
    const int n = dy.n();
    Eigen::Map<Eigen::RowVectorXf> db(m_grads + std::size_t(m_units) * in, m_units);
    auto dY = dy.rows();
    // dW (out, in) += dY^T X; dX (n, in) = dY W.
    gemm(true, false, m_units, in, n, dy.data(), m_units, x.data(), in, m_grads, in, true, m_gemm);
    for (int i = 0; i < n; ++i)
        db += dY.row(i);
    if (m_needInputGrad)
        gemm(false, false, n, in, m_units, dy.data(), m_units, m_values, in, dx.data(), in, false, m_gemm);
}

}  // namespace nn
