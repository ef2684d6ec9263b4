// Reliability bins and expected calibration error against hand-computed values.
#include <nn/calibration.h>
#include <nn/errors.h>
#include <nn/metrics.h>

#include <QTest>

#include <cmath>

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
};

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
