// The Train page's plain parts, without a window: the spec check and its
// summary, the request Start sends for a TrainingSettings, the images an
// epoch takes and its time, the data labels, the Continue tooltip, the
// measured rate, what the pad shows through follow / keep / discard
// (RunResult), and a short run through TrainingRunner.
#include "panels/training_plan.h"
#include "panels/curve_data.h"
#include "panels/training_runner.h"
#include "panels/training_settings.h"

#include "fixtures.h"

#include <nn/errors.h>
#include <nn/estimate.h>
#include <nn/model.h>
#include <nn/parallel.h>

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace app;
using ModelPtr = std::shared_ptr<const nn::Model>;

namespace {

const char* kSmall = "conv 8 5 pad=2 | relu | maxpool 2 | conv 16 5 | relu | maxpool 2 | dense 64 | relu | dense 10";

ModelPtr smallModel() { return std::make_shared<const nn::Model>(nn::Model::fromSpec(kSmall)); }

}  // namespace

class TestTrainingPlan : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void specCheckOfASpec();
    void specCheckOfAModel();
    void requestFromSettings();
    void epochImagesAndEstimate();
    void haveData();
    void dataLabels();
    void checkpointToolTips();
    void runRatesMedian();
    void smoothedRate();
    void runRateIsSmoothedOverRuns();
    void resultSummaryGivesTheFiguresToDecide();
    void myDigitsSummary();
    void axisScalesHaveRoundTicks();
    void runResultFollowKeepDiscard();
    void runnerRunsKeepsAndDiscards();
};

void TestTrainingPlan::specCheckOfASpec()
{
    const SpecCheck ok = SpecCheck::forSpec(QString::fromLatin1(kSmall), -1);
    QVERIFY(ok.valid);
    QVERIFY(ok.error.isEmpty());
    const nn::Model built = nn::Model::fromSpec(kSmall);
    QCOMPARE(ok.params, qint64(built.params().size()));
    QCOMPARE(ok.flops, built.flopsPerSample());
    QVERIFY(ok.summary(2.5, true).contains(QStringLiteral("2.5 s per epoch (from this machine's last run)")));
    QVERIFY(ok.summary(-1, false).contains(QStringLiteral("parameters")));
    QVERIFY(!ok.summary(-1, false).contains(QStringLiteral("per epoch")));

    const SpecCheck bad = SpecCheck::forSpec(QStringLiteral("dense 10 | conv 3 3"), -1);
    QVERIFY(!bad.valid);
    QString expected;
    try {
        nn::Model::checkSpec("dense 10 | conv 3 3");
    } catch (const nn::Error& e) {
        expected = QString::fromStdString(e.what());
    }
    QVERIFY(!expected.isEmpty());
    QCOMPARE(bad.error, expected);
    QVERIFY(bad.summary(3, true).isEmpty());

    const SpecCheck huge = SpecCheck::forSpec(QString::fromLatin1(kSmall), -1, 1000);
    QVERIFY(!huge.valid);
    QVERIFY2(huge.error.contains(QStringLiteral("the GUI trains models of up to")), qPrintable(huge.error));
}

void TestTrainingPlan::specCheckOfAModel()
{
    const SpecCheck none = SpecCheck::forModel(nullptr);
    QVERIFY(!none.valid);
    QCOMPARE(none.error, QStringLiteral("There is no current model to fine-tune"));
    const ModelPtr m = smallModel();
    const SpecCheck c = SpecCheck::forModel(m.get());
    QVERIFY(c.valid);
    QCOMPARE(c.params, qint64(m->params().size()));
}

void TestTrainingPlan::requestFromSettings()
{
    TrainingSettings t;
    t.fineTune = true;
    t.optimizer = QStringLiteral("sgd");
    t.schedule = QStringLiteral("cosine");
    t.learningRate = 0.25;
    t.batchSize = 32;
    t.epochs = 7;
    t.weightDecay = 0.01;
    t.dropout = -0.05;
    t.validationPercent = 20;
    t.patience = 2;
    t.seed = 42;
    t.threads = 3;
    t.includeUserDigits = false;
    TrainingSources src;
    src.current = smallModel();
    src.mnistDir = QStringLiteral("/data/mnist");
    src.userTrain = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(10, 1));
    src.userHeldOut = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(5, 2));
    src.checkpointPath = QStringLiteral("/tmp/x.ckpt");
    src.maxBatchesPerEpoch = 9;

    TrainingRequest r = makeTrainingRequest(t, QStringLiteral("dense 10"), src);
    QCOMPARE(QString::fromStdString(r.spec), QStringLiteral("dense 10"));
    QCOMPARE(r.initial, src.current);
    QCOMPARE(r.dropout, -1.0f);
    QCOMPARE(r.config.epochs, 7);
    QCOMPARE(r.config.batchSize, 32);
    QCOMPARE(r.config.learningRate, 0.25f);
    QCOMPARE(r.config.optimizer.kind, nn::OptimizerConfig::parseKind("sgd"));
    QCOMPARE(r.config.optimizer.weightDecay, 0.01f);
    QCOMPARE(r.config.optimizer.momentum, 0.9f);
    QCOMPARE(r.config.optimizer.l1, 0.0f);
    QCOMPARE(r.config.schedule.kind, nn::ScheduleConfig::parseKind("cosine"));
    QCOMPARE(r.config.seed, std::uint64_t(42));
    QCOMPARE(r.config.threads, 3);
    QCOMPARE(r.config.earlyStopPatience, 2);
    QCOMPARE(r.config.maxBatchesPerEpoch, 9);
    QCOMPARE(r.validationFraction, 0.2);
    QCOMPARE(r.mnistDir, src.mnistDir);
    QCOMPARE(r.checkpointPath, src.checkpointPath);
    // RMSprop from the Train page runs without momentum (0.9 is SGD's), with the L1 set there.
    t.optimizer = QStringLiteral("rmsprop");
    t.l1 = 1e-4;
    const TrainingRequest rms = makeTrainingRequest(t, QStringLiteral("dense 10"), src);
    QCOMPARE(rms.config.optimizer.kind, nn::OptimizerConfig::RMSprop);
    QCOMPARE(rms.config.optimizer.momentum, 0.0f);
    QCOMPARE(rms.config.optimizer.l1, 1e-4f);
    QVERIFY(!r.userTrain);                  // my digits switched off...
    QCOMPARE(r.userHeldOut, src.userHeldOut);  // ...are still measured

    t.fineTune = false;
    t.includeUserDigits = true;
    t.dropout = 0.3;
    r = makeTrainingRequest(t, QStringLiteral("dense 10"), src);
    QVERIFY(!r.initial);
    QCOMPARE(r.dropout, 0.3f);
    QCOMPARE(r.userTrain, src.userTrain);
}

void TestTrainingPlan::epochImagesAndEstimate()
{
    TrainingSettings t;
    t.validationPercent = 10;
    TrainingSources src;
    EpochImages e = epochImages(t, src);
    QCOMPARE(e.train, 54000.0);
    QCOMPARE(e.validation, 6000.0);
    src.userCount = 30;
    e = epochImages(t, src);
    QCOMPARE(e.train, 54000.0 / 0.95);  // my digits repeated to 5%
    t.useMnist = false;
    e = epochImages(t, src);
    QCOMPARE(e.train, 30.0);
    QCOMPARE(e.validation, 0.0);
    src.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(400, 1));
    src.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(50, 2));
    src.maxBatchesPerEpoch = 2;
    t.batchSize = 64;
    e = epochImages(t, src);
    QCOMPARE(e.train, 128.0);
    QCOMPARE(e.validation, 50.0);

    const SpecCheck spec = SpecCheck::forSpec(QString::fromLatin1(kSmall), -1);
    const double macs = 1e9;
    const double secs = estimateEpochSeconds(spec, t, src, macs);
    QCOMPARE(secs, nn::estimateEpochSeconds(spec.flops, 128, 50, t.threads, macs));
    QCOMPARE(estimateEpochSeconds(SpecCheck{}, t, src, macs), -1.0);
}

void TestTrainingPlan::haveData()
{
    TrainingSettings t;
    TrainingSources src;
    QVERIFY(src.haveData(t));  // MNIST
    t.useMnist = false;
    QVERIFY(!src.haveData(t));
    src.userCount = 3;
    QVERIFY(src.haveData(t));
    t.includeUserDigits = false;
    QVERIFY(!src.haveData(t));
    src.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(10, 1));
    QVERIFY(src.haveData(t));
}

void TestTrainingPlan::dataLabels()
{
    QTemporaryDir empty;
    TrainingSources src;
    src.mnistDir = empty.path();
    DataLabel l = mnistLabel(src);
    QVERIFY(!l.ok);
    QVERIFY(l.text.contains(QStringLiteral("MNIST was not found")));
    QVERIFY(l.text.contains(QDir::toNativeSeparators(empty.path())));
    src.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(12, 1));
    l = mnistLabel(src);
    QVERIFY(l.ok);
    QVERIFY(l.text.contains(QStringLiteral("12 images")));

    l = userDigitsLabel(0, 0);
    QVERIFY(!l.ok);
    QCOMPARE(l.text, QStringLiteral("My digits (none yet)"));
    l = userDigitsLabel(10, 3);
    QVERIFY(l.ok);
    QCOMPARE(l.text, QStringLiteral("My digits: 7 to train on, 3 held out"));
}

void TestTrainingPlan::checkpointToolTips()
{
    CheckpointInfo info;
    info.error = QStringLiteral("no such file");
    QCOMPARE(checkpointToolTip(info, QStringLiteral("/x/last.ckpt")), QStringLiteral("No interrupted run to continue (no such file)"));
    info.valid = true;
    info.nextEpoch = 5;
    info.epochs = 5;
    QVERIFY(checkpointToolTip(info, {}).contains(QStringLiteral("completed all its epochs")));
    info.nextEpoch = 2;
    info.spec = QStringLiteral("dense 10");
    const QString tip = checkpointToolTip(info, QStringLiteral("/x/last.ckpt"));
    QVERIFY2(tip.contains(QStringLiteral("epoch 3 of 5")), qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("dense 10")));
    QVERIFY(tip.contains(QDir::toNativeSeparators(QStringLiteral("/x/last.ckpt"))));
}

void TestTrainingPlan::runRatesMedian()
{
    RunRates r;
    for (double v : {100.0, 300.0, 200.0, 0.0, -5.0, 5000.0})  // 0 and negative are not rates
        r.add(v);
    QCOMPARE(r.count(), std::size_t(4));
    QCOMPARE(r.macsPerThread(1e6, 1), 0.0);  // fewer than 5
    r.add(250);
    // median of {100, 200, 250, 300, 5000} = 250; 3 x forward per image, per thread
    QCOMPARE(r.macsPerThread(1e6, 1), 250 * 3.0 * 1e6);
    if (nn::ThreadPool::hardwareThreads() >= 2)
        QCOMPARE(r.macsPerThread(1e6, 2), 250 * 3.0 * 1e6 / 2);
    QCOMPARE(r.macsPerThread(0, 1), 0.0);
    r.clear();
    QCOMPARE(r.count(), std::size_t(0));
}

// Issue 21 item 21: estimates that swung from 1.7 s to 9.1 s per epoch.
void TestTrainingPlan::smoothedRate()
{
    nn::SmoothedRate r(0.3);
    QVERIFY(r.empty());
    for (double bad : {0.0, -5.0, std::nan(""), std::numeric_limits<double>::infinity()})
        r.add(bad);
    QCOMPARE(r.value(), 0.0);
    r.add(100);  // the first sets it
    QCOMPARE(r.value(), 100.0);
    r.add(200);
    QCOMPARE(r.value(), 130.0);  // 0.7 * 100 + 0.3 * 200
    r.add(100);
    QCOMPARE(r.value(), 121.0);
    nn::SmoothedRate stored(0.3, 1000);
    stored.add(1000.0 / 5.35);  // one run 5.35 times slower (9.1 s instead of 1.7 s)
    QCOMPARE(stored.value(), 0.7 * 1000 + 0.3 * 1000.0 / 5.35);
    // The next estimate moves from 1.7 s to 2.2 s, not to 9.1 s.
    QVERIFY(qAbs(1.7 * 1000 / stored.value() - 2.2) < 0.05);
    nn::SmoothedRate none(0.3, -1);  // a stored value that is no rate
    QVERIFY(none.empty());
}

void TestTrainingPlan::runRateIsSmoothedOverRuns()
{
    const double stored = 1e15;  // far above any real rate
    TrainingSettings::setLastRunRate(stored);
    TrainingRunner runner;
    QSignalSpy finished(&runner, &TrainingRunner::finished);
    QSignalSpy batches(&runner, &TrainingRunner::batchProgress);
    TrainingRequest r;
    r.spec = kSmall;
    r.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(512, 1));
    r.config.epochs = 4;
    r.config.batchSize = 32;
    r.config.threads = 1;
    QVERIFY(runner.start(r, false));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY2(batches.count() >= 5, qPrintable(QString::number(batches.count())));  // enough for a rate
    const double after = TrainingSettings::lastRunRate();
    // Smoothed: 0.7 * stored + 0.3 * measured; replaced, it would be the measured rate alone.
    QVERIFY2(after > 0.7 * stored && after < stored, qPrintable(QString::number(after)));
}

namespace {
TrainingOutcome stoppedOutcome()
{
    TrainingOutcome o;
    o.status = nn::TrainResult::Stopped;
    o.epochsCompleted = 0;
    o.partialSamples = 1234;
    o.epochSamples = 54000;
    o.validationSize = 6000;
    o.valAccuracy = 0.85;
    o.baselineValAccuracy = 0.99;
    o.testAccuracy = 0.8412;
    o.baselineTestAccuracy = 0.9943;
    return o;
}
}  // namespace

// Issue 21 items 17 and 21: "Stopped after 0 epochs. Use the new model?"
// without the figures to decide; "validation 100.00%" without a validation set.
void TestTrainingPlan::resultSummaryGivesTheFiguresToDecide()
{
    TrainingOutcome o = stoppedOutcome();
    const QLocale l;
    QCOMPARE(resultSummary(o),
             QStringLiteral("Stopped after 0 complete epoch(s) and %1 of %2 images of epoch 1 · validation 85.00% on "
                            "6000 image(s) (current model 99.00%) · MNIST test 84.12% (current model 99.43%). Use the "
                            "new model?")
                 .arg(l.toString(1234), l.toString(54000)));
    o.partialSamples = 0;
    o.epochsCompleted = 2;
    QVERIFY(resultSummary(o).startsWith(QStringLiteral("Stopped after 2 complete epoch(s) · ")));

    // My digits alone: no validation figure, the reason instead; the MNIST
    // test before and after.
    TrainingOutcome mine;
    mine.status = nn::TrainResult::Finished;
    mine.epochsCompleted = 3;
    mine.bestValAccuracy = -1;
    mine.validationNote = QStringLiteral("10% of your 4 training digits is less than one digit");
    mine.testAccuracy = 0.9901;
    mine.baselineTestAccuracy = 0.9943;
    mine.userHeldOut = 5;
    mine.userBefore = 0.4;
    mine.userAfter = 0.8;
    QCOMPARE(resultSummary(mine),
             QStringLiteral("Finished 3 epoch(s) · no validation set (10% of your 4 training digits is less than one "
                            "digit) · MNIST test 99.01% (current model 99.43%) · your held-out digits 40.00% → "
                            "80.00%. Use the new model?"));
    QVERIFY(!resultSummary(mine).contains(QStringLiteral("validation 1")));
    // MNIST absent: said, not a number.
    mine.testAccuracy = mine.baselineTestAccuracy = -1;
    mine.testNote = QStringLiteral("MNIST's test set was not found in /nowhere");
    QVERIFY2(resultSummary(mine).contains(
                 QStringLiteral("no MNIST test accuracy (MNIST's test set was not found in /nowhere)")),
             qPrintable(resultSummary(mine)));
}

void TestTrainingPlan::myDigitsSummary()
{
    TrainingOutcome o;
    o.userHeldOut = 5;
    o.userBefore = 0.4;
    o.userAfter = 0.8;
    o.testAccuracy = 0.9901;
    o.baselineTestAccuracy = 0.9943;
    QCOMPARE(myDigitsRunSummary(o),
             QStringLiteral("Last training run, on your 5 held-out digits: 40.00% before, 80.00% after. MNIST test: "
                            "99.43% with the current model, 99.01% with the new one."));
    o.testAccuracy = o.baselineTestAccuracy = -1;
    o.testNote = QStringLiteral("MNIST's test set was not found in /nowhere");
    QVERIFY(myDigitsRunSummary(o).endsWith(
        QStringLiteral(" MNIST test: not measured (MNIST's test set was not found in /nowhere).")));
}

// Issue 21 item 21: accuracy ticks at 10 / 32.5 / 55 / 77.5 and validation
// dots cut by the chart's edge.
void TestTrainingPlan::axisScalesHaveRoundTicks()
{
    struct Row { double lowest; double anchor, step; };
    for (const Row& row : {Row{10, 0, 20}, Row{12, 0, 20}, Row{55, 50, 10}, Row{85, 75, 5}, Row{91, 90, 2},
                           Row{93, 90, 2}, Row{99.6, 95, 1}, Row{100, 95, 1}}) {
        const AxisScale a = accuracyScale(row.lowest, true);
        QCOMPARE(a.anchor, row.anchor);
        QCOMPARE(a.step, row.step);
        QCOMPARE(a.min, row.anchor);
        QCOMPARE(a.lastTick, 100.0);
        QCOMPARE(a.tickCount(), 6);
        QVERIFY(a.max > 100.0 && a.max < 100.0 + a.step);  // room for a dot at 100%, no further tick
    }
    const AxisScale empty = accuracyScale(0, false);
    QCOMPARE(empty.anchor, 0.0);
    QCOMPARE(empty.step, 20.0);

    struct ERow { double maxEpoch; double last, step, lastTick; };
    for (const ERow& row : {ERow{0.3, 1, 1, 1}, ERow{3, 3, 1, 3}, ERow{10, 10, 1, 10}, ERow{15, 15, 2, 14},
                            ERow{40, 40, 5, 40}, ERow{200, 200, 20, 200}}) {
        const AxisScale a = epochScale(row.maxEpoch);
        QCOMPARE(a.step, row.step);
        QCOMPARE(a.lastTick, row.lastTick);
        QVERIFY(a.max > row.last && a.max < row.last + a.step);  // the last epoch's dot is inside
        QVERIFY(a.tickCount() <= 11);
    }
}

void TestTrainingPlan::runResultFollowKeepDiscard()
{
    const ModelPtr current = smallModel(), snap = smallModel(), final = smallModel();
    RunResult r;
    r.setCurrent(current);
    r.runStarting();
    QVERIFY(!r.snapshot(snap, false).send);  // not following: the pad keeps its model
    PadUpdate u = r.snapshot(snap, true);
    QVERIFY(u.send);
    QCOMPARE(u.model, snap);
    QVERIFY(r.followed());
    u = r.finished(final);
    QVERIFY(u.send);  // the pad shows the final weights until keep/discard
    QCOMPARE(u.model, final);
    QCOMPARE(r.pending(), final);
    bool had = false;
    u = r.discard(&had);
    QVERIFY(had);
    QVERIFY(u.send);
    QCOMPARE(u.model, current);  // back to the model the pad had
    QVERIFY(!r.pending());
    QVERIFY(!r.discard(&had).send);
    QVERIFY(!had);

    r.runStarting();
    QVERIFY(!r.finished(final).send);  // not followed: nothing to show
    QVERIFY(r.keep());
    QCOMPARE(r.current(), final);
    QVERIFY(!r.pending());
    QVERIFY(!r.keep());

    r.runStarting();
    r.snapshot(snap, true);
    QVERIFY(!r.followOff(false).send);  // after the run: nothing to undo
    u = r.followOff(true);
    QVERIFY(u.send);
    QCOMPARE(u.model, final);
    QVERIFY(!r.followed());
    r.snapshot(snap, true);
    u = r.failed();
    QVERIFY(u.send);
    QCOMPARE(u.model, final);
}

void TestTrainingPlan::runnerRunsKeepsAndDiscards()
{
    QTemporaryDir tmp;
    TrainingRunner runner;
    runner.setCurrentModel(smallModel());
    QSignalSpy finished(&runner, &TrainingRunner::finished);
    QSignalSpy log(&runner, &TrainingRunner::logMessage);
    TrainingRequest r;
    r.spec = kSmall;
    r.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(512, 1));
    r.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(64, 2));
    r.config.epochs = 1;
    r.config.batchSize = 32;
    r.config.maxBatchesPerEpoch = 2;
    r.checkpointPath = tmp.path() + QStringLiteral("/run.ckpt");
    QVERIFY(runner.start(r, false));
    QVERIFY(!runner.start(r, false));  // one run at a time
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(finished.at(0).at(1).toBool());
    QVERIFY(runner.pendingResult());
    QCOMPARE(log.at(0).at(0).toString(), QStringLiteral("start: new model %1").arg(QString::fromLatin1(kSmall)));
    const ModelPtr trained = runner.pendingResult();
    QVERIFY(runner.keep());
    QCOMPARE(runner.currentModel(), trained);
    QVERIFY(!runner.pendingResult());
    QVERIFY(!runner.discard());
}

QTEST_GUILESS_MAIN(TestTrainingPlan)
#include "test_training_plan.moc"
