// Optimizer updates against hand-computed values, and learning-rate schedules.
#include <nn/optim.h>

#include <QtTest>

#include <cmath>

using namespace nn;

class TestOptim : public QObject {
    Q_OBJECT
private slots:
    void sgdMomentum();
    void sgdNesterov();
    void sgdWeightDecaySkipsBiases();
    void adamFirstSteps();
    void adamwDecoupledDecay();
    void rmspropFirstSteps();
    void rmspropMomentum();
    void l1OnWeightsOnly();
    void l1WithEveryOptimizer();
    void statisticsAreNotTrained();
    void schedules();
    void plateauReducesAfterPatience();
    void warmup();
    void parseNames();
    void minimisesAQuadratic();
};

namespace {
Model tiny() { return Model::fromSpec("dense 1", {1, 1, 1}, 1); }  // params: w, b
}

void TestOptim::sgdMomentum()
{
    Model m = tiny();
    m.params() = {1.0f, 0.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::SGD;
    c.momentum = 0.9f;
    Optimizer o(m, c);
    o.step(m.params(), {0.5f, 1.0f}, 0.1f);  // v = 0.5 -> w = 1 - 0.05
    QCOMPARE(m.params()[0], 0.95f);
    QCOMPARE(m.params()[1], -0.1f);
    o.step(m.params(), {0.5f, 1.0f}, 0.1f);  // v = 0.9*0.5 + 0.5 = 0.95 -> w = 0.95 - 0.095
    QVERIFY(std::abs(m.params()[0] - 0.855f) < 1e-6f);
}

void TestOptim::sgdNesterov()
{
    Model m = tiny();
    m.params() = {1.0f, 0.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::SGD;
    c.nesterov = true;
    c.momentum = 0.9f;
    Optimizer o(m, c);
    o.step(m.params(), {0.5f, 0.0f}, 0.1f);  // v = 0.5; step = g + mu v = 0.95
    QVERIFY(std::abs(m.params()[0] - (1.0f - 0.095f)) < 1e-6f);
}

void TestOptim::sgdWeightDecaySkipsBiases()
{
    Model m = tiny();
    m.params() = {2.0f, 2.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::SGD;
    c.momentum = 0.0f;
    c.weightDecay = 0.1f;
    Optimizer o(m, c);
    o.step(m.params(), {0.0f, 0.0f}, 1.0f);
    QVERIFY(std::abs(m.params()[0] - 1.8f) < 1e-6f);  // w -= lr * wd * w
    QCOMPARE(m.params()[1], 2.0f);                     // bias: no decay
}

void TestOptim::adamFirstSteps()
{
    Model m = tiny();
    m.params() = {1.0f, 1.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::Adam;
    Optimizer o(m, c);
    // The first Adam step moves each parameter by lr * sign(g) (bias-corrected m/sqrt(v) = +-1).
    o.step(m.params(), {0.3f, -2.0f}, 0.01f);
    QVERIFY(std::abs(m.params()[0] - 0.99f) < 1e-5f);
    QVERIFY(std::abs(m.params()[1] - 1.01f) < 1e-5f);
    // Second step with g = 0.1 after 0.3: m = 0.9*0.03 + 0.01 = 0.037 ; v = 0.999*0.00009 + 0.00001
    o.step(m.params(), {0.1f, 0.0f}, 0.01f);
    const double mhat = (0.9 * 0.03 + 0.1 * 0.1) / (1 - 0.81);
    const double vhat = (0.999 * 0.001 * 0.09 + 0.001 * 0.01) / (1 - 0.998001);
    QVERIFY(std::abs(m.params()[0] - (0.99 - 0.01 * mhat / (std::sqrt(vhat) + 1e-8))) < 1e-5);
}

void TestOptim::adamwDecoupledDecay()
{
    Model m = tiny();
    m.params() = {1.0f, 1.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::AdamW;
    c.weightDecay = 0.5f;
    Optimizer o(m, c);
    o.step(m.params(), {0.0f, 0.0f}, 0.1f);  // zero gradient: only the decoupled decay acts
    QVERIFY(std::abs(m.params()[0] - 0.95f) < 1e-6f);
    QCOMPARE(m.params()[1], 1.0f);
    // Coupled L2 in Adam with zero gradient moves by lr * sign(wd * w) instead.
    Model m2 = tiny();
    m2.params() = {1.0f, 1.0f};
    c.kind = OptimizerConfig::Adam;
    Optimizer o2(m2, c);
    o2.step(m2.params(), {0.0f, 0.0f}, 0.1f);
    QVERIFY(std::abs(m2.params()[0] - 0.9f) < 1e-5f);
}

void TestOptim::rmspropFirstSteps()
{
    Model m = tiny();
    m.params() = {1.0f, 1.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::RMSprop;
    c.momentum = OptimizerConfig::defaultMomentum(c.kind);
    QCOMPARE(c.momentum, 0.0f);
    c.rho = 0.9f;
    c.eps = 1e-8f;
    Optimizer o(m, c);
    // v = 0.1 g^2, so the first step is lr * g / (sqrt(0.1) |g|) = lr / sqrt(0.1) * sign(g).
    o.step(m.params(), {0.4f, -2.0f}, 0.01f);
    const double s1 = 0.01 / std::sqrt(0.1);
    QVERIFY(std::abs(m.params()[0] - (1.0 - s1)) < 1e-6);
    QVERIFY(std::abs(m.params()[1] - (1.0 + s1)) < 1e-6);
    // Second step, w: g = 0.2: v = 0.9 * 0.016 + 0.1 * 0.04 = 0.0184.
    o.step(m.params(), {0.2f, 0.0f}, 0.01f);
    const double w2 = 1.0 - s1 - 0.01 * 0.2 / (std::sqrt(0.9 * 0.016 + 0.1 * 0.04) + 1e-8);
    QVERIFY2(std::abs(m.params()[0] - w2) < 1e-6, qPrintable(QString::number(m.params()[0] - w2)));
    // b: g = 0 leaves it where it was (v decays, the step is 0).
    QVERIFY(std::abs(m.params()[1] - (1.0 + s1)) < 1e-6);
    QCOMPARE(o.secondMoment().size(), std::size_t(2));
    QVERIFY(std::abs(o.secondMoment()[0] - float(0.9 * 0.016 + 0.1 * 0.04)) < 1e-8f);
}

void TestOptim::rmspropMomentum()
{
    Model m = tiny();
    m.params() = {1.0f, 0.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::RMSprop;
    c.momentum = 0.5f;
    c.rho = 0.5f;
    c.eps = 0.0f;
    Optimizer o(m, c);
    // Step 1: v = 0.5 * 1 = 0.5, s = 1 / sqrt(0.5), b = s.
    o.step(m.params(), {1.0f, 0.0f}, 0.1f);
    const double sA = 1.0 / std::sqrt(0.5);
    QVERIFY(std::abs(m.params()[0] - (1.0 - 0.1 * sA)) < 1e-6);
    // Step 2: v = 0.25 + 0.5 = 0.75, s = 1 / sqrt(0.75), b = 0.5 sA + s.
    o.step(m.params(), {1.0f, 0.0f}, 0.1f);
    const double b2 = 0.5 * sA + 1.0 / std::sqrt(0.75);
    QVERIFY(std::abs(m.params()[0] - (1.0 - 0.1 * sA - 0.1 * b2)) < 1e-6);
    QVERIFY(std::abs(o.firstMoment()[0] - float(b2)) < 1e-6f);
}

void TestOptim::l1OnWeightsOnly()
{
    // Plain SGD: w -= lr * l1 * sign(w); the bias is not regularised; a weight at 0 stays.
    Model m = tiny();
    m.params() = {2.0f, 2.0f};
    OptimizerConfig c;
    c.kind = OptimizerConfig::SGD;
    c.momentum = 0.0f;
    c.l1 = 0.3f;
    Optimizer o(m, c);
    o.step(m.params(), {0.0f, 0.0f}, 1.0f);
    QVERIFY(std::abs(m.params()[0] - 1.7f) < 1e-6f);
    QCOMPARE(m.params()[1], 2.0f);
    m.params() = {-2.0f, 0.0f};
    o.step(m.params(), {0.0f, 0.0f}, 1.0f);
    QVERIFY(std::abs(m.params()[0] + 1.7f) < 1e-6f);
    m.params() = {0.0f, 0.0f};
    o.step(m.params(), {0.0f, 0.0f}, 1.0f);
    QCOMPARE(m.params()[0], 0.0f);
    // L1 and L2 together: g = l1 sign(w) + wd w.
    Model m2 = tiny();
    m2.params() = {2.0f, 0.0f};
    c.weightDecay = 0.1f;
    Optimizer o2(m2, c);
    o2.step(m2.params(), {0.5f, 0.0f}, 0.1f);
    QVERIFY(std::abs(m2.params()[0] - (2.0f - 0.1f * (0.5f + 0.3f + 0.2f))) < 1e-6f);
}

void TestOptim::l1WithEveryOptimizer()
{
    // With a zero data gradient, L1 alone moves the weight toward 0 (and never the bias).
    // Adam's first step with g = l1 sign(w) is lr * sign(w); RMSprop's is lr / sqrt(1 - rho).
    for (auto kind : {OptimizerConfig::Adam, OptimizerConfig::AdamW, OptimizerConfig::RMSprop}) {
        Model m = tiny();
        m.params() = {1.0f, 1.0f};
        OptimizerConfig c;
        c.kind = kind;
        c.momentum = OptimizerConfig::defaultMomentum(kind);
        c.l1 = 0.01f;
        Optimizer o(m, c);
        o.step(m.params(), {0.0f, 0.0f}, 0.01f);
        const double expected = kind == OptimizerConfig::RMSprop ? 1.0 - 0.01 / std::sqrt(1.0 - c.rho) : 0.99;
        const QString name = QString::fromStdString(OptimizerConfig::kindName(kind));
        QVERIFY2(std::abs(m.params()[0] - expected) < 1e-5, qPrintable(name));
        QVERIFY2(m.params()[1] == 1.0f, qPrintable(name));
    }
}

void TestOptim::statisticsAreNotTrained()
{
    Model m = Model::fromSpec("batchnorm | dense 2", {2, 1, 1}, 2);
    std::vector<float> before = m.params();
    Optimizer o(m, {});
    std::vector<float> g(m.params().size(), 1.0f);
    o.step(m.params(), g, 0.1f);
    for (const auto& v : m.paramViews()) {
        const bool changed = m.params()[v.offset] != before[v.offset];
        QCOMPARE(changed, v.spec.kind != ParamSpec::Stat);
    }
}

void TestOptim::schedules()
{
    ScheduleConfig c;
    c.kind = ScheduleConfig::Step;
    c.stepEpochs = 2;
    c.gamma = 0.1f;
    LrSchedule step(c, 1.0f, 10);
    QCOMPARE(step.lr(0.0, 0), 1.0f);
    QCOMPARE(step.lr(1.9, 0), 1.0f);
    QVERIFY(std::abs(step.lr(2.0, 0) - 0.1f) < 1e-7f);
    QVERIFY(std::abs(step.lr(5.5, 0) - 0.01f) < 1e-8f);

    c.kind = ScheduleConfig::Cosine;
    c.minLr = 0.0f;
    LrSchedule cosine(c, 1.0f, 4);
    QCOMPARE(cosine.lr(0.0, 0), 1.0f);
    QVERIFY(std::abs(cosine.lr(2.0, 0) - 0.5f) < 1e-6f);
    QVERIFY(std::abs(cosine.lr(4.0, 0)) < 1e-6f);

    c.kind = ScheduleConfig::Constant;
    LrSchedule constant(c, 0.3f, 4);
    QCOMPARE(constant.lr(3.7, 100), 0.3f);
}

void TestOptim::plateauReducesAfterPatience()
{
    ScheduleConfig c;
    c.kind = ScheduleConfig::Plateau;
    c.patience = 1;
    c.factor = 0.5f;
    LrSchedule s(c, 1.0f, 10);
    s.epochEnd(1.0);
    QCOMPARE(s.lr(1, 0), 1.0f);
    s.epochEnd(1.0);  // one bad epoch: within patience
    QCOMPARE(s.lr(2, 0), 1.0f);
    s.epochEnd(1.1);  // second bad epoch: reduce
    QCOMPARE(s.lr(3, 0), 0.5f);
    s.epochEnd(0.5);
    QCOMPARE(s.lr(4, 0), 0.5f);
}

void TestOptim::warmup()
{
    ScheduleConfig c;
    c.warmupBatches = 4;
    LrSchedule s(c, 1.0f, 1);
    QCOMPARE(s.lr(0, 0), 0.25f);
    QCOMPARE(s.lr(0, 3), 1.0f);
    QCOMPARE(s.lr(0, 10), 1.0f);
}

void TestOptim::parseNames()
{
    QCOMPARE(OptimizerConfig::parseKind("adamw"), OptimizerConfig::AdamW);
    QCOMPARE(OptimizerConfig::parseKind("rmsprop"), OptimizerConfig::RMSprop);
    QCOMPARE(OptimizerConfig::kindName(OptimizerConfig::RMSprop), std::string("rmsprop"));
    QCOMPARE(ScheduleConfig::parseKind("cosine"), ScheduleConfig::Cosine);
    try {
        OptimizerConfig::parseKind("adagrad");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(QString(e.what()), QString("unknown optimizer 'adagrad' (known: sgd, adam, adamw, rmsprop)"));
    }
    try {
        ScheduleConfig::parseKind("linear");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(QString(e.what()), QString("unknown schedule 'linear' (known: constant, step, cosine, plateau)"));
    }
}

void TestOptim::minimisesAQuadratic()
{
    // f(w, b) = (w - 3)^2 + (b + 1)^2 for each optimizer.
    for (auto kind : {OptimizerConfig::SGD, OptimizerConfig::Adam, OptimizerConfig::AdamW, OptimizerConfig::RMSprop}) {
        Model m = tiny();
        m.params() = {0.0f, 0.0f};
        OptimizerConfig c;
        c.kind = kind;
        c.nesterov = kind == OptimizerConfig::SGD;
        c.momentum = OptimizerConfig::defaultMomentum(kind);
        Optimizer o(m, c);
        for (int i = 0; i < 2000; ++i) {
            const auto& p = m.params();
            o.step(m.params(), {2 * (p[0] - 3), 2 * (p[1] + 1)}, kind == OptimizerConfig::SGD ? 0.01f : kind == OptimizerConfig::RMSprop ? 0.005f : 0.05f);
        }
        QVERIFY2(std::abs(m.params()[0] - 3) < 1e-2 && std::abs(m.params()[1] + 1) < 1e-2,
                 qPrintable(QString::fromStdString(OptimizerConfig::kindName(kind))));
    }
}

QTEST_APPLESS_MAIN(TestOptim)
#include "test_optim.moc"
