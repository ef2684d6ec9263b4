#include "conv2d.h"

#include "../gemm.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace nn {

namespace {
// cols of one GEMM chunk: about this many bytes, so that cols, z and the
// weights stay in a core's L2 cache while the product runs.
constexpr std::size_t kColsBudget = 320 * 1024;
#if defined(__AVX512F__)
// dW (F, K) += dZ (F, N) * cols (K, N)^T for a small F*K and a long N (the
// first layer: F filters of 1 x k x k). Eigen's GEMM handles this shape badly
// (a tiny output, a long inner dimension); here FB x KB accumulators stay in
// registers while N streams through once. The order of the sums is fixed.
template <int FB, int KB>
void weightGradBlock(const float* dz, const float* cols, std::size_t n, std::size_t ldw, float* dw)
{
    __m512 acc[FB][KB];
    for (int f = 0; f < FB; ++f)
        for (int k = 0; k < KB; ++k)
            acc[f][k] = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 c[KB];
        for (int k = 0; k < KB; ++k)
            c[k] = _mm512_loadu_ps(cols + k * n + i);
        for (int f = 0; f < FB; ++f) {
            const __m512 d = _mm512_loadu_ps(dz + f * n + i);
            for (int k = 0; k < KB; ++k)
                acc[f][k] = _mm512_fmadd_ps(d, c[k], acc[f][k]);
        }
    }
    if (i < n) {
        const __mmask16 mask = __mmask16((1u << (n - i)) - 1);
        __m512 c[KB];
        for (int k = 0; k < KB; ++k)
            c[k] = _mm512_maskz_loadu_ps(mask, cols + k * n + i);
        for (int f = 0; f < FB; ++f) {
            const __m512 d = _mm512_maskz_loadu_ps(mask, dz + f * n + i);
            for (int k = 0; k < KB; ++k)
                acc[f][k] = _mm512_fmadd_ps(d, c[k], acc[f][k]);
        }
    }
    for (int f = 0; f < FB; ++f)
        for (int k = 0; k < KB; ++k) {
            alignas(64) float t[16];
            _mm512_store_ps(t, acc[f][k]);
            dw[f * ldw + k] += sumFixed(t, 16);
        }
}

using WeightGradFn = void (*)(const float*, const float*, std::size_t, std::size_t, float*);

template <int FB, int... KBs>
constexpr std::array<WeightGradFn, sizeof...(KBs)> weightGradRow(std::integer_sequence<int, KBs...>)
{
    return {&weightGradBlock<FB, KBs + 1>...};
}

constexpr int kFB = 4, kKB = 5;
const std::array<std::array<WeightGradFn, kKB>, kFB> kWeightGrad = {
    weightGradRow<1>(std::make_integer_sequence<int, kKB>()), weightGradRow<2>(std::make_integer_sequence<int, kKB>()),
    weightGradRow<3>(std::make_integer_sequence<int, kKB>()), weightGradRow<4>(std::make_integer_sequence<int, kKB>())};

void weightGradSmall(const float* dz, const float* cols, int F, int K, std::size_t n, float* dw)
{
    for (int f0 = 0; f0 < F; f0 += kFB) {
        const int fb = std::min(kFB, F - f0);
        for (int k0 = 0; k0 < K; k0 += kKB) {
            const int kb = std::min(kKB, K - k0);
            kWeightGrad[fb - 1][kb - 1](dz + std::size_t(f0) * n, cols + std::size_t(k0) * n, n, std::size_t(K),
                                        dw + std::size_t(f0) * K + k0);
        }
    }
}
constexpr bool kHaveSmallWeightGrad = true;

// Direct convolution of one input channel (stride 1, pre-padded images of row
// width wp): z[f] (ho, wo) = sum over (ky, kx) of w[f][ky][kx] * x shifted.
// FB filters x R output rows of accumulators; the order of the sums is fixed.
template <int FB, int R>
inline void directRows(const float* xp, int wp, const float* w, int k, int oy, int wo, std::size_t ldz, float* z)
{
    for (int ox0 = 0; ox0 < wo; ox0 += 16) {
        const __mmask16 mask = __mmask16(wo - ox0 >= 16 ? 0xffffu : (1u << (wo - ox0)) - 1u);
        __m512 acc[R][FB];
        for (int r = 0; r < R; ++r)
            for (int f = 0; f < FB; ++f)
                acc[r][f] = _mm512_setzero_ps();
        for (int ky = 0; ky < k; ++ky) {
            const float* row = xp + std::size_t(oy + ky) * wp + ox0;
            for (int kx = 0; kx < k; ++kx) {
                __m512 v[R];
                for (int r = 0; r < R; ++r)
                    v[r] = _mm512_maskz_loadu_ps(mask, row + std::size_t(r) * wp + kx);
                for (int f = 0; f < FB; ++f) {
                    const __m512 wf = _mm512_set1_ps(w[std::size_t(f) * k * k + ky * k + kx]);
                    for (int r = 0; r < R; ++r)
                        acc[r][f] = _mm512_fmadd_ps(wf, v[r], acc[r][f]);
                }
            }
        }
        for (int r = 0; r < R; ++r)
            for (int f = 0; f < FB; ++f)
                _mm512_mask_storeu_ps(z + std::size_t(f) * ldz + std::size_t(oy + r) * wo + ox0, mask, acc[r][f]);
    }
}

template <int FB>
void directImage(const float* xp, int wp, const float* w, int k, int ho, int wo, std::size_t ldz, float* z)
{
    int oy = 0;
    for (; oy + 2 <= ho; oy += 2)
        directRows<FB, 2>(xp, wp, w, k, oy, wo, ldz, z);
    if (oy < ho)
        directRows<FB, 1>(xp, wp, w, k, oy, wo, ldz, z);
}

using DirectImageFn = void (*)(const float*, int, const float*, int, int, int, std::size_t, float*);
constexpr int kDirectFB = 8;
const std::array<DirectImageFn, kDirectFB> kDirectImage = {&directImage<1>, &directImage<2>, &directImage<3>,
                                                           &directImage<4>, &directImage<5>, &directImage<6>,
                                                           &directImage<7>, &directImage<8>};

// dW[f][ky][kx0 + kx] += sum over images, oy, ox of dz[f] (ho, wo) * x shifted,
// for FB filters and KB kernel columns of one kernel row ky.
template <int FB, int KB>
void directGradBlock(const float* dz, std::size_t ldz, std::size_t P, const float* xp, std::size_t xstride, int wp,
                     int m, int ho, int wo, int ky, int kx0, std::size_t ldw, float* dw)
{
    __m512 acc[FB][KB];
    for (int f = 0; f < FB; ++f)
        for (int k = 0; k < KB; ++k)
            acc[f][k] = _mm512_setzero_ps();
    for (int j = 0; j < m; ++j) {
        const float* xj = xp + std::size_t(j) * xstride;
        const float* dj = dz + std::size_t(j) * P;
        for (int oy = 0; oy < ho; ++oy) {
            const float* row = xj + std::size_t(oy + ky) * wp + kx0;
            const float* drow = dj + std::size_t(oy) * wo;
            for (int ox0 = 0; ox0 < wo; ox0 += 16) {
                const __mmask16 mask = __mmask16(wo - ox0 >= 16 ? 0xffffu : (1u << (wo - ox0)) - 1u);
                __m512 c[KB];
                for (int k = 0; k < KB; ++k)
                    c[k] = _mm512_maskz_loadu_ps(mask, row + ox0 + k);
                for (int f = 0; f < FB; ++f) {
                    const __m512 d = _mm512_maskz_loadu_ps(mask, drow + std::size_t(f) * ldz + ox0);
                    for (int k = 0; k < KB; ++k)
                        acc[f][k] = _mm512_fmadd_ps(d, c[k], acc[f][k]);
                }
            }
        }
    }
    for (int f = 0; f < FB; ++f)
        for (int k = 0; k < KB; ++k) {
            alignas(64) float t[16];
            _mm512_store_ps(t, acc[f][k]);
            dw[f * ldw + k] += sumFixed(t, 16);
        }
}

using DirectGradFn = void (*)(const float*, std::size_t, std::size_t, const float*, std::size_t, int, int, int, int,
                              int, int, std::size_t, float*);
template <int FB, int... KBs>
constexpr std::array<DirectGradFn, sizeof...(KBs)> directGradRow(std::integer_sequence<int, KBs...>)
{
    return {&directGradBlock<FB, KBs + 1>...};
}
const std::array<std::array<DirectGradFn, kKB>, kFB> kDirectGrad = {
    directGradRow<1>(std::make_integer_sequence<int, kKB>()), directGradRow<2>(std::make_integer_sequence<int, kKB>()),
    directGradRow<3>(std::make_integer_sequence<int, kKB>()), directGradRow<4>(std::make_integer_sequence<int, kKB>())};
constexpr bool kHaveDirect = true;
#else
void weightGradSmall(const float*, const float*, int, int, std::size_t, float*) {}
constexpr bool kHaveSmallWeightGrad = false;
constexpr bool kHaveDirect = false;
#endif

}  // namespace

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
        throw SpecError(m_pad ? uiText(DIGITPAD_UI_TEXT("nn::ui", "conv: kernel %1x%1 does not fit input %2 padded by %3"),
                                       m_k, in.str(), m_pad)
                              : uiText(DIGITPAD_UI_TEXT("nn::ui", "conv: kernel %1x%1 does not fit input %2"), m_k,
                                       in.str()));
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

int Conv2D::chunkImages(int n) const
{
    const std::size_t perImage = std::size_t(patchSize()) * pixels() * sizeof(float);
    const std::size_t m = std::max<std::size_t>(1, kColsBudget / std::max<std::size_t>(1, perImage));
    return int(std::min<std::size_t>(m, std::size_t(std::max(1, n))));
}

// cols row r = (ci, ky, kx), column p = (oy, ox); rows are ld apart.
#if defined(__AVX512F__)
namespace {
// Lanes [a, b) of a 16-lane mask (clamped to [0, 16)).
constexpr int kMaxKernelRegs = 16;  // kernels up to this width use the register col2im
inline __mmask16 laneMask(int a, int b)
{
    a = std::max(a, 0);
    b = std::min(b, 16);
    if (b <= a)
        return 0;
    return __mmask16(((b - a == 16) ? 0xffffu : ((1u << (b - a)) - 1u)) << a);
}
}  // namespace
#endif

void Conv2D::im2col(const float* x, float* cols, std::size_t ld) const
{
    const int C = m_inShape.c, H = m_inShape.h, W = m_inShape.w;
    const int Ho = m_outShape.h, Wo = m_outShape.w;
#if defined(__AVX512F__)
    if (m_stride == 1 && Wo <= 64) {
        // Each output row is at most four masked vectors: the mask zeroes the
        // padding columns, so there are no branches and no memcpy calls.
        const int nv = (Wo + 15) / 16;
        const __m512 zero = _mm512_setzero_ps();
        for (int ci = 0; ci < C; ++ci) {
            const float* xc = x + std::size_t(ci) * H * W;
            for (int ky = 0; ky < m_k; ++ky) {
                for (int kx = 0; kx < m_k; ++kx) {
                    float* row = cols + std::size_t((ci * m_k + ky) * m_k + kx) * ld;
                    const int ixStart = kx - m_pad;
                    const int lo = std::max(0, -ixStart), hi = std::min(Wo, W - ixStart);
                    __mmask16 valid[4], store[4];
                    for (int v = 0; v < nv; ++v) {
                        store[v] = laneMask(0, Wo - 16 * v);
                        valid[v] = laneMask(lo - 16 * v, hi - 16 * v) & store[v];
                    }
                    for (int oy = 0; oy < Ho; ++oy) {
                        const int iy = oy - m_pad + ky;
                        float* out = row + oy * Wo;
                        if (iy < 0 || iy >= H) {
                            for (int v = 0; v < nv; ++v)
                                _mm512_mask_storeu_ps(out + 16 * v, store[v], zero);
                            continue;
                        }
                        // Lanes outside [lo, hi) are masked: their addresses are never read.
                        const float* src = xc + std::size_t(iy) * W + ixStart;
                        for (int v = 0; v < nv; ++v)
                            _mm512_mask_storeu_ps(out + 16 * v, store[v], _mm512_maskz_loadu_ps(valid[v], src + 16 * v));
                    }
                }
            }
        }
        return;
    }
#endif
    for (int ci = 0; ci < C; ++ci) {
        const float* xc = x + std::size_t(ci) * H * W;
        for (int ky = 0; ky < m_k; ++ky) {
            for (int kx = 0; kx < m_k; ++kx) {
                float* row = cols + std::size_t((ci * m_k + ky) * m_k + kx) * ld;
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

void Conv2D::col2im(const float* cols, std::size_t ld, float* dx) const
{
    const int C = m_inShape.c, H = m_inShape.h, W = m_inShape.w;
    const int Ho = m_outShape.h, Wo = m_outShape.w;
#if defined(__AVX512F__)
    if (m_stride == 1 && W <= 64 && m_k <= kMaxKernelRegs) {
        // Gather form: each dx row is summed in registers over the (ky, kx)
        // that reach it, then stored once. Lane ix of kernel column kx reads
        // cols at ox = ix + pad - kx (masked where ox is outside [0, Wo)). No
        // read-modify-write of dx, so no store-forwarding stalls and no memset.
        const int nv = (W + 15) / 16;
        __mmask16 valid[kMaxKernelRegs][4];
        for (int kx = 0; kx < m_k; ++kx) {
            const int lo = std::max(0, kx - m_pad), hi = std::min(W, Wo + kx - m_pad);
            for (int v = 0; v < nv; ++v)
                valid[kx][v] = laneMask(lo - 16 * v, hi - 16 * v);
        }
        __mmask16 store[4];
        for (int v = 0; v < nv; ++v)
            store[v] = laneMask(0, W - 16 * v);
        for (int ci = 0; ci < C; ++ci) {
            float* dxc = dx + std::size_t(ci) * H * W;
            const float* cc = cols + std::size_t(ci) * m_k * m_k * ld;
            for (int iy = 0; iy < H; ++iy) {
                __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
                const int kyLo = std::max(0, iy + m_pad - Ho + 1), kyHi = std::min(m_k, iy + m_pad + 1);
                for (int ky = kyLo; ky < kyHi; ++ky) {
                    const int oy = iy + m_pad - ky;
                    const float* rowBase = cc + std::size_t(ky) * m_k * ld + std::size_t(oy) * Wo + m_pad;
                    for (int kx = 0; kx < m_k; ++kx) {
                        // Lanes outside valid[kx] are masked: their addresses are never read.
                        const float* src = rowBase + std::size_t(kx) * ld - kx;
                        for (int v = 0; v < nv; ++v)
                            acc[v] = _mm512_add_ps(acc[v], _mm512_maskz_loadu_ps(valid[kx][v], src + 16 * v));
                    }
                }
                float* d = dxc + std::size_t(iy) * W;
                for (int v = 0; v < nv; ++v)
                    _mm512_mask_storeu_ps(d + 16 * v, store[v], acc[v]);
            }
        }
        return;
    }
#endif
    std::memset(dx, 0, sizeof(float) * std::size_t(C) * H * W);
    for (int ci = 0; ci < C; ++ci) {
        float* dxc = dx + std::size_t(ci) * H * W;
        for (int ky = 0; ky < m_k; ++ky) {
            for (int kx = 0; kx < m_k; ++kx) {
                const float* row = cols + std::size_t((ci * m_k + ky) * m_k + kx) * ld;
                for (int oy = 0; oy < Ho; ++oy) {
                    const int iy = oy * m_stride - m_pad + ky;
                    if (iy < 0 || iy >= H)
                        continue;
                    float* dxrow = dxc + std::size_t(iy) * W;
                    const float* in = row + oy * Wo;
                    if (m_stride == 1) {
                        const int ixStart = kx - m_pad;
                        const int lo = std::max(0, -ixStart);
                        const int hi = std::min(Wo, W - ixStart);
                        float* d = dxrow + ixStart;
                        for (int ox = lo; ox < hi; ++ox)
                            d[ox] += in[ox];
                    } else {
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
}

void Conv2D::im2colChunk(const Tensor& x, int i0, int m, float* cols) const
{
    const std::size_t P = std::size_t(pixels()), ld = P * std::size_t(m);
    for (int j = 0; j < m; ++j)
        im2col(x.sample(i0 + j), cols + std::size_t(j) * P, ld);
}

void Conv2D::gemmForward(const float* cols, int m, float* z) const
{
    const int K = patchSize(), n = pixels() * m;
    gemm(false, false, m_filters, n, K, m_values, K, cols, n, z, n, false, m_gemm);
}

void Conv2D::gemmBackward(const float* dz, const float* cols, int i0, int m, Tensor* dx, float* dcols) const
{
    const int K = patchSize();
    const std::size_t P = std::size_t(pixels());
    const int n = int(P) * m;
    float* db = m_grads + std::size_t(m_filters) * K;
    if (kHaveSmallWeightGrad && m_filters * K <= 1024)
        weightGradSmall(dz, cols, m_filters, K, std::size_t(n), m_grads);
    else
        gemm(false, true, m_filters, K, n, dz, n, cols, n, m_grads, K, true, m_gemm);  // dW += dZ cols^T
    for (int f = 0; f < m_filters; ++f)
        db[f] += sumFixed(dz + std::size_t(f) * n, std::size_t(n));
    if (!dx)
        return;
    gemm(true, false, K, n, m_filters, m_values, K, dz, n, dcols, n, false, m_gemm);  // dcols = W^T dZ
    for (int j = 0; j < m; ++j)
        col2im(dcols + std::size_t(j) * P, std::size_t(n), dx->sample(i0 + j));
}

bool Conv2D::directOk() const
{
    return kHaveDirect && m_inShape.c == 1 && m_stride == 1 && m_k <= 16 && m_outShape.w <= 64;
}

std::size_t Conv2D::padStride() const
{
    const std::size_t hp = std::size_t(m_inShape.h + 2 * m_pad), wp = std::size_t(m_inShape.w + 2 * m_pad);
    return (hp * wp + 15) & ~std::size_t(15);
}

const float* Conv2D::padChunk(const Tensor& x, int i0, int m)
{
    const int H = m_inShape.h, W = m_inShape.w, wp = W + 2 * m_pad;
    const std::size_t S = padStride();
    m_xpad.resize(S * std::size_t(m) + 16);
    std::fill(m_xpad.begin(), m_xpad.end(), 0.0f);
    for (int j = 0; j < m; ++j) {
        const float* src = x.sample(i0 + j);
        float* dst = m_xpad.data() + S * std::size_t(j) + std::size_t(m_pad) * wp + m_pad;
        for (int y = 0; y < H; ++y)
            std::memcpy(dst + std::size_t(y) * wp, src + std::size_t(y) * W, sizeof(float) * W);
    }
    return m_xpad.data();
}

void Conv2D::directForward(const float* xp, int m, float* z) const
{
#if defined(__AVX512F__)
    const int wp = m_inShape.w + 2 * m_pad, Ho = m_outShape.h, Wo = m_outShape.w, kk = m_k * m_k;
    const std::size_t P = std::size_t(pixels()), ldz = P * std::size_t(m), S = padStride();
    for (int j = 0; j < m; ++j)
        for (int f0 = 0; f0 < m_filters; f0 += kDirectFB) {
            const int fb = std::min(kDirectFB, m_filters - f0);
            kDirectImage[fb - 1](xp + S * std::size_t(j), wp, m_values + std::size_t(f0) * kk, m_k, Ho, Wo, ldz,
                                 z + std::size_t(f0) * ldz + std::size_t(j) * P);
        }
#else
    (void)xp, (void)m, (void)z;
#endif
}

void Conv2D::directWeightGrad(const float* dz, const float* xp, int m) const
{
#if defined(__AVX512F__)
    const int wp = m_inShape.w + 2 * m_pad, Ho = m_outShape.h, Wo = m_outShape.w, kk = m_k * m_k;
    const std::size_t P = std::size_t(pixels()), ldz = P * std::size_t(m), S = padStride();
    for (int f0 = 0; f0 < m_filters; f0 += kFB) {
        const int fb = std::min(kFB, m_filters - f0);
        for (int ky = 0; ky < m_k; ++ky)
            for (int kx0 = 0; kx0 < m_k; kx0 += kKB) {
                const int kb = std::min(kKB, m_k - kx0);
                kDirectGrad[fb - 1][kb - 1](dz + std::size_t(f0) * ldz, ldz, P, xp, S, wp, m, Ho, Wo, ky, kx0,
                                            std::size_t(kk), m_grads + std::size_t(f0) * kk + ky * m_k + kx0);
            }
    }
    float* db = m_grads + std::size_t(m_filters) * kk;
    for (int f = 0; f < m_filters; ++f)
        db[f] += sumFixed(dz + std::size_t(f) * ldz, ldz);
#else
    (void)dz, (void)xp, (void)m;
#endif
}

void Conv2D::forwardChunk(const Tensor& x, int i0, int m, float* cols, float* z)
{
    if (directOk()) {
        directForward(padChunk(x, i0, m), m, z);
        return;
    }
    im2colChunk(x, i0, m, cols);
    gemmForward(cols, m, z);
}

void Conv2D::backwardChunk(const float* dz, const Tensor& x, int i0, int m, Tensor* dx, float* cols, float* dcols)
{
    if (!dx && directOk()) {
        directWeightGrad(dz, padChunk(x, i0, m), m);
        return;
    }
    im2colChunk(x, i0, m, cols);
    gemmBackward(dz, cols, i0, m, dx, dcols);
}

void Conv2D::doForward(const Tensor& x, Tensor& y, Mode)
{
    const int n = x.n(), K = patchSize(), P = pixels(), C = m_filters;
    const int cm = chunkImages(n);
    m_cols.resize(std::size_t(K) * P * cm);
    m_z.resize(std::size_t(C) * P * cm);
    const float* b = biasValues();
    for (int i0 = 0; i0 < n; i0 += cm) {
        const int m = std::min(cm, n - i0);
        forwardChunk(x, i0, m, m_cols.data(), m_z.data());
        // (Cout, m*P) -> NCHW, adding the bias.
        const std::size_t ld = std::size_t(P) * m;
        for (int j = 0; j < m; ++j) {
            float* ys = y.sample(i0 + j);
            for (int c = 0; c < C; ++c) {
                const float* zr = m_z.data() + c * ld + std::size_t(j) * P;
                float* yr = ys + std::size_t(c) * P;
                const float bc = b[c];
                for (int p = 0; p < P; ++p)
                    yr[p] = zr[p] + bc;
            }
        }
    }
}

void Conv2D::doBackward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor& dx)
{
    const int n = x.n(), K = patchSize(), P = pixels(), C = m_filters;
    const int cm = chunkImages(n);
    m_cols.resize(std::size_t(K) * P * cm);
    m_z.resize(std::size_t(C) * P * cm);
    if (m_needInputGrad)
        m_dcols.resize(std::size_t(K) * P * cm);
    for (int i0 = 0; i0 < n; i0 += cm) {
        const int m = std::min(cm, n - i0);
        const std::size_t ld = std::size_t(P) * m;
        for (int j = 0; j < m; ++j) {
            const float* ds = dy.sample(i0 + j);
            for (int c = 0; c < C; ++c)
                std::memcpy(m_z.data() + c * ld + std::size_t(j) * P, ds + std::size_t(c) * P, sizeof(float) * P);
        }
        backwardChunk(m_z.data(), x, i0, m, m_needInputGrad ? &dx : nullptr, m_cols.data(), m_dcols.data());
    }
}

}  // namespace nn
