// The fused conv+relu+maxpool layer that Net substitutes for "conv | relu |
// maxpool 2": its gradients against finite differences, and whole Nets with
// and without fusion agreeing on outputs and gradients.
#include "gradcheck.h"

#include <nn/layers/activation.h>
#include <nn/layers/fused.h>
#include <nn/layers/maxpool2d.h>
#include <nn/loss.h>
#include <nn/model.h>

#include <QtTest>

#include <random>

using namespace nn;

class TestFused : public QObject {
    Q_OBJECT
private slots:
    void gradients_data();
    void gradients();
    void sameAsSeparateLayers_data() { gradients_data(); }
    void sameAsSeparateLayers();
    void netUsesFusedLayer();
    void fusedNetMatchesLayerByLayer_data();
    void fusedNetMatchesLayerByLayer();
    void foldedBatchNormMatchesLayers_data();
    void foldedBatchNormMatchesLayers();
    void foldedBatchNormIsInferenceOnly();
    void modelLogitsFollowWeightChanges();
};

void TestFused::gradients_data()
{
    QTest::addColumn<int>("filters");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("pad");
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::addColumn<int>("n");
    QTest::newRow("3x3 even output") << 3 << 3 << 1 << 0 << 2 << 6 << 6 << 3;
    QTest::newRow("5x5 pad2 odd output") << 2 << 5 << 1 << 2 << 1 << 7 << 7 << 2;
    QTest::newRow("non-square, odd width") << 2 << 3 << 1 << 1 << 2 << 6 << 9 << 2;
    QTest::newRow("stride 2") << 3 << 3 << 2 << 1 << 2 << 9 << 9 << 2;
    QTest::newRow("wide rows (masked tails)") << 2 << 3 << 1 << 1 << 1 << 4 << 40 << 2;
    QTest::newRow("many images per GEMM") << 2 << 3 << 1 << 0 << 1 << 6 << 6 << 9;
    QTest::newRow("one channel, many filters (direct path blocks)") << 11 << 5 << 1 << 2 << 1 << 7 << 9 << 3;
}

namespace {
// Central differences of L = sum(y .* r). ReLU and max are piecewise linear:
// where a +-eps step crosses a kink the difference quotient is meaningless, so
// each element is probed with eps and eps/2 and skipped when the two disagree
// (a smooth point gives the same slope at both steps). At most a quarter of
// the elements may be skipped; sameAsSeparateLayers checks every element exactly.
struct Probe {
    Layer& layer;
    const Tensor& x;
    const std::vector<float>& r;
    double operator()() const
    {
        const Tensor& y = layer.forward(x, Mode::Train);
        double l = 0;
        for (std::size_t i = 0; i < y.size(); ++i)
            l += double(y[i]) * r[i];
        return l;
    }
};

struct FdResult {
    double worst = 0;
    int checked = 0, skipped = 0;
};

void fdCheck(float& v, double analytic, const Probe& probe, FdResult& res)
{
    auto slope = [&](float eps) {
        const float keep = v;
        v = keep + eps;
        const double lp = probe();
        v = keep - eps;
        const double lm = probe();
        v = keep;
        return (lp - lm) / (2.0 * double(eps));
    };
    const double a = slope(2e-3f), b = slope(1e-3f);
    if (gradcheck::relErr(a, b) > 2e-3) {
        ++res.skipped;
        return;
    }
    res.worst = std::max(res.worst, gradcheck::relErr(a, analytic));
    ++res.checked;
}
}  // namespace

void TestFused::gradients()
{
    QFETCH(int, filters);
    QFETCH(int, k);
    QFETCH(int, stride);
    QFETCH(int, pad);
    QFETCH(int, c);
    QFETCH(int, h);
    QFETCH(int, w);
    QFETCH(int, n);
    for (bool needDx : {true, false}) {
        ConvReluPool layer(Conv2D(filters, k, stride, pad));
        layer.setInputGradientNeeded(needDx);
        const Shape3 out = layer.setup({c, h, w});
        std::mt19937_64 rng(42);
        std::normal_distribution<float> N(0.0f, 1.0f);
        std::size_t pcount = 0;
        for (const auto& p : layer.params())
            pcount += p.size();
        std::vector<float> values(pcount), grads(pcount, 0.0f);
        for (auto& v : values)
            v = 0.5f * N(rng);
        layer.bind(values.data(), grads.data());
        Tensor x(n, {c, h, w});
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = N(rng);
        std::vector<float> r(std::size_t(n) * out.size());
        for (auto& v : r)
            v = N(rng);
        layer.forward(x, Mode::Train);
        Tensor dy(n, out);
        std::copy(r.begin(), r.end(), dy.data());
        const Tensor dx = layer.backward(dy);
        const std::vector<float> analytic = grads;
        const Probe probe{layer, x, r};
        FdResult in, par;
        if (needDx)
            for (std::size_t i = 0; i < x.size(); ++i)
                fdCheck(x[i], dx[i], probe, in);
        for (std::size_t i = 0; i < values.size(); ++i)
            fdCheck(values[i], analytic[i], probe, par);
        qInfo("dx %s: input %.2e (%d checked, %d at kinks), params %.2e (%d checked, %d at kinks)",
              needDx ? "on" : "off", in.worst, in.checked, in.skipped, par.worst, par.checked, par.skipped);
        QVERIFY2(par.worst < 5e-3, qPrintable(QString("parameter gradient error %1").arg(par.worst)));
        QVERIFY(par.checked > 0 && par.skipped * 4 <= par.checked + par.skipped);
        if (needDx) {
            QVERIFY2(in.worst < 5e-3, qPrintable(QString("input gradient error %1").arg(in.worst)));
            QVERIFY(in.checked > 0 && in.skipped * 4 <= in.checked + in.skipped);
        }
    }
}

// Bit for bit the same as conv, relu and maxpool 2 run one after the other.
void TestFused::sameAsSeparateLayers()
{
    QFETCH(int, filters);
    QFETCH(int, k);
    QFETCH(int, stride);
    QFETCH(int, pad);
    QFETCH(int, c);
    QFETCH(int, h);
    QFETCH(int, w);
    QFETCH(int, n);
    Conv2D conv(filters, k, stride, pad);
    ConvReluPool fused(conv);
    ReLU relu;
    MaxPool2D pool(2);
    const Shape3 in{c, h, w};
    const Shape3 co = conv.setup(in);
    relu.setup(co);
    const Shape3 po = pool.setup(co);
    QCOMPARE(fused.setup(in), po);
    std::size_t np = 0;
    for (const auto& p : conv.params())
        np += p.size();
    std::vector<float> v(np), g1(np, 0.0f), g2(np, 0.0f);
    std::mt19937 rng(1);
    std::normal_distribution<float> N;
    for (auto& e : v)
        e = N(rng);
    conv.bind(v.data(), g1.data());
    fused.bind(v.data(), g2.data());
    Tensor x(n, in);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = N(rng);
    for (Mode mode : {Mode::Infer, Mode::Train}) {
        const Tensor& y1 = pool.forward(relu.forward(conv.forward(x, mode), mode), mode);
        const Tensor& y2 = fused.forward(x, mode);
        QCOMPARE(y1.size(), y2.size());
        for (std::size_t i = 0; i < y1.size(); ++i)
            QCOMPARE(y1[i], y2[i]);
    }
    Tensor dy(n, po);
    for (std::size_t i = 0; i < dy.size(); ++i)
        dy[i] = N(rng);
    const Tensor& dx1 = conv.backward(relu.backward(pool.backward(dy)));
    const Tensor& dx2 = fused.backward(dy);
    for (std::size_t i = 0; i < dx1.size(); ++i)
        QCOMPARE(dx1[i], dx2[i]);
    for (std::size_t i = 0; i < np; ++i)
        QCOMPARE(g1[i], g2[i]);
}

void TestFused::netUsesFusedLayer()
{
    Model m = Model::fromSpec(Model::presetSpec("lenet5"));
    Net fused(m), plain(m, false);
    QCOMPARE(int(fused.layers().size()), 7);  // 2 fused + dense relu dense relu dense
    QCOMPARE(QString::fromStdString(fused.layers()[0]->kind()), QString("conv+relu+maxpool"));
    QCOMPARE(QString::fromStdString(fused.layers()[1]->kind()), QString("conv+relu+maxpool"));
    QCOMPARE(int(plain.layers().size()), 11);
    // Not fusable: batchnorm between conv and relu, or a 3x3 pool.
    Model cnn = Model::fromSpec(Model::presetSpec("cnn"));
    QCOMPARE(Net(cnn).layers().size(), Net(cnn, false).layers().size());
    Model p3 = Model::fromSpec("conv 4 3 | relu | maxpool 3 | dense 10");
    QCOMPARE(Net(p3).layers().size(), std::size_t(4));
    // For inference, the batchnorm is folded: 2 fused + dense relu dropout dense.
    Net infer(cnn, true, Net::Use::Infer);
    QCOMPARE(int(infer.layers().size()), 6);
    QCOMPARE(QString::fromStdString(infer.layers()[0]->kind()), QString("conv+batchnorm+relu+maxpool"));
    QCOMPARE(QString::fromStdString(infer.layers()[1]->kind()), QString("conv+batchnorm+relu+maxpool"));
    QCOMPARE(QString::fromStdString(infer.layers()[2]->kind()), QString("dense"));
    QCOMPARE(Net(cnn, false, Net::Use::Infer).layers().size(), std::size_t(12));
}

namespace {
// Random weights and biases, and batchnorm parameters far from the
// identity: gamma of both signs (a negative scale turns the pool's max into
// a min of the convolution), beta, running means and variances.
void randomizeWithStatistics(Model& m, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> U(-1.0f, 1.0f), V(0.05f, 3.0f);
    m.initialize(seed);
    for (const ParamView& v : m.paramViews()) {
        float* p = m.params().data() + v.offset;
        const std::size_t n = v.spec.size();
        const std::string& name = v.spec.name;
        for (std::size_t i = 0; i < n; ++i) {
            if (name == "gamma")
                p[i] = (i % 3 == 1 ? -1.0f : 1.0f) * V(rng);
            else if (name == "running_var")
                p[i] = V(rng);
            else if (name == "beta" || name == "running_mean" || name == "bias")
                p[i] = 0.5f * U(rng);
        }
    }
}

double largestDifference(const Tensor& a, const Tensor& b, double* scale)
{
    double worst = 0, big = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
        big = std::max(big, double(std::abs(b[i])));
    }
    *scale = big;
    return worst;
}
}  // namespace

void TestFused::foldedBatchNormMatchesLayers_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("n");
    QTest::newRow("cnn") << Model::presetSpec("cnn").c_str() << 5;
    QTest::newRow("odd shapes, stride 2")
        << "conv 3 3 pad=1 | batchnorm | relu | maxpool 2 | conv 5 3 stride=2 | batchnorm | relu | maxpool 2 | dense 10"
        << 3;
    QTest::newRow("many images per GEMM") << "conv 4 3 | batchnorm | relu | maxpool 2 | dense 10" << 40;
}

// The folded conv+batchnorm+relu+maxpool against the four layers one by one,
// both in inference mode, on weights and statistics that make every term count.
void TestFused::foldedBatchNormMatchesLayers()
{
    QFETCH(QString, spec);
    QFETCH(int, n);
    Model m = Model::fromSpec(spec.toStdString());
    randomizeWithStatistics(m, 5);
    Net folded(m, true, Net::Use::Infer), plain(m, false);
    QVERIFY(folded.layers().size() < plain.layers().size());
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> U(0.0f, 1.0f);
    Tensor x(n, m.inputShape());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = U(rng);
    // Layer by layer: the first folded layer's output against the plain
    // layers' after the pool, then the logits.
    const Tensor& y0 = folded.layers()[0]->forward(x, Mode::Infer);
    const Tensor* cur = &x;
    for (int i = 0; i < 4; ++i)
        cur = &plain.layers()[std::size_t(i)]->forward(*cur, Mode::Infer);
    QCOMPARE(y0.size(), cur->size());
    double scale = 0;
    double worst = largestDifference(y0, *cur, &scale);
    QVERIFY(scale > 0.1);  // not all clipped by the ReLU
    QVERIFY2(worst <= 1e-5 * std::max(1.0, scale), qPrintable(QString("first layer: difference %1 at scale %2").arg(worst).arg(scale)));

    const Tensor a = folded.forward(x, Mode::Infer);
    const Tensor b = plain.forward(x, Mode::Infer);
    QCOMPARE(a.size(), b.size());
    worst = largestDifference(a, b, &scale);
    QVERIFY2(worst <= 1e-5 * std::max(1.0, scale), qPrintable(QString("logits: difference %1 at scale %2").arg(worst).arg(scale)));
}

void TestFused::foldedBatchNormIsInferenceOnly()
{
    Model m = Model::fromSpec(Model::presetSpec("cnn"));
    Net folded(m, true, Net::Use::Infer);
    Tensor x(2, m.inputShape());
    x.setZero();
    try {
        folded.forward(x, Mode::Train);
        QFAIL("a training forward through the folded batchnorm did not throw");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("inference"), e.what());
    }
}

// Model::logits' pooled Nets fold the batchnorm from the current values on
// every call: changing the weights or statistics changes the answer at once.
void TestFused::modelLogitsFollowWeightChanges()
{
    Model m = Model::fromSpec(Model::presetSpec("cnn"));
    Tensor x(3, m.inputShape());
    std::mt19937 rng(4);
    std::uniform_real_distribution<float> U(0.0f, 1.0f);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = U(rng);
    std::vector<float> out(3 * 10);
    for (std::uint32_t seed : {1u, 2u}) {
        randomizeWithStatistics(m, seed);
        m.logits(x.data(), 3, out.data());  // the second time with a pooled Net
        Net plain(m, false);
        const Tensor& b = plain.forward(x, Mode::Infer);
        double worst = 0, big = 0;
        for (std::size_t i = 0; i < out.size(); ++i) {
            worst = std::max(worst, double(std::abs(out[i] - b[i])));
            big = std::max(big, double(std::abs(b[i])));
        }
        QVERIFY2(worst <= 1e-5 * std::max(1.0, big), qPrintable(QString("seed %1: difference %2").arg(seed).arg(worst)));
    }
}

void TestFused::fusedNetMatchesLayerByLayer_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("n");
    QTest::newRow("lenet5") << Model::presetSpec("lenet5").c_str() << 5;
    QTest::newRow("ref") << Model::presetSpec("ref").c_str() << 4;
    QTest::newRow("odd") << "conv 3 3 pad=1 | relu | maxpool 2 | conv 5 3 stride=2 | relu | maxpool 2 | dense 10" << 3;
}

void TestFused::fusedNetMatchesLayerByLayer()
{
    QFETCH(QString, spec);
    QFETCH(int, n);
    Model m = Model::fromSpec(spec.toStdString());
    m.initialize(7);
    Net fused(m), plain(m, false);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> U(0.0f, 1.0f);
    Tensor x(n, m.inputShape());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = U(rng);
    std::vector<std::uint8_t> labels(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        labels[std::size_t(i)] = std::uint8_t(i % 10);

    // Inference.
    {
        const Tensor a = fused.forward(x, Mode::Infer);
        const Tensor b = plain.forward(x, Mode::Infer);
        QCOMPARE(a.size(), b.size());
        double worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, double(std::abs(a[i] - b[i])));
        QVERIFY2(worst < 1e-4, qPrintable(QString("largest logit difference %1").arg(worst)));
    }
    // Training: same seed for dropout, same gradients.
    fused.setSeed(11);
    plain.setSeed(11);
    fused.zeroGrads();
    plain.zeroGrads();
    Tensor ga, gb;
    softmaxCrossEntropy(fused.forward(x, Mode::Train), labels.data(), ga, 1.0f / float(n));
    softmaxCrossEntropy(plain.forward(x, Mode::Train), labels.data(), gb, 1.0f / float(n));
    fused.backward(ga);
    plain.backward(gb);
    double worst = 0;
    for (std::size_t i = 0; i < fused.grads().size(); ++i) {
        const double a = fused.grads()[i], b = plain.grads()[i];
        worst = std::max(worst, std::abs(a - b) / std::max(1e-3, std::abs(a) + std::abs(b)));
    }
    QVERIFY2(worst < 1e-3, qPrintable(QString("largest relative gradient difference %1").arg(worst)));
}

QTEST_APPLESS_MAIN(TestFused)
#include "test_fused.moc"
