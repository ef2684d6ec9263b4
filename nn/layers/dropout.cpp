#include "dropout.h"

#include <sstream>

namespace nn {

std::string Dropout::spec() const
{
    std::ostringstream s;
    s << "dropout " << m_p;
    return s.str();
}

Shape3 Dropout::doSetup(Shape3 in)
{
    if (!(m_p >= 0.0f && m_p < 1.0f))
        throw SpecError("dropout: rate must be in [0, 1), got " + std::to_string(m_p));
    return in;
}

void Dropout::doForward(const Tensor& x, Tensor& y, Mode mode)
{
    if (mode == Mode::Infer || m_p == 0.0f) {
        m_mask.clear();
        y.vec() = x.vec();
        return;
    }
    const float scale = 1.0f / (1.0f - m_p);
    // 24 random bits per unit compared against the rate: cheap and exact enough.
    const auto threshold = static_cast<std::uint32_t>(m_p * float(1u << 24));
    m_mask.resize(x.size());
    for (std::size_t i = 0; i < m_mask.size(); ++i)
        m_mask[i] = (static_cast<std::uint32_t>(m_rng() >> 40) >= threshold) ? scale : 0.0f;
    y.vec() = x.vec().cwiseProduct(Eigen::Map<const Eigen::VectorXf>(m_mask.data(), Eigen::Index(m_mask.size())));
}

void Dropout::doBackward(const Tensor&, const Tensor&, const Tensor& dy, Tensor& dx)
{
    if (m_mask.empty()) {
        dx.vec() = dy.vec();
        return;
    }
    dx.vec() = dy.vec().cwiseProduct(Eigen::Map<const Eigen::VectorXf>(m_mask.data(), Eigen::Index(m_mask.size())));
}

}  // namespace nn
