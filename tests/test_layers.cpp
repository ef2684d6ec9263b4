// Every layer's backward against central finite differences, plus forward
// values checked by hand on small inputs.
#include "gradcheck.h"

#include <nn/layers/activation.h>
#include <nn/layers/batchnorm.h>
#include <nn/layers/conv2d.h>
#include <nn/layers/dense.h>
#include <nn/layers/dropout.h>
#include <nn/layers/maxpool2d.h>
#include <nn/loss.h>
#include <nn/parallel.h>

#include <QtTest>

#include <memory>
#include <random>
#include <thread>

using namespace nn;

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    void gradients_data();
    void gradients();
    void maxpoolGradient();
    void reluGradientAwayFromKink();
    void convForwardByHand();
    void convStridePadShapes();
    void denseForwardByHand();
    void maxpoolForwardByHand();
    void dropoutTrainAndInfer();
    void batchnormNormalisesAndTracksStatistics();
    void batchnormInferenceUsesRunningStatistics_data();
    void batchnormInferenceUsesRunningStatistics();
    void batchnormSplitBatchEqualsWholeBatch_data();
    void batchnormSplitBatchEqualsWholeBatch();
    void softmaxCrossEntropyGradient();
    void softmaxCrossEntropyStableForHugeLogits();
    void energyMarginGradientAndHinges();
    void mseGradient();
    void shapeMismatchIsReported();
};

void TestLayers::gradients_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::newRow("dense") << "dense" << 5 << 1 << 1;
    QTest::newRow("dense-on-image") << "dense" << 2 << 3 << 3;
    QTest::newRow("dense-xavier") << "dense-xavier" << 4 << 1 << 1;
    QTest::newRow("conv 3x3") << "conv" << 2 << 6 << 6;
    QTest::newRow("conv stride2 pad1") << "conv-s2p1" << 2 << 7 << 7;
    QTest::newRow("conv 5x5 pad2") << "conv-5p2" << 1 << 8 << 8;
    QTest::newRow("sigmoid") << "sigmoid" << 2 << 3 << 3;
    QTest::newRow("tanh") << "tanh" << 2 << 3 << 3;
    QTest::newRow("flatten") << "flatten" << 2 << 3 << 3;
    QTest::newRow("dropout") << "dropout" << 3 << 4 << 4;
    QTest::newRow("batchnorm-conv") << "batchnorm" << 3 << 4 << 4;
    QTest::newRow("batchnorm-dense") << "batchnorm" << 6 << 1 << 1;
}

void TestLayers::gradients()
{
    QFETCH(QString, name);
    QFETCH(int, c);
    QFETCH(int, h);
    QFETCH(int, w);
    std::unique_ptr<Layer> layer;
    if (name == "dense")
        layer = std::make_unique<Dense>(4);
    else if (name == "dense-xavier")
        layer = std::make_unique<Dense>(3, Init::Xavier);
    else if (name == "conv")
        layer = std::make_unique<Conv2D>(3, 3);
    else if (name == "conv-s2p1")
        layer = std::make_unique<Conv2D>(3, 3, 2, 1);
    else if (name == "conv-5p2")
        layer = std::make_unique<Conv2D>(2, 5, 1, 2);
    else if (name == "sigmoid")
        layer = std::make_unique<Sigmoid>();
    else if (name == "tanh")
        layer = std::make_unique<Tanh>();
    else if (name == "flatten")
        layer = std::make_unique<Flatten>();
    else if (name == "dropout")
        layer = std::make_unique<Dropout>(0.3f);
    else if (name == "batchnorm")
        layer = std::make_unique<BatchNorm>();
    QVERIFY(layer);
    const auto r = gradcheck::check(*layer, {c, h, w}, 3, 42);
    QVERIFY2(r.maxInputError < 5e-3, qPrintable(QString("input gradient error %1").arg(r.maxInputError)));
    QVERIFY2(r.maxParamError < 5e-3, qPrintable(QString("parameter gradient error %1").arg(r.maxParamError)));
    QVERIFY(r.checked > 0);
}

void TestLayers::maxpoolGradient()
{
    // Max pooling is piecewise linear: use inputs whose window maxima are
    // separated by far more than the finite-difference step.
    MaxPool2D pool(2);
    pool.setup({2, 4, 4});
    Tensor x(2, {2, 4, 4});
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float((i * 37) % 64) * 0.1f;  // distinct values, gaps of 0.1
    const Tensor& y = pool.forward(x, Mode::Train);
    std::vector<float> r(y.size());
    for (std::size_t i = 0; i < r.size(); ++i)
        r[i] = 0.3f + 0.1f * float(i % 7);
    Tensor dy(2, {2, 2, 2});
    std::copy(r.begin(), r.end(), dy.data());
    const Tensor dx = pool.backward(dy);
    double worst = 0;
    const float eps = 1e-2f;
    for (std::size_t i = 0; i < x.size(); ++i) {
        auto L = [&] {
            const Tensor& yy = pool.forward(x, Mode::Train);
            double s = 0;
            for (std::size_t k = 0; k < yy.size(); ++k)
                s += double(yy[k]) * r[k];
            return s;
        };
        const float keep = x[i];
        x[i] = keep + eps;
        const double lp = L();
        x[i] = keep - eps;
        const double lm = L();
        x[i] = keep;
        worst = std::max(worst, gradcheck::relErr((lp - lm) / (2 * eps), dx[i]));
    }
    qInfo("maxpool largest relative difference %.2e", worst);
    QVERIFY(worst < 1e-3);
}

void TestLayers::reluGradientAwayFromKink()
{
    // Inputs at least 0.1 away from 0 so the finite-difference step never crosses the kink.
    ReLU relu;
    relu.setup({1, 2, 5});
    Tensor x(1, {1, 2, 5});
    const float vals[] = {-1.0f, -0.5f, -0.1f, 0.1f, 0.2f, 0.7f, 1.5f, -2.0f, 3.0f, -0.3f};
    std::copy(std::begin(vals), std::end(vals), x.data());
    relu.forward(x, Mode::Train);
    Tensor dy(1, {1, 2, 5});
    for (std::size_t i = 0; i < dy.size(); ++i)
        dy[i] = float(i + 1);
    const Tensor dx = relu.backward(dy);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const float eps = 1e-3f;
        const float num = (std::max(0.0f, x[i] + eps) - std::max(0.0f, x[i] - eps)) / (2 * eps) * dy[i];
        QCOMPARE_LE(std::abs(num - dx[i]), 1e-3f);
    }
    QCOMPARE(dx[0], 0.0f);
    QCOMPARE(dx[3], 4.0f);
}

void TestLayers::convForwardByHand()
{
    // 1 input channel 3x3, one 2x2 filter of ones, bias 0.5: sums of 2x2 windows + 0.5.
    Conv2D conv(1, 2);
    conv.setup({1, 3, 3});
    std::vector<float> values = {1, 1, 1, 1, 0.5f};
    std::vector<float> grads(values.size());
    conv.bind(values.data(), grads.data());
    Tensor x(1, {1, 3, 3});
    for (int i = 0; i < 9; ++i)
        x[i] = float(i + 1);
    const Tensor& y = conv.forward(x, Mode::Infer);
    QCOMPARE(y.shape(), (Shape3{1, 2, 2}));
    QCOMPARE(y[0], 1 + 2 + 4 + 5 + 0.5f);
    QCOMPARE(y[1], 2 + 3 + 5 + 6 + 0.5f);
    QCOMPARE(y[2], 4 + 5 + 7 + 8 + 0.5f);
    QCOMPARE(y[3], 5 + 6 + 8 + 9 + 0.5f);

    // With pad=1 the corner output sees only x[0..1][0..1] of the window's lower right.
    Conv2D padded(1, 2, 1, 1);
    QCOMPARE(padded.setup({1, 3, 3}), (Shape3{1, 4, 4}));
    padded.bind(values.data(), grads.data());
    const Tensor& yp = padded.forward(x, Mode::Infer);
    QCOMPARE(yp[0], 1 + 0.5f);
    QCOMPARE(yp[15], 9 + 0.5f);
}

void TestLayers::convStridePadShapes()
{
    QCOMPARE(Conv2D(8, 5, 1, 2).setup({1, 28, 28}), (Shape3{8, 28, 28}));
    QCOMPARE(Conv2D(8, 3, 2, 1).setup({1, 28, 28}), (Shape3{8, 14, 14}));
    QCOMPARE(Conv2D(8, 5).setup({1, 28, 28}), (Shape3{8, 24, 24}));
    QCOMPARE(MaxPool2D(2).setup({8, 24, 24}), (Shape3{8, 12, 12}));
    QCOMPARE(MaxPool2D(3, 2).setup({8, 7, 7}), (Shape3{8, 3, 3}));
    try {
        Conv2D(8, 5).setup({1, 3, 3});
        QFAIL("a 5x5 kernel on a 3x3 input must be refused");
    } catch (const SpecError& e) {
        QCOMPARE(QString(e.what()), QString("conv: kernel 5x5 does not fit input 1x3x3"));
    }
}

void TestLayers::denseForwardByHand()
{
    Dense d(2);
    d.setup({3, 1, 1});
    std::vector<float> values = {1, 2, 3, -1, 0, 1, 0.5f, -0.5f};  // W (2x3), b (2)
    std::vector<float> grads(values.size());
    d.bind(values.data(), grads.data());
    Tensor x(2, {3, 1, 1});
    const float xs[] = {1, 1, 1, 1, 2, 3};
    std::copy(std::begin(xs), std::end(xs), x.data());
    const Tensor& y = d.forward(x, Mode::Infer);
    QCOMPARE(y[0], 6.5f);
    QCOMPARE(y[1], -0.5f);
    QCOMPARE(y[2], 14.5f);
    QCOMPARE(y[3], 1.5f);
}

void TestLayers::maxpoolForwardByHand()
{
    MaxPool2D p(2);
    p.setup({1, 2, 4});
    Tensor x(1, {1, 2, 4});
    const float xs[] = {1, 5, 2, 0, 3, 4, 8, -1};
    std::copy(std::begin(xs), std::end(xs), x.data());
    const Tensor& y = p.forward(x, Mode::Infer);
    QCOMPARE(y.shape(), (Shape3{1, 1, 2}));
    QCOMPARE(y[0], 5.0f);
    QCOMPARE(y[1], 8.0f);
}

void TestLayers::dropoutTrainAndInfer()
{
    Dropout d(0.5f);
    d.setup({1, 100, 100});
    Tensor x(1, {1, 100, 100});
    std::fill(x.data(), x.data() + x.size(), 1.0f);
    d.setSeed(7);
    const Tensor& y = d.forward(x, Mode::Train);
    int zeros = 0;
    double sum = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        QVERIFY(y[i] == 0.0f || y[i] == 2.0f);
        zeros += y[i] == 0.0f;
        sum += y[i];
    }
    QVERIFY2(zeros > 4700 && zeros < 5300, qPrintable(QString::number(zeros)));
    QVERIFY(std::abs(sum / 10000 - 1.0) < 0.06);  // inverted dropout keeps the mean
    const Tensor& yi = d.forward(x, Mode::Infer);
    for (std::size_t i = 0; i < yi.size(); ++i)
        QCOMPARE(yi[i], 1.0f);
}

void TestLayers::batchnormNormalisesAndTracksStatistics()
{
    BatchNorm bn;
    bn.setup({2, 1, 1});
    std::vector<float> values = {1, 1, 0, 0, 0, 0, 1, 1};  // gamma, beta, mean, var
    std::vector<float> grads(8, 0.0f);
    bn.bind(values.data(), grads.data());
    Tensor x(4, {2, 1, 1});
    const float xs[] = {1, 10, 2, 20, 3, 30, 4, 40};
    std::copy(std::begin(xs), std::end(xs), x.data());
    const Tensor& y = bn.forward(x, Mode::Train);
    double m0 = 0, m1 = 0, v0 = 0;
    for (int i = 0; i < 4; ++i) {
        m0 += y[2 * i];
        m1 += y[2 * i + 1];
        v0 += double(y[2 * i]) * y[2 * i];
    }
    QVERIFY(std::abs(m0) < 1e-5 && std::abs(m1) < 1e-5);
    QVERIFY(std::abs(v0 / 4 - 1.0) < 1e-3);
    // Batch mean and unbiased variance went to the statistics slots.
    QCOMPARE(grads[4], 2.5f);
    QCOMPARE(grads[5], 25.0f);
    QVERIFY(std::abs(grads[6] - 1.6666667f) < 1e-5);
    // Inference uses the running statistics: with mean 0 / var 1 it is the identity.
    const Tensor& yi = bn.forward(x, Mode::Infer);
    QVERIFY(std::abs(yi[1] - 10.0f / std::sqrt(1.0f + 1e-5f)) < 1e-4);
}

void TestLayers::batchnormInferenceUsesRunningStatistics_data()
{
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("hw");
    QTest::newRow("after dense") << 3 << 1;
    QTest::newRow("after conv") << 2 << 3;
}

void TestLayers::batchnormInferenceUsesRunningStatistics()
{
    // y = gamma * (x - mean) / sqrt(var + eps) + beta with the running
    // statistics, per channel, whatever the batch holds (an identity or the
    // batch's own statistics would fail this).
    QFETCH(int, c);
    QFETCH(int, hw);
    BatchNorm bn;
    bn.setup({c, hw, hw});
    const float gamma[] = {1.5f, -0.7f, 2.0f}, beta[] = {0.25f, -3.0f, 1.0f};
    const float mean[] = {4.0f, -2.5f, 0.5f}, var[] = {9.0f, 0.04f, 2.0f};
    std::vector<float> values(std::size_t(4 * c)), grads(std::size_t(4 * c), 0.0f);
    for (int k = 0; k < c; ++k) {
        values[std::size_t(k)] = gamma[k];
        values[std::size_t(c + k)] = beta[k];
        values[std::size_t(2 * c + k)] = mean[k];
        values[std::size_t(3 * c + k)] = var[k];
    }
    bn.bind(values.data(), grads.data());
    const int n = 5, S = hw * hw;
    Tensor x(n, {c, hw, hw});
    std::mt19937 rng(11);
    std::normal_distribution<float> N(1.0f, 3.0f);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = N(rng);
    const Tensor& y = bn.forward(x, Mode::Infer);
    double worst = 0;
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < c; ++k)
            for (int j = 0; j < S; ++j) {
                const std::size_t at = std::size_t(i) * std::size_t(c * S) + std::size_t(k * S + j);
                const double want = double(gamma[k]) * (double(x[at]) - mean[k]) / std::sqrt(double(var[k]) + 1e-5) + beta[k];
                worst = std::max(worst, std::abs(double(y[at]) - want));
            }
    qInfo("largest difference from the formula: %.3g", worst);
    QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    // Inference leaves the statistics slots alone.
    for (float g : grads)
        QCOMPARE(g, 0.0f);
}

void TestLayers::batchnormSplitBatchEqualsWholeBatch_data()
{
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("hw");
    QTest::addColumn<int>("threads");
    for (int t : {2, 3, 4}) {
        QTest::addRow("after dense, %d threads", t) << 4 << 1 << t;
        QTest::addRow("after conv, %d threads", t) << 3 << 4 << t;
    }
}

void TestLayers::batchnormSplitBatchEqualsWholeBatch()
{
    // A batch split across threads, one BatchNorm per thread joined by an
    // AllReduce, gives what one BatchNorm over the whole batch gives: outputs,
    // input gradients, summed parameter gradients and statistics (issue 15:
    // each thread normalised over its own share).
    QFETCH(int, c);
    QFETCH(int, hw);
    QFETCH(int, threads);
    const int n = 10, per = c * hw * hw;
    std::mt19937 rng(5);
    std::normal_distribution<float> N(2.0f, 1.5f);
    Tensor x(n, {c, hw, hw}), dy(n, {c, hw, hw});
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = N(rng) * float(1 + i % 3);
        dy[i] = N(rng) - 2.0f;
    }
    std::vector<float> values(std::size_t(4 * c));
    for (int k = 0; k < c; ++k) {
        values[std::size_t(k)] = 0.5f + 0.3f * float(k);
        values[std::size_t(c + k)] = 0.1f * float(k) - 0.2f;
        values[std::size_t(3 * c + k)] = 1.0f;
    }
    // The whole batch at once.
    BatchNorm whole;
    whole.setup({c, hw, hw});
    std::vector<float> wholeGrads(values.size(), 0.0f);
    whole.bind(values.data(), wholeGrads.data());
    const Tensor y = whole.forward(x, Mode::Train);
    const Tensor dx = whole.backward(dy);

    // Uneven shares, one thread each.
    AllReduce reduce(threads);
    reduce.begin(threads);
    std::vector<std::unique_ptr<BatchNorm>> parts;
    std::vector<std::vector<float>> grads(std::size_t(threads), std::vector<float>(values.size(), 0.0f));
    std::vector<Tensor> ys(static_cast<std::size_t>(threads)), dxs(static_cast<std::size_t>(threads));
    std::vector<int> lo(std::size_t(threads) + 1);
    for (int t = 0; t <= threads; ++t)
        lo[std::size_t(t)] = t * (t + 1) * n / (threads * (threads + 1));  // shares of 1, 2, ... parts
    for (int t = 0; t < threads; ++t) {
        parts.push_back(std::make_unique<BatchNorm>());
        parts.back()->setup({c, hw, hw});
        parts.back()->bind(values.data(), grads[std::size_t(t)].data());
        parts.back()->setReducer(&reduce, t);
    }
    auto work = [&](int t) {
        const int a = lo[std::size_t(t)], b = lo[std::size_t(t) + 1];
        Tensor xt(b - a, {c, hw, hw}), dyt(b - a, {c, hw, hw});
        std::copy(x.data() + std::size_t(a) * per, x.data() + std::size_t(b) * per, xt.data());
        std::copy(dy.data() + std::size_t(a) * per, dy.data() + std::size_t(b) * per, dyt.data());
        ys[std::size_t(t)] = parts[std::size_t(t)]->forward(xt, Mode::Train);
        dxs[std::size_t(t)] = parts[std::size_t(t)]->backward(dyt);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread& th : pool)
        th.join();

    double worstY = 0, worstDx = 0, worstG = 0;
    for (int t = 0; t < threads; ++t) {
        const int a = lo[std::size_t(t)], b = lo[std::size_t(t) + 1];
        QCOMPARE(ys[std::size_t(t)].n(), b - a);
        for (std::size_t i = 0; i < std::size_t((b - a) * per); ++i) {
            worstY = std::max(worstY, double(std::abs(ys[std::size_t(t)][i] - y[std::size_t(a) * per + i])));
            worstDx = std::max(worstDx, double(std::abs(dxs[std::size_t(t)][i] - dx[std::size_t(a) * per + i])));
        }
    }
    // Parameter gradients: the threads' sum. Statistics slots: each thread
    // holds the whole batch's (the trainer averages over sub-batches).
    for (std::size_t k = 0; k < values.size(); ++k) {
        const bool stat = k >= std::size_t(2 * c);
        double sum = 0;
        for (int t = 0; t < threads; ++t)
            sum += grads[std::size_t(t)][k];
        const double got = stat ? sum / threads : sum;
        worstG = std::max(worstG, std::abs(got - wholeGrads[k]) / std::max(1.0, std::abs(double(wholeGrads[k]))));
    }
    qInfo("largest differences: y %.3g, dx %.3g, parameter gradients and statistics (relative) %.3g", worstY, worstDx, worstG);
    QVERIFY2(worstY < 1e-5, qPrintable(QString::number(worstY)));
    QVERIFY2(worstDx < 1e-5, qPrintable(QString::number(worstDx)));
    QVERIFY2(worstG < 1e-5, qPrintable(QString::number(worstG)));
}

void TestLayers::softmaxCrossEntropyGradient()
{
    std::mt19937 rng(3);
    std::normal_distribution<float> N(0, 2);
    Tensor z(4, {10, 1, 1});
    for (std::size_t i = 0; i < z.size(); ++i)
        z[i] = N(rng);
    const std::uint8_t labels[] = {3, 0, 9, 5};
    Tensor g;
    const LossResult r = softmaxCrossEntropy(z, labels, g, 0.25f);
    // Hand check of the value for sample 0.
    double mx = -1e9, s = 0;
    for (int k = 0; k < 10; ++k)
        mx = std::max(mx, double(z[k]));
    for (int k = 0; k < 10; ++k)
        s += std::exp(z[k] - mx);
    const double l0 = std::log(s) + mx - z[3];
    Tensor g1;
    Tensor z0(1, {10, 1, 1});
    std::copy(z.data(), z.data() + 10, z0.data());
    QVERIFY(std::abs(softmaxCrossEntropy(z0, labels, g1, 1.0f).sum - l0) < 1e-5);
    double worst = 0;
    const float eps = 1e-3f;
    for (std::size_t i = 0; i < z.size(); ++i) {
        Tensor tmp;
        const float keep = z[i];
        z[i] = keep + eps;
        const double lp = softmaxCrossEntropy(z, labels, tmp, 1.0f).sum * 0.25;
        z[i] = keep - eps;
        const double lm = softmaxCrossEntropy(z, labels, tmp, 1.0f).sum * 0.25;
        z[i] = keep;
        worst = std::max(worst, gradcheck::relErr((lp - lm) / (2 * eps), g[i]));
    }
    qInfo("softmax cross-entropy largest relative difference %.2e", worst);
    QVERIFY(worst < 2e-3);
    QVERIFY(r.sum > 0);
}

void TestLayers::softmaxCrossEntropyStableForHugeLogits()
{
    Tensor z(1, {10, 1, 1});
    z.setZero();
    z[2] = 1e4f;
    z[7] = -1e4f;
    const std::uint8_t label[] = {7};
    Tensor g;
    const LossResult r = softmaxCrossEntropy(z, label, g, 1.0f);
    QVERIFY(std::isfinite(r.sum));
    QVERIFY(std::abs(r.sum - 2e4) < 1.0);
    QCOMPARE(g[2], 1.0f);
    QCOMPARE(g[7], -1.0f);
}

void TestLayers::energyMarginGradientAndHinges()
{
    // Two digits, then three outliers, logits spread so that some scores sit
    // on each side of their margin.
    std::mt19937 rng(5);
    std::normal_distribution<float> N(0, 3);
    Tensor z(5, {10, 1, 1});
    for (std::size_t i = 0; i < z.size(); ++i)
        z[i] = N(rng);
    z.sample(0)[4] = 20.0f;  // a confident digit: its score is above the margin, no penalty
    z.sample(4)[1] = 9.0f;   // a confident outlier: far above the outliers' margin
    const float inMargin = 14.0f, outMargin = 2.0f, inScale = 0.3f, outScale = 0.7f;
    auto score = [&](const Tensor& t, int i) {
        double mx = -1e30, s = 0;
        for (int k = 0; k < 10; ++k)
            mx = std::max(mx, double(t.sample(i)[k]));
        for (int k = 0; k < 10; ++k)
            s += std::exp(t.sample(i)[k] - mx);
        return std::log(s) + mx;
    };
    auto loss = [&](const Tensor& t) {
        double l = 0;
        for (int i = 0; i < 5; ++i) {
            const double e = i < 2 ? std::max(0.0, inMargin - score(t, i)) : std::max(0.0, score(t, i) - outMargin);
            l += (i < 2 ? inScale : outScale) * e * e;
        }
        return l;
    };
    // The digits' rows are added to (they hold the cross-entropy gradient), the outliers' are set.
    Tensor g(5, {10, 1, 1});
    g.setZero();
    for (int k = 0; k < 10; ++k) {
        g.sample(1)[k] = 0.125f;
        g.sample(3)[k] = 123.0f;
    }
    const EnergyMarginResult r = energyMargin(z, 2, g, inScale, outScale, inMargin, outMargin);
    QVERIFY(score(z, 0) > inMargin);
    for (int k = 0; k < 10; ++k)
        QCOMPARE(g.sample(0)[k], 0.0f);  // above its margin: nothing
    double inSum = 0, outSum = 0;
    for (int i = 0; i < 5; ++i) {
        const double e = i < 2 ? std::max(0.0, inMargin - score(z, i)) : std::max(0.0, score(z, i) - outMargin);
        (i < 2 ? inSum : outSum) += e * e;
    }
    QVERIFY(inSum > 0 && outSum > 0);
    QVERIFY(std::abs(r.inSum - inSum) < 1e-6 * std::max(1.0, inSum));
    QVERIFY(std::abs(r.outSum - outSum) < 1e-6 * std::max(1.0, outSum));
    double worst = 0;
    const float eps = 1e-3f;
    for (std::size_t i = 0; i < z.size(); ++i) {
        const float keep = z[i];
        z[i] = keep + eps;
        const double lp = loss(z);
        z[i] = keep - eps;
        const double lm = loss(z);
        z[i] = keep;
        const double base = (i / 10 == 1) ? 0.125 : 0.0;  // what the digit's row held before
        worst = std::max(worst, gradcheck::relErr((lp - lm) / (2 * eps), double(g[i]) - base));
    }
    qInfo("energy margin largest relative difference %.2e", worst);
    QVERIFY(worst < 2e-3);
}

void TestLayers::mseGradient()
{
    Tensor y(2, {10, 1, 1});
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] = 0.1f * float(i % 10) - 0.3f;
    const std::uint8_t labels[] = {1, 8};
    Tensor g;
    const LossResult r = mseOneHot(y, labels, g, 0.5f);
    double expected = 0;
    for (int s = 0; s < 2; ++s)
        for (int k = 0; k < 10; ++k) {
            const double d = y[s * 10 + k] - (k == labels[s] ? 1.0 : 0.0);
            expected += 0.5 * d * d;
        }
    QVERIFY(std::abs(r.sum - expected) < 1e-5);
    double worst = 0;
    const float eps = 1e-3f;
    for (std::size_t i = 0; i < y.size(); ++i) {
        Tensor tmp;
        const float keep = y[i];
        y[i] = keep + eps;
        const double lp = mseOneHot(y, labels, tmp, 1.0f).sum * 0.5;
        y[i] = keep - eps;
        const double lm = mseOneHot(y, labels, tmp, 1.0f).sum * 0.5;
        y[i] = keep;
        worst = std::max(worst, gradcheck::relErr((lp - lm) / (2 * eps), g[i]));
    }
    qInfo("mse largest relative difference %.2e", worst);
    QVERIFY(worst < 2e-3);
}

void TestLayers::shapeMismatchIsReported()
{
    Dense d(3);
    d.setup({4, 1, 1});
    Tensor x(1, {5, 1, 1});
    try {
        d.forward(x, Mode::Infer);
        QFAIL("expected a ShapeError");
    } catch (const ShapeError& e) {
        QCOMPARE(QString(e.what()), QString("dense: expected input 4x1x1, got 5x1x1"));
    }
}

QTEST_APPLESS_MAIN(TestLayers)
#include "test_layers.moc"
