#pragma once
// Row-major single-precision GEMM on Eigen's packed kernel, with a packing
// workspace that the caller keeps: C (M, N) = or += op(A) (M, K) * op(B) (K, N).
//
// Eigen's own product expression (`C.noalias() = A * B`) builds a
// gemm_blocking_space on every call, and when the packed panels are larger
// than EIGEN_STACK_ALLOCATION_LIMIT (128 KiB) it mallocs them: one or two
// heap allocations per convolution chunk, hundreds per training step. Here
// the blocking sizes are computed exactly as Eigen computes them for the
// same product (so the packing, the order of the sums and therefore every
// result bit are the same as with the expression), but the panels live in a
// GemmWorkspace that grows during the warm-up and is then reused.
//
// Products that Eigen would not run through its GEMM (a row or a column
// vector, or a product too small for packing) go through the ordinary
// expression, which does not allocate for those shapes.
#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nn {

class GemmWorkspace {
public:
    // Two 64-byte aligned panels of a and b floats; valid until the next call.
    void reserve(std::size_t a, std::size_t b, float*& pa, float*& pb)
    {
        const std::size_t ra = round(a), need = ra + round(b) + kAlign / sizeof(float);
        if (m_buf.size() < need)
            m_buf.resize(need);
        const auto addr = reinterpret_cast<std::uintptr_t>(m_buf.data());
        float* base = m_buf.data() + ((kAlign - addr % kAlign) % kAlign) / sizeof(float);
        pa = base;
        pb = base + ra;
    }

private:
    static constexpr std::size_t kAlign = 64;
    static std::size_t round(std::size_t n) { return (n + 15) & ~std::size_t(15); }
    std::vector<float> m_buf;
};

namespace detail {

// Eigen's level3_blocking with the caller's panels.
class BorrowedBlocking : public Eigen::internal::level3_blocking<float, float> {
public:
    BorrowedBlocking(Eigen::Index mc, Eigen::Index nc, Eigen::Index kc, float* a, float* b)
    {
        this->m_mc = mc;
        this->m_nc = nc;
        this->m_kc = kc;
        this->m_blockA = a;
        this->m_blockB = b;
    }
};

// Column-major C' (rows, cols) += lhs (rows, depth) * rhs (depth, cols), which
// is how Eigen evaluates a row-major destination (the transposed product).
template <int LhsOrder, int RhsOrder>
inline void colMajorGemm(Eigen::Index rows, Eigen::Index cols, Eigen::Index depth, const float* lhs,
                         Eigen::Index lhsStride, const float* rhs, Eigen::Index rhsStride, float* res,
                         Eigen::Index resStride, GemmWorkspace& ws)
{
    using namespace Eigen::internal;
    // gemm_blocking_space's constructor for a dynamic product, one thread, l3 blocking.
    Eigen::Index kc = depth, mc = rows, nc = cols;
    computeProductBlockingSizes<float, float, 1>(kc, mc, nc, Eigen::Index(1));
    float *a = nullptr, *b = nullptr;
    ws.reserve(std::size_t(mc) * std::size_t(kc), std::size_t(kc) * std::size_t(nc), a, b);
    BorrowedBlocking blocking(mc, nc, kc, a, b);
    general_matrix_matrix_product<Eigen::Index, float, LhsOrder, false, float, RhsOrder, false, Eigen::ColMajor,
                                  1>::run(rows, cols, depth, lhs, lhsStride, rhs, rhsStride, res, 1, resStride, 1.0f,
                                          blocking, nullptr);
}

}  // namespace detail

// C (M, N), row-major with leading dimension ldc: C = op(A) op(B), or
// C += op(A) op(B) when accumulate. A is (M, K) row-major with leading
// dimension lda, or (K, M) when transA; B is (K, N), or (N, K) when transB.
inline void gemm(bool transA, bool transB, int M, int N, int K, const float* A, int lda, const float* B, int ldb,
                 float* C, int ldc, bool accumulate, GemmWorkspace& ws)
{
    using Eigen::Index;
    using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Stride = Eigen::OuterStride<>;
    if (M <= 0 || N <= 0)
        return;
    if (K <= 0) {
        if (!accumulate)
            for (int i = 0; i < M; ++i)
                std::fill(C + std::size_t(i) * ldc, C + std::size_t(i) * ldc + N, 0.0f);
        return;
    }
    // Shapes Eigen evaluates without its blocked GEMM (gemv, lazy product).
    if (M == 1 || N == 1 || M + N + K < EIGEN_GEMM_TO_COEFFBASED_THRESHOLD) {
        Eigen::Map<RowMat, 0, Stride> c(C, M, N, Stride(ldc));
        auto run = [&](const auto& a, const auto& b) {
            if (accumulate)
                c.noalias() += a * b;
            else
                c.noalias() = a * b;
        };
        using CMap = Eigen::Map<const RowMat, 0, Stride>;
        if (!transA && !transB)
            run(CMap(A, M, K, Stride(lda)), CMap(B, K, N, Stride(ldb)));
        else if (!transA && transB)
            run(CMap(A, M, K, Stride(lda)), CMap(B, N, K, Stride(ldb)).transpose());
        else if (transA && !transB)
            run(CMap(A, K, M, Stride(lda)).transpose(), CMap(B, K, N, Stride(ldb)));
        else
            run(CMap(A, K, M, Stride(lda)).transpose(), CMap(B, N, K, Stride(ldb)).transpose());
        return;
    }
    if (!accumulate)
        for (int i = 0; i < M; ++i)
            std::fill(C + std::size_t(i) * ldc, C + std::size_t(i) * ldc + N, 0.0f);
    // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: the
    // left factor is B (column-major (N, K) when B is row-major (K, N)).
    constexpr int Col = Eigen::ColMajor, Row = Eigen::RowMajor;
    if (!transB && !transA)
        detail::colMajorGemm<Col, Col>(N, M, K, B, ldb, A, lda, C, ldc, ws);
    else if (transB && !transA)
        detail::colMajorGemm<Row, Col>(N, M, K, B, ldb, A, lda, C, ldc, ws);
    else if (!transB && transA)
        detail::colMajorGemm<Col, Row>(N, M, K, B, ldb, A, lda, C, ldc, ws);
    else
        detail::colMajorGemm<Row, Row>(N, M, K, B, ldb, A, lda, C, ldc, ws);
}

}  // namespace nn
