#include "embedding.h"

#include "data/dataset.h"
#include "errors.h"
#include "parallel.h"
#include "random.h"

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace nn {

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

bool stopped(const std::atomic<bool>* stop) { return stop && stop->load(std::memory_order_relaxed); }

// A pool for a call that was given none.
struct PoolFor {
    std::unique_ptr<ThreadPool> own;
    ThreadPool* pool;
    PoolFor(ThreadPool* given, int threads)
        : own(given ? nullptr : std::make_unique<ThreadPool>(threads > 0 ? threads : ThreadPool::hardwareThreads())),
          pool(given ? given : own.get())
    {
    }
};

// Runs body(begin, end) over [0, n) in fixed chunks of `chunk`, chunk c on
// worker c % k: which chunk a value comes from never depends on the thread count.
template <class F>
void parallelChunks(ThreadPool& pool, int n, int chunk, F&& body)
{
    const int chunks = (n + chunk - 1) / chunk;
    const int k = std::max(1, std::min(pool.size(), chunks));
    pool.run(k, [&](int t) {
        for (int c = t; c < chunks; c += k)
            body(c, c * chunk, std::min(n, (c + 1) * chunk));
    });
}

}  // namespace

// ---- The embedding layer ------------------------------------------------------

int embeddingLayer(const Model& model)
{
    const auto& layers = model.layers();
    for (const std::string kind : {"dense", "conv"})
        for (std::size_t i = layers.size(); i-- > 0;)
            if (layers[i]->kind() == kind)
                return int(i) - 1;
    throw ShapeError("embedding: the model '" + model.spec() + "' has no dense or convolution layer");
}

EmbeddingExtractor::EmbeddingExtractor(const Model& model)
    : m_layer(embeddingLayer(model)), m_inputSize(model.inputShape().size())
{
    if (m_layer < 0) {
        m_dim = m_inputSize;
        return;
    }
    const auto info = model.layerInfo();
    std::string spec;
    for (int i = 0; i <= m_layer; ++i)
        spec += (i ? " | " : "") + info[std::size_t(i)].spec;
    Model prefix = Model::fromSpec(spec, model.inputShape(), 0);
    // The prefix's parameters are the first ones of the model, in the same
    // order under the same names (layer indices do not change).
    const auto& views = prefix.paramViews();
    const auto& full = model.paramViews();
    for (std::size_t v = 0; v < views.size(); ++v)
        if (v >= full.size() || views[v].name != full[v].name || views[v].offset != full[v].offset ||
            views[v].spec.size() != full[v].spec.size())
            throw ShapeError("embedding: the layers before layer " + std::to_string(m_layer + 1) + " of '" +
                             model.spec() + "' do not lay out their parameters as the model does");
    std::copy(model.params().begin(), model.params().begin() + std::ptrdiff_t(prefix.params().size()),
              prefix.params().begin());
    m_dim = prefix.outputs();
    m_prefix = std::make_unique<const Model>(std::move(prefix));
}

void EmbeddingExtractor::apply(const float* x, int n, float* out) const
{
    if (n <= 0)
        return;
    if (!m_prefix) {
        std::copy(x, x + std::size_t(n) * std::size_t(m_inputSize), out);
        return;
    }
    m_prefix->logits(x, n, out);
}

std::vector<float> embeddingActivations(const EmbeddingExtractor& extractor, const Dataset& data, int threads,
                                        const EmbeddingProgress& progress, const std::atomic<bool>* stop,
                                        bool* complete)
{
    if (data.pixels() != extractor.inputSize())
        throw ShapeError("embedding: the images have " + std::to_string(data.pixels()) + " pixels, the model takes " +
                         std::to_string(extractor.inputSize()));
    constexpr int kChunk = 256;
    const int n = data.size();
    const int dim = extractor.dim();
    std::vector<float> out(std::size_t(n) * std::size_t(dim), 0.0f);
    const int chunks = (n + kChunk - 1) / kChunk;
    const int t = std::max(1, std::min(threads > 0 ? threads : ThreadPool::hardwareThreads(), std::max(chunks, 1)));
    ThreadPool pool(t);
    std::vector<std::vector<float>> inputs(std::size_t(t), std::vector<float>(std::size_t(kChunk) * data.pixels()));
    int done = 0;
    bool halted = false;
    for (int first = 0; first < chunks; first += t) {
        if (stopped(stop)) {
            halted = true;
            break;
        }
        const int k = std::min(t, chunks - first);
        pool.run(k, [&](int worker) {
            const int start = (first + worker) * kChunk;
            const int m = std::min(kChunk, n - start);
            float* x = inputs[std::size_t(worker)].data();
            for (int i = 0; i < m; ++i)
                data.imageAsFloat(start + i, x + std::size_t(i) * data.pixels());
            extractor.apply(x, m, out.data() + std::size_t(start) * dim);
        });
        done = std::min(n, (first + k) * kChunk);
        if (progress)
            progress(EmbeddingPhase::Activations, done, n);
    }
    if (complete)
        *complete = !halted;
    return out;
}

// ---- PCA -------------------------------------------------------------------

std::array<float, 2> Pca::project(const float* x) const
{
    std::array<float, 2> out{};
    for (int a = 0; a < 2; ++a) {
        double s = 0;
        for (int d = 0; d < dim; ++d)
            s += (double(x[d]) - mean[std::size_t(d)]) * axes[std::size_t(a)][std::size_t(d)];
        out[std::size_t(a)] = float(s);
    }
    return out;
}

Pca fitPca(const float* x, int n, int dim)
{
    if (n < 2 || dim < 1)
        throw ShapeError("PCA needs at least two points of at least one value, got " + std::to_string(n) + " of " +
                         std::to_string(dim));
    using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Mat X = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x, n, dim)
                      .cast<double>();
    Pca p;
    p.dim = dim;
    const Eigen::RowVectorXd mean = X.colwise().mean();
    p.mean.assign(mean.data(), mean.data() + dim);
    const Mat centred = X.rowwise() - mean;
    const Eigen::MatrixXd cov = (centred.transpose() * centred) / double(n - 1);
    p.totalVariance = cov.trace();
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    if (eig.info() != Eigen::Success)
        throw ShapeError("PCA: the eigen-decomposition of the covariance did not converge");
    for (int a = 0; a < 2; ++a) {
        std::vector<double>& axis = p.axes[std::size_t(a)];
        axis.assign(std::size_t(dim), 0.0);
        const int col = dim - 1 - a;  // eigenvalues ascend
        if (col < 0)
            continue;
        const Eigen::VectorXd v = eig.eigenvectors().col(col);
        int big = 0;
        for (int d = 1; d < dim; ++d)
            if (std::abs(v[d]) > std::abs(v[big]) + 1e-12)
                big = d;
        const double sign = v[big] < 0 ? -1.0 : 1.0;
        for (int d = 0; d < dim; ++d)
            axis[std::size_t(d)] = sign * v[d];
        p.variance[std::size_t(a)] = std::max(0.0, eig.eigenvalues()[col]);
    }
    return p;
}

// ---- Neighbours and affinities ------------------------------------------------

void nearestNeighbours(const float* x, int n, int dim, int k, std::vector<int>& index, std::vector<float>& dist2,
                       ThreadPool* given)
{
    if (k < 1 || k >= n)
        throw ShapeError("embedding: " + std::to_string(k) + " neighbours of each of " + std::to_string(n) +
                         " points do not exist");
    PoolFor p(given, 0);
    using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMat> X(x, n, dim);
    const Eigen::VectorXf norms = X.rowwise().squaredNorm();
    index.assign(std::size_t(n) * k, 0);
    dist2.assign(std::size_t(n) * k, 0.0f);
    // Blocks of rows against all points through one GEMM each: |a|^2 + |b|^2 - 2 a.b.
    constexpr int kBlock = 128;
    parallelChunks(*p.pool, n, kBlock, [&](int, int begin, int end) {
        const int m = end - begin;
        RowMat d = -2.0f * (X.middleRows(begin, m) * X.transpose());
        std::vector<int> order(static_cast<std::size_t>(n));
        for (int r = 0; r < m; ++r) {
            const int i = begin + r;
            float* row = d.row(r).data();
            for (int j = 0; j < n; ++j)
                row[j] = std::max(0.0f, row[j] + norms[i] + norms[j]);
            row[i] = std::numeric_limits<float>::infinity();  // never its own neighbour
            std::iota(order.begin(), order.end(), 0);
            auto closer = [row](int a, int b) { return row[a] != row[b] ? row[a] < row[b] : a < b; };
            std::nth_element(order.begin(), order.begin() + k, order.end(), closer);
            std::sort(order.begin(), order.begin() + k, closer);
            for (int j = 0; j < k; ++j) {
                index[std::size_t(i) * k + j] = order[std::size_t(j)];
                dist2[std::size_t(i) * k + j] = row[order[std::size_t(j)]];
            }
        }
    });
}

void perplexityWeights(const float* d2, int k, double perplexity, double* w)
{
    // Binary search on the precision beta so that the entropy of the
    // weights is log(perplexity) (van der Maaten's x2p); the distances are
    // taken relative to the nearest, which changes nothing after
    // normalisation and keeps exp() from underflowing for far-off points.
    const double target = std::log(perplexity);
    const double d0 = d2[0];
    double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int iter = 0; iter < 200; ++iter) {
        double sum = 0, dot = 0;
        for (int j = 0; j < k; ++j) {
            const double dj = double(d2[j]) - d0;
            w[j] = std::exp(-beta * dj);
            sum += w[j];
            dot += dj * w[j];
        }
        const double entropy = std::log(sum) + beta * dot / sum;
        for (int j = 0; j < k; ++j)
            w[j] /= sum;
        const double diff = entropy - target;
        if (std::abs(diff) < 1e-5)
            break;
        if (diff > 0) {  // too flat: sharpen
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : 0.5 * (beta + hi);
        } else {
            hi = beta;
            beta = 0.5 * (beta + lo);
        }
    }
}

namespace {

// P from each point's k nearest neighbours (n * k indices and squared
// distances): conditional weights per row, then p_ij = (p_j|i + p_i|j) / 2n
// as rows of sorted columns.
SparseAffinities affinitiesFromNeighbours(const std::vector<int>& nn, const std::vector<float>& d2, int n, int k,
                                          double perplexity, ThreadPool& pool)
{
    std::vector<double> cond(std::size_t(n) * k);
    parallelChunks(pool, n, 256, [&](int, int begin, int end) {
        for (int i = begin; i < end; ++i)
            perplexityWeights(d2.data() + std::size_t(i) * k, k, perplexity, cond.data() + std::size_t(i) * k);
    });
    // Every (i, j) and (j, i) entry in its row, then each row sorted and merged.
    std::vector<int> start(std::size_t(n) + 1, 0);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) {
            ++start[std::size_t(i) + 1];
            ++start[std::size_t(nn[std::size_t(i) * k + j]) + 1];
        }
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<int> fill(start.begin(), start.end() - 1);
    std::vector<std::pair<int, double>> entries(std::size_t(start.back()));
    const double scale = 1.0 / (2.0 * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) {
            const int other = nn[std::size_t(i) * k + j];
            const double v = cond[std::size_t(i) * k + j] * scale;
            entries[std::size_t(fill[std::size_t(i)]++)] = {other, v};
            entries[std::size_t(fill[std::size_t(other)]++)] = {i, v};
        }
    SparseAffinities out;
    out.n = n;
    out.rowStart.assign(std::size_t(n) + 1, 0);
    out.column.reserve(entries.size());
    out.value.reserve(entries.size());
    for (int i = 0; i < n; ++i) {
        const auto first = entries.begin() + start[std::size_t(i)], last = entries.begin() + start[std::size_t(i) + 1];
        std::sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto e = first; e != last; ++e) {
            if (e != first && e->first == (e - 1)->first)
                out.value.back() += e->second;
            else {
                out.column.push_back(e->first);
                out.value.push_back(e->second);
            }
        }
        out.rowStart[std::size_t(i) + 1] = int(out.column.size());
    }
    return out;
}

int neighbourCount(int n, double perplexity) { return std::min(n - 1, int(std::ceil(3 * perplexity))); }

}  // namespace

SparseAffinities tsneAffinities(const float* x, int n, int dim, double perplexity, ThreadPool* given)
{
    if (n < 2)
        throw ShapeError("t-SNE needs at least two points, got " + std::to_string(n));
    if (!(perplexity > 0))
        throw ShapeError("t-SNE: the perplexity must be positive");
    PoolFor p(given, 0);
    const int k = neighbourCount(n, perplexity);
    std::vector<int> nn;
    std::vector<float> d2;
    nearestNeighbours(x, n, dim, k, nn, d2, p.pool);
    return affinitiesFromNeighbours(nn, d2, n, k, perplexity, *p.pool);
}

// ---- Gradients ---------------------------------------------------------------

namespace {

// sum_j p_ij q_ij Z (y_i - y_j) for rows [begin, end), and the part of
// KL's sum_ij p_ij log(p_ij / (q_ij Z)) from them.
double attractive(const SparseAffinities& p, const double* y, int begin, int end, double* force)
{
    double klPart = 0;
    for (int i = begin; i < end; ++i) {
        double fx = 0, fy = 0;
        const double xi = y[2 * i], yi = y[2 * i + 1];
        for (int e = p.rowStart[std::size_t(i)]; e < p.rowStart[std::size_t(i) + 1]; ++e) {
            const int j = p.column[std::size_t(e)];
            const double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
            const double q = 1.0 / (1.0 + dx * dx + dy * dy);
            const double pq = p.value[std::size_t(e)] * q;
            fx += pq * dx;
            fy += pq * dy;
            klPart += p.value[std::size_t(e)] * std::log(std::max(p.value[std::size_t(e)], 1e-300) / q);
        }
        force[2 * i] = fx;
        force[2 * i + 1] = fy;
    }
    return klPart;
}

// A quadtree over the map, rebuilt every iteration. Each node holds its
// points' count and centre of mass, its cell's squared width, and either
// four children or (a leaf) its points, a range of order(). The traversal
// reads only that (40 bytes a node); points are best visited in order(),
// where neighbours in the map are neighbours in memory and walk the same
// nodes.
class QuadTree {
public:
    struct Node {
        double mx = 0, my = 0;  // centre of mass
        double width2 = 0;      // the cell's side, squared
        int count = 0;
        int child = -1;  // first of four, -1: leaf
        int begin = 0, end = 0;
    };

    void build(const double* y, int n)
    {
        m_y = y;
        m_nodes.clear();
        m_order.resize(std::size_t(n));
        std::iota(m_order.begin(), m_order.end(), 0);
        double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
        for (int i = 0; i < n; ++i) {
            x0 = std::min(x0, y[2 * i]), x1 = std::max(x1, y[2 * i]);
            y0 = std::min(y0, y[2 * i + 1]), y1 = std::max(y1, y[2 * i + 1]);
        }
        const double half = 0.5 * std::max(x1 - x0, y1 - y0) * (1 + 1e-9) + 1e-12;
        m_nodes.emplace_back();
        split(0, 0, n, 0, 0.5 * (x0 + x1), 0.5 * (y0 + y1), half);
    }

    const std::vector<int>& order() const { return m_order; }

    // sum_j q_ij^2 Z^2 (y_i - y_j) into f (2 values); returns point i's part of Z.
    double repulsion(int i, double theta2, double* f) const
    {
        const double xi = m_y[2 * i], yi = m_y[2 * i + 1];
        double z = 0, fx = 0, fy = 0;
        int stack[256];
        int top = 0;
        stack[top++] = 0;
        const Node* nodes = m_nodes.data();
        while (top > 0) {
            const Node& node = nodes[stack[--top]];
            if (node.child < 0 && node.count == 1) {
                if (m_order[std::size_t(node.begin)] == i)
                    continue;
                const double dx = xi - node.mx, dy = yi - node.my;
                const double q = 1.0 / (1.0 + dx * dx + dy * dy);
                z += q;
                fx += q * q * dx;
                fy += q * q * dy;
                continue;
            }
            if (node.child < 0) {  // duplicates at the depth limit
                for (int e = node.begin; e < node.end; ++e) {
                    const int j = m_order[std::size_t(e)];
                    if (j == i)
                        continue;
                    const double dx = xi - m_y[2 * j], dy = yi - m_y[2 * j + 1];
                    const double q = 1.0 / (1.0 + dx * dx + dy * dy);
                    z += q;
                    fx += q * q * dx;
                    fy += q * q * dy;
                }
                continue;
            }
            const double dx = xi - node.mx, dy = yi - node.my;
            const double d2 = dx * dx + dy * dy;
            if (node.width2 < theta2 * d2) {
                const double q = 1.0 / (1.0 + d2);
                const double cq = node.count * q;
                z += cq;
                fx += cq * q * dx;
                fy += cq * q * dy;
            } else {
                for (int c = 0; c < 4; ++c)
                    if (nodes[node.child + c].count > 0)
                        stack[top++] = node.child + c;
            }
        }
        f[0] = fx;
        f[1] = fy;
        return z;
    }

private:
    static constexpr int kMaxDepth = 50;  // deeper cells only hold duplicates: a leaf then

    void split(int node, int begin, int end, int depth, double cx, double cy, double half)
    {
        double sx = 0, sy = 0;
        for (int e = begin; e < end; ++e) {
            sx += m_y[2 * m_order[std::size_t(e)]];
            sy += m_y[2 * m_order[std::size_t(e)] + 1];
        }
        {
            Node& nd = m_nodes[std::size_t(node)];
            nd.count = end - begin;
            nd.begin = begin;
            nd.end = end;
            nd.width2 = 4 * half * half;
            if (nd.count > 0) {
                nd.mx = sx / nd.count;
                nd.my = sy / nd.count;
            }
            if (nd.count <= 1 || depth >= kMaxDepth)
                return;
        }
        // Quadrants: 0 = left-bottom, 1 = right-bottom, 2 = left-top, 3 = right-top.
        auto first = m_order.begin() + begin, last = m_order.begin() + end;
        const double* y = m_y;
        auto midY = std::partition(first, last, [&](int j) { return y[2 * j + 1] < cy; });
        auto midX0 = std::partition(first, midY, [&](int j) { return y[2 * j] < cx; });
        auto midX1 = std::partition(midY, last, [&](int j) { return y[2 * j] < cx; });
        const int bounds[5] = {begin, int(midX0 - m_order.begin()), int(midY - m_order.begin()),
                               int(midX1 - m_order.begin()), end};
        const int child = int(m_nodes.size());
        m_nodes[std::size_t(node)].child = child;
        m_nodes.resize(m_nodes.size() + 4);
        const double h = half / 2;
        for (int c = 0; c < 4; ++c)
            split(child + c, bounds[c], bounds[c + 1], depth + 1, cx + ((c & 1) ? h : -h), cy + ((c & 2) ? h : -h), h);
    }

    const double* m_y = nullptr;
    std::vector<Node> m_nodes;
    std::vector<int> m_order;
};

// The gradient from the attractive forces, the repulsive ones and Z:
// dC/dy_i = 4 (exaggeration * F_attr_i - F_rep_i / Z).
void combine(const std::vector<double>& attr, const std::vector<double>& rep, double z, double exaggeration, int n,
             double* grad)
{
    for (int i = 0; i < 2 * n; ++i)
        grad[i] = 4.0 * (exaggeration * attr[std::size_t(i)] - rep[std::size_t(i)] / z);
}

// Points per chunk of the gradient: a small map runs on one thread (waking
// another for every iteration would cost more than it saves).
constexpr int kGradientChunk = 1024;

double barnesHut(const SparseAffinities& p, const double* y, double exaggeration, double theta, double* grad,
                 ThreadPool& pool, QuadTree& tree, std::vector<double>& attr, std::vector<double>& rep,
                 std::vector<double>& zChunk, std::vector<double>& klChunk, double* kl)
{
    const int n = p.n;
    tree.build(y, n);
    attr.resize(std::size_t(2) * n);
    rep.resize(std::size_t(2) * n);
    const int chunks = (n + kGradientChunk - 1) / kGradientChunk;
    zChunk.assign(std::size_t(chunks), 0.0);
    klChunk.assign(std::size_t(chunks), 0.0);
    const double theta2 = theta * theta;
    const std::vector<int>& order = tree.order();
    parallelChunks(pool, n, kGradientChunk, [&](int c, int begin, int end) {
        // Repulsion in the tree's order (memory locality), attraction by index.
        double z = 0;
        for (int e = begin; e < end; ++e) {
            const int i = order[std::size_t(e)];
            z += tree.repulsion(i, theta2, rep.data() + 2 * i);
        }
        zChunk[std::size_t(c)] = z;
        klChunk[std::size_t(c)] = attractive(p, y, begin, end, attr.data());
    });
    double z = 0, klSum = 0;
    for (int c = 0; c < chunks; ++c) {
        z += zChunk[std::size_t(c)];
        klSum += klChunk[std::size_t(c)];
    }
    z = std::max(z, 1e-300);
    combine(attr, rep, z, exaggeration, n, grad);
    if (kl)
        *kl = klSum + std::log(z);  // sum p log p/(q Z) + log Z sum p, and sum p = 1
    return z;
}

}  // namespace

double tsneGradientExact(const SparseAffinities& p, const double* y, double exaggeration, double* grad)
{
    const int n = p.n;
    std::vector<double> attr(std::size_t(2) * n), rep(std::size_t(2) * n, 0.0);
    attractive(p, y, 0, n, attr.data());
    double z = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (i == j)
                continue;
            const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            const double q = 1.0 / (1.0 + dx * dx + dy * dy);
            z += q;
            rep[std::size_t(2) * i] += q * q * dx;
            rep[std::size_t(2) * i + 1] += q * q * dy;
        }
    combine(attr, rep, z, exaggeration, n, grad);
    return z;
}

double tsneGradientBarnesHut(const SparseAffinities& p, const double* y, double exaggeration, double theta,
                             double* grad, ThreadPool* given)
{
    PoolFor pool(given, 0);
    QuadTree tree;
    std::vector<double> attr, rep, zChunk, klChunk;
    return barnesHut(p, y, exaggeration, theta, grad, *pool.pool, tree, attr, rep, zChunk, klChunk, nullptr);
}

// ---- t-SNE -------------------------------------------------------------------

TsneResult tsne(const float* x, int n, int dim, const TsneOptions& o, const EmbeddingProgress& progress,
                const std::atomic<bool>* stop)
{
    if (n < 2)
        throw ShapeError("t-SNE needs at least two points, got " + std::to_string(n));
    if (!(o.perplexity >= 1) || 3 * o.perplexity >= n)
        throw ShapeError("t-SNE: the perplexity must be at least 1 and below a third of the points (" +
                         std::to_string(n) + " points allow less than " + std::to_string(n / 3.0) + "), got " +
                         std::to_string(o.perplexity));
    if (o.iterations < 1 || o.iterations > 100000 || !(o.theta >= 0 && o.theta <= 2) || o.exaggerationIterations < 0 ||
        !(o.exaggeration >= 1) || !(o.learningRate >= 0))
        throw ShapeError("t-SNE: options out of range (iterations 1..100000, theta 0..2, exaggeration >= 1)");
    ThreadPool pool(o.threads > 0 ? o.threads : ThreadPool::hardwareThreads());
    TsneResult r;

    auto t0 = std::chrono::steady_clock::now();
    if (progress)
        progress(EmbeddingPhase::Neighbours, 0, 1);
    const int k = neighbourCount(n, o.perplexity);
    std::vector<int> nnIndex;
    std::vector<float> nnDist;
    nearestNeighbours(x, n, dim, k, nnIndex, nnDist, &pool);
    r.neighboursSeconds = seconds(t0);
    if (progress)
        progress(EmbeddingPhase::Neighbours, 1, 1);
    if (stopped(stop))
        return r;

    t0 = std::chrono::steady_clock::now();
    const SparseAffinities p = affinitiesFromNeighbours(nnIndex, nnDist, n, k, o.perplexity, pool);
    r.affinitiesSeconds = seconds(t0);
    if (progress)
        progress(EmbeddingPhase::Affinities, 1, 1);
    if (stopped(stop))
        return r;

    t0 = std::chrono::steady_clock::now();
    SplitMix64 rng{o.seed};
    std::vector<double> y(std::size_t(2) * n), grad(y.size()), update(y.size(), 0.0), gains(y.size(), 1.0);
    for (double& v : y)
        v = double(rng.normal(0.0f, 1e-4f));
    const double eta = o.learningRate > 0 ? o.learningRate : std::max(n / o.exaggeration / 4.0, 50.0);
    QuadTree tree;
    std::vector<double> attr, rep, zChunk, klChunk;
    const int reportEvery = std::max(1, o.iterations / 100);
    for (int it = 0; it < o.iterations; ++it) {
        if (stopped(stop))
            break;
        const bool early = it < o.exaggerationIterations;
        const double exaggeration = early ? o.exaggeration : 1.0;
        const double momentum = early ? 0.5 : 0.8;
        const bool last = it + 1 == o.iterations;
        double kl = 0;
        if (o.theta > 0)
            barnesHut(p, y.data(), exaggeration, o.theta, grad.data(), pool, tree, attr, rep, zChunk, klChunk,
                      last ? &kl : nullptr);
        else
            tsneGradientExact(p, y.data(), exaggeration, grad.data());
        for (std::size_t i = 0; i < y.size(); ++i) {
            // Gains grow where the gradient's sign differs from the step's (keep going), shrink otherwise.
            gains[i] = (grad[i] > 0) != (update[i] > 0) ? gains[i] + 0.2 : std::max(gains[i] * 0.8, 0.01);
            update[i] = momentum * update[i] - eta * gains[i] * grad[i];
            y[i] += update[i];
        }
        double mx = 0, my = 0;
        for (int i = 0; i < n; ++i)
            mx += y[2 * std::size_t(i)], my += y[2 * std::size_t(i) + 1];
        mx /= n, my /= n;
        for (int i = 0; i < n; ++i)
            y[2 * std::size_t(i)] -= mx, y[2 * std::size_t(i) + 1] -= my;
        r.iterations = it + 1;
        if (last)
            r.kl = kl;
        if (progress && (r.iterations % reportEvery == 0 || last))
            progress(EmbeddingPhase::Optimise, r.iterations, o.iterations);
    }
    r.optimiseSeconds = seconds(t0);
    r.complete = r.iterations == o.iterations;
    r.xy.assign(y.begin(), y.end());
    return r;
}

// ---- A data set's map ----------------------------------------------------------

std::array<float, 2> Embedding::place(const float* a) const
{
    if (method == EmbeddingMethod::Pca)
        return pca.project(a);
    if (n < 2)
        return {0, 0};
    const int k = std::min(n, int(std::ceil(3 * tsne.perplexity)));
    // The k nearest of all n points (squared distances), nearest first.
    std::vector<std::pair<float, int>> d(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const float* row = activations.data() + std::size_t(i) * dim;
        float s = 0;
        for (int j = 0; j < dim; ++j) {
            const float diff = row[j] - a[j];
            s += diff * diff;
        }
        d[std::size_t(i)] = {s, i};
    }
    std::partial_sort(d.begin(), d.begin() + k, d.end());
    std::vector<float> d2(static_cast<std::size_t>(k));
    for (int j = 0; j < k; ++j)
        d2[std::size_t(j)] = d[std::size_t(j)].first;
    std::vector<double> w(static_cast<std::size_t>(k));
    perplexityWeights(d2.data(), k, std::min(tsne.perplexity, double(k)), w.data());
    double px = 0, py = 0;
    for (int j = 0; j < k; ++j) {
        const int i = d[std::size_t(j)].second;
        px += w[std::size_t(j)] * xy[std::size_t(2) * i];
        py += w[std::size_t(j)] * xy[std::size_t(2) * i + 1];
    }
    return {float(px), float(py)};
}

Embedding embedActivations(std::vector<float> activations, int n, int dim, const EmbeddingRequest& request,
                           const EmbeddingProgress& progress, const std::atomic<bool>* stop, bool* complete)
{
    if (activations.size() != std::size_t(n) * std::size_t(dim))
        throw ShapeError("embedding: " + std::to_string(activations.size()) + " values are not " + std::to_string(n) +
                         " points of " + std::to_string(dim));
    Embedding e;
    e.method = request.method;
    e.n = n;
    e.dim = dim;
    e.activations = std::move(activations);
    bool done = true;
    if (request.method == EmbeddingMethod::Pca) {
        if (progress)
            progress(EmbeddingPhase::Optimise, 0, 1);
        e.pca = fitPca(e.activations.data(), n, dim);
        e.xy.resize(std::size_t(n) * 2);
        for (int i = 0; i < n; ++i) {
            const auto p = e.pca.project(e.activations.data() + std::size_t(i) * dim);
            e.xy[std::size_t(2) * i] = p[0];
            e.xy[std::size_t(2) * i + 1] = p[1];
        }
        if (progress)
            progress(EmbeddingPhase::Optimise, 1, 1);
    } else {
        e.tsne = request.tsne;
        e.tsneStats = tsne(e.activations.data(), n, dim, request.tsne, progress, stop);
        done = e.tsneStats.complete;
        e.xy = e.tsneStats.xy;
        e.tsneStats.xy.clear();
        e.tsneStats.xy.shrink_to_fit();
    }
    if (complete)
        *complete = done && !stopped(stop);
    return e;
}

Embedding computeEmbedding(const Model& model, const Dataset& data, const EmbeddingRequest& request,
                           const EmbeddingProgress& progress, const std::atomic<bool>* stop, bool* complete)
{
    const EmbeddingExtractor extractor(model);
    const auto t0 = std::chrono::steady_clock::now();
    bool ok = false;
    std::vector<float> a = embeddingActivations(extractor, data, request.tsne.threads, progress, stop, &ok);
    const double activationSeconds = seconds(t0);
    if (!ok) {
        if (complete)
            *complete = false;
        Embedding e;
        e.method = request.method;
        return e;
    }
    Embedding e = embedActivations(std::move(a), data.size(), extractor.dim(), request, progress, stop, complete);
    e.layer = extractor.layer();
    e.activationSeconds = activationSeconds;
    return e;
}

}  // namespace nn
