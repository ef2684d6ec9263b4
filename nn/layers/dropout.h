#pragma once
// Inverted dropout (Srivastava et al. 2014): in training each unit is zeroed
// with probability p and the survivors scaled by 1/(1-p); inference is identity.
#include "layer.h"

#include <random>

namespace nn {

class Dropout final : public Layer {
public:
    explicit Dropout(float p) : m_p(p) {}
    std::string kind() const override { return "dropout"; }
    std::string spec() const override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Dropout>(*this); }
    void setSeed(std::uint64_t seed) override { m_rng.seed(seed); }
    float rate() const { return m_p; }

protected:
    Shape3 doSetup(Shape3 in) override;
    void doForward(const Tensor& x, Tensor& y, Mode mode) override;
    void doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

private:
    float m_p;
    std::mt19937_64 m_rng{0x5eed};
    std::vector<float> m_mask;  // 0 or 1/(1-p), per element of the last batch
};

}  // namespace nn
