#include "batchnorm.h"

#include "../parallel.h"

#include <cmath>

namespace nn {

Shape3 BatchNorm::doSetup(Shape3 in) { return in; }

void BatchNorm::inferenceAffine(const float* values, int C, float eps, float* scale, float* shift, int c)
{
    const float* gamma = values;
    const float* beta = values + C;
    const float* rmean = values + 2 * C;
    const float* rvar = values + 3 * C;
    *scale = gamma[c] / std::sqrt(rvar[c] + eps);
    *shift = beta[c] - rmean[c] * *scale;
}

void BatchNorm::inferenceAffine(const float* values, int C, float eps, float* scale, float* shift)
{
    for (int c = 0; c < C; ++c)
        inferenceAffine(values, C, eps, scale + c, shift + c, c);
}

std::vector<ParamSpec> BatchNorm::params() const
{
    const int C = m_inShape.c;
    return {
        {"gamma", {C}, ParamSpec::Ones, Init::He, C, C},
        {"beta", {C}, ParamSpec::Bias, Init::He, C, C},
        {"running_mean", {C}, ParamSpec::Stat, Init::He, C, C},
        {"running_var", {C}, ParamSpec::Stat, Init::He, C, C},
    };
}

void BatchNorm::doForward(const Tensor& x, Tensor& y, Mode mode)
{
    const int C = m_inShape.c, S = m_inShape.h * m_inShape.w, N = x.n();
    const float* gamma = m_values;
    const float* beta = m_values + C;
    m_inferForward = mode == Mode::Infer;
    if (mode == Mode::Infer) {
        for (int i = 0; i < N; ++i)
            for (int c = 0; c < C; ++c) {
                float scale, shift;
                inferenceAffine(m_values, C, m_eps, &scale, &shift, c);
                Eigen::Map<const Eigen::ArrayXf> xs(x.sample(i) + std::size_t(c) * S, S);
                Eigen::Map<Eigen::ArrayXf> ys(y.sample(i) + std::size_t(c) * S, S);
                ys = xs * scale + shift;
            }
        return;
    }
    m_xhat.resize(x.size());
    m_invStd.resize(C);
    m_sums.resize(2 * std::size_t(C) + 1);
    double* sums = m_sums.data();
    // Two passes, each summed over the whole batch (across threads when it is
    // split): the mean, then the squared deviations from it.
    for (int c = 0; c < C; ++c) {
        double sum = 0.0;
        for (int i = 0; i < N; ++i)
            sum += sumFixed(x.sample(i) + std::size_t(c) * S, std::size_t(S));
        sums[c] = sum;
    }
    sums[C] = double(N) * S;
    reduce(sums, C + 1);
    const double count = sums[C];
    m_count = count;
    double* sq = sums + C + 1;
    for (int c = 0; c < C; ++c) {
        const double mean = sums[c] / count;
        double acc = 0.0;
        for (int i = 0; i < N; ++i) {
            const float* xs = x.sample(i) + std::size_t(c) * S;
            for (int k = 0; k < S; ++k)
                acc += (double(xs[k]) - mean) * (double(xs[k]) - mean);
        }
        sq[c] = acc;
    }
    reduce(sq, C);
    for (int c = 0; c < C; ++c) {
        const double mean = sums[c] / count;
        const double var = sq[c] / count;  // biased, as used for normalising
        const float invStd = float(1.0 / std::sqrt(var + m_eps));
        m_invStd[c] = invStd;
        for (int i = 0; i < N; ++i) {
            const std::size_t off = std::size_t(i) * C * S + std::size_t(c) * S;
            Eigen::Map<const Eigen::ArrayXf> xs(x.data() + off, S);
            Eigen::Map<Eigen::ArrayXf> xh(m_xhat.data() + off, S);
            Eigen::Map<Eigen::ArrayXf> ys(y.data() + off, S);
            xh = (xs - float(mean)) * invStd;
            ys = xh * gamma[c] + beta[c];
        }
        if (m_grads) {
            // Statistics slots: batch mean and unbiased variance, summed over
            // sub-batches (each thread adds the whole batch's; the step
            // divides by the number of sub-batches).
            m_grads[2 * C + c] += float(mean);
            m_grads[3 * C + c] += float(count > 1 ? sq[c] / (count - 1) : var);
        }
    }
}

void BatchNorm::doBackward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int C = m_inShape.c, S = m_inShape.h * m_inShape.w, N = dy.n();
    const float* gamma = m_values;
    float* dgamma = m_grads;
    float* dbeta = m_grads + C;
    if (m_inferForward) {
        // y = gamma (x - mean) / sqrt(var + eps) + beta with the running
        // statistics: a per-channel affine map of x.
        const float* rmean = m_values + 2 * C;
        const float* rvar = m_values + 3 * C;
        for (int c = 0; c < C; ++c) {
            const float invStd = 1.0f / std::sqrt(rvar[c] + m_eps);
            double a = 0.0, b = 0.0;
            for (int i = 0; i < N; ++i) {
                const std::size_t off = std::size_t(i) * C * S + std::size_t(c) * S;
                Eigen::Map<const Eigen::ArrayXf> d(dy.data() + off, S);
                Eigen::Map<const Eigen::ArrayXf> xs(x.data() + off, S);
                Eigen::Map<Eigen::ArrayXf> g(dx.data() + off, S);
                a += double(d.sum());
                b += double((d * (xs - rmean[c])).sum()) * invStd;
                g = d * (gamma[c] * invStd);
            }
            dgamma[c] += float(b);
            dbeta[c] += float(a);
        }
        return;
    }
    // This share's sums go into the parameter gradients (the trainer adds
    // the threads' gradients); dx needs the whole batch's.
    m_sums.resize(2 * std::size_t(C) + 1);
    double* sdy = m_sums.data();
    double* sdyx = sdy + C;
    for (int c = 0; c < C; ++c) {
        double a = 0.0, b = 0.0;
        for (int i = 0; i < N; ++i) {
            const std::size_t off = std::size_t(i) * C * S + std::size_t(c) * S;
            a += sumFixed(dy.data() + off, std::size_t(S));
            b += dotFixed(dy.data() + off, m_xhat.data() + off, std::size_t(S));
        }
        dgamma[c] += float(b);
        dbeta[c] += float(a);
        sdy[c] = a;
        sdyx[c] = b;
    }
    reduce(sdy, 2 * C);
    const float count = float(m_count);
    for (int c = 0; c < C; ++c) {
        const float k = gamma[c] * m_invStd[c] / count;
        const float mdy = float(sdy[c]), mdyx = float(sdyx[c]);
        for (int i = 0; i < N; ++i) {
            const std::size_t off = std::size_t(i) * C * S + std::size_t(c) * S;
            Eigen::Map<const Eigen::ArrayXf> d(dy.data() + off, S);
            Eigen::Map<const Eigen::ArrayXf> xh(m_xhat.data() + off, S);
            Eigen::Map<Eigen::ArrayXf> g(dx.data() + off, S);
            g = k * (count * d - mdy - xh * mdyx);
        }
    }
}

void BatchNorm::reduce(double* data, int n)
{
    if (m_reduce)
        m_reduce->allReduce(m_participant, data, n);
}

}  // namespace nn
