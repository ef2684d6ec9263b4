// Confusion matrix, per-class metrics, text and JSON forms, and evaluate().
#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <random>

using namespace nn;

namespace {

// Twelve samples worked out by hand (true -> predicted):
//   0->0 0->0 0->1 | 1->1 1->1 1->2 | 2->2 2->2 2->0 | 3->1 3->3 | 4->3
// Nothing is predicted as 4, so its precision is 0 by the 0-when-undefined rule.
const std::vector<std::uint8_t> kLabels = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4};
const std::vector<std::uint8_t> kPreds = {0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 3, 3};

void compareNear(double actual, double expected, const char* what, double tol = 1e-12)
{
    QVERIFY2(std::abs(actual - expected) <= tol,
             qPrintable(QString("%1: %2, expected %3").arg(what).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

Dataset randomDataset(int n, int rows, int cols, std::uint64_t seed)
{
    Dataset d;
    d.rows = rows;
    d.cols = cols;
    std::mt19937_64 rng(seed);
    d.images.resize(std::size_t(n) * rows * cols);
    for (auto& p : d.images)
        p = std::uint8_t(rng() & 0xff);
    d.labels.resize(std::size_t(n));
    for (auto& l : d.labels)
        l = std::uint8_t(rng() % 10);
    return d;
}

Model tinyModel()
{
    Model m = Model::fromSpec("conv 3 3 | relu | dense 10", {1, 8, 8});
    m.initialize(11);
    // Biases away from zero so the classes do not all tie.
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> d(-0.5f, 0.5f);
    for (float& v : m.params())
        v += d(rng);
    return m;
}

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void confusionMatrix();
    void perClass();
    void averagesAndAccuracy();
    void emptyAndMismatched();
    void misclassifiedList();
    void confusionText();
    void perClassText();
    void json();
    void evaluateMatchesPredict();
    void evaluateSameForAnyThreadCount();
    void evaluateProgressAndCancel();
    void evaluateRejectsMismatchedData();
};

void TestMetrics::confusionMatrix()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    const int expected[5][5] = {
        {2, 1, 0, 0, 0},
        {0, 2, 1, 0, 0},
        {1, 0, 2, 0, 0},
        {0, 1, 0, 1, 0},
        {0, 0, 0, 1, 0},
    };
    int total = 0;
    for (int t = 0; t < kClasses; ++t)
        for (int p = 0; p < kClasses; ++p) {
            const int want = (t < 5 && p < 5) ? expected[t][p] : 0;
            QVERIFY2(m.confusion[t][p] == want, qPrintable(QString("[%1][%2] = %3").arg(t).arg(p).arg(m.confusion[t][p])));
            total += m.confusion[t][p];
        }
    QCOMPARE(total, 12);
}

void TestMetrics::perClass()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    struct Want {
        double p, r, f1;
        int support;
    };
    const Want want[5] = {
        {2.0 / 3, 2.0 / 3, 2.0 / 3, 3},
        {2.0 / 4, 2.0 / 3, 4.0 / 7, 3},  // F1 = 2 * 1/2 * 2/3 / (1/2 + 2/3)
        {2.0 / 3, 2.0 / 3, 2.0 / 3, 3},
        {1.0 / 2, 1.0 / 2, 1.0 / 2, 2},
        {0.0, 0.0, 0.0, 1},  // never predicted: precision 0, not NaN
    };
    for (int k = 0; k < kClasses; ++k) {
        const Want w = k < 5 ? want[k] : Want{0, 0, 0, 0};
        const ClassMetrics& c = m.perClass[k];
        compareNear(c.precision, w.p, qPrintable(QString("precision %1").arg(k)));
        compareNear(c.recall, w.r, qPrintable(QString("recall %1").arg(k)));
        compareNear(c.f1, w.f1, qPrintable(QString("f1 %1").arg(k)));
        QCOMPARE(c.support, w.support);
    }
}

void TestMetrics::averagesAndAccuracy()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    compareNear(m.accuracy, 7.0 / 12, "accuracy");
    // Macro: unweighted mean over all ten classes.
    compareNear(m.macro.precision, (2.0 / 3 + 1.0 / 2 + 2.0 / 3 + 1.0 / 2) / 10, "macro precision");  // 7/30
    compareNear(m.macro.recall, (2.0 / 3 * 3 + 1.0 / 2) / 10, "macro recall");                        // 1/4
    compareNear(m.macro.f1, 101.0 / 420, "macro f1");
    QCOMPARE(m.macro.support, 12);
    // Weighted by support: sum(support * metric) / 12.
    compareNear(m.weighted.precision, 13.0 / 24, "weighted precision");
    compareNear(m.weighted.recall, 7.0 / 12, "weighted recall");
    compareNear(m.weighted.f1, 47.0 / 84, "weighted f1");
    QCOMPARE(m.weighted.support, 12);

    Evaluation e;
    e.labels = kLabels;
    e.predictions = kPreds;
    const Metrics viaEval = computeMetrics(e);
    QCOMPARE(viaEval.confusion, m.confusion);
    QCOMPARE(viaEval.accuracy, m.accuracy);
}

void TestMetrics::emptyAndMismatched()
{
    const Metrics m = computeMetrics({}, {});
    QCOMPARE(m.accuracy, 0.0);
    QCOMPARE(m.macro.f1, 0.0);
    QCOMPARE(m.weighted.precision, 0.0);
    QCOMPARE(m.macro.support, 0);
    QVERIFY_THROWS_EXCEPTION(ShapeError, computeMetrics({1, 2}, {1}));
    QVERIFY_THROWS_EXCEPTION(ShapeError, computeMetrics({1, 10}, {1, 2}));
}

void TestMetrics::misclassifiedList()
{
    Evaluation e;
    e.labels = kLabels;
    e.predictions = kPreds;
    e.probabilities.assign(kLabels.size() * kClasses, 0.04f);
    for (std::size_t i = 0; i < kLabels.size(); ++i)
        e.probabilities[i * kClasses + kPreds[i]] = 0.64f;
    const auto wrong = misclassified(e);
    QCOMPARE(int(wrong.size()), 5);
    const int want[5][3] = {{2, 0, 1}, {5, 1, 2}, {8, 2, 0}, {9, 3, 1}, {11, 4, 3}};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(wrong[std::size_t(i)].index, want[i][0]);
        QCOMPARE(wrong[std::size_t(i)].label, want[i][1]);
        QCOMPARE(wrong[std::size_t(i)].predicted, want[i][2]);
        QCOMPARE(wrong[std::size_t(i)].confidence, 0.64f);
        QCOMPARE(wrong[std::size_t(i)].probabilities[std::size_t(want[i][1])], 0.04f);
    }
}

void TestMetrics::confusionText()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    const QStringList lines = QString::fromStdString(formatConfusion(m)).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 11);
    QCOMPARE(lines[0], QString("true\\pred  0  1  2  3  4  5  6  7  8  9"));
    QCOMPARE(lines[1], QString("        0  2  1  0  0  0  0  0  0  0  0"));
    QCOMPARE(lines[5], QString("        4  0  0  0  1  0  0  0  0  0  0"));

    // Columns widen for large counts and every line keeps the same width.
    Metrics big = m;
    big.confusion[7][7] = 12345;
    const QStringList wide = QString::fromStdString(formatConfusion(big)).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(wide[0], QString("true\\pred      0      1      2      3      4      5      6      7      8      9"));
    QCOMPARE(wide[8], QString("        7      0      0      0      0      0      0      0  12345      0      0"));
    for (const QString& l : wide)
        QCOMPARE(l.size(), wide[0].size());
}

void TestMetrics::perClassText()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    const QStringList lines = QString::fromStdString(formatPerClass(m)).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 14);  // header, ten classes, macro, weighted, accuracy
    QCOMPARE(lines[0], QString("       class  precision     recall         f1    support"));
    QCOMPARE(lines[2], QString("           1     0.5000     0.6667     0.5714          3"));
    QCOMPARE(lines[5], QString("           4     0.0000     0.0000     0.0000          1"));
    QCOMPARE(lines[11], QString("   macro avg     0.2333     0.2500     0.2405         12"));
    QCOMPARE(lines[12], QString("weighted avg     0.5417     0.5833     0.5595         12"));
    QCOMPARE(lines[13], QString("    accuracy                           0.5833         12"));
}

void TestMetrics::json()
{
    const Metrics m = computeMetrics(kLabels, kPreds);
    const std::string text = metricsJson(m, 0.125);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString() + ": " + text.c_str()));
    QVERIFY(doc.isObject());
    const QJsonObject o = doc.object();
    QStringList keys = o.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{"accuracy", "confusion", "loss", "macro", "per_class", "weighted"}));
    compareNear(o["accuracy"].toDouble(), 7.0 / 12, "accuracy", 1e-6);
    QCOMPARE(o["loss"].toDouble(), 0.125);

    const QJsonArray grid = o["confusion"].toArray();
    QCOMPARE(grid.size(), kClasses);
    for (int t = 0; t < kClasses; ++t) {
        const QJsonArray row = grid[t].toArray();
        QCOMPARE(row.size(), kClasses);
        for (int p = 0; p < kClasses; ++p) {
            QVERIFY(row[p].isDouble());
            QCOMPARE(row[p].toInt(-1), m.confusion[t][p]);
        }
    }

    const QJsonArray per = o["per_class"].toArray();
    QCOMPARE(per.size(), kClasses);
    for (int k = 0; k < kClasses; ++k) {
        const QJsonObject c = per[k].toObject();
        QCOMPARE(c["class"].toInt(-1), k);
        compareNear(c["precision"].toDouble(), m.perClass[k].precision, "precision", 1e-6);
        compareNear(c["recall"].toDouble(), m.perClass[k].recall, "recall", 1e-6);
        compareNear(c["f1"].toDouble(), m.perClass[k].f1, "f1", 1e-6);
        QCOMPARE(c["support"].toInt(-1), m.perClass[k].support);
    }
    for (const char* avg : {"macro", "weighted"}) {
        const QJsonObject a = o[avg].toObject();
        const ClassMetrics& c = std::string(avg) == "macro" ? m.macro : m.weighted;
        compareNear(a["precision"].toDouble(), c.precision, avg, 1e-6);
        compareNear(a["recall"].toDouble(), c.recall, avg, 1e-6);
        compareNear(a["f1"].toDouble(), c.f1, avg, 1e-6);
        QCOMPARE(a["support"].toInt(-1), 12);
    }

    // A diverged loss is still valid JSON.
    const QJsonDocument nan = QJsonDocument::fromJson(QByteArray::fromStdString(metricsJson(m, std::nan(""))), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    QVERIFY(nan.object()["loss"].isNull());
}

void TestMetrics::evaluateMatchesPredict()
{
    const Model model = tinyModel();
    const Dataset data = randomDataset(600, 8, 8, 3);  // three chunks of up to 256
    const Evaluation e = evaluate(model, data, 2);
    QCOMPARE(e.size(), 600);
    QVERIFY(e.labels == data.labels);
    QCOMPARE(e.predictions.size(), std::size_t(600));
    QCOMPARE(e.probabilities.size(), std::size_t(6000));

    std::vector<float> x(data.images.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float(data.images[i]) / 255.0f;
    std::vector<float> probs(6000);
    model.predict(x.data(), 600, probs.data());
    double loss = 0.0;
    std::array<int, kClasses> predicted{};
    for (int i = 0; i < 600; ++i) {
        const float* p = probs.data() + i * kClasses;
        const int best = int(std::max_element(p, p + kClasses) - p);
        QVERIFY2(e.predictions[std::size_t(i)] == best, qPrintable(QString("sample %1").arg(i)));
        ++predicted[std::size_t(best)];
        for (int k = 0; k < kClasses; ++k)
            QVERIFY(std::abs(e.probabilities[std::size_t(i * kClasses + k)] - p[k]) <= 1e-6f);
        loss -= std::log(double(p[data.labels[std::size_t(i)]]));
    }
    compareNear(e.loss, loss / 600, "mean cross-entropy", 1e-5);
    // The fixture is not degenerate: the model predicts several classes.
    QVERIFY(std::count_if(predicted.begin(), predicted.end(), [](int c) { return c > 0; }) >= 3);
}

void TestMetrics::evaluateSameForAnyThreadCount()
{
    const Model model = tinyModel();
    const Dataset data = randomDataset(700, 8, 8, 4);
    const Evaluation one = evaluate(model, data, 1);
    for (int threads : {2, 3, 0}) {
        const Evaluation other = evaluate(model, data, threads);
        QVERIFY(other.labels == one.labels);
        QVERIFY(other.predictions == one.predictions);
        QVERIFY(other.probabilities == one.probabilities);
        QCOMPARE(other.loss, one.loss);  // summed in chunk order: bit-identical
    }
    const Metrics m1 = computeMetrics(one);
    QCOMPARE(m1.confusion, computeMetrics(evaluate(model, data, 2)).confusion);
}

void TestMetrics::evaluateProgressAndCancel()
{
    // Progress comes after each round of 64-sample chunks (one chunk per
    // thread), which is also how often a cancel is noticed.
    const Model model = tinyModel();
    const Dataset data = randomDataset(150, 8, 8, 5);
    std::vector<std::pair<int, int>> calls;
    const auto record = [&](int done, int total) {
        calls.emplace_back(done, total);
        return true;
    };
    evaluate(model, data, 1, record);
    QCOMPARE(calls, (std::vector<std::pair<int, int>>{{64, 150}, {128, 150}, {150, 150}}));
    calls.clear();
    evaluate(model, data, 2, record);
    QCOMPARE(calls, (std::vector<std::pair<int, int>>{{128, 150}, {150, 150}}));

    // Cancelling after the first round keeps exactly the samples done.
    const Evaluation full = evaluate(model, data, 1);
    const Evaluation part = evaluate(model, data, 1, [](int, int) { return false; });
    QCOMPARE(part.size(), 64);
    QCOMPARE(part.predictions.size(), std::size_t(64));
    QCOMPARE(part.probabilities.size(), std::size_t(640));
    QVERIFY(std::equal(part.predictions.begin(), part.predictions.end(), full.predictions.begin()));
    QVERIFY(std::isfinite(part.loss) && part.loss > 0);

    Dataset empty;
    empty.rows = empty.cols = 8;
    const Evaluation none = evaluate(model, empty, 2, record);
    QCOMPARE(none.size(), 0);
    QCOMPARE(none.loss, 0.0);
}

void TestMetrics::evaluateRejectsMismatchedData()
{
    const Model model = tinyModel();
    QVERIFY_THROWS_EXCEPTION(ShapeError, evaluate(model, randomDataset(10, 28, 28, 6)));
    Dataset bad = randomDataset(10, 8, 8, 6);
    bad.labels[3] = 12;
    QVERIFY_THROWS_EXCEPTION(ShapeError, evaluate(model, bad));
    Dataset shortImages = randomDataset(10, 8, 8, 6);
    shortImages.images.resize(100);
    QVERIFY_THROWS_EXCEPTION(ShapeError, evaluate(model, shortImages));
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
