// The Train page's plain parts, without a window: the spec check and its
// summary, the request Start sends for a TrainingSettings, the images an
// epoch takes and its time, the data labels, the Continue tooltip, the
// measured rate, what the pad shows through follow / keep / discard
// (RunResult), and a short run through TrainingRunner.
#include "panels/training_plan.h"
#include "panels/training_runner.h"

#include "fixtures.h"

#include <nn/errors.h>
#include <nn/estimate.h>
#include <nn/model.h>
#include <nn/parallel.h>

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

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
