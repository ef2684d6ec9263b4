// The embedding view's engine (nn/embedding.h): which layer is the
// embedding and that its values are that layer's output; PCA against an
// ellipse and a line whose axes and variances are known in closed form;
// t-SNE keeps well-separated clusters apart, is deterministic for a seed
// (whatever the thread count), stops when asked, and its Barnes-Hut
// gradient is close to the exact one; a new point lands in its cluster.
#include "fixtures.h"

#include <nn/data/dataset.h>
#include <nn/embedding.h>
#include <nn/errors.h>
#include <nn/inspect.h>
#include <nn/model.h>
#include <nn/parallel.h>
#include <nn/random.h>

#include <QTest>

#include <cmath>
#include <numbers>

namespace {

// `clusters` Gaussian blobs (stddev 1) in `dim` dimensions, centres drawn
// with stddev `spread` (so centres lie about spread * sqrt(2 dim) apart).
struct Blobs {
    int n = 0, dim = 0;
    std::vector<float> x;
    std::vector<int> label;
    std::vector<std::vector<float>> centre;
};

Blobs blobs(int clusters, int perCluster, int dim, float spread, std::uint64_t seed)
{
    nn::SplitMix64 rng{seed};
    Blobs b;
    b.dim = dim;
    for (int c = 0; c < clusters; ++c) {
        std::vector<float> centre(static_cast<std::size_t>(dim));
        for (float& v : centre)
            v = rng.normal(0.0f, spread);
        b.centre.push_back(centre);
        for (int i = 0; i < perCluster; ++i) {
            for (int d = 0; d < dim; ++d)
                b.x.push_back(centre[std::size_t(d)] + rng.normal(0.0f, 1.0f));
            b.label.push_back(c);
        }
    }
    b.n = int(b.label.size());
    return b;
}

// The fraction of points whose nearest other point in 2-D has their label.
double neighbourAgreement(const std::vector<float>& xy, const std::vector<int>& label)
{
    const int n = int(label.size());
    int agree = 0;
    for (int i = 0; i < n; ++i) {
        int best = -1;
        double bestD = 1e300;
        for (int j = 0; j < n; ++j) {
            if (j == i)
                continue;
            const double dx = xy[2 * std::size_t(i)] - xy[2 * std::size_t(j)];
            const double dy = xy[2 * std::size_t(i) + 1] - xy[2 * std::size_t(j) + 1];
            if (dx * dx + dy * dy < bestD)
                bestD = dx * dx + dy * dy, best = j;
        }
        agree += label[std::size_t(best)] == label[std::size_t(i)];
    }
    return double(agree) / n;
}

nn::TsneOptions smallOptions()
{
    nn::TsneOptions o;
    o.perplexity = 15;
    o.iterations = 600;
    o.seed = 7;
    o.threads = 2;
    return o;
}

}  // namespace

class TestEmbedding : public QObject {
    Q_OBJECT

private slots:
    void embeddingLayerIsTheInputOfTheLastDense_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("dim");
        QTest::newRow("default cnn") << QString::fromStdString(nn::Model::presetSpec("cnn")) << 10 << 128;
        QTest::newRow("lenet5") << QString::fromStdString(nn::Model::presetSpec("lenet5")) << 9 << 84;
        QTest::newRow("mlp") << QString::fromStdString(nn::Model::presetSpec("mlp")) << 3 << 128;
        QTest::newRow("one dense layer: the pixels") << QStringLiteral("dense 10") << -1 << 784;
        QTest::newRow("no dense: the last convolution's input")
            << QStringLiteral("conv 8 3 | relu | maxpool 2 | conv 10 13") << 2 << 8 * 13 * 13;
    }
    void embeddingLayerIsTheInputOfTheLastDense()
    {
        QFETCH(QString, spec);
        QFETCH(int, layer);
        QFETCH(int, dim);
        nn::Model m = nn::Model::fromSpec(spec.toStdString());
        m.initialize(11);
        QCOMPARE(nn::embeddingLayer(m), layer);
        const nn::EmbeddingExtractor ex(m);
        QCOMPARE(ex.layer(), layer);
        QCOMPARE(ex.dim(), dim);
        // Its values are that layer's output, as the layer-by-layer tracer sees it.
        const nn::Dataset d = fixtures::syntheticBars(3, 5);
        std::vector<float> x(784), got(static_cast<std::size_t>(dim));
        nn::LayerTracer tracer(m);
        for (int i = 0; i < d.size(); ++i) {
            d.imageAsFloat(i, x.data());
            ex.apply(x.data(), 1, got.data());
            const std::vector<float> want =
                layer < 0 ? x : tracer.trace(x.data())[std::size_t(layer)].values;
            QCOMPARE(int(want.size()), dim);
            double worst = 0, scale = 1e-6;
            for (int j = 0; j < dim; ++j) {
                worst = std::max(worst, double(std::abs(got[std::size_t(j)] - want[std::size_t(j)])));
                scale = std::max(scale, double(std::abs(want[std::size_t(j)])));
            }
            QVERIFY2(worst <= 1e-4 * scale, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
        }
    }

    void activationsOfADataSetInBatches()
    {
        nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("mlp"));
        m.initialize(3);
        const nn::EmbeddingExtractor ex(m);
        const nn::Dataset d = fixtures::syntheticBars(600, 9);  // three batches, the last one short
        std::vector<int> seen;
        bool complete = false;
        const auto a = nn::embeddingActivations(
            ex, d, 2, [&](nn::EmbeddingPhase phase, int done, int total) {
                QCOMPARE(phase, nn::EmbeddingPhase::Activations);
                QCOMPARE(total, 600);
                seen.push_back(done);
            },
            nullptr, &complete);
        QVERIFY(complete);
        QCOMPARE(seen.back(), 600);
        QCOMPARE(a.size(), std::size_t(600) * 128);
        std::vector<float> x(784), one(128);
        for (int i : {0, 255, 256, 599}) {
            d.imageAsFloat(i, x.data());
            ex.apply(x.data(), 1, one.data());
            for (int j = 0; j < 128; ++j)  // a batch's GEMM blocks differently from one sample's
                QVERIFY(std::abs(a[std::size_t(i) * 128 + j] - one[std::size_t(j)]) <=
                        1e-4f * std::max(1.0f, std::abs(one[std::size_t(j)])));
        }
        // Stopped before it starts: nothing computed, and it says so.
        std::atomic<bool> stop{true};
        nn::embeddingActivations(ex, d, 2, {}, &stop, &complete);
        QVERIFY(!complete);
    }

    void pcaOfAnEllipse()
    {
        // x = c + 3 cos t * u + sin t * v, u = (cos 30°, sin 30°, 0),
        // v = (-sin 30°, cos 30°, 0), c = (5, -2, 7), t = 2 pi k / N: the
        // mean is c; the sample variances are 9 (N/2) / (N - 1) along u
        // and (N/2) / (N - 1) along v; the coordinates are (3 cos t, sin t).
        constexpr int N = 360;
        const double a = std::numbers::pi / 6;
        const double u[3] = {std::cos(a), std::sin(a), 0}, v[3] = {-std::sin(a), std::cos(a), 0}, c[3] = {5, -2, 7};
        std::vector<float> x;
        for (int k = 0; k < N; ++k) {
            const double t = 2 * std::numbers::pi * k / N;
            for (int d = 0; d < 3; ++d)
                x.push_back(float(c[d] + 3 * std::cos(t) * u[d] + std::sin(t) * v[d]));
        }
        const nn::Pca p = nn::fitPca(x.data(), N, 3);
        const double s = (N / 2.0) / (N - 1);
        QVERIFY(std::abs(p.variance[0] - 9 * s) < 1e-4);
        QVERIFY(std::abs(p.variance[1] - 1 * s) < 1e-4);
        QVERIFY(std::abs(p.totalVariance - 10 * s) < 1e-4);
        for (int d = 0; d < 3; ++d) {
            QVERIFY(std::abs(p.mean[std::size_t(d)] - c[d]) < 1e-5);
            // Signs: the largest entry of each axis is positive, so u and v as written.
            QVERIFY2(std::abs(p.axes[0][std::size_t(d)] - u[d]) < 1e-5, qPrintable(QString::number(p.axes[0][std::size_t(d)])));
            QVERIFY2(std::abs(p.axes[1][std::size_t(d)] - v[d]) < 1e-5, qPrintable(QString::number(p.axes[1][std::size_t(d)])));
        }
        for (int k : {0, 45, 90, 200}) {
            const double t = 2 * std::numbers::pi * k / N;
            const auto xy = p.project(x.data() + 3 * k);
            QVERIFY(std::abs(xy[0] - 3 * std::cos(t)) < 1e-4);
            QVERIFY(std::abs(xy[1] - std::sin(t)) < 1e-4);
        }
    }

    void pcaOfALine()
    {
        // Five points a + s d, s = -2..2, d = (0, -2, 1, 2) (|d| = 3): the
        // axis is d / 3 with its largest entry (-2 / 3 and 2 / 3 tie: the
        // first) positive, so -d / 3; variance 9 * 10 / 4; nothing across it.
        const float a[4] = {1, 2, 3, 4}, d[4] = {0, -2, 1, 2};
        std::vector<float> x;
        for (int s = -2; s <= 2; ++s)
            for (int k = 0; k < 4; ++k)
                x.push_back(a[k] + float(s) * d[k]);
        const nn::Pca p = nn::fitPca(x.data(), 5, 4);
        QVERIFY(std::abs(p.variance[0] - 22.5) < 1e-9);
        QVERIFY(std::abs(p.variance[1]) < 1e-9);
        for (int k = 0; k < 4; ++k)
            QVERIFY(std::abs(p.axes[0][std::size_t(k)] + d[k] / 3.0) < 1e-9);
        for (int s = -2; s <= 2; ++s)
            QVERIFY(std::abs(p.project(x.data() + 4 * (s + 2))[0] + 3.0f * float(s)) < 1e-5f);
        QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitPca(x.data(), 1, 4));
    }

    void perplexityCalibration()
    {
        nn::SplitMix64 rng{5};
        std::vector<float> d2(90);
        for (float& v : d2)
            v = rng.uniform(0.0f, 40.0f);
        std::sort(d2.begin(), d2.end());
        for (double perplexity : {5.0, 30.0}) {
            std::vector<double> w(90);
            nn::perplexityWeights(d2.data(), 90, perplexity, w.data());
            double sum = 0, h = 0;
            for (double p : w) {
                sum += p;
                if (p > 0)
                    h -= p * std::log(p);
            }
            QVERIFY(std::abs(sum - 1) < 1e-9);
            QVERIFY2(std::abs(std::exp(h) - perplexity) < 1e-3 * perplexity, qPrintable(QString::number(std::exp(h))));
            QVERIFY(w[0] >= w[89]);  // nearer, heavier
        }
    }

    void affinitiesAreSymmetricAndSumToOne()
    {
        const Blobs b = blobs(3, 40, 10, 4.0f, 2);
        const nn::SparseAffinities p = nn::tsneAffinities(b.x.data(), b.n, b.dim, 10);
        double sum = 0;
        for (double v : p.value)
            sum += v;
        QVERIFY(std::abs(sum - 1) < 1e-9);
        auto at = [&](int i, int j) {
            for (int e = p.rowStart[std::size_t(i)]; e < p.rowStart[std::size_t(i) + 1]; ++e)
                if (p.column[std::size_t(e)] == j)
                    return p.value[std::size_t(e)];
            return 0.0;
        };
        for (int i = 0; i < b.n; i += 7)
            for (int e = p.rowStart[std::size_t(i)]; e < p.rowStart[std::size_t(i) + 1]; ++e) {
                const int j = p.column[std::size_t(e)];
                QVERIFY(j != i);
                QCOMPARE(at(j, i), p.value[std::size_t(e)]);
            }
    }

    void barnesHutGradientIsCloseToTheExactOne()
    {
        const Blobs b = blobs(5, 60, 20, 3.0f, 4);
        nn::TsneOptions o = smallOptions();
        o.iterations = 300;
        const nn::TsneResult r = nn::tsne(b.x.data(), b.n, b.dim, o);
        const std::vector<double> y(r.xy.begin(), r.xy.end());
        const nn::SparseAffinities p = nn::tsneAffinities(b.x.data(), b.n, b.dim, o.perplexity);
        std::vector<double> exact(y.size()), grad(y.size());
        nn::ThreadPool pool(2);
        const double zExact = nn::tsneGradientExact(p, y.data(), 1.0, exact.data());
        // The relative error of the gradient (and of Z) at a theta.
        auto error = [&](double theta, double* zError) {
            const double z = nn::tsneGradientBarnesHut(p, y.data(), 1.0, theta, grad.data(), &pool);
            double diff = 0, norm = 0;
            for (std::size_t i = 0; i < y.size(); ++i) {
                diff += (grad[i] - exact[i]) * (grad[i] - exact[i]);
                norm += exact[i] * exact[i];
            }
            *zError = std::abs(z - zExact) / zExact;
            return std::sqrt(diff / norm);
        };
        double zError = 0, zErrorFine = 0, zError0 = 0;
        const double rel = error(0.5, &zError), fine = error(0.25, &zErrorFine), exact0 = error(0.0, &zError0);
        qInfo("Barnes-Hut against the exact gradient: relative error %.4f at theta 0.5, %.4f at 0.25 (Z off by %.4f, "
              "%.4f)", rel, fine, zError, zErrorFine);
        // theta 0.5 trades a few percent of the gradient for speed (3-5% on
        // such maps, depending on where the points lie).
        QVERIFY2(rel < 0.07, qPrintable(QString::number(rel)));
        QVERIFY(zError < 0.02);
        QVERIFY2(fine < rel / 2, qPrintable(QString::number(fine)));  // it converges as theta falls
        // theta 0 opens every cell: the tree then is the exact sum.
        QVERIFY2(exact0 < 1e-9, qPrintable(QString::number(exact0)));
        QVERIFY(zError0 < 1e-12);
    }

    void tsneKeepsSeparatedClustersApart()
    {
        const Blobs b = blobs(5, 80, 50, 2.0f, 1);
        const nn::TsneResult r = nn::tsne(b.x.data(), b.n, b.dim, smallOptions());
        QVERIFY(r.complete);
        QCOMPARE(r.iterations, 600);
        QCOMPARE(int(r.xy.size()), 2 * b.n);
        const double agree = neighbourAgreement(r.xy, b.label);
        qInfo("t-SNE of 5 blobs in 50-D: nearest-neighbour label agreement %.3f, KL %.3f", agree, r.kl);
        QVERIFY2(agree > 0.95, qPrintable(QString::number(agree)));
        QVERIFY(r.kl > 0 && r.kl < 3);
        // The measure itself: labels shuffled at random agree about one time in five.
        std::vector<int> shuffled(b.label.size());
        const std::vector<int> order = nn::shuffledIndices(b.n, 3);
        for (int i = 0; i < b.n; ++i)
            shuffled[std::size_t(i)] = b.label[std::size_t(order[std::size_t(i)])];
        QVERIFY(neighbourAgreement(r.xy, shuffled) < 0.4);
    }

    void tsneIsDeterministicForASeed()
    {
        const Blobs b = blobs(4, 40, 12, 3.0f, 3);
        nn::TsneOptions o = smallOptions();
        o.iterations = 300;
        o.perplexity = 10;
        const auto a = nn::tsne(b.x.data(), b.n, b.dim, o).xy;
        const auto again = nn::tsne(b.x.data(), b.n, b.dim, o).xy;
        QVERIFY(a == again);
        o.threads = 1;
        QVERIFY2(nn::tsne(b.x.data(), b.n, b.dim, o).xy == a, "one thread gives another map than two");
        o.seed = 8;
        QVERIFY(nn::tsne(b.x.data(), b.n, b.dim, o).xy != a);
    }

    void tsneStops()
    {
        const Blobs b = blobs(3, 40, 8, 3.0f, 6);
        nn::TsneOptions o = smallOptions();
        o.perplexity = 10;
        std::atomic<bool> stop{false};
        int lastReported = 0;
        std::vector<nn::EmbeddingPhase> phases;
        const auto r = nn::tsne(b.x.data(), b.n, b.dim, o, [&](nn::EmbeddingPhase phase, int done, int total) {
            if (phases.empty() || phases.back() != phase)
                phases.push_back(phase);
            if (phase == nn::EmbeddingPhase::Optimise) {
                QCOMPARE(total, 600);
                lastReported = done;
                if (done >= 120)
                    stop = true;
            }
        }, &stop);
        QVERIFY(!r.complete);
        QCOMPARE(r.iterations, lastReported);
        QVERIFY(r.iterations >= 120 && r.iterations < 140);
        QCOMPARE(int(r.xy.size()), 2 * b.n);
        const std::vector<nn::EmbeddingPhase> want{nn::EmbeddingPhase::Neighbours, nn::EmbeddingPhase::Affinities,
                                                   nn::EmbeddingPhase::Optimise};
        QVERIFY(phases == want);
    }

    void tsneRejectsBadOptions()
    {
        const Blobs b = blobs(2, 10, 4, 3.0f, 6);
        nn::TsneOptions o;
        o.perplexity = 7;  // 3 * 7 > 20 points - 1
        QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::tsne(b.x.data(), b.n, b.dim, o));
        o.perplexity = 3;
        o.iterations = 0;
        QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::tsne(b.x.data(), b.n, b.dim, o));
    }

    void aNewPointLandsInItsCluster()
    {
        const Blobs b = blobs(5, 80, 50, 2.0f, 1);
        nn::EmbeddingRequest req;
        req.method = nn::EmbeddingMethod::Tsne;
        req.tsne = smallOptions();
        bool complete = false;
        const nn::Embedding e = nn::embedActivations(b.x, b.n, b.dim, req, {}, nullptr, &complete);
        QVERIFY(complete);
        // Each cluster's centroid and radius (the farthest of its points) in the map.
        std::vector<std::array<double, 3>> cl(5, {0, 0, 0});
        for (int i = 0; i < b.n; ++i) {
            cl[std::size_t(b.label[std::size_t(i)])][0] += e.xy[2 * std::size_t(i)] / 80.0;
            cl[std::size_t(b.label[std::size_t(i)])][1] += e.xy[2 * std::size_t(i) + 1] / 80.0;
        }
        for (int i = 0; i < b.n; ++i) {
            auto& c = cl[std::size_t(b.label[std::size_t(i)])];
            c[2] = std::max(c[2], std::hypot(e.xy[2 * std::size_t(i)] - c[0], e.xy[2 * std::size_t(i) + 1] - c[1]));
        }
        nn::SplitMix64 rng{99};
        for (int c = 0; c < 5; ++c) {
            std::vector<float> point = b.centre[std::size_t(c)];
            for (float& v : point)
                v += rng.normal(0.0f, 1.0f);  // a new sample of cluster c
            const auto at = e.place(point.data());
            int nearest = 0;
            for (int k = 1; k < 5; ++k)
                if (std::hypot(at[0] - cl[std::size_t(k)][0], at[1] - cl[std::size_t(k)][1]) <
                    std::hypot(at[0] - cl[std::size_t(nearest)][0], at[1] - cl[std::size_t(nearest)][1]))
                    nearest = k;
            QCOMPARE(nearest, c);
            QVERIFY(std::hypot(at[0] - cl[std::size_t(c)][0], at[1] - cl[std::size_t(c)][1]) < cl[std::size_t(c)][2]);
        }
        // PCA places exactly: a point of the set lands where the set put it.
        req.method = nn::EmbeddingMethod::Pca;
        const nn::Embedding pca = nn::embedActivations(b.x, b.n, b.dim, req);
        for (int i : {0, 17, 399}) {
            const auto at = pca.place(b.x.data() + std::size_t(i) * b.dim);
            QCOMPARE(at[0], pca.xy[2 * std::size_t(i)]);
            QCOMPARE(at[1], pca.xy[2 * std::size_t(i) + 1]);
        }
    }

    void embeddingOfADataSetThroughAModel()
    {
        nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("mlp"));
        m.initialize(4);
        const nn::Dataset d = fixtures::syntheticBars(200, 3);
        nn::EmbeddingRequest req;  // PCA
        bool complete = false;
        std::vector<nn::EmbeddingPhase> phases;
        const nn::Embedding e = nn::computeEmbedding(m, d, req, [&](nn::EmbeddingPhase phase, int, int) {
            if (phases.empty() || phases.back() != phase)
                phases.push_back(phase);
        }, nullptr, &complete);
        QVERIFY(complete);
        QCOMPARE(e.layer, 3);
        QCOMPARE(e.n, 200);
        QCOMPARE(e.dim, 128);
        QCOMPARE(int(e.xy.size()), 400);
        QVERIFY((phases == std::vector<nn::EmbeddingPhase>{nn::EmbeddingPhase::Activations, nn::EmbeddingPhase::Optimise}));
        const nn::Pca direct = nn::fitPca(e.activations.data(), 200, 128);
        QCOMPARE(e.pca.variance[0], direct.variance[0]);
        QVERIFY(e.pca.variance[0] >= e.pca.variance[1] && e.pca.variance[1] > 0);
    }
};

QTEST_GUILESS_MAIN(TestEmbedding)
#include "test_embedding.moc"
