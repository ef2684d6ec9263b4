// The evaluation panel on fixtures with known labels and predictions:
// metrics against hand-computed values, a click on each confusion cell lists
// exactly the samples with that true/predicted pair, row percentages,
// the most confused pairs, and the exports.
#include "panels/calibration_view.h"
#include "panels/confusion_view.h"
#include "panels/evaluation_panel.h"
#include "panels/mnist_browser.h"
#include "workers/evaluation_worker.h"

#include <nn/calibration.h>
#include <nn/model.h>
#include <nn/notdigit.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <random>
#include <set>

namespace {

// n samples; sample i's image has pixel i lit so that images are told apart.
std::shared_ptr<nn::Dataset> dataset(const std::vector<int>& labels)
{
    auto d = std::make_shared<nn::Dataset>();
    d->images.assign(labels.size() * 784, 0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        d->labels.push_back(std::uint8_t(labels[i]));
        d->images[i * 784 + (i % 784)] = 255;
        d->images[i * 784 + 14 * 28 + 14] = 200;
    }
    return d;
}

// Predicted class gets `confidence`, the rest share what is left.
std::shared_ptr<nn::Evaluation> evaluation(const std::vector<int>& labels, const std::vector<int>& predictions,
                                           const std::vector<float>& confidence)
{
    auto e = std::make_shared<nn::Evaluation>();
    for (std::size_t i = 0; i < labels.size(); ++i) {
        e->labels.push_back(std::uint8_t(labels[i]));
        e->predictions.push_back(std::uint8_t(predictions[i]));
        for (int k = 0; k < 10; ++k)
            e->probabilities.push_back(k == predictions[i] ? confidence[i] : (1.0f - confidence[i]) / 9.0f);
    }
    e->loss = 0.5;
    return e;
}

QString cell(QTableWidget* t, int r, int c) { return t->item(r, c) ? t->item(r, c)->text() : QString(); }

}  // namespace

class TestInspectConfusion : public QObject {
    Q_OBJECT
private slots:
    void handComputedMetrics();
    void clickEveryCellListsExactlyItsSamples();
    void cellSortingAndDetail();
    void normalizedAndPairs();
    void rowPercentagesNeverRoundToPerfect();
    void calibrationLegendHasEveryColour();
    void temperatureScaledEce();
    void exports();
    void runsTheWorker();
};

// labels      0 0 0 1 1 2 2 2 2 3
// predictions 0 0 1 1 2 2 2 2 0 3
// class 0: TP 2, predicted 3 times, 3 true -> P 2/3, R 2/3, F1 2/3, support 3
// class 1: TP 1, predicted 2, true 2       -> P 1/2, R 1/2, F1 1/2, support 2
// class 2: TP 3, predicted 4, true 4       -> P 3/4, R 3/4, F1 3/4, support 4
// class 3: TP 1, predicted 1, true 1       -> 1, 1, 1, support 1
// classes 4..9: no samples -> 0 (macro averages over all ten classes)
// macro P = R = F1 = (2/3 + 1/2 + 3/4 + 1) / 10 = 0.291667
// weighted = (2/3*3 + 1/2*2 + 3/4*4 + 1*1) / 10 = 0.7; accuracy 7/10
const std::vector<int> kLabels = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3};
const std::vector<int> kPreds = {0, 0, 1, 1, 2, 2, 2, 2, 0, 3};
const std::vector<float> kConf = {0.9f, 0.8f, 0.6f, 0.95f, 0.55f, 0.99f, 0.7f, 0.85f, 0.5f, 0.9f};

void TestInspectConfusion::handComputedMetrics()
{
    app::EvaluationPanel panel;
    panel.setResult("fixture", dataset(kLabels), evaluation(kLabels, kPreds, kConf));
    QVERIFY(panel.hasResult());
    const auto& m = panel.confusionView()->confusion();
    QCOMPARE(m[0][0], 2);
    QCOMPARE(m[0][1], 1);
    QCOMPARE(m[1][1], 1);
    QCOMPARE(m[1][2], 1);
    QCOMPARE(m[2][2], 3);
    QCOMPARE(m[2][0], 1);
    QCOMPARE(m[3][3], 1);
    int total = 0;
    for (const auto& row : m)
        for (int c : row)
            total += c;
    QCOMPARE(total, 10);

    QTableWidget* t = panel.metricsTable();
    QCOMPARE(cell(t, 0, 0), QString("0.6667"));
    QCOMPARE(cell(t, 0, 1), QString("0.6667"));
    QCOMPARE(cell(t, 0, 2), QString("0.6667"));
    QCOMPARE(cell(t, 0, 3), QString("3"));
    QCOMPARE(cell(t, 1, 2), QString("0.5000"));
    QCOMPARE(cell(t, 2, 0), QString("0.7500"));
    QCOMPARE(cell(t, 2, 3), QString("4"));
    QCOMPARE(cell(t, 3, 2), QString("1.0000"));
    QCOMPARE(cell(t, 4, 3), QString("0"));
    QCOMPARE(cell(t, 10, 0), QString("0.2917"));  // macro
    QCOMPARE(cell(t, 10, 2), QString("0.2917"));
    QCOMPARE(cell(t, 11, 1), QString("0.7000"));  // weighted
    QCOMPARE(cell(t, 11, 3), QString("10"));
    QCOMPARE(cell(t, 12, 2), QString("0.7000"));  // accuracy
    // Calibration of the same result: 10 bins of 0.1.
    const nn::Calibration& c = panel.calibration();
    QCOMPARE(c.total, 10);
    // Bins are (m/10, (m+1)/10]: (0.9, 1] holds 0.95 and 0.99 (#3, #5), and
    // (0.8, 0.9] holds 0.85, 0.9, 0.9 (#7, #0, #9), all right.
    QCOMPARE(c.bins[9].count, 2);
    QCOMPARE(c.bins[8].count, 3);
    QCOMPARE(c.bins[8].correct, 3);
    QCOMPARE(c.bins[4].count, 1);  // 0.5, #8, wrong
    QCOMPARE(c.bins[4].correct, 0);
}

void TestInspectConfusion::clickEveryCellListsExactlyItsSamples()
{
    // 400 random samples, mostly right, with every kind of confusion.
    std::mt19937 rng(11);
    std::vector<int> labels, preds;
    std::vector<float> conf;
    for (int i = 0; i < 400; ++i) {
        const int l = int(rng() % 10);
        labels.push_back(l);
        preds.push_back(rng() % 3 == 0 ? int(rng() % 10) : l);
        conf.push_back(0.3f + 0.7f * float(rng() % 1000) / 1000.0f);
    }
    app::EvaluationPanel panel;
    panel.resize(1300, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setResult("random", dataset(labels), evaluation(labels, preds, conf));
    app::ConfusionView* view = panel.confusionView();
    QSignalSpy clicks(view, &app::ConfusionView::cellClicked);
    int nonEmpty = 0;
    for (int t = 0; t < 10; ++t)
        for (int p = 0; p < 10; ++p) {
            const QRect r = view->cellRect(t, p);
            QVERIFY2(r.width() >= 10 && r.height() >= 10, "the matrix is too small to click");
            QTest::mouseClick(view, Qt::LeftButton, {}, r.center());
            std::set<int> expected;
            for (int i = 0; i < int(labels.size()); ++i)
                if (labels[std::size_t(i)] == t && preds[std::size_t(i)] == p)
                    expected.insert(i);
            std::set<int> listed;
            for (const app::SampleRef& s : panel.cellModel()->samples()) {
                QCOMPARE(s.source, 0);
                listed.insert(s.index);
            }
            QCOMPARE(int(panel.cellModel()->samples().size()), int(expected.size()));  // no duplicates
            QVERIFY2(listed == expected, qPrintable(QString("cell (%1, %2)").arg(t).arg(p)));
            QCOMPARE(view->selectedTrue(), t);
            QCOMPARE(view->selectedPredicted(), p);
            QCOMPARE(int(panel.confusionView()->confusion()[std::size_t(t)][std::size_t(p)]), int(expected.size()));
            nonEmpty += !expected.empty();
        }
    QCOMPARE(clicks.count(), 100);
    QVERIFY(nonEmpty > 50);
    // A click on a corner of a cell, and one outside the grid.
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(4, 9).topLeft() + QPoint(1, 1));
    QCOMPARE(clicks.count(), 101);
    QCOMPARE(clicks.last().at(0).toInt(), 4);
    QCOMPARE(clicks.last().at(1).toInt(), 9);
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(clicks.count(), 101);
}

void TestInspectConfusion::cellSortingAndDetail()
{
    app::EvaluationPanel panel;
    panel.resize(1300, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setResult("fixture", dataset(kLabels), evaluation(kLabels, kPreds, kConf));
    QTest::mouseClick(panel.confusionView(), Qt::LeftButton, {}, panel.confusionView()->cellRect(2, 2).center());
    // Sorted by confidence, highest first: 0.99 (#5), 0.85 (#7), 0.7 (#6).
    const std::vector<app::SampleRef> want = {{0, 5}, {0, 7}, {0, 6}};
    QCOMPARE(panel.cellModel()->samples(), want);
    QVERIFY(panel.cellGrid()->isVisible());
    // The first sample is shown in the detail view.
    QCOMPARE(panel.cellDetail()->caption(), QString("fixture #5"));
    // Clicking a thumbnail opens it like the browser does.
    const QRect r = panel.cellGrid()->visualRect(panel.cellModel()->index(2));
    QVERIFY(r.isValid());
    QTest::mouseClick(panel.cellGrid()->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(panel.cellDetail()->caption(), QString("fixture #6"));
    QSignalSpy send(&panel, &app::EvaluationPanel::sendToCanvas);
    emit panel.cellDetail()->sendToCanvas(panel.cellDetail()->image());
    QCOMPARE(send.count(), 1);
    const QImage img = send.first().at(0).value<QImage>();
    QCOMPARE(img.size(), QSize(28, 28));
    QCOMPARE(qGray(img.pixel(6 % 28, 6 / 28)), 255);  // sample 6 has pixel 6 lit

    // Sort by index instead.
    auto* sort = panel.findChild<QComboBox*>("cellSort");
    QVERIFY(sort);
    sort->setCurrentIndex(int(app::SampleFilter::Sort::Index));
    const std::vector<app::SampleRef> byIndex = {{0, 5}, {0, 6}, {0, 7}};
    QCOMPARE(panel.cellModel()->samples(), byIndex);
}

void TestInspectConfusion::normalizedAndPairs()
{
    app::EvaluationPanel panel;
    panel.setResult("fixture", dataset(kLabels), evaluation(kLabels, kPreds, kConf));
    QVERIFY(!panel.confusionView()->normalized());
    auto* box = panel.findChild<QCheckBox*>("rowPercentages");
    QVERIFY(box);
    box->setChecked(true);
    QVERIFY(panel.confusionView()->normalized());
    // Most confused pairs: three pairs (#2, #4, #8) with one sample each, in (true, predicted) order.
    QListWidget* pairs = panel.confusedPairs();
    QCOMPARE(pairs->count(), 3);
    QCOMPARE(pairs->item(0)->data(Qt::UserRole).toInt(), 0);
    QCOMPARE(pairs->item(0)->data(Qt::UserRole + 1).toInt(), 1);
    QVERIFY(pairs->item(0)->text().contains("33.33%"));  // 1 of the 3 zeros
    // Clicking a pair opens its cell.
    emit pairs->itemClicked(pairs->item(2));  // (2, 0)
    QCOMPARE(panel.cellModel()->samples(), (std::vector<app::SampleRef>{{0, 8}}));
    // The colour scale is monotonic in the row share.
    QVERIFY(app::ConfusionView::colorFor(0.9).lightness() < app::ConfusionView::colorFor(0.01).lightness());
    QCOMPARE(app::ConfusionView::colorFor(0.0), QColor(250, 250, 250));
}

// 977 of 980 right is not "100%"; 1 of 5000 wrong is not "0.0%".
void TestInspectConfusion::rowPercentagesNeverRoundToPerfect()
{
    app::ConfusionView v;
    app::ConfusionView::Matrix m{};
    m[0][0] = 977;
    m[0][6] = 3;
    m[1][1] = 1135;
    m[2][2] = 9999;
    m[2][7] = 1;
    m[3][3] = 50;
    m[3][5] = 50;
    v.setConfusion(m);
    QCOMPARE(v.cellText(0, 0), QStringLiteral("977"));
    v.setNormalized(true);
    QCOMPARE(v.cellText(0, 0), QStringLiteral("99.7%"));
    QCOMPARE(v.cellText(0, 6), QStringLiteral("0.3%"));
    QCOMPARE(v.cellText(1, 1), QStringLiteral("100%"));
    QCOMPARE(v.cellText(2, 2), QStringLiteral(">99.9%"));
    QCOMPARE(v.cellText(2, 7), QStringLiteral("<0.1%"));
    QCOMPARE(v.cellText(3, 3), QStringLiteral("50%"));
    QCOMPARE(v.cellText(0, 1), QString());
    QCOMPARE(v.cellText(0, 0, true), QStringLiteral("99.7"));
}

// The gap inside a bar (under-confident bin) blends red over blue: that
// colour must be in the legend too, not only in the chart.
void TestInspectConfusion::temperatureScaledEce()
{
    // Issue 15: with the temperature stored in the model, the page shows the
    // ECE before and after temperature scaling; without one, only before.
    const auto data = dataset(kLabels);
    const auto ev = evaluation(kLabels, kPreds, kConf);
    app::EvaluationPanel panel;
    nn::Model m = nn::Model::fromSpec("dense 10");
    panel.setModel(std::make_shared<const nn::Model>(m));
    panel.setResult("fixture", data, ev);
    QCOMPARE(panel.scaledCalibration().total, 0);
    QVERIFY(!panel.calibrationView()->hasScaled());
    QVERIFY2(!panel.calibrationView()->title().contains("at T"), qPrintable(panel.calibrationView()->title()));

    nn::NotDigitCalibration c;
    c.temperature = 2.0;
    c.threshold = 0;
    nn::storeNotDigit(m, c);
    panel.setModel(std::make_shared<const nn::Model>(m));
    panel.setResult("fixture", data, ev);
    const nn::Calibration expected = nn::calibrationAtTemperature(*ev, 2.0, 10);
    QCOMPARE(panel.scaledCalibration().total, 10);
    QCOMPARE(panel.scaledCalibration().ece, expected.ece);
    QVERIFY(expected.ece != panel.calibration().ece);  // T = 2 softens these: the numbers differ
    QVERIFY(panel.calibrationView()->hasScaled());
    const QString title = panel.calibrationView()->title();
    QVERIFY2(title.contains(QStringLiteral("at T 2.00: ECE %1%").arg(100.0 * expected.ece, 0, 'f', 2)), qPrintable(title));
    bool summarised = false;
    for (QLabel* l : panel.findChildren<QLabel*>())
        summarised |= l->text().contains(QStringLiteral("%1% after temperature scaling (T 2.00)")
                                             .arg(100.0 * expected.ece, 0, 'f', 2));
    QVERIFY(summarised);
}

void TestInspectConfusion::calibrationLegendHasEveryColour()
{
    app::CalibrationView v;
    v.resize(520, 600);
    nn::Calibration c;
    for (int m = 0; m < 10; ++m) {
        nn::ReliabilityBin b;
        b.lower = m / 10.0;
        b.upper = (m + 1) / 10.0;
        c.bins.push_back(b);
    }
    c.bins[7].count = 100;
    c.bins[7].meanConfidence = 0.75;
    c.bins[7].accuracy = 0.95;  // under-confident: the gap lies inside the bar
    c.bins[9].count = 100;
    c.bins[9].meanConfidence = 0.95;
    c.bins[9].accuracy = 0.6;   // over-confident: the gap lies above it
    c.total = 200;
    v.setCalibration(c);
    const QImage shot = v.grab().toImage().convertToFormat(QImage::Format_RGB32);

    QImage mix(1, 1, QImage::Format_RGB32);
    {
        QPainter p(&mix);
        p.fillRect(mix.rect(), QColor(52, 110, 190));
        p.fillRect(mix.rect(), QColor(220, 60, 50, 110));
    }
    const QRgb blend = mix.pixel(0, 0);
    const auto count = [&](QRect r) {
        int n = 0;
        r &= shot.rect();
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x)
                n += shot.pixel(x, y) == blend;
        return n;
    };
    const int w = shot.width(), h = shot.height();
    QVERIFY2(count(QRect(w / 2, 0, w / 2, h)) > 20, "the chart shows no under-confident gap");
    QVERIFY2(count(QRect(0, 0, w / 2, h / 3)) >= 20, "the blended gap colour is missing from the legend");
}

void TestInspectConfusion::exports()
{
    app::EvaluationPanel panel;
    panel.resize(1200, 800);
    panel.setResult("fixture", dataset(kLabels), evaluation(kLabels, kPreds, kConf));
    const QStringList lines = panel.confusionCsv().split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 11);
    QCOMPARE(lines[0], QString("true\\predicted,0,1,2,3,4,5,6,7,8,9,total"));
    QCOMPARE(lines[1], QString("0,2,1,0,0,0,0,0,0,0,0,3"));
    QCOMPARE(lines[3], QString("2,1,0,3,0,0,0,0,0,0,0,4"));
    QCOMPARE(lines[10], QString("9,0,0,0,0,0,0,0,0,0,0,0"));

    const QStringList mis = panel.misclassifiedCsv().split('\n', Qt::SkipEmptyParts);
    QCOMPARE(mis.size(), 4);  // header + samples 2, 4, 8
    QVERIFY(mis[0].startsWith("set,index,label,predicted,confidence,loss,p0,"));
    QVERIFY2(mis[1].startsWith("fixture,2,0,1,0.6,"), qPrintable(mis[1]));
    QVERIFY(mis[2].startsWith("fixture,4,1,2,0.55,"));
    QVERIFY(mis[3].startsWith("fixture,8,2,0,0.5,"));
    QCOMPARE(mis[1].split(',').size(), 16);

    QTemporaryDir dir;
    QString error;
    QVERIFY(panel.exportConfusionCsv(dir.filePath("c.csv"), &error));
    QVERIFY(panel.exportMisclassifiedCsv(dir.filePath("m.csv"), &error));
    QVERIFY(panel.exportConfusionPng(dir.filePath("c.png"), &error));
    QFile f(dir.filePath("c.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), panel.confusionCsv());
    const QImage png(dir.filePath("c.png"));
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), QSize(1280, 1160));  // 640x580 at 2x
    QVERIFY(!panel.exportConfusionCsv(dir.filePath("no/such/dir/c.csv"), &error));
    QVERIFY(error.contains("c.csv"));
}

void TestInspectConfusion::runsTheWorker()
{
    // A real evaluation through the panel: the worker's result equals nn::evaluate.
    auto model = std::make_shared<nn::Model>(nn::Model::fromSpec("conv 4 3 | relu | maxpool 2 | dense 10"));
    model->initialize(3);
    std::vector<int> labels;
    for (int i = 0; i < 700; ++i)
        labels.push_back(i % 10);
    auto data = dataset(labels);
    app::EvaluationPanel panel;
    panel.setModel(model);
    panel.setDatasets(nullptr, data);
    QSignalSpy done(&panel, &app::EvaluationPanel::evaluated);
    panel.evaluate(app::EvaluationPanel::TestSet);
    QVERIFY(panel.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QVERIFY(!panel.isRunning());
    const nn::Evaluation ref = nn::evaluate(*model, *data);
    QCOMPARE(panel.evaluation()->predictions, ref.predictions);
    QCOMPARE(panel.evaluation()->probabilities, ref.probabilities);
    QCOMPARE(panel.setName(), QString("test"));
    QCOMPARE(panel.metrics().accuracy, nn::computeMetrics(ref).accuracy);

    // Evaluating the person's digits without any: a clear message, nothing runs.
    panel.evaluate(app::EvaluationPanel::UserSet);
    QVERIFY(!panel.isRunning());
    panel.setUserDigits(data);
    panel.evaluate(app::EvaluationPanel::UserSet);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 120000);
    QCOMPARE(done.last().at(0).value<app::EvaluationPanel::Set>(), app::EvaluationPanel::UserSet);
}

QTEST_MAIN(TestInspectConfusion)
#include "test_inspect_confusion.moc"
