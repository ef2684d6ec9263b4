// The input gradient (nn/gradient.h) against finite differences of
// Model::logits, for every layer kind, in inference mode (batchnorm with its
// running statistics, dropout off), and on the shipped default model.
// Finite differences of Model::logits also prove that the unfused layer-by-
// layer Net the gradient runs on computes the same function as the fused
// inference Net. Registered once per CPU level (tests/CMakeLists.txt).
#include <nn/cpu.h>
#include <nn/errors.h>
#include <nn/gradient.h>
#include <nn/model.h>
#include <nn/serialize.h>
#include <nn/synth.h>
#include <nn/data/dataset.h>

#include <QTest>

#include <cmath>
#include <random>

namespace {

struct Check {
    double maxError = 0;  // largest |analytic - numeric| / max(1, |analytic| + |numeric|)
    int checked = 0;
    int kinks = 0;        // pixels skipped: a ReLU or max-pool kink within h
};

// s(x) = sum_k c_k z_k(x) for one sample, accumulated in double.
double scalar(const nn::Model& m, const std::vector<float>& x, const std::vector<float>& c)
{
    std::vector<float> z(static_cast<std::size_t>(m.outputs()));
    m.logits(x.data(), 1, z.data());
    double s = 0;
    for (std::size_t k = 0; k < z.size(); ++k)
        s += double(c[k]) * z[k];
    return s;
}

// Central differences at `count` pixels (all when count <= 0), in float
// inputs; h is large enough for float logits and small against the kinks'
// spacing of typical inputs.
Check checkGradient(const nn::Model& m, const std::vector<float>& x, const std::vector<float>& c, int count,
                    float h, std::uint64_t seed)
{
    nn::InputGradient ig(m);
    const int S = m.inputShape().size();
    std::vector<float> g(static_cast<std::size_t>(S)), z(static_cast<std::size_t>(m.outputs()));
    ig.compute(x.data(), 1, c.data(), z.data(), g.data());
    // The logits come out too, and equal the model's.
    std::vector<float> ref(std::size_t(m.outputs()));
    m.logits(x.data(), 1, ref.data());
    for (std::size_t k = 0; k < ref.size(); ++k)
        if (std::abs(ref[k] - z[k]) > 1e-4f * std::max(1.0f, std::abs(ref[k])))
            qFatal("logit %zu: %g from the gradient's net, %g from Model::logits", k, double(z[k]), double(ref[k]));
    std::vector<int> idx(static_cast<std::size_t>(S));
    for (int i = 0; i < S; ++i)
        idx[std::size_t(i)] = i;
    if (count > 0 && count < S) {
        std::shuffle(idx.begin(), idx.end(), std::mt19937_64(seed));
        idx.resize(std::size_t(count));
    }
    Check r;
    const double l0 = scalar(m, x, c);
    std::vector<float> xp = x;
    for (int i : idx) {
        xp[std::size_t(i)] = x[std::size_t(i)] + h;
        const double lp = scalar(m, xp, c);
        xp[std::size_t(i)] = x[std::size_t(i)] - h;
        const double lm = scalar(m, xp, c);
        xp[std::size_t(i)] = x[std::size_t(i)];
        // ReLU and max-pool make the logits piecewise linear; where a piece
        // ends within h of x (or two pooled values tie, as on a blank
        // background) the one-sided slopes differ and no derivative exists
        // to compare with. Such pixels are counted, not checked.
        const double dp = (lp - l0) / double(h), dm = (l0 - lm) / double(h);
        if (std::abs(dp - dm) > 2e-2 * std::max(1.0, std::abs(dp) + std::abs(dm))) {
            ++r.kinks;
            continue;
        }
        const double num = (lp - lm) / (2.0 * double(h));
        const double a = g[std::size_t(i)];
        const double e = std::abs(a - num) / std::max(1.0, std::abs(a) + std::abs(num));
        if (e > r.maxError) {
            r.maxError = e;
            if (e > 1e-2)
                qInfo("  x[%d]: analytic %.6f numeric %.6f", i, a, num);
        }
        ++r.checked;
    }
    return r;
}

// Statistics that differ from the initial (0, 1) ones, so that inference
// batchnorm is not the identity.
void setStatistics(nn::Model& m, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(0.2f, 1.5f);
    for (const nn::ParamView& v : m.paramViews()) {
        float* p = m.params().data() + v.offset;
        for (std::size_t i = 0; i < v.spec.size(); ++i) {
            if (v.spec.name == "running_mean")
                p[i] = u(rng) - 0.8f;
            else if (v.spec.name == "running_var")
                p[i] = u(rng);
            else if (v.spec.name == "gamma")
                p[i] = u(rng);
            else if (v.spec.name == "beta")
                p[i] = u(rng) - 0.8f;
        }
    }
}

}  // namespace

class TestInputGradient : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void everyLayerKind_data();
    void everyLayerKind();
    void defaultModel();
    void layerGradientIsTheBackwardOfTheRest();
    void trainingGradientsUnchanged();
    void errors();
};

void TestInputGradient::initTestCase() { qInfo("CPU level: %s", nn::cpu::levelName(nn::cpu::activeLevel())); }

void TestInputGradient::everyLayerKind_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("side");
    QTest::newRow("dense") << "dense 5" << 1 << 5;
    QTest::newRow("conv") << "conv 3 3 | dense 4" << 1 << 6;
    QTest::newRow("conv pad") << "conv 3 3 pad=1 | dense 4" << 1 << 6;
    QTest::newRow("conv stride") << "conv 3 3 stride=2 pad=1 | dense 4" << 1 << 7;
    QTest::newRow("conv 2 channels") << "conv 3 3 pad=1 | conv 2 3 | dense 3" << 2 << 6;
    QTest::newRow("relu") << "conv 3 3 pad=1 | relu | dense 4" << 1 << 6;
    QTest::newRow("sigmoid") << "dense 6 | sigmoid | dense 4" << 1 << 5;
    QTest::newRow("tanh") << "dense 6 | tanh | dense 4" << 1 << 5;
    QTest::newRow("maxpool") << "conv 3 3 pad=1 | maxpool 2 | dense 4" << 1 << 6;
    QTest::newRow("maxpool stride") << "conv 2 3 pad=1 | maxpool 3 stride=2 | dense 4" << 1 << 7;
    QTest::newRow("batchnorm") << "conv 3 3 pad=1 | batchnorm | dense 4" << 1 << 6;
    QTest::newRow("batchnorm dense") << "dense 6 | batchnorm | dense 4" << 1 << 5;
    QTest::newRow("dropout") << "dense 6 | relu | dropout 0.5 | dense 4" << 1 << 5;
    QTest::newRow("flatten") << "conv 2 3 | flatten | dense 4" << 1 << 6;
    // The patterns Model::logits fuses (conv|relu|maxpool, with batchnorm).
    QTest::newRow("fused") << "conv 4 3 pad=1 | relu | maxpool 2 | dense 3" << 1 << 8;
    QTest::newRow("fused bn") << "conv 4 3 pad=1 | batchnorm | relu | maxpool 2 | dense 3" << 1 << 8;
    QTest::newRow("28x28 conv") << "conv 4 5 pad=2 | dense 3" << 1 << 28;
    QTest::newRow("28x28 conv 32") << "conv 32 5 pad=2 | dense 3" << 1 << 28;
    QTest::newRow("conv conv") << "conv 4 3 pad=1 | conv 4 3 pad=1 | dense 3" << 1 << 8;
}

void TestInputGradient::everyLayerKind()
{
    QFETCH(QString, spec);
    QFETCH(int, channels);
    QFETCH(int, side);
    nn::Model m = nn::Model::fromSpec(spec.toStdString(), {channels, side, side}, 0);
    double worst = 0;
    int kinks = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        m.initialize(seed);
        setStatistics(m, seed + 10);
        std::mt19937_64 rng(seed * 31);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        std::normal_distribution<float> n(0.0f, 1.0f);
        std::vector<float> x(std::size_t(m.inputShape().size())), c(std::size_t(m.outputs()));
        for (float& v : x)
            v = u(rng);
        for (float& v : c)
            v = n(rng);
        const Check r = checkGradient(m, x, c, 0, 1e-3f, seed);
        QCOMPARE(r.checked + r.kinks, m.inputShape().size());
        QVERIFY2(r.kinks <= r.checked / 10, qPrintable(QString("%1 kinks, %2 checked").arg(r.kinks).arg(r.checked)));
        worst = std::max(worst, r.maxError);
        kinks += r.kinks;
    }
    qInfo("%s: largest relative difference %.2e (%d kinks skipped)", qPrintable(spec), worst, kinks);
    QVERIFY2(worst < 1e-2, qPrintable(QString("largest relative difference %1").arg(worst)));
}

// On a full-size network per-pixel differences drown in float rounding
// (a logit of 15 carries ~1e-5 of it, against a change of 3e-4 per pixel
// step), so the check is by directional derivatives: along the gradient
// itself (whose derivative is its norm, ~15 here) and along random unit
// directions, each moving all 784 pixels a little. The error is relative to
// |grad|.
void TestInputGradient::defaultModel()
{
    nn::Model random = nn::Model::fromSpec(nn::Model::presetSpec("cnn"));
    random.initialize(12);
    setStatistics(random, 13);
    const nn::Model shipped = nn::loadModel(DIGITPAD_SOURCE_DIR "/resources/models/default.dpm");
    const nn::Dataset digits = nn::synthesizeStyles(4, 5, 1);
    for (const nn::Model* m : std::initializer_list<const nn::Model*>{&shipped, &random}) {
        nn::InputGradient ig(*m);
        double worst = 0;
        int checked = 0;
        std::mt19937_64 rng(8);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (int i = 0; i < digits.size(); ++i) {
            std::vector<float> x(std::size_t(digits.pixels()));
            digits.imageAsFloat(i, x.data());
            // On a blank background pooled values tie (equal biases after the
            // ReLU), where the logits have no derivative (central differences
            // average the tied branches, backward takes the first); faint
            // noise, as a scanned page has, breaks the ties.
            for (float& v : x)
                v = std::min(1.0f, v + std::uniform_real_distribution<float>(0.0f, 0.05f)(rng));
            for (int k : {int(digits.labels[std::size_t(i)]), (digits.labels[std::size_t(i)] + 3) % 10}) {
                std::vector<float> c(10, 0.0f), g(x.size());
                c[std::size_t(k)] = 1.0f;
                ig.compute(x.data(), 1, c.data(), nullptr, g.data());
                double gn = 0;
                for (float v : g)
                    gn += double(v) * v;
                gn = std::sqrt(gn);
                QVERIFY(gn > 1e-3);
                for (int dir = 0; dir < 5; ++dir) {
                    std::vector<float> d(x.size());
                    if (dir == 0) {
                        for (std::size_t j = 0; j < d.size(); ++j)
                            d[j] = float(g[j] / gn);
                    } else {
                        double n2 = 0;
                        for (float& v : d) {
                            v = normal(rng);
                            n2 += double(v) * v;
                        }
                        for (float& v : d)
                            v = float(v / std::sqrt(n2));
                    }
                    const float h = 1e-3f;
                    std::vector<float> xp(x.size()), xm(x.size());
                    double gd = 0;
                    for (std::size_t j = 0; j < x.size(); ++j) {
                        xp[j] = x[j] + h * d[j];
                        xm[j] = x[j] - h * d[j];
                        gd += double(g[j]) * d[j];
                    }
                    const double num = (scalar(*m, xp, c) - scalar(*m, xm, c)) / (2.0 * h);
                    const double e = std::abs(num - gd) / gn;
                    if (e > 1e-2)
                        qInfo("  digit %d, logit %d, direction %d: analytic %.5f numeric %.5f (|g| %.4f)", i, k, dir,
                              gd, num, gn);
                    if (dir == 0)
                        QVERIFY(std::abs(gd - gn) < 1e-3 * gn);
                    worst = std::max(worst, e);
                    ++checked;
                }
            }
        }
        qInfo("%s: largest |numeric - analytic| / |grad| %.2e over %d directional derivatives",
              m == &shipped ? "shipped default model" : "default CNN, random weights", worst, checked);
        QVERIFY(worst < 1e-2);
    }
}

// Grad-CAM's feature gradient: the gradient at a layer's output, pushed
// through that layer's and the layers' below backward by hand (here: the
// first dense layer's weights), equals the input gradient.
void TestInputGradient::layerGradientIsTheBackwardOfTheRest()
{
    nn::Model m = nn::Model::fromSpec("dense 6 | relu | dense 3", {1, 3, 3}, 0);
    m.initialize(4);
    std::vector<float> x(9);
    for (int i = 0; i < 9; ++i)
        x[std::size_t(i)] = float(i % 4) / 3.0f;
    const std::vector<float> c = {0.5f, -1.0f, 2.0f};
    nn::InputGradient ig(m);
    const nn::InputGradient::Features f = ig.layerGradient(x.data(), c.data(), 0);  // at "dense 6"'s output
    QCOMPARE(f.shape.size(), 6);
    // Activations: W1 x + b1.
    const float* w1 = m.params().data() + m.paramViews()[0].offset;
    const float* b1 = m.params().data() + m.paramViews()[1].offset;
    for (int j = 0; j < 6; ++j) {
        double a = b1[j];
        for (int i = 0; i < 9; ++i)
            a += double(w1[j * 9 + i]) * x[std::size_t(i)];
        QVERIFY(std::abs(a - f.activations[std::size_t(j)]) < 1e-5);
    }
    std::vector<float> g(9);
    ig.compute(x.data(), 1, c.data(), nullptr, g.data());
    for (int i = 0; i < 9; ++i) {
        double s = 0;
        for (int j = 0; j < 6; ++j)
            s += double(w1[j * 9 + i]) * f.gradients[std::size_t(j)];
        QVERIFY2(std::abs(s - g[std::size_t(i)]) < 1e-5, qPrintable(QString::number(i)));
    }
    // The last layer's output gradient is the seed itself.
    const nn::InputGradient::Features top = ig.layerGradient(x.data(), c.data(), 2);
    QCOMPARE(top.gradients, c);
}

// Training-mode forward/backward on a Net is unchanged by the input-gradient
// option: the parameter gradients are identical with and without it.
void TestInputGradient::trainingGradientsUnchanged()
{
    nn::Model m = nn::Model::fromSpec("conv 3 3 pad=1 | batchnorm | relu | maxpool 2 | dense 4", {1, 6, 6}, 0);
    m.initialize(9);
    nn::Tensor x(4, m.inputShape());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float((i * 37) % 11) / 10.0f;
    std::vector<float> grads[2];
    for (int on = 0; on < 2; ++on) {
        nn::Net net(m, false);
        net.setInputGradientNeeded(on == 1);
        const nn::Tensor& z = net.forward(x, nn::Mode::Train);
        nn::Tensor dz(z.n(), z.shape());
        for (std::size_t i = 0; i < dz.size(); ++i)
            dz[i] = float(i % 3) - 1.0f;
        net.backward(dz);
        grads[on] = net.grads();
    }
    // The first convolution takes another lowering when dx is needed (im2col
    // instead of the direct kernel): the same sums in another order.
    QCOMPARE(grads[0].size(), grads[1].size());
    double worst = 0;
    for (std::size_t i = 0; i < grads[0].size(); ++i)
        worst = std::max(worst, double(std::abs(grads[0][i] - grads[1][i])) /
                                    std::max(1.0, double(std::abs(grads[0][i]))));
    qInfo("largest difference of the parameter gradients: %.2e", worst);
    QVERIFY(worst < 1e-5);
}

void TestInputGradient::errors()
{
    nn::Model m = nn::Model::fromSpec("dense 3", {1, 2, 2}, 0);
    nn::InputGradient ig(m);
    std::vector<float> x(4, 0.5f), g(4);
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, ig.logitGradient(x.data(), 3, g.data()));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, ig.layerGradient(x.data(), x.data(), 1));
}

QTEST_APPLESS_MAIN(TestInputGradient)
#include "test_input_gradient.moc"
