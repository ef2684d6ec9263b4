// The training session both front ends call: data set building (MNIST limit
// and split from fixture IDX files, repeats of one's own digits), metadata,
// resuming from a checkpoint that carries its settings (and from the format
// 1 checkpoints the GUI wrote before), and the refusals.
#include "fixtures.h"

#include <nn/data/idx.h>
#include <nn/errors.h>
#include <nn/metrics.h>
#include <nn/serialize.h>
#include <nn/session.h>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace nn;

namespace {

const char* kSmall = "conv 4 5 stride=2 | relu | maxpool 2 | dense 10";

SessionRequest quickRequest(int epochs)
{
    SessionRequest r;
    r.spec = kSmall;
    r.config.epochs = epochs;
    r.config.batchSize = 16;
    r.config.learningRate = 2e-3f;
    r.config.threads = 2;
    r.config.seed = 7;
    r.config.augment = AugmentParams::standard();
    r.config.augment.enabled = true;
    r.trainOverride = std::make_shared<const Dataset>(fixtures::syntheticBars(600, 1));
    r.validationOverride = std::make_shared<const Dataset>(fixtures::syntheticBars(100, 2));
    return r;
}

// My digits only (no MNIST to train on), `digits` of them; MNIST's folder is `dir`.
SessionRequest myDigitsOnly(const QString& dir, int digits, double validationFraction)
{
    SessionRequest r = quickRequest(1);
    r.trainOverride.reset();
    r.validationOverride.reset();
    r.useMnist = false;
    r.dataDir = dir.toStdString();
    r.validationFraction = validationFraction;
    r.userTrain = std::make_shared<const Dataset>(fixtures::syntheticBars(digits, 9));
    return r;
}

void writeFixture(const QString& dir, const char* prefix, int n, std::uint64_t seed)
{
    const Dataset d = fixtures::syntheticBars(n, seed);
    writeIdx((dir + "/" + prefix + "-images-idx3-ubyte").toStdString(), {n, 28, 28}, d.images);
    writeIdx((dir + "/" + prefix + "-labels-idx1-ubyte").toStdString(), {n}, d.labels);
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    double d = a.size() == b.size() ? 0.0 : 1e300;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        d = std::max(d, double(std::abs(a[i] - b[i])));
    return d;
}

// Format 1: the same layout without the run-settings string.
std::vector<std::uint8_t> asVersion1(std::vector<std::uint8_t> b, const Model& m, const TrainConfig& c)
{
    const std::size_t at = 8 + 4 + 8 + modelToBytes(m).size() + 4 + c.describe().size();
    const std::uint32_t len = std::uint32_t(b[at]) | std::uint32_t(b[at + 1]) << 8;
    if (len != 0)
        return {};  // only empty settings can be removed this simply
    b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + 4));
    b[8] = 1;
    const std::uint32_t crc = crc32(b.data(), b.size() - 4);
    for (int i = 0; i < 4; ++i)
        b[b.size() - 4 + std::size_t(i)] = std::uint8_t(crc >> (8 * i));
    return b;
}

void writeBytes(const std::string& path, const std::vector<std::uint8_t>& b) { writeFileAtomic(path, b.data(), b.size()); }

}  // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void mnistLimitSplitTestAndMetadata();
    void userDigitsAreRepeatedToTheirShare();
    void myDigitsOnlyHonourTheValidationSplit();
    void tooFewDigitsForValidationSaySo();
    void stopDuringAnEpochSaysHowFarItGot();
    void resumeMatchesAnUninterruptedRun();
    void version1CheckpointsAreStillRead();
    void refusals_data();
    void refusals();
    void syntheticStylesAndOutliersJoinTheRun();
};

void TestSession::syntheticStylesAndOutliersJoinTheRun()
{
    SessionRequest r = quickRequest(1);
    r.styles = 70;
    r.outliers = 40;
    r.synthSeed = 5;
    r.config.outlierBatch = 8;
    SessionInfo info;
    std::vector<std::string> lines;
    SessionEvents ev;
    ev.started = [&](const SessionInfo& i) { info = i; };
    ev.log = [&](const nn::UiText& l) { lines.push_back(nn::toString(l)); };
    const SessionResult out = TrainingSession(r, ev).run();
    QCOMPARE(out.status, TrainResult::Finished);
    QCOMPARE(info.trainSize, 600 + 70);  // the styles join the training images
    QCOMPARE(info.validationSize, 100);  // not the validation set
    QCOMPARE(info.styles, 70);
    QCOMPARE(info.outliers, 40);
    const std::string data = out.model->metadata().at("data");
    QVERIFY2(data.find("digit styles: 70 synthetic") != std::string::npos, data.c_str());
    QVERIFY2(data.find("non-digits: 40 synthetic, 8 per batch (outlier exposure, weight 0.5)") != std::string::npos,
             data.c_str());
    QVERIFY(out.model->metadata().at("hyperparameters").find("outliers_per_batch=8") != std::string::npos);
    bool epochLine = false;
    for (const std::string& l : lines)
        epochLine = epochLine || l.find("non-digits' loss to uniform") != std::string::npos;
    QVERIFY(epochLine);

    // Outlier exposure without non-digits to draw from is refused, naming what is missing.
    r.outliers = 0;
    try {
        TrainingSession(r, {}).run();
        QFAIL("outlier exposure without non-digits ran");
    } catch (const Error& e) {
        QCOMPARE(QString(e.what()), QString("outlier exposure (8 non-digits per batch) needs synthetic non-digits: set "
                                            "their number"));
    }
}

void TestSession::mnistLimitSplitTestAndMetadata()
{
    QTemporaryDir dir;
    writeFixture(dir.path(), "train", 900, 3);
    writeFixture(dir.path(), "t10k", 120, 4);
    SessionRequest r = quickRequest(1);
    r.trainOverride.reset();
    r.validationOverride.reset();
    r.dataDir = dir.path().toStdString();
    r.mnistLimit = 500;
    r.validationFraction = 0.2;
    r.frontEnd = "in a test";
    r.extraMetadata["command"] = "test";
    SessionInfo info;
    std::vector<std::string> lines;
    SessionEvents ev;
    ev.started = [&](const SessionInfo& i) { info = i; };
    ev.log = [&](const nn::UiText& l) { lines.push_back(nn::toString(l)); };
    TrainingSession s(r, ev);
    const SessionResult out = s.run();
    QCOMPARE(info.trainSize, 400);
    QCOMPARE(info.validationSize, 100);
    QCOMPARE(info.testSize, 120);
    QCOMPARE(out.testSize, 120);
    QVERIFY(out.testAccuracy >= 0 && out.testAccuracy <= 1);
    QVERIFY(out.valAccuracy >= 0 && out.valAccuracy <= 1);
    QVERIFY(out.model);
    const auto& meta = out.model->metadata();
    QCOMPARE(meta.at("epochs"), std::string("1"));
    QCOMPARE(meta.at("trained_by"), std::string("DigitPad (trained in a test)"));
    QCOMPARE(meta.at("command"), std::string("test"));
    QCOMPARE(meta.at("hyperparameters"), r.config.describe());
    QVERIFY2(meta.at("data").find("400 training, 100 validation images (first 500)") != std::string::npos,
             meta.at("data").c_str());
    QCOMPARE(std::stod(meta.at("test_accuracy")), std::round(out.testAccuracy * 1e4) / 1e4);
    QVERIFY(!meta.count("status"));
    QVERIFY(!meta.count("checkpoint.config"));
    bool epochLine = false;
    for (const auto& l : lines)
        epochLine = epochLine || l.rfind("epoch 1/1: train loss ", 0) == 0;
    QVERIFY(epochLine);
}

void TestSession::userDigitsAreRepeatedToTheirShare()
{
    SessionRequest r = quickRequest(1);
    r.userTrain = std::make_shared<const Dataset>(fixtures::syntheticBars(10, 9));
    r.userHeldOut = std::make_shared<const Dataset>(fixtures::syntheticBars(20, 10));
    r.userMinShare = 0.25;
    // "Before" is the model the result would replace, not the untrained weights.
    const std::shared_ptr<const Model> current = TrainingSession(quickRequest(1), {}).run().model;
    r.baseline = current;
    SessionInfo info;
    SessionEvents ev;
    ev.started = [&](const SessionInfo& i) { info = i; };
    const SessionResult out = TrainingSession(r, ev).run();
    // 10 * k >= 0.25 * (600 + 10 * k)  <=>  k >= 20
    QCOMPARE(info.userRepeats, 20);
    QCOMPARE(info.trainSize, 600 + 200);
    QCOMPARE(out.userHeldOut, 20);
    QVERIFY(out.userBefore >= 0 && out.userAfter >= 0);
    QCOMPARE(out.userBefore, computeMetrics(evaluate(*current, *r.userHeldOut, 2)).accuracy);
    // ...which differs from that of the untrained weights (seed 7), so this can tell them apart.
    Model untrained = Model::fromSpec(kSmall);
    untrained.initialize(r.config.seed);
    QVERIFY(out.userBefore != computeMetrics(evaluate(untrained, *r.userHeldOut, 2)).accuracy);
    QVERIFY(out.model->metadata().count("user_digits_after"));
}

// Issue 21 item 17: fine-tuning on my digits alone (no MNIST to train on)
// takes the validation split from them, measures the MNIST test set before
// and after (it is there although MNIST is not trained on), and says so.
void TestSession::myDigitsOnlyHonourTheValidationSplit()
{
    QTemporaryDir dir;
    writeFixture(dir.path(), "t10k", 150, 4);  // the test set only: no training files
    const std::shared_ptr<const Model> initial = TrainingSession(quickRequest(1), {}).run().model;
    SessionRequest r = myDigitsOnly(dir.path(), 40, 0.25);
    r.initial = initial;
    r.baseline = initial;
    std::vector<std::string> lines;
    SessionInfo info;
    SessionEvents ev;
    ev.log = [&](const nn::UiText& l) { lines.push_back(nn::toString(l)); };
    ev.started = [&](const SessionInfo& i) { info = i; };
    const SessionResult out = TrainingSession(r, ev).run();
    QCOMPARE(info.validationSize, 10);  // 25% of 40, never repeated
    QCOMPARE(info.userTrain, 30);
    QCOMPARE(out.validationSize, 10);
    QVERIFY(out.validationNote.empty());
    QVERIFY(out.valAccuracy >= 0 && out.valAccuracy <= 1);
    QVERIFY(out.bestValAccuracy >= 0);
    // The MNIST test set, before (the baseline) and after.
    QCOMPARE(out.testSize, 150);
    QVERIFY(out.testNote.empty());
    const Dataset test = Dataset::loadMnist(dir.path().toStdString(), Split::Test);
    QCOMPARE(out.baselineTestAccuracy, computeMetrics(evaluate(*initial, test, 2)).accuracy);
    QCOMPARE(out.testAccuracy, computeMetrics(evaluate(*out.model, test, 2)).accuracy);
    QVERIFY(out.baselineValAccuracy >= 0 && out.baselineValAccuracy <= 1);
    QCOMPARE(out.model->metadata().at("data"), std::string("my digits: 30, 10 for validation"));
    bool before = false;
    for (const auto& l : lines)
        before = before || l.rfind("before fine-tuning: validation ", 0) == 0;
    QVERIFY(before);

    // Without the test files it says why there is no test accuracy.
    QTemporaryDir none;
    r.dataDir = none.path().toStdString();
    const SessionResult blind = TrainingSession(r, {}).run();
    QCOMPARE(blind.testAccuracy, -1.0);
    QCOMPARE(blind.baselineTestAccuracy, -1.0);
    QCOMPARE(nn::toString(blind.testNote), "MNIST's test set was not found in " + r.dataDir);
}

void TestSession::tooFewDigitsForValidationSaySo()
{
    QTemporaryDir none;
    const SessionRequest r = myDigitsOnly(none.path(), 4, 0.1);
    std::vector<std::string> lines;
    SessionEvents ev;
    ev.log = [&](const nn::UiText& l) { lines.push_back(nn::toString(l)); };
    const SessionResult out = TrainingSession(r, ev).run();
    QCOMPARE(out.validationSize, 0);
    QCOMPARE(nn::toString(out.validationNote), std::string("10% of your 4 training digits is less than one digit"));
    // The trainer's monitored figure (training accuracy) is not called validation.
    QCOMPARE(out.bestValAccuracy, -1.0);
    QCOMPARE(out.valAccuracy, -1.0);
    QVERIFY(!out.model->metadata().count("val_accuracy"));
    QVERIFY(std::find(lines.begin(), lines.end(),
                      "no validation set: 10% of your 4 training digits is less than one digit") != lines.end());
}

// Issue 21 item 21: the metadata of a run stopped during its second epoch
// says one epoch and how much of the second, not "epochs: 1".
void TestSession::stopDuringAnEpochSaysHowFarItGot()
{
    QCOMPARE(epochsText(2, 0, 0), std::string("2"));
    QCOMPARE(epochsText(2, 1234, 54000), std::string("2 + 1,234 of 54,000 samples of epoch 3"));
    SessionRequest r = quickRequest(3);  // 600 images in batches of 16: 38 batches
    r.evaluateAfterStop = true;
    RunControl control;
    SessionEvents ev;
    ev.batch = [&](const BatchReport& b) {
        if (b.epoch == 1 && b.batch == 3)
            control.requestStop();
    };
    const SessionResult out = TrainingSession(r, ev, &control).run();
    QCOMPARE(out.status, TrainResult::Stopped);
    QCOMPARE(out.epochsCompleted, 1);
    QCOMPARE(out.partialSamples, 48LL);
    QCOMPARE(out.epochSamples, 600LL);
    QCOMPARE(out.model->metadata().at("epochs"), std::string("1 + 48 of 600 samples of epoch 2"));
    QVERIFY(out.valAccuracy >= 0);  // evaluated after the stop
}

void TestSession::resumeMatchesAnUninterruptedRun()
{
    QTemporaryDir dir;
    const SessionRequest r = quickRequest(3);
    const SessionResult whole = TrainingSession(r, {}).run();

    SessionRequest first = r;
    first.checkpoint = (dir.path() + "/run.ckpt").toStdString();
    RunControl control;
    SessionEvents ev;
    ev.epoch = [&](const EpochReport&) { control.requestStop(); };
    const SessionResult part = TrainingSession(first, ev, &control).run();
    QCOMPARE(part.status, TrainResult::Stopped);

    SessionRequest again;  // nothing but the data and the file: the checkpoint has the rest
    again.trainOverride = r.trainOverride;
    again.validationOverride = r.validationOverride;
    again.checkpoint = first.checkpoint;
    again.resume = true;
    SessionInfo info;
    SessionEvents ev2;
    ev2.started = [&](const SessionInfo& i) { info = i; };
    const SessionResult rest = TrainingSession(again, ev2).run();
    QVERIFY(info.resumed);
    QCOMPARE(info.firstEpoch, 1);
    QCOMPARE(rest.epochsCompleted, 3);
    QCOMPARE(rest.steps, whole.steps);
    const double diff = maxAbsDiff(rest.model->params(), whole.model->params());
    qInfo("resumed vs uninterrupted: largest weight difference %g", diff);
    QCOMPARE(diff, 0.0);
}

void TestSession::version1CheckpointsAreStillRead()
{
    QTemporaryDir dir;
    Model m = Model::fromSpec(kSmall);
    m.initialize(3);
    TrainConfig c = quickRequest(4).config;
    m.metadata()["checkpoint.config"] = encodeConfig(c);
    m.metadata()["checkpoint.data"] = "mnist=0 limit=0 val=0.25 user_share=0.1";
    m.metadata()["checkpoint.origin"] = "fine-tune";
    TrainState st;
    st.params = m.params();
    st.nextEpoch = 2;
    st.step = 80;
    const std::vector<std::uint8_t> v1 = asVersion1(checkpointToBytes(m, c, st), m, c);
    QVERIFY(!v1.empty());
    QCOMPARE(v1[8], std::uint8_t(1));
    const std::string path = (dir.path() + "/v1.ckpt").toStdString();
    writeBytes(path, v1);

    std::string settings = "not cleared";
    const auto [model, state] = loadCheckpoint(path, &settings);
    QCOMPARE(settings, std::string());
    QCOMPARE(state.step, 80LL);
    const ResumePoint p = loadResumePoint(path);
    QCOMPARE(encodeConfig(p.settings.config), encodeConfig(c));
    QCOMPARE(p.settings.useMnist, false);
    QCOMPARE(p.settings.validationFraction, 0.25);
    QCOMPARE(p.settings.userMinShare, 0.1);
    QVERIFY(p.settings.fineTune);
    QCOMPARE(p.state.nextEpoch, 2);

    // A version-2 checkpoint keeps its settings itself, exactly.
    RunSettings s = p.settings;
    s.dataCrc = "1234";
    const std::string path2 = (dir.path() + "/v2.ckpt").toStdString();
    saveCheckpoint(path2, m, c, st, encodeRunSettings(s));
    const ResumePoint p2 = loadResumePoint(path2);
    QCOMPARE(encodeRunSettings(p2.settings), encodeRunSettings(s));

    // With synthetic styles and outlier exposure, those settings come back too.
    s.styles = 7000;
    s.outliers = 20000;
    s.synthSeed = 42;
    s.config.outlierBatch = 24;
    s.config.outlierWeight = 0.375f;
    saveCheckpoint(path2, m, s.config, st, encodeRunSettings(s));
    const ResumePoint p3 = loadResumePoint(path2);
    QCOMPARE(p3.settings.styles, 7000);
    QCOMPARE(p3.settings.outliers, 20000);
    QCOMPARE(p3.settings.synthSeed, std::uint64_t(42));
    QCOMPARE(p3.settings.config.outlierBatch, 24);
    QCOMPARE(p3.settings.config.outlierWeight, 0.375f);
    QVERIFY(p3.settings.config.outlierLoss == TrainConfig::OutlierLoss::Uniform);
    QVERIFY(encodeRunSettings(p2.settings).find("styles=") == std::string::npos);  // absent when unused
    // The energy-margin loss and its margins too.
    s.config.outlierLoss = TrainConfig::OutlierLoss::Energy;
    s.config.energyInMargin = 11.5f;
    s.config.energyOutMargin = -0.25f;
    saveCheckpoint(path2, m, s.config, st, encodeRunSettings(s));
    const ResumePoint p4 = loadResumePoint(path2);
    QVERIFY(p4.settings.config.outlierLoss == TrainConfig::OutlierLoss::Energy);
    QCOMPARE(p4.settings.config.energyInMargin, 11.5f);
    QCOMPARE(p4.settings.config.energyOutMargin, -0.25f);
    QVERIFY(encodeRunSettings(p3.settings).find("oe_loss=") == std::string::npos);
}

void TestSession::refusals_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no settings") << 0 << "holds no training settings";
    QTest::newRow("all epochs done") << 1 << "nothing left to resume";
    QTest::newRow("no MNIST, no digits") << 2 << "MNIST was not found in ";
    QTest::newRow("MNIST required") << 3 << "the MNIST files were not found in ";
    QTest::newRow("newer format") << 4 << "checkpoint format version 3 is newer than this program supports (2)";
}

void TestSession::refusals()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    SessionRequest r = quickRequest(2);
    const std::string ckpt = (dir.path() + "/x.ckpt").toStdString();
    Model m = Model::fromSpec(kSmall);
    TrainState st;
    st.params = m.params();
    switch (kind) {
    case 0:
        saveCheckpoint(ckpt, m, r.config, st);
        break;
    case 1: {
        st.nextEpoch = 2;
        RunSettings s;
        s.config = r.config;
        saveCheckpoint(ckpt, m, r.config, st, encodeRunSettings(s));
        break;
    }
    case 4: {
        std::vector<std::uint8_t> b = checkpointToBytes(m, r.config, st);
        b[8] = 3;
        writeBytes(ckpt, b);
        break;
    }
    default:
        r.trainOverride.reset();
        r.dataDir = (dir.path() + "/nowhere").toStdString();
        r.mnistRequired = kind == 3;
        break;
    }
    r.checkpoint = kind == 0 || kind == 1 || kind == 4 ? ckpt : std::string();
    r.resume = !r.checkpoint.empty();
    try {
        TrainingSession(r, {}).run();
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"
