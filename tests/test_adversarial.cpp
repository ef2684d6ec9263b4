// Adversarial examples (nn/adversarial.h): FGSM on a linear model against
// its closed form, PGD's projection onto the eps-ball, the smallest eps that
// flips an answer, and the accuracy-against-eps curve.
#include <nn/adversarial.h>
#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/model.h>
#include <nn/serialize.h>
#include <nn/synth.h>
#include <nn/trainer.h>

#include <QTest>

#include <cmath>
#include <tuple>

namespace {

float* weights(nn::Model& m) { return m.params().data() + m.paramViews()[0].offset; }  // (10, S) of "dense 10"

// "dense 10" on 1x4x4 with a clear answer for x: class 2.
nn::Model linearModel()
{
    nn::Model m = nn::Model::fromSpec("dense 10", {1, 4, 4}, 10);
    m.initialize(5);
    return m;
}

std::vector<float> pattern()
{
    std::vector<float> x(16);
    for (int i = 0; i < 16; ++i)
        x[std::size_t(i)] = float((i * 7) % 9) / 8.0f;
    return x;
}

int answer(const nn::Model& m, const std::vector<float>& x)
{
    std::vector<float> z(std::size_t(m.outputs()));
    m.logits(x.data(), 1, z.data());
    return int(std::max_element(z.begin(), z.end()) - z.begin());
}

float sign(float v) { return float((v > 0) - (v < 0)); }

nn::Model shippedModel() { return nn::loadModel(DIGITPAD_SOURCE_DIR "/resources/models/default.dpm"); }

}  // namespace

class TestAdversarial : public QObject {
    Q_OBJECT
private slots:
    void fgsmLinearClosedForm();
    void fgsmL2LinearClosedForm();
    void pgdStaysInBall_data();
    void pgdStaysInBall();
    void smallestEpsilonFlips();
    void curveMonotone();
    void adversarialTraining();
    void errors();
};

// Targeted toward t from the answer c: x' = clip(x + eps sign(w_t - w_c), 0, 1).
// Untargeted: the runner-up r takes t's place.
void TestAdversarial::fgsmLinearClosedForm()
{
    const nn::Model m = linearModel();
    nn::Model copy = m;
    const float* w = weights(copy);
    const std::vector<float> x = pattern();
    const int c = answer(m, x);
    std::vector<float> z(10);
    m.logits(x.data(), 1, z.data());
    int runnerUp = -1;
    for (int j = 0; j < 10; ++j)
        if (j != c && (runnerUp < 0 || z[std::size_t(j)] > z[std::size_t(runnerUp)]))
            runnerUp = j;
    const float eps = 0.1f;
    for (int t : {(c + 1) % 10, (c + 4) % 10, -1}) {
        nn::AttackOptions o;
        o.target = t;
        const nn::AttackResult r = nn::attack(m, x.data(), eps, o);
        const int up = t >= 0 ? t : runnerUp;
        QCOMPARE(r.original, c);
        for (int i = 0; i < 16; ++i) {
            const float want = std::clamp(x[std::size_t(i)] + eps * sign(w[up * 16 + i] - w[c * 16 + i]), 0.0f, 1.0f);
            QCOMPARE(r.adversarial[std::size_t(i)], want);
            QCOMPARE(r.perturbation[std::size_t(i)], want - x[std::size_t(i)]);
        }
        QVERIFY(r.linf <= eps + 1e-7);
        QCOMPARE(r.answer, answer(m, r.adversarial));
        QCOMPARE(r.success, t >= 0 ? r.answer == t : r.answer != c);
    }
}

// L2 (fast gradient method): x' = clip(x + eps g / |g|, 0, 1), g = w_t - w_c,
// on an input away from the box's walls so nothing is clipped.
void TestAdversarial::fgsmL2LinearClosedForm()
{
    const nn::Model m = linearModel();
    nn::Model copy = m;
    const float* w = weights(copy);
    std::vector<float> x(16);
    for (int i = 0; i < 16; ++i)
        x[std::size_t(i)] = 0.3f + 0.4f * float(i % 5) / 4.0f;
    const int c = answer(m, x), t = (c + 3) % 10;
    nn::AttackOptions o;
    o.norm = nn::AttackNorm::L2;
    o.target = t;
    const float eps = 0.2f;
    const nn::AttackResult r = nn::attack(m, x.data(), eps, o);
    double n2 = 0;
    for (int i = 0; i < 16; ++i)
        n2 += double(w[t * 16 + i] - w[c * 16 + i]) * (w[t * 16 + i] - w[c * 16 + i]);
    for (int i = 0; i < 16; ++i) {
        const double want = x[std::size_t(i)] + eps * (w[t * 16 + i] - w[c * 16 + i]) / std::sqrt(n2);
        QVERIFY(std::abs(want - r.adversarial[std::size_t(i)]) < 1e-6);
    }
    QVERIFY(std::abs(r.l2 - eps) < 1e-5);
}

void TestAdversarial::pgdStaysInBall_data()
{
    QTest::addColumn<int>("norm");
    QTest::addColumn<bool>("randomStart");
    QTest::newRow("linf") << int(nn::AttackNorm::Linf) << false;
    QTest::newRow("linf random") << int(nn::AttackNorm::Linf) << true;
    QTest::newRow("l2") << int(nn::AttackNorm::L2) << false;
    QTest::newRow("l2 random") << int(nn::AttackNorm::L2) << true;
}

// PGD on the default model: every step is projected, so the result is in
// the eps-ball and in [0, 1]; more steps raise the margin toward the target
// at least as far as one; a seeded random start is reproducible.
void TestAdversarial::pgdStaysInBall()
{
    QFETCH(int, norm);
    QFETCH(bool, randomStart);
    const nn::Model m = shippedModel();
    const nn::Dataset d = nn::synthesizeStyles(2, 3, 1);
    std::vector<float> x(784);
    for (int i = 0; i < d.size(); ++i) {
        d.imageAsFloat(i, x.data());
        nn::AttackOptions o;
        o.norm = nn::AttackNorm(norm);
        o.steps = 10;
        o.randomStart = randomStart;
        o.seed = 42;
        o.target = (d.labels[std::size_t(i)] + 2) % 10;
        const float eps = o.norm == nn::AttackNorm::Linf ? 0.1f : 1.5f;
        const nn::AttackResult r = nn::attack(m, x.data(), eps, o);
        for (float v : r.adversarial)
            QVERIFY(v >= 0.0f && v <= 1.0f);
        QVERIFY((o.norm == nn::AttackNorm::Linf ? r.linf : r.l2) <= eps * (1 + 1e-5));
        const auto margin = [&](const std::vector<float>& img) {
            std::vector<float> z(10);
            m.logits(img.data(), 1, z.data());
            float rival = -1e30f;
            for (int j = 0; j < 10; ++j)
                if (j != o.target)
                    rival = std::max(rival, z[std::size_t(j)]);
            return z[std::size_t(o.target)] - rival;
        };
        nn::AttackOptions one = o;
        one.steps = 1;
        one.randomStart = false;
        const float m10 = margin(r.adversarial), m1 = margin(nn::attack(m, x.data(), eps, one).adversarial),
                    m0 = margin(x);
        qInfo("digit %d toward %d: margin %.3f clean, %.3f after FGSM, %.3f after PGD", d.labels[std::size_t(i)],
              o.target, m0, m1, m10);
        QVERIFY(m1 > m0);
        QVERIFY(m10 >= m1);
        QCOMPARE(nn::attack(m, x.data(), eps, o).adversarial, r.adversarial);  // deterministic
    }
}

void TestAdversarial::smallestEpsilonFlips()
{
    const nn::Model m = shippedModel();
    const nn::Dataset d = nn::synthesizeStyles(4, 17, 1);
    std::vector<float> x(784);
    for (int i = 0; i < d.size(); ++i) {
        d.imageAsFloat(i, x.data());
        for (int steps : {1, 10}) {
            nn::AttackOptions o;
            o.steps = steps;
            const nn::SmallestEpsilon s = nn::smallestEpsilon(m, x.data(), o, 0.5f, 0.01f);
            QVERIFY(s.found);
            qInfo("digit %d (%s): smallest eps %.4f (answer %d -> %d), %d attacks", d.labels[std::size_t(i)],
                  o.describe().c_str(), s.eps, s.result.original, s.result.answer, s.attacks);
            QVERIFY(s.eps > 0);
            QVERIFY(s.below >= s.eps * 0.99f);
            const nn::AttackResult at = nn::attack(m, x.data(), s.eps, o);
            QVERIFY(at.success);
            QVERIFY(at.answer != at.original);
            QCOMPARE(at.adversarial, s.result.adversarial);
            const nn::AttackResult less = nn::attack(m, x.data(), s.eps * 0.9f, o);
            QVERIFY2(!less.success, qPrintable(QString("eps %1 * 0.9 already flips").arg(s.eps)));
        }
    }
    // Toward the class the model already gives: nothing to do.
    d.imageAsFloat(0, x.data());
    nn::AttackOptions o;
    o.target = nn::attack(m, x.data(), 0.0f, o).original;
    const nn::SmallestEpsilon s = nn::smallestEpsilon(m, x.data(), o);
    QVERIFY(s.found);
    QCOMPARE(s.eps, 0.0f);
    // Too small a budget: not found, and said so.
    o.target = -1;
    const nn::SmallestEpsilon none = nn::smallestEpsilon(m, x.data(), o, 1e-4f);
    QVERIFY(!none.found);
    QVERIFY(!none.result.success);
}

void TestAdversarial::curveMonotone()
{
    const nn::Model m = shippedModel();
    const nn::Dataset d = nn::synthesizeStyles(80, 99, 1);
    const std::vector<float> eps = {0.0f, 0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.3f};
    for (int steps : {1, 5}) {
        nn::AttackOptions o;
        o.steps = steps;
        int calls = 0;
        const nn::RobustnessCurve c =
            nn::accuracyAgainstEpsilon(m, d, eps, o, 0, [&](int done, int) { calls = done; });
        QCOMPARE(calls, int(eps.size()));
        QCOMPARE(c.samples, 80);
        QString line;
        for (std::size_t k = 0; k < c.eps.size(); ++k)
            line += QString(" %1:%2").arg(c.eps[k]).arg(c.accuracy[k], 0, 'f', 3);
        qInfo("%s:%s", o.describe().c_str(), qPrintable(line));
        // eps 0 is the clean accuracy.
        std::vector<float> probs(10);
        int correct = 0;
        std::vector<float> x(784);
        for (int i = 0; i < d.size(); ++i) {
            d.imageAsFloat(i, x.data());
            m.predict(x.data(), 1, probs.data());
            correct += int(std::max_element(probs.begin(), probs.end()) - probs.begin()) == d.labels[std::size_t(i)];
        }
        QCOMPARE(c.accuracy.front(), double(correct) / d.size());
        if (steps == 1) {
            const nn::RobustnessCurve c3 = nn::accuracyAgainstEpsilon(m, d, eps, o, 0, {}, nullptr, 3);
            QCOMPARE(c3.accuracy, c.accuracy);  // the same on 3 threads
        }
        for (std::size_t k = 1; k < c.accuracy.size(); ++k)
            QVERIFY2(c.accuracy[k] <= c.accuracy[k - 1], qPrintable(line));
        QVERIFY(c.accuracy.back() < c.accuracy.front() - 0.3);  // eps 0.3 breaks most of them
    }
}

// Madry et al.'s training on FGSM examples: the same small model trained
// with --adversarial is more accurate under FGSM at that eps than trained
// without, and the run stays deterministic for its seed.
void TestAdversarial::adversarialTraining()
{
    const nn::Dataset train = nn::synthesizeStyles(1200, 4, 0);
    const nn::Dataset test = nn::synthesizeStyles(200, 77, 0);
    const auto trainModel = [&](float eps) {
        nn::Model m = nn::Model::fromSpec("dense 64 | relu | dense 10");
        m.initialize(3);
        nn::TrainConfig c;
        c.epochs = 4;
        c.batchSize = 32;
        c.threads = 2;
        c.adversarialEps = eps;
        nn::Trainer(m, c).run(train, nn::Dataset());
        return m;
    };
    const float eps = 0.1f;
    const nn::Model plain = trainModel(0.0f), robust = trainModel(eps), again = trainModel(eps);
    QCOMPARE(robust.params(), again.params());
    QVERIFY(robust.params() != plain.params());
    nn::AttackOptions fgsm;
    const nn::RobustnessCurve a = nn::accuracyAgainstEpsilon(plain, test, {0.0f, eps}, fgsm);
    const nn::RobustnessCurve b = nn::accuracyAgainstEpsilon(robust, test, {0.0f, eps}, fgsm);
    qInfo("FGSM eps %.2f: plain %.3f (clean %.3f), adversarially trained %.3f (clean %.3f)", eps, a.accuracy[1],
          a.accuracy[0], b.accuracy[1], b.accuracy[0]);
    QVERIFY(b.accuracy[1] > a.accuracy[1] + 0.1);
    QVERIFY(nn::TrainConfig{}.describe().find("adversarial") == std::string::npos);
    nn::TrainConfig c;
    c.adversarialEps = eps;
    QVERIFY(c.describe().find("adversarial_eps=0.1") != std::string::npos);
    // Bad settings are refused with the setting named.
    nn::Model m = nn::Model::fromSpec("dense 10");
    for (const auto& bad : {std::make_tuple(-0.1f, 1, 0.5f), std::make_tuple(2.0f, 1, 0.5f),
                            std::make_tuple(0.1f, 0, 0.5f), std::make_tuple(0.1f, 1, 0.0f)}) {
        nn::TrainConfig cfg;
        std::tie(cfg.adversarialEps, cfg.adversarialSteps, cfg.adversarialFraction) = bad;
        try {
            nn::Trainer t(m, cfg);
            QFAIL("accepted");
        } catch (const nn::Error& e) {
            QVERIFY2(QString(e.what()).contains("adversarial"), e.what());
        }
    }
}

void TestAdversarial::errors()
{
    const nn::Model m = linearModel();
    const std::vector<float> x = pattern();
    nn::AttackOptions o;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::attack(m, x.data(), -0.1f, o));
    o.steps = 0;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::attack(m, x.data(), 0.1f, o));
    o = {};
    o.target = 10;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::attack(m, x.data(), 0.1f, o));
    o = {};
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::smallestEpsilon(m, x.data(), o, 0.0f));
    nn::Dataset wrong;
    wrong.rows = wrong.cols = 28;
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::accuracyAgainstEpsilon(m, wrong, {0.1f}, o));
}

QTEST_APPLESS_MAIN(TestAdversarial)
#include "test_adversarial.moc"
