#include "fused.h"

#include "activation.h"
#include "maxpool2d.h"

#include <algorithm>
#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512BW__)
#include <immintrin.h>
#define NN_FUSED_AVX512 1
#endif

namespace nn {

ConvReluPool::ConvReluPool(const Conv2D& conv, const BatchNorm* bn)
    : m_conv(conv.filters(), conv.kernel(), conv.stride(), conv.pad(), conv.init()),
      m_hasBn(bn != nullptr),
      m_bnEps(bn ? bn->eps() : 0.0f)
{
}

std::vector<ParamSpec> ConvReluPool::params() const
{
    std::vector<ParamSpec> p = m_conv.params();
    if (m_hasBn) {
        BatchNorm bn;
        bn.setup(m_conv.outputShape());
        for (ParamSpec& q : bn.params())
            p.push_back(std::move(q));
    }
    return p;
}

bool ConvReluPool::fusableWithBatchNorm(const Layer& conv, const Layer& bn, const Layer& relu, const Layer& pool)
{
    return bn.kind() == "batchnorm" && fusable(conv, relu, pool);
}

bool ConvReluPool::fusable(const Layer& conv, const Layer& relu, const Layer& pool)
{
    if (conv.kind() != "conv" || relu.kind() != "relu" || pool.kind() != "maxpool")
        return false;
    const auto* p = dynamic_cast<const MaxPool2D*>(&pool);
    return p && p->window() == 2 && p->poolStride() == 2 && conv.outputShape().h >= 2 && conv.outputShape().w >= 2;
}

Shape3 ConvReluPool::doSetup(Shape3 in)
{
    const Shape3 c = m_conv.setup(in);
    if (c.h < 2 || c.w < 2)
        throw SpecError(
            uiText(DIGITPAD_UI_TEXT("nn::ui", "conv+relu+maxpool: conv output %1 is smaller than the 2x2 window"), c.str()));
    return {c.c, c.h / 2, c.w / 2};
}

namespace {

#ifdef NN_FUSED_AVX512
// Even and odd elements of 32 consecutive floats (a: 0..15, b: 16..31).
inline void deinterleave(__m512 a, __m512 b, __m512& even, __m512& odd)
{
    const __m512i ie = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i io = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    even = _mm512_permutex2var_ps(a, ie, b);
    odd = _mm512_permutex2var_ps(a, io, b);
}

// Masks for q pooled outputs (q <= 16): the 2q input floats span two vectors.
inline void pairMasks(int q, __mmask16& lo, __mmask16& hi, __mmask16& out)
{
    const unsigned n2 = unsigned(2 * q);
    lo = __mmask16(n2 >= 16 ? 0xffffu : (1u << n2) - 1u);
    hi = __mmask16(n2 <= 16 ? 0u : (n2 >= 32 ? 0xffffu : (1u << (n2 - 16)) - 1u));
    out = __mmask16(q >= 16 ? 0xffffu : (1u << q) - 1u);
}

inline void poolForwardRow(const float* r0, const float* r1, int Wp, __m512 s, __m512 b, float* yr, std::uint8_t* ar)
{
    const __m512 zero = _mm512_setzero_ps();
    for (int ox = 0; ox < Wp; ox += 16) {
        __mmask16 lo, hi, om;
        pairMasks(std::min(16, Wp - ox), lo, hi, om);
        __m512 v0, v1, v2, v3;
        deinterleave(_mm512_maskz_loadu_ps(lo, r0 + 2 * ox), _mm512_maskz_loadu_ps(hi, r0 + 2 * ox + 16), v0, v1);
        deinterleave(_mm512_maskz_loadu_ps(lo, r1 + 2 * ox), _mm512_maskz_loadu_ps(hi, r1 + 2 * ox + 16), v2, v3);
        // z * s + b (s is 1 without batchnorm: exactly z + b).
        v0 = _mm512_max_ps(_mm512_fmadd_ps(v0, s, b), zero);
        v1 = _mm512_max_ps(_mm512_fmadd_ps(v1, s, b), zero);
        v2 = _mm512_max_ps(_mm512_fmadd_ps(v2, s, b), zero);
        v3 = _mm512_max_ps(_mm512_fmadd_ps(v3, s, b), zero);
        if (ar) {
            // Strict '>' in window order, as the scalar version and MaxPool2D.
            __m512 best = v0;
            __m512i a = _mm512_setzero_si512();
            __mmask16 m = _mm512_cmp_ps_mask(v1, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v1);
            a = _mm512_mask_mov_epi32(a, m, _mm512_set1_epi32(1));
            m = _mm512_cmp_ps_mask(v2, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v2);
            a = _mm512_mask_mov_epi32(a, m, _mm512_set1_epi32(2));
            m = _mm512_cmp_ps_mask(v3, best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, m, v3);
            a = _mm512_mask_mov_epi32(a, m, _mm512_set1_epi32(3));
            _mm512_mask_storeu_ps(yr + ox, om, best);
            _mm512_mask_cvtepi32_storeu_epi8(ar + ox, om, a);
        } else {
            _mm512_mask_storeu_ps(yr + ox, om, _mm512_max_ps(_mm512_max_ps(v0, v1), _mm512_max_ps(v2, v3)));
        }
    }
}

inline void poolBackwardRow(const float* dr, const float* yr, const std::uint8_t* ar, int Wp, float* r0, float* r1)
{
    const __m512 zero = _mm512_setzero_ps();
    const __m512i il = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i ih = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    for (int ox = 0; ox < Wp; ox += 16) {
        __mmask16 lo, hi, om;
        pairMasks(std::min(16, Wp - ox), lo, hi, om);
        const __m512 y = _mm512_maskz_loadu_ps(om, yr + ox);
        const __m512 g = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(y, zero, _CMP_GT_OQ), _mm512_maskz_loadu_ps(om, dr + ox));
        const __m512i a = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(om, ar + ox));
        const __m512 e0 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(a, _mm512_set1_epi32(0)), g);
        const __m512 e1 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(a, _mm512_set1_epi32(1)), g);
        const __m512 e2 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(a, _mm512_set1_epi32(2)), g);
        const __m512 e3 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(a, _mm512_set1_epi32(3)), g);
        _mm512_mask_storeu_ps(r0 + 2 * ox, lo, _mm512_permutex2var_ps(e0, il, e1));
        _mm512_mask_storeu_ps(r0 + 2 * ox + 16, hi, _mm512_permutex2var_ps(e0, ih, e1));
        _mm512_mask_storeu_ps(r1 + 2 * ox, lo, _mm512_permutex2var_ps(e2, il, e3));
        _mm512_mask_storeu_ps(r1 + 2 * ox + 16, hi, _mm512_permutex2var_ps(e2, ih, e3));
    }
}
#endif

// One channel of one image: z (Ho, Wo) -> y (Ho/2, Wo/2): z * s + b (the
// bias, or with batchnorm the folded affine map), ReLU, 2x2 max.
// The window is scanned in the order (0,0), (0,1), (1,0), (1,1) with a strict
// '>' as MaxPool2D does, so that ties resolve the same way.
inline void poolForward(const float* z, int Ho, int Wo, float s, float b, float* y, std::uint8_t* arg)
{
    const int Hp = Ho / 2, Wp = Wo / 2;
#ifdef NN_FUSED_AVX512
    const __m512 sv = _mm512_set1_ps(s), bv = _mm512_set1_ps(b);
    for (int oy = 0; oy < Hp; ++oy) {
        const float* r0 = z + std::size_t(2 * oy) * Wo;
        poolForwardRow(r0, r0 + Wo, Wp, sv, bv, y + std::size_t(oy) * Wp, arg ? arg + std::size_t(oy) * Wp : nullptr);
    }
    return;
#endif
    for (int oy = 0; oy < Hp; ++oy) {
        const float* r0 = z + std::size_t(2 * oy) * Wo;
        const float* r1 = r0 + Wo;
        float* yr = y + std::size_t(oy) * Wp;
        if (arg) {
            std::uint8_t* ar = arg + std::size_t(oy) * Wp;
            for (int ox = 0; ox < Wp; ++ox) {
                const float v0 = std::max(r0[2 * ox] * s + b, 0.0f);
                const float v1 = std::max(r0[2 * ox + 1] * s + b, 0.0f);
                const float v2 = std::max(r1[2 * ox] * s + b, 0.0f);
                const float v3 = std::max(r1[2 * ox + 1] * s + b, 0.0f);
                float best = v0;
                std::uint8_t a = 0;
                if (v1 > best) { best = v1; a = 1; }
                if (v2 > best) { best = v2; a = 2; }
                if (v3 > best) { best = v3; a = 3; }
                yr[ox] = best;
                ar[ox] = a;
            }
        } else if (s >= 0.0f) {
            // z -> z * s + b is monotonic (and so is its rounding): the max first.
            for (int ox = 0; ox < Wp; ++ox) {
                const float m = std::max(std::max(r0[2 * ox], r0[2 * ox + 1]), std::max(r1[2 * ox], r1[2 * ox + 1]));
                yr[ox] = std::max(m * s + b, 0.0f);
            }
        } else {
            for (int ox = 0; ox < Wp; ++ox) {
                const float m = std::min(std::min(r0[2 * ox], r0[2 * ox + 1]), std::min(r1[2 * ox], r1[2 * ox + 1]));
                yr[ox] = std::max(m * s + b, 0.0f);
            }
        }
    }
}

// The mirror image: dz (Ho, Wo) from dy (Ho/2, Wo/2). The gradient goes to the
// window's winner when the pooled value is positive (ReLU passed it), else nowhere.
inline void poolBackward(const float* dy, const float* y, const std::uint8_t* arg, int Ho, int Wo, float* dz)
{
    const int Hp = Ho / 2, Wp = Wo / 2;
    for (int oy = 0; oy < Hp; ++oy) {
        float* r0 = dz + std::size_t(2 * oy) * Wo;
        float* r1 = r0 + Wo;
        const float* dr = dy + std::size_t(oy) * Wp;
        const float* yr = y + std::size_t(oy) * Wp;
        const std::uint8_t* ar = arg + std::size_t(oy) * Wp;
#ifdef NN_FUSED_AVX512
        poolBackwardRow(dr, yr, ar, Wp, r0, r1);
        if (false)
#endif
        for (int ox = 0; ox < Wp; ++ox) {
            const float g = yr[ox] > 0.0f ? dr[ox] : 0.0f;
            const std::uint8_t a = ar[ox];
            r0[2 * ox] = a == 0 ? g : 0.0f;
            r0[2 * ox + 1] = a == 1 ? g : 0.0f;
            r1[2 * ox] = a == 2 ? g : 0.0f;
            r1[2 * ox + 1] = a == 3 ? g : 0.0f;
        }
        if (Wo & 1) {
            r0[Wo - 1] = 0.0f;
            r1[Wo - 1] = 0.0f;
        }
    }
    if (Ho & 1)
        std::memset(dz + std::size_t(Ho - 1) * Wo, 0, sizeof(float) * Wo);
}

}  // namespace

void ConvReluPool::doForward(const Tensor& x, Tensor& y, Mode mode)
{
    m_conv.bind(m_values, m_grads);
    const int n = x.n(), K = m_conv.patchSize(), P = m_conv.pixels(), C = m_conv.filters();
    const Shape3 co = m_conv.outputShape();
    const int outSize = m_outShape.size(), Q = m_outShape.h * m_outShape.w;
    const bool train = mode == Mode::Train;
    if (train && m_hasBn)
        throw Error(kind() + ": the folded batchnorm is for inference; training needs the layers apart");
    const int cm = m_conv.chunkImages(n);
    m_cols.resize(std::size_t(K) * P * cm);
    m_z.resize(std::size_t(C) * P * cm);
    if (train)
        m_arg.resize(std::size_t(n) * outSize);
    // The epilogue's affine map: z + bias, or batchnorm(z + bias) folded.
    m_scale.resize(std::size_t(C));
    m_shift.resize(std::size_t(C));
    const float* bias = m_conv.biasValues();
    if (m_hasBn) {
        BatchNorm::inferenceAffine(bias + C, C, m_bnEps, m_scale.data(), m_shift.data());
        for (int c = 0; c < C; ++c)
            m_shift[std::size_t(c)] += bias[c] * m_scale[std::size_t(c)];
    } else {
        std::fill(m_scale.begin(), m_scale.end(), 1.0f);
        std::copy(bias, bias + C, m_shift.begin());
    }
    for (int i0 = 0; i0 < n; i0 += cm) {
        const int m = std::min(cm, n - i0);
        m_conv.forwardChunk(x, i0, m, m_cols.data(), m_z.data());
        const std::size_t ld = std::size_t(P) * m;
        for (int j = 0; j < m; ++j) {
            float* ys = y.sample(i0 + j);
            std::uint8_t* as = train ? m_arg.data() + std::size_t(i0 + j) * outSize : nullptr;
            for (int c = 0; c < C; ++c)
                poolForward(m_z.data() + c * ld + std::size_t(j) * P, co.h, co.w, m_scale[std::size_t(c)],
                            m_shift[std::size_t(c)], ys + std::size_t(c) * Q,
                            as ? as + std::size_t(c) * Q : nullptr);
        }
    }
    m_trained = train;
}

void ConvReluPool::doBackward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx)
{
    if (!m_trained)
        throw Error("conv+relu+maxpool: backward() called without a training-mode forward()");
    m_conv.bind(m_values, m_grads);
    const int n = x.n(), K = m_conv.patchSize(), P = m_conv.pixels(), C = m_conv.filters();
    const Shape3 co = m_conv.outputShape();
    const int outSize = m_outShape.size(), Q = m_outShape.h * m_outShape.w;
    const int cm = m_conv.chunkImages(n);
    m_cols.resize(std::size_t(K) * P * cm);
    m_z.resize(std::size_t(C) * P * cm);
    if (m_needInputGrad)
        m_dcols.resize(std::size_t(K) * P * cm);
    for (int i0 = 0; i0 < n; i0 += cm) {
        const int m = std::min(cm, n - i0);
        const std::size_t ld = std::size_t(P) * m;
        for (int j = 0; j < m; ++j) {
            const std::size_t s = std::size_t(i0 + j) * outSize;
            for (int c = 0; c < C; ++c)
                poolBackward(dy.data() + s + std::size_t(c) * Q, y.data() + s + std::size_t(c) * Q,
                             m_arg.data() + s + std::size_t(c) * Q, co.h, co.w,
                             m_z.data() + c * ld + std::size_t(j) * P);
        }
        m_conv.backwardChunk(m_z.data(), x, i0, m, m_needInputGrad ? &dx : nullptr, m_cols.data(), m_dcols.data());
    }
}

}  // namespace nn
