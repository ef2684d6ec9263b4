#pragma once
// The embedding view's engine (issue 16): what the network makes of each
// image just before it decides -- the input of its last dense layer -- for a
// whole data set, projected to 2-D by PCA or by t-SNE, and the projection of
// one new input (the live drawing) into such a projection.
//
// The embedding layer, for any model the engine can build: the output of the
// spec layer just before the LAST dense layer (so for the default CNN "...
// dense 128 | relu | dropout 0.4 | dense 10" the 128 values after the ReLU,
// dropout being the identity at inference). When the last dense layer is the
// first layer, it is the input itself (784 pixels). A model without a dense
// layer (a convolution producing the ten outputs) uses the input of its last
// convolution the same way. Every digit model has one of the two: no other
// layer turns 784 values into 10.
//
// t-SNE is Barnes-Hut t-SNE (van der Maaten, "Accelerating t-SNE using
// Tree-Based Algorithms", JMLR 2014): perplexity-calibrated affinities over
// the exact k = 3 * perplexity nearest neighbours, a quadtree for the
// repulsive forces (theta 0.5), early exaggeration 12 for the first 250
// iterations, momentum 0.5 then 0.8, per-coordinate gains (Jacobs 1988),
// seeded with SplitMix64. The parallel parts add their partial sums in a
// fixed order: the same seed gives the same map whatever the thread count
// (on one CPU level; the AVX builds fuse multiply-adds).
#include "model.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace nn {

struct Dataset;
class ThreadPool;

// The spec index of the layer whose output is the embedding; -1: the input.
// See the definition above. Throws ShapeError for a model with neither a
// dense nor a convolution layer.
int embeddingLayer(const Model& model);

// Runs a model's layers up to the embedding layer (fused, inference mode).
// apply() is thread-safe (one extractor serves every thread).
class EmbeddingExtractor {
public:
    explicit EmbeddingExtractor(const Model& model);
    int layer() const { return m_layer; }  // embeddingLayer(model)
    int dim() const { return m_dim; }      // values per sample
    int inputSize() const { return m_inputSize; }
    // x: n samples of the model's input shape; out: n * dim() values.
    void apply(const float* x, int n, float* out) const;

private:
    int m_layer = -1;
    int m_dim = 0;
    int m_inputSize = 0;
    std::unique_ptr<const Model> m_prefix;  // the layers [0, layer]; null when layer is -1
};

// Phases of computeEmbedding(), in order (Neighbours and Affinities: t-SNE only).
enum class EmbeddingPhase { Activations, Neighbours, Affinities, Optimise };
// done of total in the phase. Called from the computing thread.
using EmbeddingProgress = std::function<void(EmbeddingPhase phase, int done, int total)>;

// The embedding of every image of `data` (n * extractor.dim() values, row
// per image), in batches on a pool of `threads` (0: one per core). Stops
// early when *stop becomes true: *complete is then false and the rows after
// the last finished batch are zero.
std::vector<float> embeddingActivations(const EmbeddingExtractor& extractor, const Dataset& data, int threads = 0,
                                        const EmbeddingProgress& progress = {}, const std::atomic<bool>* stop = nullptr,
                                        bool* complete = nullptr);

// ---- PCA -------------------------------------------------------------------

// The two principal axes of n points in dim dimensions: the eigenvectors of
// the sample covariance (divided by n - 1) with the largest eigenvalues.
// Sign convention: each axis's entry of largest magnitude is positive (the
// lower index on a tie), so the map does not flip between runs.
struct Pca {
    int dim = 0;
    std::vector<double> mean;                // dim
    std::array<std::vector<double>, 2> axes; // unit vectors (dim each); the second is zero when dim is 1
    std::array<double, 2> variance{};        // along each axis (the eigenvalues)
    double totalVariance = 0;                // the covariance's trace
    // The coordinates of a point: (x - mean) . axis.
    std::array<float, 2> project(const float* x) const;
};
// Throws ShapeError for fewer than two points or dim < 1.
Pca fitPca(const float* x, int n, int dim);

// ---- t-SNE -----------------------------------------------------------------

struct TsneOptions {
    double perplexity = 30;
    int iterations = 1000;
    double theta = 0.5;               // Barnes-Hut accuracy (0: exact repulsion, O(n^2))
    int exaggerationIterations = 250; // early exaggeration, and momentum 0.5, for this many iterations
    double exaggeration = 12;
    double learningRate = 0;          // 0: max(n / exaggeration / 4, 50) (Belkina et al. 2019)
    std::uint64_t seed = 1;
    int threads = 0;                  // 0: one per core
};

// The symmetric affinities P (sum 1) as a sparse matrix in rows (CSR).
struct SparseAffinities {
    int n = 0;
    std::vector<int> rowStart;  // n + 1
    std::vector<int> column;
    std::vector<double> value;
};

struct TsneResult {
    std::vector<float> xy;  // n * 2
    bool complete = false;  // false: stopped (xy is where the optimisation got to)
    int iterations = 0;     // done
    double kl = 0;          // KL(P || Q) at the end (Q from the Barnes-Hut normalisation)
    double neighboursSeconds = 0, affinitiesSeconds = 0, optimiseSeconds = 0;
};

// k nearest neighbours (exact, Euclidean) of each of n points, nearest
// first, excluding the point itself: n * k indices and squared distances.
void nearestNeighbours(const float* x, int n, int dim, int k, std::vector<int>& index, std::vector<float>& dist2,
                       ThreadPool* pool = nullptr);
// The conditional Gaussian affinities of one point with each of its
// neighbours (squared distances d2[0..k)), its precision searched so that
// their perplexity is `perplexity` (as close as k neighbours allow);
// weights sum to 1.
void perplexityWeights(const float* d2, int k, double perplexity, double* weights);
// P from the neighbours: p_ij = (p_j|i + p_i|j) / 2n. Throws ShapeError
// when n < 2 or the perplexity is not positive.
SparseAffinities tsneAffinities(const float* x, int n, int dim, double perplexity, ThreadPool* pool = nullptr);
// The gradient of KL(P || Q) at y (n * 2) with P multiplied by
// `exaggeration`: exactly (O(n^2)), and with Barnes-Hut repulsion. Both
// return the normalisation Z = sum_{i != j} 1 / (1 + |y_i - y_j|^2).
double tsneGradientExact(const SparseAffinities& p, const double* y, double exaggeration, double* grad);
double tsneGradientBarnesHut(const SparseAffinities& p, const double* y, double exaggeration, double theta,
                             double* grad, ThreadPool* pool = nullptr);

// t-SNE of n points. progress reports the Neighbours, Affinities and
// Optimise phases. Throws ShapeError when n < 2 or the options are out of
// range (perplexity must be below n / 3 so that 3 * perplexity neighbours exist).
TsneResult tsne(const float* x, int n, int dim, const TsneOptions& options = {}, const EmbeddingProgress& progress = {},
                const std::atomic<bool>* stop = nullptr);

// ---- A data set's map, and a new point in it --------------------------------

enum class EmbeddingMethod { Pca, Tsne };

struct EmbeddingRequest {
    EmbeddingMethod method = EmbeddingMethod::Pca;
    TsneOptions tsne;  // for Tsne; tsne.threads also runs the activations
};

struct Embedding {
    EmbeddingMethod method = EmbeddingMethod::Pca;
    int layer = -1;                 // embeddingLayer() of the model
    int dim = 0;                    // activation values per point
    int n = 0;
    std::vector<float> activations; // n * dim: kept to place new points
    std::vector<float> xy;          // n * 2
    Pca pca;                        // for Pca
    TsneOptions tsne;               // for Tsne: what made it
    TsneResult tsneStats;           // for Tsne
    double activationSeconds = 0;

    // Where a new point with these activations (dim values) lands. PCA: the
    // same linear map, exact. t-SNE has no such map (moving a new point
    // would move the others); the approximation: the weighted mean of the
    // map positions of its 3 * perplexity nearest neighbours in activation
    // space, weighted by the same perplexity-calibrated Gaussian kernel that
    // built P. A point among one digit's neighbours lands in that digit's
    // cluster; one between two lands between them.
    std::array<float, 2> place(const float* activation) const;
};

// The embedding of every image of `data` under `model`: activations, then
// the projection. Stops early when *stop becomes true (*complete false;
// the result is then unusable). Throws ShapeError on data the model cannot take.
Embedding computeEmbedding(const Model& model, const Dataset& data, const EmbeddingRequest& request,
                           const EmbeddingProgress& progress = {}, const std::atomic<bool>* stop = nullptr,
                           bool* complete = nullptr);

// The same for activations already computed (n * dim values).
Embedding embedActivations(std::vector<float> activations, int n, int dim, const EmbeddingRequest& request,
                           const EmbeddingProgress& progress = {}, const std::atomic<bool>* stop = nullptr,
                           bool* complete = nullptr);

}  // namespace nn
