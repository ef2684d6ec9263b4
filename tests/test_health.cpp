// Training health (nn/health.h): histograms, per-layer gradient norms and
// weight RMS against hand-computed values, dead-ReLU fractions on a model
// whose units are built to fire or not, and the trainer handing health out
// with its batch reports (only when asked), including a network whose ReLUs
// were killed on purpose.
#include "fixtures.h"

#include <nn/errors.h>
#include <nn/health.h>
#include <nn/model.h>
#include <nn/trainer.h>

#include <QTest>

#include <cmath>

namespace {

float* param(nn::Model& m, const std::string& name)
{
    for (const nn::ParamView& v : m.paramViews())
        if (v.name == name)
            return m.params().data() + v.offset;
    qFatal("no parameter %s", name.c_str());
    return nullptr;
}

nn::Dataset tinyImages()
{
    nn::Dataset d;
    d.rows = d.cols = 2;
    d.images = {255, 0, 0, 0, /**/ 0, 255, 0, 0, /**/ 0, 0, 255, 255};
    d.labels = {0, 1, 1};
    return d;
}

}  // namespace

class TestHealth : public QObject {
    Q_OBJECT
private slots:
    void histogram();
    void normsByHand();
    void deadRelus();
    void trainerReportsHealthWhenAsked();
    void killedRelusShowAsDead();
    void historyKeepsItsShape();
};

void TestHealth::historyKeepsItsShape()
{
    nn::HealthHistory history(4);
    for (long long step = 1; step <= 9; ++step) {
        nn::TrainingHealth h;
        h.step = step;
        nn::LayerHealth conv;
        conv.layer = 0;
        conv.spec = "conv 8 3";
        conv.gradNorm = double(step) * 10;
        nn::LayerHealth relu;
        relu.layer = 1;
        relu.spec = "relu";
        relu.dead = 0.1;
        h.layers = {conv, relu};
        history.add(h);
        if (step == 5)
            history.add(h);  // the same step again is not a new point
    }
    QCOMPARE(history.series().size(), std::size_t(1));  // the relu has no gradient of its own
    const auto& s = history.series()[0];
    QCOMPARE(s.spec, std::string("conv 8 3"));
    // 1 2 3 4 -> full at 5: 1 3, then 1 3 5 6 -> full at 7: 1 5, then 1 5 7 8 -> at 9: 1 7 9.
    QCOMPARE(s.steps, (std::vector<long long>{1, 7, 9}));
    QCOMPARE(s.gradNorms, (std::vector<double>{10, 70, 90}));
    history.clear();
    QVERIFY(history.series().empty());
}

void TestHealth::histogram()
{
    const float v[] = {0.0f, 1.0f, 2.0f, 3.0f, 3.0f};
    const nn::Histogram h = nn::Histogram::of(v, 5, 3);
    QCOMPARE(h.lo, 0.0f);
    QCOMPARE(h.hi, 3.0f);
    QCOMPARE(h.counts, (std::vector<int>{1, 1, 3}));  // [0,1) [1,2) [2,3]
    QCOMPARE(h.total(), 5);
    const float same[] = {2.0f, 2.0f};
    QCOMPARE(nn::Histogram::of(same, 2, 4).counts, (std::vector<int>{2, 0, 0, 0}));
    QCOMPARE(nn::Histogram::of(v, 0, 4).total(), 0);
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::Histogram::of(v, 5, 0));
}

void TestHealth::normsByHand()
{
    nn::Model m = nn::Model::fromSpec("dense 2 | relu | dense 2", {1, 2, 2}, 2);
    m.initialize(1);
    std::vector<float> grads(m.params().size(), 0.0f);
    // Layer 0's weight (2x4) and bias (2): gradient 1..10; layer 2 zero.
    const float* w0 = param(m, "0.dense.weight");
    const std::size_t off = std::size_t(w0 - m.params().data());
    for (int i = 0; i < 10; ++i)
        grads[off + std::size_t(i)] = float(i + 1);
    const nn::TrainingHealth h = nn::measureHealth(m, grads, nullptr, 0, 5);
    QCOMPARE(h.layers.size(), std::size_t(2));  // the two dense layers (no probe: the relu has no count)
    QCOMPARE(h.layers[0].layer, std::size_t(0));
    QCOMPARE(h.layers[0].parameters, std::size_t(10));
    QVERIFY(std::abs(h.layers[0].gradNorm - std::sqrt(385.0)) < 1e-9);  // 1^2 + ... + 10^2
    double ws = 0;
    for (int i = 0; i < 10; ++i)
        ws += double(m.params()[off + std::size_t(i)]) * m.params()[off + std::size_t(i)];
    QVERIFY(std::abs(h.layers[0].weightRms - std::sqrt(ws / 10)) < 1e-7);
    QCOMPARE(h.layers[0].grads.lo, 1.0f);
    QCOMPARE(h.layers[0].grads.hi, 10.0f);
    QCOMPARE(h.layers[0].grads.total(), 10);
    QCOMPARE(h.layers[1].layer, std::size_t(2));
    QCOMPARE(h.layers[1].gradNorm, 0.0);
    QCOMPARE(h.layers[0].dead, -1.0);
    std::vector<float> wrong(3);
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::measureHealth(m, wrong, nullptr, 0));
}

void TestHealth::deadRelus()
{
    nn::Model m = nn::Model::fromSpec("dense 4 | relu | dense 2", {1, 2, 2}, 2);
    float* w = param(m, "0.dense.weight");  // (4, 4)
    float* b = param(m, "0.dense.bias");
    std::fill(w, w + 16, 0.0f);
    b[0] = 1.0f;   // always fires
    b[1] = -1.0f;  // never fires
    b[2] = 0.0f;   // exactly zero: not firing either
    b[3] = -0.5f;
    w[3 * 4 + 3] = 1.0f;  // unit 3 fires on the third image only (pixel 3 lit)
    const nn::Dataset d = tinyImages();
    const auto dead = nn::deadReluFractions(m, d, 3);
    QCOMPARE(dead.size(), std::size_t(3));
    QCOMPARE(dead[0], -1.0);
    QCOMPARE(dead[1], 0.5);  // units 1 and 2
    QCOMPARE(dead[2], -1.0);
    // On the first two images only, unit 3 never fires either.
    QCOMPARE(nn::deadReluFractions(m, d, 2)[1], 0.75);
    std::vector<float> grads(m.params().size(), 0.0f);
    const nn::TrainingHealth h = nn::measureHealth(m, grads, &d, 3);
    QCOMPARE(h.probeImages, 3);
    QCOMPARE(h.layers.size(), std::size_t(3));  // dense, relu, dense
    QCOMPARE(h.layers[1].spec, std::string("relu"));
    QCOMPARE(h.layers[1].dead, 0.5);
    QCOMPARE(h.layers[1].gradNorm, -1.0);
}

void TestHealth::trainerReportsHealthWhenAsked()
{
    const nn::Dataset train = fixtures::syntheticBars(256, 3);
    const nn::Dataset val = fixtures::syntheticBars(64, 4);
    for (const double interval : {0.0, 1e-9}) {
        nn::Model m = nn::Model::fromSpec("conv 4 3 pad=1 | relu | maxpool 2 | dense 10");
        m.initialize(2);
        nn::TrainConfig c;
        c.epochs = 1;
        c.batchSize = 32;
        c.threads = 2;
        c.progressIntervalSec = 0;  // every batch
        c.healthIntervalSec = interval;
        c.healthProbeImages = 32;
        nn::Trainer t(m, c);
        std::vector<std::shared_ptr<const nn::TrainingHealth>> seen;
        std::vector<long long> steps;
        t.run(train, val, [&](const nn::BatchReport& r) {
            if (r.health) {
                seen.push_back(r.health);
                steps.push_back(r.step);
            }
        });
        if (interval == 0) {
            QVERIFY(seen.empty());
            continue;
        }
        QCOMPARE(int(seen.size()), 8);  // every one of the 8 batches
        for (std::size_t i = 0; i < seen.size(); ++i) {
            const nn::TrainingHealth& h = *seen[i];
            QCOMPARE(h.step, steps[i]);
            QCOMPARE(h.probe, std::string("validation"));
            QCOMPARE(h.probeImages, 32);
            QCOMPARE(h.layers.size(), std::size_t(3));  // conv, relu, dense
            QVERIFY(h.layers[0].gradNorm > 0);
            QVERIFY(h.layers[2].gradNorm > 0);
            QVERIFY(h.layers[1].dead >= 0 && h.layers[1].dead < 1);
            QCOMPARE(h.layers[0].weights.total(), 4 * 9 + 4);
        }
        // The last report's weights are the model's after the run.
        const auto final = nn::measureHealth(m, std::vector<float>(m.params().size()), nullptr, 0);
        QCOMPARE(seen.back()->layers[0].weightRms, final.layers[0].weightRms);
    }
}

// Biases of -50 before the ReLU: no unit can fire, the gradient below it
// vanishes, and the report says so.
void TestHealth::killedRelusShowAsDead()
{
    nn::Model m = nn::Model::fromSpec("dense 16 | relu | dense 10");
    m.initialize(4);
    float* b = param(m, "0.dense.bias");
    std::fill(b, b + 16, -50.0f);
    nn::TrainConfig c;
    c.epochs = 1;
    c.batchSize = 32;
    c.threads = 1;
    c.progressIntervalSec = 0;
    c.healthIntervalSec = 1e-9;
    nn::Trainer t(m, c);
    std::shared_ptr<const nn::TrainingHealth> last;
    const nn::Dataset train = fixtures::syntheticBars(96, 5);
    t.run(train, {}, [&](const nn::BatchReport& r) {
        if (r.health)
            last = r.health;
    });
    QVERIFY(last);
    QCOMPARE(last->probe, std::string("training"));
    QCOMPARE(last->layers[1].dead, 1.0);
    QCOMPARE(last->layers[0].gradNorm, 0.0);  // nothing flows back through a dead ReLU
    QVERIFY(last->layers[2].gradNorm > 0);     // the output layer's bias still learns
}

QTEST_APPLESS_MAIN(TestHealth)
#include "test_health.moc"
