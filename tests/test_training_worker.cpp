// The training worker and its controller, through their Qt API only: start,
// pause without spinning, resume, stop within one batch (and its weights),
// stop-and-wait for closing, exact resume from a checkpoint, follow-training
// snapshots swapped under a predicting GUI thread, fine-tuning on "my digits",
// and failures reported as messages. Data are tiny synthetic sets made here.
#include "mnist_check.h"
#include "workers/training_controller.h"

#include "fixtures.h"

#include <nn/data/userdigits.h>
#include <nn/errors.h>
#include <nn/model.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <cmath>
#include <fstream>
#include <random>

using namespace app;

namespace {

const char* kSmall = "conv 4 5 stride=2 | relu | maxpool 2 | dense 10";

TrainingRequest request(int epochs, int trainSize = 600, int batch = 32)
{
    TrainingRequest r;
    r.spec = kSmall;
    r.config.epochs = epochs;
    r.config.batchSize = batch;
    r.config.learningRate = 3e-3f;
    r.config.threads = 2;
    r.config.seed = 7;
    r.useMnist = false;
    r.trainOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(trainSize, 1));
    r.validationOverride = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(200, 2));
    return r;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

void waitForStep(const TrainingController& c, long long step)
{
    QTRY_VERIFY_WITH_TIMEOUT(c.currentStep() >= step, 60000);
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return 1e30;
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, double(std::abs(a[i] - b[i])));
    return m;
}

using ModelPtr = std::shared_ptr<const nn::Model>;

ModelPtr finishedModel(const QSignalSpy& spy)
{
    return spy.last().at(1).value<ModelPtr>();
}

TrainingOutcome finishedOutcome(const QSignalSpy& spy)
{
    return spy.last().at(0).value<TrainingOutcome>();
}

}  // namespace

class TestTrainingWorker : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void runsToTheEndWithProgress();
    void pauseHoldsWithoutSpinningAndResumeContinues();
    void stopTakesEffectWithinOneBatchAndKeepsItsWeights();
    void stopAndWaitDeliversTheResultAtOnce();
    void resumeFromCheckpointMatchesAnUninterruptedRun();
    void followSnapshotsSwapUnderAPredictingGuiThread();
    void fineTuningOnMyDigitsImprovesHeldOutAccuracy();
    void myDigitsAloneWhenMnistIsMissing();
    void failuresAreReportedAsMessages_data();
    void failuresAreReportedAsMessages();
    void destructorStopsARunningOrPausedRun();
    void dropoutSetting();
    void configRoundTrips();
    void shortRealMnistRun();

private:
    QTemporaryDir m_tmp;
};

void TestTrainingWorker::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
}

void TestTrainingWorker::runsToTheEndWithProgress()
{
    TrainingController c;
    QSignalSpy started(&c, &TrainingController::started);
    QSignalSpy batches(&c, &TrainingController::batchProgress);
    QSignalSpy epochs(&c, &TrainingController::epochFinished);
    QSignalSpy finished(&c, &TrainingController::finished);
    QSignalSpy failed(&c, &TrainingController::failed);
    QSignalSpy running(&c, &TrainingController::runningChanged);
    QSignalSpy log(&c, &TrainingController::logMessage);

    QVERIFY(c.start(request(3)));
    QVERIFY(c.isRunning());
    QVERIFY(!c.start(request(3)));  // one run at a time
    QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 120000);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!c.isRunning());
    QCOMPARE(started.count(), 1);
    const auto info = started.first().at(0).value<RunInfo>();
    QCOMPARE(info.trainSize, 600);
    QCOMPARE(info.validationSize, 200);
    QCOMPARE(info.threads, 2);
    QCOMPARE(epochs.count(), 3);
    QVERIFY(batches.count() >= 3);  // each epoch's last batch at least
    const auto last = batches.last().at(0).value<nn::BatchReport>();
    QCOMPARE(last.batch, last.batches);
    QCOMPARE(last.epoch, 2);
    const TrainingOutcome o = finishedOutcome(finished);
    QCOMPARE(o.status, nn::TrainResult::Finished);
    QCOMPARE(o.epochsCompleted, 3);
    QCOMPARE(o.steps, 3LL * 19);  // ceil(600 / 32) batches per epoch
    QVERIFY2(o.bestValAccuracy > 0.8, qPrintable(QString::number(o.bestValAccuracy)));
    const ModelPtr m = finishedModel(finished);
    QVERIFY(m);
    QCOMPARE(c.lastModel(), m);
    QVERIFY(m->metadata().count("hyperparameters"));
    QVERIFY(!m->metadata().count("checkpoint.config"));  // resumability keys are not for shipped models
    QCOMPARE(running.count(), 2);
    QCOMPARE(running.at(0).at(0).toBool(), true);
    QCOMPARE(running.at(1).at(0).toBool(), false);
    // The log names the start, every epoch and the end.
    QStringList lines;
    for (const auto& args : log)
        lines << args.at(0).toString();
    const QString all = lines.join('\n');
    QVERIFY2(all.contains("training from scratch"), qPrintable(all));
    QVERIFY2(all.contains("epoch 3/3: train loss"), qPrintable(all));
    QVERIFY2(all.contains("finished 3 epochs ("), qPrintable(all));
}

void TestTrainingWorker::pauseHoldsWithoutSpinningAndResumeContinues()
{
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QSignalSpy paused(&c, &TrainingController::pausedChanged);
    QVERIFY(c.start(request(50, 2000, 16)));
    waitForStep(c, 3);
    c.pause();
    QVERIFY(c.isPaused());
    QCOMPARE(paused.count(), 1);
    QTest::qWait(300);  // the batch in flight finishes
    const long long held = c.currentStep();
    const double cpu0 = cpuSeconds();
    QTest::qWait(700);
    const double cpu = cpuSeconds() - cpu0;
    QCOMPARE(c.currentStep(), held);
    // Two training threads spinning would burn ~1.4 s of CPU here.
    QVERIFY2(cpu < 0.25, qPrintable(QString("CPU while paused: %1 s").arg(cpu)));
    c.resume();
    QVERIFY(!c.isPaused());
    waitForStep(c, held + 5);
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(finishedOutcome(finished).status, nn::TrainResult::Stopped);
}

void TestTrainingWorker::stopTakesEffectWithinOneBatchAndKeepsItsWeights()
{
    // 20000 images in batches of 16: the stop lands in the first epoch.
    TrainingRequest r = request(1, 20000, 16);
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.start(r));
    waitForStep(c, 8);
    QElapsedTimer t;
    t.start();
    c.stop();
    const long long atStop = c.currentStep();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    const qint64 ms = t.elapsed();
    const TrainingOutcome o = finishedOutcome(finished);
    QCOMPARE(o.status, nn::TrainResult::Stopped);
    // The batch in flight when stop was asked may finish; no further one starts.
    QVERIFY2(o.steps >= atStop && o.steps <= atStop + 1,
             qPrintable(QString("steps at stop %1, final %2").arg(atStop).arg(o.steps)));
    qInfo("stop: %lld steps when asked, %lld when stopped, finished() after %lld ms", atStop, o.steps, ms);

    // The weights are those after exactly o.steps batches: an uninterrupted
    // run limited to that many batches gives the same numbers.
    TrainingRequest ref = r;
    ref.config.maxBatchesPerEpoch = int(o.steps);
    TrainingController c2;
    QSignalSpy finished2(&c2, &TrainingController::finished);
    QVERIFY(c2.start(ref));
    QTRY_COMPARE_WITH_TIMEOUT(finished2.count(), 1, 60000);
    QCOMPARE(finishedOutcome(finished2).steps, o.steps);
    QCOMPARE(maxAbsDiff(finishedModel(finished)->params(), finishedModel(finished2)->params()), 0.0);
}

void TestTrainingWorker::stopAndWaitDeliversTheResultAtOnce()
{
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.start(request(50, 20000, 32)));
    waitForStep(c, 3);
    QElapsedTimer t;
    t.start();
    QVERIFY(c.stopAndWait(1000));
    const qint64 ms = t.elapsed();
    QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    QVERIFY(!c.isRunning());
    QCOMPARE(finished.count(), 1);  // emitted from stopAndWait itself
    QVERIFY(c.lastModel());
    QCOMPARE(c.lastOutcome().status, nn::TrainResult::Stopped);
    QTest::qWait(200);
    QCOMPARE(finished.count(), 1);  // the queued copy is dropped
    QVERIFY(c.stopAndWait(10));     // nothing running: true at once
    qInfo("stopAndWait returned after %lld ms", ms);
}

void TestTrainingWorker::resumeFromCheckpointMatchesAnUninterruptedRun()
{
    const QString ckpt = m_tmp.path() + "/resume/last.ckpt";
    TrainingRequest r = request(3, 3000, 16);
    r.config.augment = nn::AugmentParams::standard();  // augmentation and dropout must resume exactly too
    r.spec = "conv 4 5 stride=2 | relu | maxpool 2 | dense 32 | relu | dropout 0.3 | dense 10";
    r.config.schedule.kind = nn::ScheduleConfig::Cosine;

    // Reference: three epochs in one go (no checkpoint).
    TrainingController ref;
    QSignalSpy refDone(&ref, &TrainingController::finished);
    QVERIFY(ref.start(r));
    QTRY_COMPARE_WITH_TIMEOUT(refDone.count(), 1, 120000);
    const ModelPtr whole = finishedModel(refDone);

    // Interrupted: stopped during the second epoch, after the first checkpoint.
    TrainingRequest first = r;
    first.checkpointPath = ckpt;
    TrainingController c;
    QSignalSpy epochs(&c, &TrainingController::epochFinished);
    QSignalSpy done(&c, &TrainingController::finished);
    connect(&c, &TrainingController::epochFinished, &c, [&c] { c.stop(); });
    QVERIFY(c.start(first));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QCOMPARE(epochs.count(), 1);
    QCOMPARE(finishedOutcome(done).status, nn::TrainResult::Stopped);
    const CheckpointInfo info = TrainingController::readCheckpointInfo(ckpt);
    QVERIFY2(info.valid, qPrintable(info.error));
    QCOMPARE(info.nextEpoch, 1);
    QCOMPARE(info.epochs, 3);
    QVERIFY(info.resumable());

    // Resumed in a new controller, as after restarting the program. The
    // request's own settings are ignored: the checkpoint's apply.
    TrainingRequest again = r;
    again.checkpointPath = ckpt;
    again.resume = true;
    again.config.seed = 999;
    again.config.epochs = 1;
    again.spec = "dense 10";
    TrainingController c2;
    QSignalSpy started2(&c2, &TrainingController::started);
    QSignalSpy epochs2(&c2, &TrainingController::epochFinished);
    QSignalSpy done2(&c2, &TrainingController::finished);
    QSignalSpy failed2(&c2, &TrainingController::failed);
    QVERIFY(c2.start(again));
    QTRY_COMPARE_WITH_TIMEOUT(done2.count() + failed2.count(), 1, 120000);
    QVERIFY2(failed2.isEmpty(), failed2.isEmpty() ? "" : qPrintable(failed2.first().at(0).toString()));
    const auto info2 = started2.first().at(0).value<RunInfo>();
    QVERIFY(info2.resumed);
    QCOMPARE(info2.firstEpoch, 1);
    QCOMPARE(epochs2.count(), 2);
    QCOMPARE(epochs2.first().at(0).value<nn::EpochReport>().epoch, 1);
    const TrainingOutcome o = finishedOutcome(done2);
    QCOMPARE(o.epochsCompleted, 3);
    QCOMPARE(o.steps, finishedOutcome(refDone).steps);
    const double diff = maxAbsDiff(finishedModel(done2)->params(), whole->params());
    qInfo("resumed vs uninterrupted: largest weight difference %g over %zu parameters", diff, whole->params().size());
    QCOMPARE(diff, 0.0);
    // The finished run's checkpoint has nothing left to resume.
    QVERIFY(!TrainingController::readCheckpointInfo(ckpt).resumable());
}

void TestTrainingWorker::followSnapshotsSwapUnderAPredictingGuiThread()
{
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    // The GUI's model: swapped whenever a snapshot arrives, used in between.
    ModelPtr current = std::make_shared<const nn::Model>(nn::Model::fromSpec(kSmall));
    std::vector<const nn::Model*> seen;
    connect(&c, &TrainingController::snapshot, &c, [&](ModelPtr m) {
        QVERIFY(m);
        current = std::move(m);  // the old snapshot dies here if nothing else holds it
        seen.push_back(current.get());
    });
    c.setFollowInterval(0.03);
    QVERIFY(c.start(request(200, 4000, 16)));

    const nn::Dataset probe = fixtures::syntheticBars(16, 99);
    std::vector<float> x(784 * 16), probs(10 * 16);
    for (int i = 0; i < 16; ++i)
        probe.imageAsFloat(i, x.data() + i * 784);
    QElapsedTimer t;
    t.start();
    long long predictions = 0;
    while (t.elapsed() < 2500 || seen.size() < 5) {
        QCoreApplication::processEvents();
        const ModelPtr m = current;  // the GUI's own reference for this prediction
        m->predict(x.data(), 16, probs.data());
        for (int i = 0; i < 16; ++i) {
            double sum = 0;
            for (int k = 0; k < 10; ++k) {
                const float p = probs[std::size_t(i * 10 + k)];
                QVERIFY(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
                sum += p;
            }
            QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum, 'g', 10)));
        }
        ++predictions;
        if (t.elapsed() > 60000)
            QFAIL("too few snapshots");
    }
    c.setFollowInterval(0);
    const std::size_t atOff = seen.size();
    QTest::qWait(300);
    QCOMPARE(seen.size(), atOff);  // none delivered once following is off
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    qInfo("%zu snapshots swapped in while the GUI thread made %lld predictions", seen.size(), predictions);
    QVERIFY(seen.size() >= 5);
}

void TestTrainingWorker::fineTuningOnMyDigitsImprovesHeldOutAccuracy()
{
    // A base model that knows vertical bars only.
    TrainingController base;
    QSignalSpy baseDone(&base, &TrainingController::finished);
    QVERIFY(base.start(request(3, 1200)));
    QTRY_COMPARE_WITH_TIMEOUT(baseDone.count(), 1, 120000);
    const ModelPtr model = finishedModel(baseDone);

    // My digits: the same ten classes written horizontally, kept in a real store.
    nn::UserDigitStore store((m_tmp.path() + "/finetune-digits").toStdString());
    const nn::Dataset mine = fixtures::syntheticBars(80, 1234, 1);
    for (int i = 0; i < mine.size(); ++i)
        store.add(mine.image(i), mine.labels[std::size_t(i)]);
    auto [train, held] = store.split();
    QVERIFY(held.size() >= 15);

    TrainingRequest r = request(4, 1200);
    r.initial = model;
    r.userTrain = std::make_shared<const nn::Dataset>(train);
    r.userHeldOut = std::make_shared<const nn::Dataset>(held);
    r.userMinShare = 0.3;
    TrainingController c;
    QSignalSpy started(&c, &TrainingController::started);
    QSignalSpy done(&c, &TrainingController::finished);
    QSignalSpy log(&c, &TrainingController::logMessage);
    QVERIFY(c.start(r));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    const auto info = started.first().at(0).value<RunInfo>();
    QVERIFY(info.fineTune);
    QCOMPARE(info.userTrain, train.size());
    QVERIFY(info.userRepeats > 1);
    const TrainingOutcome o = finishedOutcome(done);
    QCOMPARE(o.userHeldOut, held.size());
    qInfo("held-out digits of my own: %.1f%% before, %.1f%% after fine-tuning (%d digits)", 100 * o.userBefore,
          100 * o.userAfter, o.userHeldOut);
    QVERIFY(o.userBefore < 0.5);
    QVERIFY2(o.userAfter >= o.userBefore + 0.3, qPrintable(QString("%1 -> %2").arg(o.userBefore).arg(o.userAfter)));
    // The fine-tuned model still knows the vertical bars.
    QVERIFY(o.bestValAccuracy > 0.8);
    bool logged = false;
    for (const auto& args : log)
        logged = logged || args.at(0).toString().startsWith("my held-out digits:");
    QVERIFY(logged);
    const ModelPtr tuned = finishedModel(done);
    QCOMPARE(tuned->metadata().count("user_digits_after"), std::size_t(1));
}

void TestTrainingWorker::myDigitsAloneWhenMnistIsMissing()
{
    QTemporaryDir empty;
    TrainingRequest r = request(2);
    r.trainOverride.reset();
    r.validationOverride.reset();
    r.useMnist = true;
    r.mnistDir = empty.path();
    r.userTrain = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(100, 5));
    TrainingController c;
    QSignalSpy done(&c, &TrainingController::finished);
    QSignalSpy log(&c, &TrainingController::logMessage);
    QVERIFY(c.start(r));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    QVERIFY(log.first().at(0).toString().contains("MNIST was not found in " + QDir::toNativeSeparators(empty.path()) +
                                                  ": training on my digits only"));
    // Issue 21 item 17: the 10% validation split is taken from my digits
    // (not ignored), and the missing MNIST test set is said, not a number.
    const TrainingOutcome o = finishedOutcome(done);
    QCOMPARE(o.steps, 2LL * 3);  // 90 training images, batch 32
    QCOMPARE(o.validationSize, 10);
    QVERIFY(o.valAccuracy >= 0 && o.valAccuracy <= 1);
    QCOMPARE(o.testAccuracy, -1.0);
    QCOMPARE(o.testNote, "MNIST's test set was not found in " + QDir::toNativeSeparators(empty.path()));
}

void TestTrainingWorker::failuresAreReportedAsMessages_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bad spec") << 0 << "while building the model: layer 3 'dense 0': units must be positive, got 0";
    QTest::newRow("no MNIST, no digits") << 1 << "MNIST was not found in";
    QTest::newRow("corrupt checkpoint") << 2 << "not a DigitPad checkpoint (wrong magic)";
    QTest::newRow("data does not fit") << 3 << "training images are 14x14 but the model expects input 1x28x28";
    QTest::newRow("nothing to resume") << 4 << "no training settings";
    QTest::newRow("state of another optimizer") << 5
                                                << "/sgd.ckpt: optimizer state does not match the adam optimizer";
}

void TestTrainingWorker::failuresAreReportedAsMessages()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    TrainingRequest r = request(1);
    switch (kind) {
    case 0:
        r.spec = "conv 4 5 | relu | dense 0 | dense 10";
        break;
    case 1:
        r.trainOverride.reset();
        r.useMnist = true;
        r.mnistDir = dir.path();
        break;
    case 2: {
        r.checkpointPath = dir.path() + "/bad.ckpt";
        r.resume = true;
        std::ofstream(r.checkpointPath.toStdString()) << "this is not a checkpoint at all";
        break;
    }
    case 3: {
        nn::Dataset small;
        small.rows = small.cols = 14;
        small.images.assign(10 * 196, 0);
        small.labels.assign(10, 1);
        r.trainOverride = std::make_shared<const nn::Dataset>(small);
        r.validationOverride.reset();
        break;
    }
    case 4: {
        // A checkpoint written by the engine directly (no GUI settings in it).
        nn::Model m = nn::Model::fromSpec(kSmall);
        nn::TrainState st;
        st.params = m.params();
        r.checkpointPath = dir.path() + "/engine.ckpt";
        nn::saveCheckpoint(r.checkpointPath.toStdString(), m, r.config, st);
        r.resume = true;
        break;
    }
    case 5: {
        // Adam settings, but the state of an SGD run (no moments): the loader
        // accepts it, resuming must not, and the message names the file.
        nn::Model m = nn::Model::fromSpec(kSmall);
        nn::TrainConfig adam = r.config;
        adam.optimizer.kind = nn::OptimizerConfig::Adam;
        adam.epochs = 3;
        m.metadata()["checkpoint.config"] = encodeConfig(adam);
        nn::TrainState st;
        st.params = m.params();
        st.nextEpoch = 1;
        r.checkpointPath = dir.path() + "/sgd.ckpt";
        nn::saveCheckpoint(r.checkpointPath.toStdString(), m, adam, st);
        r.resume = true;
        break;
    }
    }
    TrainingController c;
    QSignalSpy failed(&c, &TrainingController::failed);
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.start(r));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    QCOMPARE(finished.count(), 0);
    QVERIFY(!c.isRunning());
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY(!message.contains("unknown error", Qt::CaseInsensitive));
    QVERIFY(!c.lastModel());
}

void TestTrainingWorker::destructorStopsARunningOrPausedRun()
{
    for (bool pause : {false, true}) {
        auto* c = new TrainingController;
        QVERIFY(c->start(request(100, 20000, 32)));
        waitForStep(*c, 2);
        if (pause)
            c->pause();
        QElapsedTimer t;
        t.start();
        delete c;
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
    }
}

void TestTrainingWorker::dropoutSetting()
{
    const std::string cnn = nn::Model::presetSpec("cnn");
    QCOMPARE(specWithDropout(cnn, -1.0f, true), cnn);
    const std::string changed = specWithDropout(cnn, 0.25f, false);
    QVERIFY(changed.find("dropout 0.25") != std::string::npos);
    QVERIFY(changed.find("dropout 0.4") == std::string::npos);
    // No dropout layer: inserted before the last dense layer (new models only).
    QCOMPARE(specWithDropout("dense 64 | relu | dense 10", 0.5f, true), std::string("dense 64 | relu | dropout 0.5 | dense 10"));
    QCOMPARE(specWithDropout("dense 64 | relu | dense 10", 0.5f, false), std::string("dense 64 | relu | dense 10"));
    QCOMPARE(specWithDropout("dense 64 | relu | dense 10", 0.0f, true), std::string("dense 64 | relu | dense 10"));
    QVERIFY_THROWS_EXCEPTION(nn::SpecError, specWithDropout("dense 10", 1.0f, true));
    QVERIFY_THROWS_EXCEPTION(nn::SpecError, specWithDropout("dnse 10", 0.2f, true));
}

void TestTrainingWorker::configRoundTrips()
{
    nn::TrainConfig c;
    c.epochs = 17;
    c.batchSize = 48;
    c.learningRate = 0.0123456789f;
    c.optimizer.kind = nn::OptimizerConfig::SGD;
    c.optimizer.momentum = 0.87f;
    c.optimizer.nesterov = true;
    c.optimizer.weightDecay = 3.3e-5f;
    c.schedule.kind = nn::ScheduleConfig::Plateau;
    c.schedule.patience = 4;
    c.schedule.factor = 0.3f;
    c.schedule.warmupBatches = 11;
    c.loss = nn::LossKind::MSE;
    c.augment = nn::AugmentParams::standard();
    c.augment.noiseStd = 0.07f;
    c.seed = 0xFFFFFFFFFFull;
    c.threads = 3;
    c.earlyStopPatience = 2;
    c.maxBatchesPerEpoch = 9;
    const nn::TrainConfig d = decodeConfig(encodeConfig(c));
    QCOMPARE(encodeConfig(d), encodeConfig(c));
    QCOMPARE(d.learningRate, c.learningRate);
    QCOMPARE(d.optimizer.weightDecay, c.optimizer.weightDecay);
    QCOMPARE(d.seed, c.seed);
    QVERIFY(d.augment == c.augment);
    QCOMPARE(d.loss, nn::LossKind::MSE);
    QVERIFY_THROWS_EXCEPTION(nn::Error, decodeConfig("epochs=x"));
    QVERIFY_THROWS_EXCEPTION(nn::Error, decodeConfig("opt=adagrad"));
    // RMSprop's decay and L1 survive too; a config without them (an older
    // checkpoint) keeps their defaults.
    c.optimizer.kind = nn::OptimizerConfig::RMSprop;
    c.optimizer.rho = 0.75f;
    c.optimizer.l1 = 2.5e-4f;
    const nn::TrainConfig r = decodeConfig(encodeConfig(c));
    QCOMPARE(r.optimizer.kind, nn::OptimizerConfig::RMSprop);
    QCOMPARE(r.optimizer.rho, 0.75f);
    QCOMPARE(r.optimizer.l1, 2.5e-4f);
    const nn::TrainConfig old = decodeConfig("epochs=3 opt=sgd wd=0.001");
    QCOMPARE(old.optimizer.rho, nn::OptimizerConfig{}.rho);
    QCOMPARE(old.optimizer.l1, 0.0f);
}

void TestTrainingWorker::shortRealMnistRun()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    QByteArray env = qgetenv("DIGITPAD_DATA");
    const QString dir = env.isEmpty() ? QDir::homePath() + "/.local/share/DigitPad/mnist" : QString::fromLocal8Bit(env);
    if (nn::findMnistFile(dir.toStdString(), "train-images-idx3-ubyte").empty() ||
        nn::findMnistFile(dir.toStdString(), "t10k-images-idx3-ubyte").empty())
        DIGITPAD_SKIP_WITHOUT_MNIST("MNIST is not in " + dir + "; fetch it with scripts/fetch-mnist to run this check");
    TrainingRequest r = request(1);
    r.trainOverride.reset();
    r.validationOverride.reset();
    r.useMnist = true;
    r.mnistDir = dir;
    r.mnistLimit = 3000;
    r.spec = "dense 64 | relu | dense 10";
    TrainingController c;
    QSignalSpy started(&c, &TrainingController::started);
    QSignalSpy done(&c, &TrainingController::finished);
    QSignalSpy failed(&c, &TrainingController::failed);
    QVERIFY(c.start(r));
    QTRY_COMPARE_WITH_TIMEOUT(done.count() + failed.count(), 1, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    const auto info = started.first().at(0).value<RunInfo>();
    QCOMPARE(info.trainSize + info.validationSize, 3000);
    QCOMPARE(info.validationSize, 300);
    const TrainingOutcome o = finishedOutcome(done);
    QVERIFY2(o.testAccuracy > 0.75, qPrintable(QString::number(o.testAccuracy)));
    qInfo("MNIST (3000 images, 1 epoch, MLP): test accuracy %.2f%%", 100 * o.testAccuracy);
}

QTEST_MAIN(TestTrainingWorker)
#include "test_training_worker.moc"
