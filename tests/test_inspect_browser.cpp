// The MNIST browser: filters and sorts on an injected fixture (counts per
// filter combination, by hand and against brute force), the widget's
// behaviour before and after predictions arrive, selection and "Send to
// canvas", the missing-data page, and, with real MNIST present, the time to
// the first page and per scrolled frame.
#include "mnist_check.h"
#include "panels/mnist_browser.h"
#include "panels/sample_filter.h"

#include <common/defaultmodel.h>
#include <nn/model.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QFile>

#include <cmath>

namespace {

using app::SampleFilter;

// train: 30 samples, label i % 10, wrong when i % 4 == 0 (predicted label+1),
//        confidence 0.30 + 0.02 i.
// test:  12 samples, label 3i % 10, wrong when i % 3 == 0 (predicted label+2),
//        confidence 0.50 + 0.04 i.
struct Fixture {
    std::shared_ptr<nn::Dataset> train, test;
    std::shared_ptr<nn::Evaluation> trainEval, testEval;
};

std::shared_ptr<nn::Dataset> makeSet(int n, int mul)
{
    auto d = std::make_shared<nn::Dataset>();
    d->images.assign(std::size_t(n) * 784, 0);
    for (int i = 0; i < n; ++i) {
        d->labels.push_back(std::uint8_t((mul * i) % 10));
        d->images[std::size_t(i) * 784 + std::size_t(i)] = 255;  // tell the images apart
    }
    return d;
}

std::shared_ptr<nn::Evaluation> makeEval(const nn::Dataset& d, int wrongEvery, int shift, float c0, float dc)
{
    auto e = std::make_shared<nn::Evaluation>();
    e->labels = d.labels;
    for (int i = 0; i < d.size(); ++i) {
        const int l = d.labels[std::size_t(i)];
        const int p = i % wrongEvery == 0 ? (l + shift) % 10 : l;
        e->predictions.push_back(std::uint8_t(p));
        const float c = c0 + dc * float(i);
        for (int k = 0; k < 10; ++k)
            e->probabilities.push_back(k == p ? c : (1.0f - c) / 9.0f);
    }
    return e;
}

Fixture fixture()
{
    Fixture f;
    f.train = makeSet(30, 1);
    f.test = makeSet(12, 3);
    f.trainEval = makeEval(*f.train, 4, 1, 0.30f, 0.02f);
    f.testEval = makeEval(*f.test, 3, 2, 0.50f, 0.04f);
    return f;
}

std::vector<app::SampleSource> sources(const Fixture& f, bool trainPred = true, bool testPred = true)
{
    return {{"train", f.train, trainPred ? f.trainEval : nullptr}, {"test", f.test, testPred ? f.testEval : nullptr}};
}

// The obvious implementation, for comparison.
int bruteForce(const std::vector<app::SampleSource>& src, const SampleFilter& f)
{
    int n = 0;
    for (int s = 0; s < int(src.size()); ++s) {
        if (f.source >= 0 && f.source != s)
            continue;
        const auto& e = src[std::size_t(s)].evaluation;
        for (int i = 0; i < src[std::size_t(s)].data->size(); ++i) {
            const int l = src[std::size_t(s)].data->labels[std::size_t(i)];
            if (f.label >= 0 && l != f.label)
                continue;
            if (f.needsPredictions()) {
                if (!e)
                    continue;
                const int p = e->predictions[std::size_t(i)];
                const float c = e->probabilities[std::size_t(i) * 10 + std::size_t(p)];
                if (f.predicted >= 0 && p != f.predicted)
                    continue;
                if (f.outcome == SampleFilter::Outcome::Correct && p != l)
                    continue;
                if (f.outcome == SampleFilter::Outcome::Misclassified && p == l)
                    continue;
                if (c < f.minConfidence || c > f.maxConfidence)
                    continue;
            }
            ++n;
        }
    }
    return n;
}

SampleFilter make(int source, int label, int predicted, SampleFilter::Outcome o, float lo = 0, float hi = 1)
{
    SampleFilter f;
    f.source = source;
    f.label = label;
    f.predicted = predicted;
    f.outcome = o;
    f.minConfidence = lo;
    f.maxConfidence = hi;
    return f;
}

double loadAverage()
{
    QFile f("/proc/loadavg");
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : 0.0;
}

QPushButton* button(QWidget* w, const QString& text)
{
    for (QPushButton* b : w->findChildren<QPushButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

}  // namespace

Q_DECLARE_METATYPE(app::SampleFilter)

class TestInspectBrowser : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void filterCounts_data();
    void filterCounts();
    void everyCombinationMatchesBruteForce();
    void sorting();
    void widgetBeforeAndAfterPredictions();
    void selectionAndSendToCanvas();
    void predictionsFromAModel();
    void missingData();
    void realMnistFirstPage();

private:
    Fixture m_f;
};

void TestInspectBrowser::initTestCase() { m_f = fixture(); }

void TestInspectBrowser::filterCounts_data()
{
    using O = SampleFilter::Outcome;
    QTest::addColumn<SampleFilter>("filter");
    QTest::addColumn<int>("expected");
    QTest::newRow("everything") << make(-1, -1, -1, O::Any) << 42;
    QTest::newRow("train") << make(0, -1, -1, O::Any) << 30;
    QTest::newRow("test") << make(1, -1, -1, O::Any) << 12;
    // label 3: train 3, 13, 23; test i = 1 (3), 11 (33)
    QTest::newRow("label 3") << make(-1, 3, -1, O::Any) << 5;
    QTest::newRow("label 3 test") << make(1, 3, -1, O::Any) << 2;
    // wrong: train i = 0, 4, ..., 28 (8); test i = 0, 3, 6, 9 (4)
    QTest::newRow("misclassified") << make(-1, -1, -1, O::Misclassified) << 12;
    QTest::newRow("misclassified train") << make(0, -1, -1, O::Misclassified) << 8;
    QTest::newRow("correct") << make(-1, -1, -1, O::Correct) << 30;
    QTest::newRow("correct test") << make(1, -1, -1, O::Correct) << 8;
    // train i = 0 (label 0 -> 1); i = 20 (label 0 -> 1): predicted 1 and wrong
    QTest::newRow("predicted 1 wrong train") << make(0, -1, 1, O::Misclassified) << 2;
    // predicted 1: train correct 1, 11, 21 (i % 4 != 0) + wrong 0, 20; test: label 1 at i = 7
    // (7 % 3 != 0, correct) and label 9 -> 1 at i = 3 (wrong) -> 5 + 2
    QTest::newRow("predicted 1") << make(-1, -1, 1, O::Any) << 7;
    // confidence in [0.51, 0.69]: train i = 11..19 (9), test i = 1..4 (4)
    QTest::newRow("confidence band") << make(-1, -1, -1, O::Any, 0.51f, 0.69f) << 13;
    // ... and wrong: train 12, 16; test 3
    QTest::newRow("confidence band wrong") << make(-1, -1, -1, O::Misclassified, 0.51f, 0.69f) << 3;
    QTest::newRow("label 0 wrong") << make(-1, 0, -1, O::Misclassified) << 3;  // train 0, 20; test 0
    QTest::newRow("nothing") << make(-1, 5, 7, O::Correct) << 0;
}

void TestInspectBrowser::filterCounts()
{
    QFETCH(SampleFilter, filter);
    QFETCH(int, expected);
    const auto src = sources(m_f);
    QCOMPARE(int(app::filterSamples(src, filter).size()), expected);
    QCOMPARE(bruteForce(src, filter), expected);
    // The same through the widget, whose sources are (test, train).
    app::MnistBrowser b;
    b.setDatasets(m_f.train, m_f.test);
    b.setEvaluation(app::MnistBrowser::TrainSource, m_f.trainEval);
    b.setEvaluation(app::MnistBrowser::TestSource, m_f.testEval);
    SampleFilter inBrowser = filter;
    if (filter.source >= 0)
        inBrowser.source = filter.source == 0 ? app::MnistBrowser::TrainSource : app::MnistBrowser::TestSource;
    b.setFilter(inBrowser);
    QCOMPARE(b.sampleModel()->rowCount(), expected);
    QCOMPARE(b.filter(), inBrowser);
}

void TestInspectBrowser::everyCombinationMatchesBruteForce()
{
    using O = SampleFilter::Outcome;
    int checked = 0;
    for (bool trainPred : {false, true})
        for (bool testPred : {false, true}) {
            const auto src = sources(m_f, trainPred, testPred);
            for (int s = -1; s < 2; ++s)
                for (int l = -1; l < 10; ++l)
                    for (int p : {-1, 0, 1, 3, 9})
                        for (O o : {O::Any, O::Correct, O::Misclassified})
                            for (auto [lo, hi] : {std::pair{0.0f, 1.0f}, {0.45f, 0.75f}, {0.0f, 0.4f}}) {
                                const SampleFilter f = make(s, l, p, o, lo, hi);
                                const auto got = app::filterSamples(src, f);
                                QCOMPARE(int(got.size()), bruteForce(src, f));
                                for (const app::SampleRef& r : got) {  // and the right ones
                                    QVERIFY(f.source < 0 || r.source == f.source);
                                    QVERIFY(f.label < 0 ||
                                            src[std::size_t(r.source)].data->labels[std::size_t(r.index)] == f.label);
                                }
                                ++checked;
                            }
        }
    qInfo("%d filter combinations checked", checked);
}

void TestInspectBrowser::sorting()
{
    const auto src = sources(m_f);
    SampleFilter f;
    f.sort = SampleFilter::Sort::ConfidenceAscending;
    auto refs = app::filterSamples(src, f);
    QCOMPARE(int(refs.size()), 42);
    for (std::size_t k = 1; k < refs.size(); ++k)
        QVERIFY(app::sampleConfidence(*src[std::size_t(refs[k - 1].source)].evaluation, refs[k - 1].index) <=
                app::sampleConfidence(*src[std::size_t(refs[k].source)].evaluation, refs[k].index));
    f.sort = SampleFilter::Sort::LossDescending;
    refs = app::filterSamples(src, f);
    for (std::size_t k = 1; k < refs.size(); ++k)
        QVERIFY(app::sampleLoss(*src[std::size_t(refs[k - 1].source)].evaluation, refs[k - 1].index) >=
                app::sampleLoss(*src[std::size_t(refs[k].source)].evaluation, refs[k].index));
    // The hardest sample: a wrong one with high confidence in the wrong class.
    QVERIFY(src[std::size_t(refs[0].source)].evaluation->predictions[std::size_t(refs[0].index)] !=
            src[std::size_t(refs[0].source)].data->labels[std::size_t(refs[0].index)]);
    f.sort = SampleFilter::Sort::Index;
    refs = app::filterSamples(src, f);
    QCOMPARE(refs.front(), (app::SampleRef{0, 0}));
    QCOMPARE(refs.back(), (app::SampleRef{1, 11}));
}

void TestInspectBrowser::widgetBeforeAndAfterPredictions()
{
    app::MnistBrowser b;
    b.resize(1200, 800);
    b.show();
    b.setDatasets(m_f.train, m_f.test);
    QCOMPARE(b.sampleModel()->rowCount(), 42);
    // Virtualised: a list view in icon mode with uniform items, no widget per item.
    QCOMPARE(b.gridView()->viewMode(), QListView::IconMode);
    QVERIFY(b.gridView()->uniformItemSizes());
    QVERIFY(b.gridView()->findChildren<QWidget*>().size() < 10);

    auto* outcome = b.findChild<QComboBox*>("outcomeFilter");
    QVERIFY(outcome);
    QCOMPARE(outcome->itemText(2), QString("Misclassified"));
    QVERIFY(!outcome->isEnabled());  // no predictions yet

    // Test predictions first: prediction filters enable and cover the test set only.
    b.setEvaluation(app::MnistBrowser::TestSource, m_f.testEval);
    QVERIFY(outcome->isEnabled());
    outcome->setCurrentIndex(2);
    QCOMPARE(b.sampleModel()->rowCount(), 4);
    b.setEvaluation(app::MnistBrowser::TrainSource, m_f.trainEval);
    QCOMPARE(b.sampleModel()->rowCount(), 12);
    // Predictions of the wrong size are refused.
    b.setEvaluation(app::MnistBrowser::TestSource, m_f.trainEval);
    QCOMPARE(b.sampleModel()->rowCount(), 12);

    // Label and split controls.
    auto* split = b.findChild<QComboBox*>("splitFilter");
    QVERIFY(split);
    QCOMPARE(split->itemText(1), QString("Test (10,000)"));
    split->setCurrentIndex(1);  // test
    QCOMPARE(b.sampleModel()->rowCount(), 4);
    outcome->setCurrentIndex(0);
    QCOMPARE(b.sampleModel()->rowCount(), 12);
    b.findChild<QDoubleSpinBox*>("minConfidence")->setValue(51.0);
    b.findChild<QDoubleSpinBox*>("maxConfidence")->setValue(69.0);
    QCOMPARE(b.sampleModel()->rowCount(), 4);
    // The count label says so.
    QCOMPARE(b.findChild<QLabel*>("count")->text(), QString("Showing 4 of 42 images"));
}

void TestInspectBrowser::selectionAndSendToCanvas()
{
    app::MnistBrowser b;
    b.resize(1200, 800);
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b));
    b.setDatasets(m_f.train, m_f.test);
    b.setEvaluation(app::MnistBrowser::TrainSource, m_f.trainEval);
    b.setEvaluation(app::MnistBrowser::TestSource, m_f.testEval);
    QSignalSpy selected(&b, &app::MnistBrowser::sampleSelected);
    QSignalSpy sent(&b, &app::MnistBrowser::sendToCanvas);

    // The test set comes first: the 20th thumbnail is train #7.
    QCOMPARE(b.sampleModel()->describe(0), QString("test #0"));
    const QRect r = b.gridView()->visualRect(b.sampleModel()->index(12 + 7));
    QVERIFY(r.isValid() && !r.isEmpty());
    QTest::mouseClick(b.gridView()->viewport(), Qt::LeftButton, {}, r.center());
    QVERIFY(selected.count() >= 1);
    QCOMPARE(selected.last().at(1).toString(), QString("train #7"));
    QCOMPARE(selected.last().at(2).toInt(), 7);
    QCOMPARE(b.detailView()->caption(), QString("train #7"));

    QPushButton* send = button(&b, "Send to canvas");
    QVERIFY(send && send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
    QCOMPARE(sent.count(), 1);
    const QImage img = sent.first().at(0).value<QImage>();
    QCOMPARE(img.size(), QSize(28, 28));
    QCOMPARE(qGray(img.pixel(7, 0)), 255);  // train #7 has pixel 7 lit
    QCOMPARE(qGray(img.pixel(6, 0)), 0);
    // By keyboard: Enter on the current thumbnail sends it too.
    b.gridView()->setFocus();
    QTest::keyClick(b.gridView(), Qt::Key_Return);
    QCOMPARE(sent.count(), 2);
    QCOMPARE(sent.last().at(0).value<QImage>(), img);

    // "Preview augmentation" carries the training index too (issue 21 item
    // 16: "(training index 0)" for train #59999).
    QSignalSpy preview(&b, &app::MnistBrowser::previewAugmentation);
    QPushButton* previewButton = button(&b, "Preview augmentation");
    QVERIFY(previewButton && previewButton->isEnabled());
    QTest::mouseClick(previewButton, Qt::LeftButton);
    QCOMPARE(preview.count(), 1);
    QCOMPARE(preview.last().at(1).toString(), QString("train #7"));
    QCOMPARE(preview.last().at(2).toInt(), 7);

    // A test sample reports trainIndex -1.
    b.selectRow(2);
    QCOMPARE(selected.last().at(1).toString(), QString("test #2"));
    QCOMPARE(selected.last().at(2).toInt(), -1);
    QTest::mouseClick(previewButton, Qt::LeftButton);
    QCOMPARE(preview.last().at(2).toInt(), -1);
}

void TestInspectBrowser::predictionsFromAModel()
{
    auto model = std::make_shared<nn::Model>(nn::Model::fromSpec("conv 4 3 | relu | maxpool 2 | dense 10"));
    model->initialize(9);
    app::MnistBrowser b;
    b.setDatasets(m_f.train, m_f.test);
    QSignalSpy done(&b, &app::MnistBrowser::predictionsFinished);
    b.setModel(model);
    QVERIFY(done.wait(30000));
    QVERIFY(b.predictionsReady(app::MnistBrowser::TrainSource) && b.predictionsReady(app::MnistBrowser::TestSource));
    const nn::Evaluation train = nn::evaluate(*model, *m_f.train), test = nn::evaluate(*model, *m_f.test);
    int wrong = 0;
    for (const nn::Evaluation* e : {&train, &test})
        for (int i = 0; i < e->size(); ++i)
            wrong += e->labels[std::size_t(i)] != e->predictions[std::size_t(i)];
    SampleFilter f;
    f.outcome = SampleFilter::Outcome::Misclassified;
    b.setFilter(f);
    QCOMPARE(b.sampleModel()->rowCount(), wrong);
    // A new model drops the old predictions until the new ones arrive.
    auto other = std::make_shared<nn::Model>(*model);
    other->initialize(10);
    b.setModel(other);
    QVERIFY(!b.predictionsReady(app::MnistBrowser::TestSource));
    QVERIFY(done.wait(30000));
    QVERIFY(b.predictionsReady(app::MnistBrowser::TestSource));
}

void TestInspectBrowser::missingData()
{
    QTemporaryDir dir;
    app::MnistBrowser b;
    b.show();
    b.setDataDir(dir.path() + "/mnist");
    QPushButton* download = button(&b, "Download MNIST");
    QVERIFY(download);
    QTRY_VERIFY(download->isVisible());
    bool says = false;
    for (QLabel* l : b.findChildren<QLabel*>())
        says = says || (l->isVisible() && l->text().contains("MNIST is not here yet"));
    QVERIFY(says);
    QVERIFY(!b.hasData());
}

void TestInspectBrowser::realMnistFirstPage()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    const QString dir = app::resolveDataDir();
    if (nn::findMnistFile(dir.toStdString(), "train-images-idx3-ubyte").empty() ||
        nn::findMnistFile(dir.toStdString(), "t10k-images-idx3-ubyte").empty())
        DIGITPAD_SKIP_WITHOUT_MNIST("MNIST is not in " + dir + " (set DIGITPAD_DATA or run scripts/fetch-mnist)");

    auto model = std::make_shared<nn::Model>(nn::Model::fromSpec(nn::Model::presetSpec("cnn")));
    model->initialize(1);
    QElapsedTimer t;
    t.start();
    app::MnistBrowser b;
    b.resize(1280, 800);
    b.show();
    const qint64 constructed = t.elapsed();
    b.setModel(model);  // predictions start as soon as data is there; the grid must not wait for them
    QSignalSpy reset(b.sampleModel(), &QAbstractItemModel::modelReset);
    QSignalSpy loaded(&b, &app::MnistBrowser::datasetsLoaded);
    b.setDataDir(dir);
    QVERIFY(reset.wait(10000));
    const qint64 testLoaded = t.elapsed();
    QVERIFY(b.sampleModel()->rowCount() > 0);
    b.gridView()->viewport()->repaint();
    const qint64 firstPage = t.elapsed();
    const int firstRows = b.sampleModel()->rowCount();
    QVERIFY(loaded.wait(20000));
    const qint64 allLoaded = t.elapsed();
    QCOMPARE(b.sampleModel()->rowCount(), 70000);
    qInfo("MNIST browser: widget shown after %lld ms, test set loaded after %lld ms, first page (%d test images) "
          "painted after %lld ms; all 70,000 after %lld ms",
          constructed, testLoaded, firstRows, firstPage, allLoaded);
    // Wall-clock budgets mean little when the machine runs more threads than it
    // has cores (shared build machines): report, and only hold to the budget
    // when the load is below the core count.
    const double load = loadAverage();
    const int cores = QThread::idealThreadCount();
    if (load < cores)
        QVERIFY2(firstPage < 300, qPrintable(QString("first page after %1 ms").arg(firstPage)));
    else
        qWarning("load average %.1f on %d cores: the 300 ms first-page budget is not checked this run", load, cores);

    // Scrolling: paint a page at 20 positions spread over all 70,000 images.
    QScrollBar* bar = b.gridView()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    b.gridView()->viewport()->repaint();  // lays out the appended rows once
    qint64 worst = 0;
    QElapsedTimer frame;
    QList<qint64> frames;
    for (int k = 0; k <= 20; ++k) {
        bar->setValue(int(qint64(bar->maximum()) * k / 20));
        frame.start();
        b.gridView()->viewport()->repaint();
        frames << frame.elapsed();
        worst = std::max(worst, frames.back());
    }
    std::sort(frames.begin(), frames.end());
    qInfo("scrolling: page paints take %lld ms (median), %lld ms (slowest)", frames[frames.size() / 2], worst);
    if (load < cores)
        QVERIFY(frames[frames.size() / 2] < 16);
}

QTEST_MAIN(TestInspectBrowser)
#include "test_inspect_browser.moc"
