#pragma once
// Shape + contiguous float storage. Batches are NCHW: sample i occupies
// [i*c*h*w, (i+1)*c*h*w). Storage is reused across resize() calls so that a
// steady training or inference loop does not allocate.
#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <vector>

namespace nn {

struct Shape3 {
    int c = 0, h = 0, w = 0;
    int size() const { return c * h * w; }
    bool operator==(const Shape3&) const = default;
    std::string str() const;  // "1x28x28"
};

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatMap = Eigen::Map<RowMatrix>;
using ConstMatMap = Eigen::Map<const RowMatrix>;
using VecMap = Eigen::Map<Eigen::VectorXf>;
using ConstVecMap = Eigen::Map<const Eigen::VectorXf>;

// Sums in a fixed order whatever the address of p. Eigen's own reductions
// start at the first aligned element, so their rounding depends on where the
// buffer happens to be allocated, which would make training irreproducible.
inline float sumFixed(const float* p, std::size_t n)
{
    float acc[16] = {};
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; ++k)
            acc[k] += p[i + k];
    float s = 0.0f;
    for (; i < n; ++i)
        s += p[i];
    for (int k = 0; k < 16; ++k)
        s += acc[k];
    return s;
}

inline float dotFixed(const float* a, const float* b, std::size_t n)
{
    float acc[16] = {};
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; ++k)
            acc[k] += a[i + k] * b[i + k];
    float s = 0.0f;
    for (; i < n; ++i)
        s += a[i] * b[i];
    for (int k = 0; k < 16; ++k)
        s += acc[k];
    return s;
}

class Tensor {
public:
    Tensor() = default;
    Tensor(int n, Shape3 shape) { resize(n, shape); }

    // Keeps capacity: shrinking and regrowing up to the old size never allocates.
    void resize(int n, Shape3 shape)
    {
        m_n = n;
        m_shape = shape;
        m_data.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(shape.size()));
    }
    void setZero() { std::fill(m_data.begin(), m_data.end(), 0.0f); }

    int n() const { return m_n; }
    const Shape3& shape() const { return m_shape; }
    int sampleSize() const { return m_shape.size(); }
    std::size_t size() const { return m_data.size(); }

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float* sample(int i) { return m_data.data() + static_cast<std::size_t>(i) * m_shape.size(); }
    const float* sample(int i) const { return m_data.data() + static_cast<std::size_t>(i) * m_shape.size(); }
    float& operator[](std::size_t i) { return m_data[i]; }
    float operator[](std::size_t i) const { return m_data[i]; }

    // (n, c*h*w) view, row-major: one row per sample.
    MatMap rows() { return MatMap(m_data.data(), m_n, m_shape.size()); }
    ConstMatMap rows() const { return ConstMatMap(m_data.data(), m_n, m_shape.size()); }
    VecMap vec() { return VecMap(m_data.data(), static_cast<Eigen::Index>(m_data.size())); }
    ConstVecMap vec() const { return ConstVecMap(m_data.data(), static_cast<Eigen::Index>(m_data.size())); }

    std::vector<float>& storage() { return m_data; }
    const std::vector<float>& storage() const { return m_data; }

private:
    int m_n = 0;
    Shape3 m_shape;
    std::vector<float> m_data;
};

}  // namespace nn
