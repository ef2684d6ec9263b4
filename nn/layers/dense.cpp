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
    ConstMatMap W(m_values, m_units, in);                     // (out, in)
    Eigen::Map<const Eigen::RowVectorXf> b(m_values + std::size_t(m_units) * in, m_units);
    auto Y = y.rows();                                        // (n, out)
    Y.noalias() = x.rows() * W.transpose();
    Y.rowwise() += b;
}

void Dense::doBackward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int in = m_inShape.size();
    ConstMatMap W(m_values, m_units, in);
    MatMap dW(m_grads, m_units, in);
    Eigen::Map<Eigen::RowVectorXf> db(m_grads + std::size_t(m_units) * in, m_units);
    auto dY = dy.rows();
    dW.noalias() += dY.transpose() * x.rows();
    for (int i = 0; i < dy.n(); ++i)
        db += dY.row(i);
    if (m_needInputGrad)
        dx.rows().noalias() = dY * W;
}

}  // namespace nn
