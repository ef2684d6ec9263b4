// Reliability bins and expected calibration error against hand-computed
// values; temperature scaling on synthetic logits of a known temperature; the
// "not a digit" score, its threshold and the metadata that carries them.
#include <nn/calibration.h>
#include <nn/errors.h>
#include <nn/metrics.h>
#include <nn/model.h>
#include <nn/notdigit.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

class TestCalibration : public QObject {
    Q_OBJECT
private slots:
    void binEdges_data();
    void binEdges();
    void handComputed();
    void perfectlyCalibrated();
    void emptyBinsAndEmptyInput();
    void fromEvaluation();
    void errors();
    void recoversTemperature_data();
    void recoversTemperature();
    void temperatureErrors();
    void scaledCalibration();
    void digitScoreValues();
    void thresholdFlagsTheRate();
    void metadataRoundTrip();
    void readDigitDecides();
};

namespace {

// n samples whose labels are drawn from softmax(z / t): the NLL's minimum is
// near t, the more exactly the more samples.
void syntheticLogits(int n, double t, std::uint32_t seed, std::vector<float>& z, std::vector<std::uint8_t>& labels)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, 4.0f);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    z.resize(std::size_t(n) * 10);
    labels.resize(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        float* zi = z.data() + std::size_t(i) * 10;
        for (int k = 0; k < 10; ++k)
            zi[k] = g(rng);
        zi[i % 10] += 6.0f;  // a clear favourite, as a trained model has
        double p[10], s = 0;
        for (int k = 0; k < 10; ++k)
            s += (p[k] = std::exp(double(zi[k]) / t));
        double r = u(rng) * s;
        int k = 0;
        while (k < 9 && (r -= p[k]) > 0)
            ++k;
        labels[std::size_t(i)] = std::uint8_t(k);
    }
}

}  // namespace

void TestCalibration::recoversTemperature_data()
{
    QTest::addColumn<double>("temperature");
    QTest::newRow("sharpen 0.5") << 0.5;
    QTest::newRow("none 1") << 1.0;
    QTest::newRow("soften 2.5") << 2.5;
    QTest::newRow("soften 6") << 6.0;
}

void TestCalibration::recoversTemperature()
{
    QFETCH(double, temperature);
    std::vector<float> z;
    std::vector<std::uint8_t> labels;
    syntheticLogits(20000, temperature, 7, z, labels);
    const double t = nn::fitTemperature(z.data(), labels.data(), int(labels.size()), 10);
    qInfo("true T %.3f, fitted %.4f", temperature, t);
    QVERIFY2(std::abs(t / temperature - 1.0) < 0.05, qPrintable(QString::number(t)));
    // It is the minimum: the NLL rises on both sides.
    const double at = nn::temperatureNll(z.data(), labels.data(), int(labels.size()), 10, t);
    QVERIFY(at < nn::temperatureNll(z.data(), labels.data(), int(labels.size()), 10, t * 1.1));
    QVERIFY(at < nn::temperatureNll(z.data(), labels.data(), int(labels.size()), 10, t / 1.1));
}

void TestCalibration::temperatureErrors()
{
    const std::vector<float> z(20, 0.0f);
    const std::vector<std::uint8_t> bad{0, 10};
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitTemperature(z.data(), bad.data(), 2, 10));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitTemperature(z.data(), bad.data(), 0, 10));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitNotDigit(z, {0, 1}, 10));  // fewer than 20 samples
    std::vector<float> z2;
    std::vector<std::uint8_t> l2;
    syntheticLogits(100, 1.0, 3, z2, l2);
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitNotDigit(z2, l2, 10, 0.7));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::fitNotDigit(z2, l2, 9));
}

void TestCalibration::scaledCalibration()
{
    // Over-confident synthetic logits (labels drawn at T = 3, probabilities
    // shown at T = 1): the fitted temperature brings the ECE down, T = 1
    // changes nothing.
    std::vector<float> z;
    std::vector<std::uint8_t> labels;
    syntheticLogits(5000, 3.0, 11, z, labels);
    nn::Evaluation ev;
    ev.labels = labels;
    ev.probabilities.resize(z.size());
    ev.predictions.resize(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float* zi = z.data() + i * 10;
        float* p = ev.probabilities.data() + i * 10;
        const float m = *std::max_element(zi, zi + 10);
        float s = 0;
        for (int k = 0; k < 10; ++k)
            s += (p[k] = std::exp(zi[k] - m));
        for (int k = 0; k < 10; ++k)
            p[k] /= s;
        ev.predictions[i] = std::uint8_t(std::max_element(p, p + 10) - p);
    }
    const nn::Calibration before = nn::calibration(ev, 10);
    const nn::Calibration same = nn::calibrationAtTemperature(ev, 1.0, 10);
    QVERIFY(std::abs(same.ece - before.ece) < 1e-5);
    const double t = nn::fitTemperature(z.data(), labels.data(), int(labels.size()), 10);
    const nn::Calibration after = nn::calibrationAtTemperature(ev, t, 10);
    qInfo("ECE %.4f -> %.4f at T %.3f", before.ece, after.ece, t);
    QVERIFY(before.ece > 0.1);
    QVERIFY(after.ece < before.ece / 3);
    QCOMPARE(after.accuracy, before.accuracy);  // the arg-max does not move
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::calibrationAtTemperature(ev, 0.0, 10));
}

void TestCalibration::digitScoreValues()
{
    // log(1 + 3) for logits {0, ln 3} at T = 1.
    const float z[2] = {0.0f, float(std::log(3.0))};
    QVERIFY(std::abs(nn::digitScore(z, 2, 1.0) - std::log(4.0)) < 1e-6);
    // T * log sum exp(z / T) of 2z at T = 2 is twice the score of z at T = 1.
    const float z2[2] = {0.0f, 2.0f * float(std::log(3.0))};
    QVERIFY(std::abs(nn::digitScore(z2, 2, 2.0) - 2.0 * std::log(4.0)) < 1e-6);
    // Large logits do not overflow; the score tends to the largest logit.
    const float big[3] = {1000.0f, 0.0f, -1000.0f};
    QVERIFY(std::abs(nn::digitScore(big, 3, 1.0) - 1000.0) < 1e-6);
    // Adding c to every logit adds c to the score.
    const float shifted[2] = {5.0f, 5.0f + float(std::log(3.0))};
    QVERIFY(std::abs(nn::digitScore(shifted, 2, 1.0) - (5.0 + std::log(4.0))) < 1e-5);
}

void TestCalibration::thresholdFlagsTheRate()
{
    std::vector<float> z;
    std::vector<std::uint8_t> labels;
    syntheticLogits(1000, 1.5, 5, z, labels);
    for (const double rate : {0.0, 0.01, 0.05, 0.2}) {
        const nn::NotDigitCalibration c = nn::fitNotDigit(z, labels, 10, rate);
        QCOMPARE(c.samples, 1000);
        QVERIFY(std::abs(c.temperature - nn::fitTemperature(z.data(), labels.data(), 1000, 10)) < 1e-12);
        int flagged = 0;
        for (int i = 0; i < 1000; ++i)
            flagged += nn::isNotDigit(z.data() + std::size_t(i) * 10, 10, c) ? 1 : 0;
        // Continuous scores: exactly floor(rate * n) fall below the threshold.
        QCOMPARE(flagged, int(std::floor(rate * 1000)));
        QCOMPARE(c.validationRate, flagged / 1000.0);
    }
    // Inputs far below every validation score are flagged, far above are not.
    const nn::NotDigitCalibration c = nn::fitNotDigit(z, labels, 10, 0.01);
    const std::vector<float> flat(10, -50.0f), sharp{100.0f, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    QVERIFY(nn::isNotDigit(flat.data(), 10, c));
    QVERIFY(!nn::isNotDigit(sharp.data(), 10, c));
}

void TestCalibration::metadataRoundTrip()
{
    nn::Model m = nn::Model::fromSpec("dense 10");
    QVERIFY(!nn::readNotDigit(m));  // uncalibrated
    nn::NotDigitCalibration c;
    c.temperature = 1.2345678901234567;
    c.threshold = -3.0000000000000004;
    c.validationRate = 0.0098;
    c.data = "MNIST test, tuning half";
    nn::storeNotDigit(m, c);
    const auto r = nn::readNotDigit(m);
    QVERIFY(r.has_value());
    QCOMPARE(r->temperature, c.temperature);  // exactly, through text
    QCOMPARE(r->threshold, c.threshold);
    QCOMPARE(r->validationRate, c.validationRate);
    QCOMPARE(r->data, c.data);
    // Unusable values count as no calibration, never as a threshold of 0.
    m.metadata()[nn::kTemperatureKey] = "warm";
    QVERIFY(!nn::readNotDigit(m));
    m.metadata()[nn::kTemperatureKey] = "-1";
    QVERIFY(!nn::readNotDigit(m));
    m.metadata()[nn::kTemperatureKey] = "1.5";
    m.metadata()[nn::kNotDigitThresholdKey] = "nan";
    QVERIFY(!nn::readNotDigit(m));
    m.metadata()[nn::kNotDigitThresholdKey] = "2";
    QVERIFY(nn::readNotDigit(m).has_value());
}

void TestCalibration::readDigitDecides()
{
    nn::Model m = nn::Model::fromSpec("dense 10");
    m.initialize(3);
    std::vector<float> x(784);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float((i * 37) % 11) / 10.0f;
    std::vector<float> probs(10), logits(10);
    m.predict(x.data(), 1, probs.data());
    m.logits(x.data(), 1, logits.data());

    nn::DigitReading r = nn::readDigit(m, x.data());
    QVERIFY(!r.calibrated);
    QVERIFY(!r.notDigit);  // no calibration: never "not a digit"
    QVERIFY(r.probabilities == probs);

    nn::NotDigitCalibration c;
    c.temperature = 2.0;
    const double score = nn::digitScore(logits.data(), 10, 2.0);
    c.threshold = score + 0.01;
    nn::storeNotDigit(m, c);
    r = nn::readDigit(m, x.data());
    QVERIFY(r.calibrated);
    QVERIFY(std::abs(r.score - score) < 1e-9);
    QVERIFY(r.notDigit);
    QVERIFY(r.probabilities == probs);  // the bars stay as they were
    c.threshold = score - 0.01;
    nn::storeNotDigit(m, c);
    QVERIFY(!nn::readDigit(m, x.data()).notDigit);
}


void TestCalibration::binEdges_data()
{
    QTest::addColumn<float>("confidence");
    QTest::addColumn<int>("bins");
    QTest::addColumn<int>("expected");
    // Bins are (m/M, (m+1)/M]; 0 joins the first.
    QTest::newRow("zero") << 0.0f << 4 << 0;
    QTest::newRow("first edge") << 0.25f << 4 << 0;
    QTest::newRow("just above") << 0.2500001f << 4 << 1;
    QTest::newRow("half") << 0.5f << 4 << 1;
    QTest::newRow("three quarters") << 0.75f << 4 << 2;
    QTest::newRow("one") << 1.0f << 4 << 3;
    QTest::newRow("above one clamps") << 1.5f << 4 << 3;
    QTest::newRow("negative clamps") << -0.5f << 4 << 0;
    QTest::newRow("ten bins") << 0.95f << 10 << 9;
    QTest::newRow("ten bins low") << 0.05f << 10 << 0;
    // Literals that are k/M sit in bin k-1 although 0.8f > 0.8 and 0.9f < 0.9.
    QTest::newRow("0.8f of 5") << 0.8f << 5 << 3;
    QTest::newRow("0.9f of 10") << 0.9f << 10 << 8;
    QTest::newRow("0.7f of 10") << 0.7f << 10 << 6;
}

void TestCalibration::binEdges()
{
    QFETCH(float, confidence);
    QFETCH(int, bins);
    QFETCH(int, expected);
    QCOMPARE(nn::calibrationBin(confidence, bins), expected);
}

void TestCalibration::handComputed()
{
    // 4 bins of width 0.25:
    //  (0, .25]   : 0.10 right                -> n 1, conf 0.10, acc 1   , gap 0.90
    //  (.25, .5]  : 0.30 wrong, 0.40 right    -> n 2, conf 0.35, acc 0.5 , gap 0.15
    //  (.5, .75]  : 0.60 right, 0.70 wrong    -> n 2, conf 0.65, acc 0.5 , gap 0.15
    //  (.75, 1]   : 0.90, 0.95 right, 1 wrong -> n 3, conf 0.95, acc 2/3 , gap 0.28333
    // ECE = (0.9 + 2*0.15 + 2*0.15 + 3*0.283333) / 8 = 2.35 / 8 = 0.29375; MCE = 0.9.
    const std::vector<float> conf = {0.1f, 0.3f, 0.4f, 0.6f, 0.7f, 0.9f, 0.95f, 1.0f};
    const std::vector<std::uint8_t> ok = {1, 0, 1, 1, 0, 1, 1, 0};
    const nn::Calibration c = nn::calibration(conf, ok, 4);
    QCOMPARE(int(c.bins.size()), 4);
    QCOMPARE(c.total, 8);
    const int counts[] = {1, 2, 2, 3};
    const double means[] = {0.1, 0.35, 0.65, 0.95};
    const double accs[] = {1.0, 0.5, 0.5, 2.0 / 3.0};
    for (int b = 0; b < 4; ++b) {
        const nn::ReliabilityBin& bin = c.bins[std::size_t(b)];
        QCOMPARE(bin.count, counts[b]);
        QVERIFY2(std::abs(bin.meanConfidence - means[b]) < 1e-6, qPrintable(QString::number(bin.meanConfidence)));
        QVERIFY(std::abs(bin.accuracy - accs[b]) < 1e-12);
        QVERIFY(std::abs(bin.lower - 0.25 * b) < 1e-12 && std::abs(bin.upper - 0.25 * (b + 1)) < 1e-12);
    }
    QVERIFY2(std::abs(c.ece - 0.29375) < 1e-6, qPrintable(QString::number(c.ece, 'g', 10)));
    QVERIFY2(std::abs(c.mce - 0.9) < 1e-6, qPrintable(QString::number(c.mce, 'g', 10)));
    QVERIFY(std::abs(c.accuracy - 5.0 / 8.0) < 1e-12);
    QVERIFY(std::abs(c.meanConfidence - 4.95 / 8.0) < 1e-6);
}

void TestCalibration::perfectlyCalibrated()
{
    // Four samples at 0.75 with three right: accuracy equals confidence.
    const nn::Calibration c = nn::calibration({0.75f, 0.75f, 0.75f, 0.75f}, {1, 1, 1, 0}, 10);
    QVERIFY(c.ece < 1e-7);
    QVERIFY(c.mce < 1e-7);
    QCOMPARE(c.bins[7].count, 4);  // (0.7, 0.8]
}

void TestCalibration::emptyBinsAndEmptyInput()
{
    const nn::Calibration c = nn::calibration({0.95f}, {1}, 10);
    for (int b = 0; b < 9; ++b) {
        QCOMPARE(c.bins[std::size_t(b)].count, 0);
        QCOMPARE(c.bins[std::size_t(b)].accuracy, 0.0);
    }
    QVERIFY(std::abs(c.ece - 0.05) < 1e-6);
    const nn::Calibration e = nn::calibration({}, {}, 10);
    QCOMPARE(e.total, 0);
    QCOMPARE(e.ece, 0.0);
}

void TestCalibration::fromEvaluation()
{
    // Confidence is the largest probability; correctness compares prediction and label.
    nn::Evaluation ev;
    ev.labels = {3, 1};
    ev.predictions = {3, 2};
    ev.probabilities.assign(20, 0.0f);
    ev.probabilities[3] = 0.8f;
    ev.probabilities[0] = 0.2f;
    ev.probabilities[10 + 2] = 0.6f;
    ev.probabilities[10 + 1] = 0.4f;
    const nn::Calibration c = nn::calibration(ev, 5);  // bins of 0.2
    QCOMPARE(c.bins[3].count, 1);  // 0.8 in (0.6, 0.8]
    QCOMPARE(c.bins[3].correct, 1);
    QCOMPARE(c.bins[2].count, 1);  // 0.6 in (0.4, 0.6]
    QCOMPARE(c.bins[2].correct, 0);
    // ECE = (|1 - 0.8| + |0 - 0.6|) / 2 = 0.4
    QVERIFY(std::abs(c.ece - 0.4) < 1e-6);
}

void TestCalibration::errors()
{
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::calibration({0.5f}, {1, 0}, 10));
    QVERIFY_THROWS_EXCEPTION(nn::ShapeError, nn::calibration({0.5f}, {1}, 0));
}

QTEST_APPLESS_MAIN(TestCalibration)
#include "test_calibration.moc"
