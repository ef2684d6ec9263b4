// The training panel, the curves and "my digits" as widgets (offscreen):
// spec validation shows the engine's exact error and disables Start; button
// states through start/pause/resume/stop; keep and discard; stopping for
// close; settings kept between instances; curve data and exports; my digits
// add/relabel/delete and a damaged store. Also grabs the panel mid-run
// (DIGITPAD_SCREENSHOTS=dir saves it as dir/training.png).
#include "panels/curve_data.h"
#include "panels/curves_panel.h"
#include "panels/training_panel.h"
#include "panels/training_settings.h"
#include "panels/user_digits_panel.h"

#include "fixtures.h"

#include <nn/errors.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPainter>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QWheelEvent>
#include <QtTest>

#include <fstream>
#include <random>

using namespace app;
using ModelPtr = std::shared_ptr<const nn::Model>;

namespace {

template <typename T>
T* child(QWidget* w, const char* name)
{
    T* c = w->findChild<T*>(QString::fromLatin1(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

QString expectedSpecError(const std::string& spec)
{
    try {
        nn::Model::fromSpec(spec);
    } catch (const nn::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void setSpec(TrainingPanel& p, const QString& text)
{
    auto* edit = child<QLineEdit>(&p, "specEdit");
    edit->selectAll();
    QTest::keyClicks(edit, text);  // typed, as a person would
    if (edit->text() != text)      // (a completer or validator would show up here)
        edit->setText(text);
}

// A panel set up for a quick synthetic run.
void synthetic(TrainingPanel& p, int epochs, int batches)
{
    p.setDataOverride(std::make_shared<const nn::Dataset>(fixtures::syntheticBars(4000, 1)), std::make_shared<const nn::Dataset>(fixtures::syntheticBars(500, 2)));
    p.setMaxBatchesPerEpoch(batches);
    child<QSpinBox>(&p, "epochsSpin")->setValue(epochs);
    setSpec(p, "conv 8 5 pad=2 | relu | maxpool 2 | conv 16 5 | relu | maxpool 2 | dense 64 | relu | dense 10");
}

// Answers the next modal dialog (polling, since exec() blocks the caller)
// by clicking the button with `text`; *asked says whether one came.
void answerNextModal(const QString& text, bool* asked)
{
    auto* timer = new QTimer(qApp);
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, text, asked] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        timer->stop();
        timer->deleteLater();
        *asked = true;
        for (QAbstractButton* b : box->buttons())
            if (b->text() == text)
                QTest::mouseClick(b, Qt::LeftButton);
    });
    QTimer::singleShot(5000, timer, [timer] { timer->stop(); timer->deleteLater(); });
    timer->start();
}

}  // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void specValidationShowsTheExactErrorAndDisablesStart();
    void presetsFillTheSpec();
    void settingsAreKeptBetweenInstances();
    void augmentParamsRoundTrip();
    void buttonsFollowTheRunAndKeepAdoptsTheModel();
    void followTrainingAndDiscard();
    void stopForCloseReturnsTheModelQuickly();
    void mnistMissingIsSaidClearly();
    void curveDataAndExports();
    void myDigitsPanel();
    void damagedMyDigitsAreReported();
    void screenshotMidRun();
    void startingAgainAsksAboutTheWaitingModel();
    void wheelScrollsTheColumnNotTheSettings();
    void nonFiniteSettingsAreRefused();

private:
    QTemporaryDir m_tmp;
};

void TestTrainingPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // QSettings and app data go to a test location
    QVERIFY(m_tmp.isValid());
}

void TestTrainingPanel::init()
{
    QSettings(QStringLiteral("DigitPad"), QStringLiteral("DigitPad")).remove(QStringLiteral("training"));
}

void TestTrainingPanel::specValidationShowsTheExactErrorAndDisablesStart()
{
    TrainingPanel p;
    p.setCheckpointPath(m_tmp.path() + "/spec.ckpt");
    p.show();
    auto* start = child<QPushButton>(&p, "startButton");
    auto* error = child<QLabel>(&p, "specError");
    QVERIFY(p.specValid());
    QVERIFY(start->isEnabled());
    QVERIFY(error->isHidden());

    struct Case {
        const char* spec;
    } cases[] = {
        {"conv 8 5 | relu | dense 7"},                   // wrong number of outputs
        {"conv 8 30 | relu | dense 10"},                 // kernel larger than the input
        {"conv 8 5 | relu | dens 10"},                   // typo: "did you mean"
        {"conv 8 5 | | dense 10"},                       // empty layer
        {"dense 10 | maxpool 2"},                        // pooling a vector
    };
    for (const Case& c : cases) {
        setSpec(p, QString::fromLatin1(c.spec));
        const QString expected = expectedSpecError(c.spec);
        QVERIFY2(!expected.isEmpty(), c.spec);
        QCOMPARE(error->text(), expected);
        QVERIFY(error->isVisible());
        QVERIFY(!p.specValid());
        QVERIFY(!start->isEnabled());
        QCOMPARE(p.specError(), expected);
    }
    // A huge model is refused before it is allocated.
    setSpec(p, "dense 100000 | relu | dense 10");
    QVERIFY2(error->text().contains("parameters; the GUI trains models of up to"), qPrintable(error->text()));
    QVERIFY(!start->isEnabled());

    setSpec(p, "dense 32 | relu | dense 10");
    QVERIFY(p.specValid());
    QVERIFY(error->isHidden());
    QVERIFY(start->isEnabled());
    const QString info = child<QLabel>(&p, "specInfo")->text();
    QVERIFY2(info.contains(QLocale().toString(784 * 32 + 32 + 32 * 10 + 10)), qPrintable(info));
    QVERIFY2(info.contains("per epoch"), qPrintable(info));
    QVERIFY(p.estimatedEpochSeconds() > 0);
}

void TestTrainingPanel::presetsFillTheSpec()
{
    TrainingPanel p;
    auto* preset = child<QComboBox>(&p, "presetCombo");
    auto* edit = child<QLineEdit>(&p, "specEdit");
    for (const char* name : {"mlp", "lenet5", "cnn"}) {
        const int i = preset->findData(QString::fromLatin1(name));
        QVERIFY(i >= 0);
        preset->setCurrentIndex(i);
        emit preset->activated(i);
        QCOMPARE(edit->text(), QString::fromStdString(nn::Model::presetSpec(name)));
        QVERIFY(p.specValid());
    }
    setSpec(p, "dense 16 | relu | dense 10");
    QCOMPARE(preset->currentText(), QString("Custom"));
    setSpec(p, QString::fromStdString(nn::Model::presetSpec("mlp")));
    QCOMPARE(preset->currentData().toString(), QString("mlp"));
}

void TestTrainingPanel::settingsAreKeptBetweenInstances()
{
    {
        TrainingPanel p;
        child<QSpinBox>(&p, "epochsSpin")->setValue(13);
        setSpec(p, "dense 48 | relu | dense 10");
        nn::AugmentParams a = nn::AugmentParams::standard();
        a.rotationDeg = 21;
        p.setAugmentParams(a);
    }
    TrainingPanel q;
    QCOMPARE(child<QSpinBox>(&q, "epochsSpin")->value(), 13);
    QCOMPARE(child<QLineEdit>(&q, "specEdit")->text(), QString("dense 48 | relu | dense 10"));
    QCOMPARE(q.augmentParams().rotationDeg, 21.0f);
}

void TestTrainingPanel::augmentParamsRoundTrip()
{
    TrainingPanel p;
    QSignalSpy changed(&p, &TrainingPanel::augmentParamsChanged);
    nn::AugmentParams a = nn::AugmentParams::parse("rot=7,scale=0.8:1.2,shift=1.5,shear=4,elastic=6:3,thick=-0.5:1,contrast=0.6:1.1,noise=0.05");
    p.setAugmentParams(a);
    QCOMPARE(changed.count(), 1);  // once, not once per field
    QVERIFY(p.augmentParams() == a);
    QVERIFY(p.request().config.augment == a);
    a.enabled = false;
    p.setAugmentParams(a);
    QVERIFY(!p.request().config.augment.enabled);
}

void TestTrainingPanel::buttonsFollowTheRunAndKeepAdoptsTheModel()
{
    TrainingPanel p;
    p.setCheckpointPath(m_tmp.path() + "/buttons/last.ckpt");
    synthetic(p, 30, 40);
    p.show();
    auto* start = child<QPushButton>(&p, "startButton");
    auto* pause = child<QPushButton>(&p, "pauseButton");
    auto* resume = child<QPushButton>(&p, "resumeButton");
    auto* stop = child<QPushButton>(&p, "stopButton");
    QVERIFY(start->isEnabled() && !pause->isEnabled() && !resume->isEnabled() && !stop->isEnabled());
    QSignalSpy trained(&p, &TrainingPanel::modelTrained);
    QSignalSpy epochs(p.controller(), &TrainingController::epochFinished);

    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(p.isRunning());
    QVERIFY(!start->isEnabled() && pause->isEnabled() && !resume->isEnabled() && stop->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, 60000);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(p.isPaused());
    QVERIFY(!start->isEnabled() && !pause->isEnabled() && resume->isEnabled() && stop->isEnabled());
    QTest::mouseClick(resume, Qt::LeftButton);
    QVERIFY(!p.isPaused());
    QVERIFY(pause->isEnabled() && !resume->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!p.isRunning(), 120000);
    QVERIFY(start->isEnabled() && !pause->isEnabled() && !resume->isEnabled() && !stop->isEnabled());
    // A stopped run can be continued from its last checkpoint.
    QVERIFY(child<QPushButton>(&p, "continueButton")->isEnabled());

    QVERIFY(p.pendingResult());
    auto* bar = child<QWidget>(&p, "resultBar");
    QVERIFY(bar->isVisible());
    const ModelPtr pending = p.pendingResult();
    QTest::mouseClick(child<QPushButton>(&p, "keepButton"), Qt::LeftButton);
    QCOMPARE(trained.count(), 1);
    QCOMPARE(trained.first().at(0).value<ModelPtr>(), pending);
    QCOMPARE(p.currentModel(), pending);
    QVERIFY(!p.pendingResult());
    QVERIFY(bar->isHidden());

    const QString log = p.logText();
    for (const char* part : {"start: new model", "epoch 1/30", "paused", "resumed", "stop requested",
                             "stopped by request during epoch", "the new model is now in use"})
        QVERIFY2(log.contains(part), qPrintable(QString("missing '%1' in\n%2").arg(part, log)));
    QVERIFY(QRegularExpression("^\\[\\d\\d:\\d\\d:\\d\\d\\] ").match(log).hasMatch());
    const QString logPath = m_tmp.path() + "/training.log";
    QVERIFY(p.saveLog(logPath));
    QFile f(logPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("epoch 1/30"));

    // Fine-tuning the kept model.
    child<QRadioButton>(&p, "fineTuneRadio")->setChecked(true);
    QVERIFY(p.specValid());
    QCOMPARE(p.request().initial, pending);
}

void TestTrainingPanel::followTrainingAndDiscard()
{
    TrainingPanel p;
    p.setCheckpointPath(QString());
    synthetic(p, 200, 0);
    const ModelPtr original = std::make_shared<const nn::Model>(nn::Model::fromSpec("dense 10"));
    p.setCurrentModel(original);
    QSignalSpy follow(&p, &TrainingPanel::followSnapshot);
    QSignalSpy trained(&p, &TrainingPanel::modelTrained);
    child<QCheckBox>(&p, "followCheck")->setChecked(true);
    p.controller()->setFollowInterval(0.05);  // (the panel's is every 3 s)
    p.start();
    p.controller()->setFollowInterval(0.05);
    QTRY_VERIFY_WITH_TIMEOUT(follow.count() >= 2, 60000);
    QVERIFY(follow.last().at(0).value<ModelPtr>() != original);
    p.stop();
    QTRY_VERIFY_WITH_TIMEOUT(p.pendingResult() != nullptr, 120000);
    QCOMPARE(follow.last().at(0).value<ModelPtr>(), p.pendingResult());  // the pad shows the final weights
    p.discardResult();
    QCOMPARE(follow.last().at(0).value<ModelPtr>(), original);  // and goes back on discard
    QCOMPARE(trained.count(), 0);
    QCOMPARE(p.currentModel(), original);
}

void TestTrainingPanel::stopForCloseReturnsTheModelQuickly()
{
    TrainingPanel p;
    p.setCheckpointPath(QString());
    synthetic(p, 100, 0);
    QSignalSpy epochs(p.controller(), &TrainingController::batchProgress);
    p.start();
    QTRY_VERIFY_WITH_TIMEOUT(p.controller()->currentStep() >= 3, 60000);
    QElapsedTimer t;
    t.start();
    const ModelPtr m = p.stopForClose(1000);
    QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
    QVERIFY(m);
    QVERIFY(!p.isRunning());
    QCOMPARE(p.pendingResult(), m);
    QSignalSpy trained(&p, &TrainingPanel::modelTrained);
    p.keepResult();
    QCOMPARE(trained.count(), 1);
    QVERIFY(!p.stopForClose(1000));  // nothing running, nothing pending
}

void TestTrainingPanel::mnistMissingIsSaidClearly()
{
    QTemporaryDir empty;
    TrainingPanel p;
    p.setMnistDir(empty.path());
    const QString text = child<QLabel>(&p, "mnistLabel")->text();
    QVERIFY2(text.contains("MNIST was not found") && text.contains(QDir::toNativeSeparators(empty.path())) &&
                 text.contains("scripts/fetch-mnist"),
             qPrintable(text));
    // Starting anyway fails with a message, not silently.
    setSpec(p, "dense 16 | relu | dense 10");
    child<QCheckBox>(&p, "useMnistCheck")->setChecked(true);
    QSignalSpy failed(p.controller(), &TrainingController::failed);
    p.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 120000);
    QVERIFY(p.logText().contains("error: while loading the training data: MNIST was not found in"));
}

void TestTrainingPanel::curveDataAndExports()
{
    CurveData d;
    d.beginRun("a");
    nn::BatchReport b;
    b.epochs = 2;
    b.batches = 10;
    for (int e = 0; e < 2; ++e)
        for (int i = 1; i <= 10; ++i) {
            b.epoch = e;
            b.batch = i;
            b.step = e * 10 + i;
            b.loss = 2.0 / (e * 10 + i);  // 10 batches an epoch: no smoothing
            b.accuracy = 0.5;
            d.addBatch(b);
        }
    nn::EpochReport er;
    er.epoch = 0;
    er.trainLoss = 1.0;
    er.trainAccuracy = 0.6;
    er.valLoss = 0.9;
    er.valAccuracy = 0.7;
    d.addEpoch(er);
    QCOMPARE(d.current().series[CurveData::TrainLoss].size(), 20);
    QCOMPARE(d.current().series[CurveData::TrainLoss].back(), QPointF(2.0, 0.1));
    QCOMPARE(d.current().series[CurveData::ValAccuracy].front(), QPointF(1.0, 0.7));
    QVERIFY(!d.hasPrevious());
    d.beginRun("b");
    QVERIFY(d.hasPrevious());
    QVERIFY(d.current().empty());
    QCOMPARE(d.previous().series[CurveData::TrainLoss].size(), 20);
    const QString csv = d.toCsv();
    QVERIFY(csv.startsWith("run,series,epoch,value\n"));
    QVERIFY(csv.contains("previous,val_loss,1,0.9\n"));
    QVERIFY(csv.contains("previous,train_loss_smoothed,2,0.1\n"));
    // Thinning keeps the size bounded and the last point.
    d.beginRun("c");
    b.batches = 100000;
    b.epoch = 0;
    for (int i = 1; i <= 20000; ++i) {
        b.batch = i;
        b.step = i;
        d.addBatch(b);
    }
    QVERIFY(d.current().series[CurveData::TrainLoss].size() <= CurveData::kMaxPoints);
    QCOMPARE(d.current().series[CurveData::TrainLoss].back().x(), 0.2);

    CurvesPanel panel;
    panel.resize(800, 400);
    panel.show();
    panel.beginRun("x");
    for (int i = 1; i <= 10; ++i) {
        nn::BatchReport r;
        r.epoch = 0;
        r.epochs = 1;
        r.batch = i;
        r.batches = 10;
        r.step = i;
        r.loss = 1.0 / i;
        r.accuracy = 0.1 * i;
        panel.addBatch(r);
    }
    panel.setLogScale(true);
    QVERIFY(panel.logScale());
    panel.flush();
    panel.setLogScale(false);
    QVERIFY(!panel.logScale());
    const QString png = m_tmp.path() + "/curves.png";
    const QString csvPath = m_tmp.path() + "/curves.csv";
    QVERIFY(panel.exportPng(png));
    QVERIFY(panel.exportCsv(csvPath));
    QImage img(png);
    QVERIFY(!img.isNull() && img.width() > 300);
    QFile f(csvPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll().count('\n'), 1 + 20);  // header + 10 loss + 10 accuracy points
    QString error;
    QVERIFY(!panel.exportCsv(m_tmp.path() + "/no/such/dir/x.csv", &error));
    QVERIFY(error.contains("Could not write"));
}

void TestTrainingPanel::myDigitsPanel()
{
    const QString dir = m_tmp.path() + "/panel-digits";
    UserDigitsPanel panel(dir);
    QSignalSpy changed(&panel, &UserDigitsPanel::changed);
    const nn::Dataset d = fixtures::syntheticBars(8, 3);
    std::vector<float> x(784);
    for (int i = 0; i < 8; ++i) {
        d.imageAsFloat(i, x.data());
        QVERIFY(panel.addInput(x.data(), i % 2 ? 7 : 1));
    }
    QCOMPARE(panel.count(), 8);
    QCOMPARE(changed.count(), 8);
    int heldIndex = -1;  // the first held-out digit (decided by its pixels)
    for (int i = 0; i < 8 && heldIndex < 0; ++i)
        if (panel.store().isHeldOut(i))
            heldIndex = i;
    QVERIFY(heldIndex > 0);
    QCOMPARE(changed.last().at(1).toInt(), panel.store().heldOutCount());
    auto* list = panel.findChild<QListWidget*>();
    QCOMPARE(list->count(), 8);
    QVERIFY(list->item(heldIndex)->text().contains("held out"));
    // The held-out mark is shown whole, although the first item's label is short.
    panel.resize(900, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(list->item(0)->text(), QStringLiteral("1"));
    const int needed = list->fontMetrics().horizontalAdvance(list->item(heldIndex)->text());
    QVERIFY2(list->visualItemRect(list->item(heldIndex)).width() > needed,
             qPrintable(QString("%1 px for a %2 px label")
                            .arg(list->visualItemRect(list->item(heldIndex)).width())
                            .arg(needed)));
    panel.hide();
    QVERIFY(!panel.addInput(x.data(), 12));
    QVERIFY(panel.lastError().contains("not a digit"));
    // A drawing: dark ink on white, any size, preprocessed as for prediction.
    QImage drawing(200, 200, QImage::Format_RGB32);
    drawing.fill(Qt::white);
    {
        QPainter painter(&drawing);
        painter.setPen(QPen(Qt::black, 14, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(100, 30, 100, 170);
    }
    QVERIFY(panel.addImage(drawing, 1));
    QCOMPARE(panel.count(), 9);
    QImage blank(100, 100, QImage::Format_RGB32);
    blank.fill(Qt::white);
    QVERIFY(!panel.addImage(blank, 3));
    QVERIFY(panel.lastError().contains("empty"));

    // "Add to my digits" from the pad: the label dialog answers to a digit key.
    QTimer::singleShot(200, [] {
        if (QWidget* dialog = QApplication::activeModalWidget())
            QTest::keyClick(dialog, Qt::Key_7);
    });
    QCOMPARE(panel.addFromCanvas(drawing, 1), 7);
    QCOMPARE(panel.count(), 10);
    QCOMPARE(panel.store().label(9), 7);
    QTimer::singleShot(200, [] {
        if (QWidget* dialog = QApplication::activeModalWidget())
            QTest::keyClick(dialog, Qt::Key_Escape);
    });
    QCOMPARE(panel.addFromCanvas(drawing, 1), -1);  // cancelled: nothing stored
    QCOMPARE(panel.count(), 10);
    QVERIFY(panel.remove(9));

    // Relabel with a digit key, delete with the Delete key.
    panel.show();
    panel.selectIndex(0);
    QTest::keyClick(&panel, Qt::Key_4);
    QCOMPARE(panel.store().label(0), 4);
    // ... also where a person presses it: in the list, whose type-to-search
    // used to take the key.
    QVERIFY(list);
    list->clearSelection();
    panel.selectIndex(1);
    list->setFocus();
    const int before1 = panel.store().label(1);
    const int wanted = before1 == 6 ? 2 : 6;
    QTest::keyClick(list, Qt::Key(Qt::Key_0 + wanted));
    QCOMPARE(panel.store().label(1), wanted);
    list->clearSelection();
    panel.selectIndex(0);
    QTest::keyClick(&panel, Qt::Key_Delete);
    QCOMPARE(panel.count(), 8);
    QVERIFY(panel.relabel(0, 9));
    QVERIFY(!panel.relabel(50, 9));

    // Persisted; the training sets split as the store does.
    UserDigitsPanel again(dir);
    QCOMPARE(again.count(), 8);
    QCOMPARE(again.store().label(0), 9);
    auto [train, held] = again.trainingSets();
    QCOMPARE(train->size() + held->size(), 8);
    QCOMPARE(held->size(), again.store().heldOutCount());

    // Wired to a training panel: its data line names them.
    TrainingPanel tp;
    tp.setUserDigits(&again);
    QVERIFY2(child<QCheckBox>(&tp, "includeUserCheck")->text().contains(QString("%1 held out").arg(held->size())),
             qPrintable(child<QCheckBox>(&tp, "includeUserCheck")->text()));
    QCOMPARE(tp.request().userHeldOut->size(), held->size());
}

void TestTrainingPanel::damagedMyDigitsAreReported()
{
    const QString dir = m_tmp.path() + "/damaged-digits";
    QDir().mkpath(dir);
    std::ofstream(QString(dir + "/digits.manifest").toStdString()) << "digitpad-user-digits 1\ngeneration 2\ncount 5\n";
    UserDigitsPanel panel(dir);
    QVERIFY(panel.isDamaged());
    QVERIFY2(panel.lastError().contains("images-2-idx3-ubyte"), qPrintable(panel.lastError()));
    std::vector<float> x(784, 0.5f);
    QVERIFY(!panel.addInput(x.data(), 3));  // nothing is overwritten
    QVERIFY(!panel.trainingSets().first);
}

void TestTrainingPanel::screenshotMidRun()
{
    // A first short run leaves "previous" curves; the second is grabbed mid-run.
    // With DIGITPAD_SCREENSHOTS=dir (and MNIST present) it is the default CNN
    // on MNIST (30 batches per epoch) and the image is saved as dir/training.png;
    // otherwise a quick synthetic run.
    const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS");
    const QString mnist = QString::fromLocal8Bit(qgetenv("DIGITPAD_DATA")).isEmpty()
                              ? QDir::homePath() + "/.local/share/DigitPad/mnist"
                              : QString::fromLocal8Bit(qgetenv("DIGITPAD_DATA"));
    const bool real = !shots.isEmpty() && !nn::findMnistFile(mnist.toStdString(), "train-images-idx3-ubyte").empty();
    TrainingPanel p;
    p.setCheckpointPath(m_tmp.path() + "/shot/last.ckpt");
    UserDigitsPanel digits(m_tmp.path() + "/shot-digits");
    p.setUserDigits(&digits);
    if (real) {
        p.setMnistDir(mnist);
        p.setMaxBatchesPerEpoch(30);
        child<QComboBox>(&p, "presetCombo")->setCurrentIndex(2);
        emit child<QComboBox>(&p, "presetCombo")->activated(2);
    } else {
        synthetic(p, 4, 25);
        p.setAugmentParams(nn::AugmentParams{});
    }
    child<QSpinBox>(&p, "patienceSpin")->setValue(0);
    // The previous run: a lower learning rate, so that the curves differ.
    child<QDoubleSpinBox>(&p, "learningRateSpin")->setValue(3e-4);
    child<QSpinBox>(&p, "epochsSpin")->setValue(4);
    p.resize(1400, 860);
    p.show();
    QSignalSpy finished(p.controller(), &TrainingController::finished);
    p.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
    QVERIFY(p.logText().contains("lr=0.0003"));
    p.discardResult();

    child<QDoubleSpinBox>(&p, "learningRateSpin")->setValue(1e-3);
    child<QSpinBox>(&p, "epochsSpin")->setValue(8);
    QSignalSpy epochs(p.controller(), &TrainingController::epochFinished);
    QSignalSpy batches(p.controller(), &TrainingController::batchProgress);
    p.start();
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 5, 300000);
    batches.clear();
    QTRY_VERIFY_WITH_TIMEOUT(batches.count() >= 3, 60000);  // well into the sixth epoch
    p.curves()->flush();
    QVERIFY(p.isRunning());
    const QPixmap shot = p.grab();
    QVERIFY(!shot.isNull());
    const QString path = (shots.isEmpty() ? m_tmp.path() : QString::fromLocal8Bit(shots)) + "/training.png";
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(shot.save(path));
    qInfo("screenshot (%s): %s", real ? "MNIST" : "synthetic", qPrintable(path));
    QVERIFY(p.curves()->data().hasPrevious());
    QVERIFY(p.stopForClose(2000));
}

// Issue 21, item 3: Start while the Use this model / Discard bar waits asks
// first: Cancel starts nothing and keeps the result; "Use it" adopts it
// before the new run; "Discard it" drops it. It is never thrown away unasked.
void TestTrainingPanel::startingAgainAsksAboutTheWaitingModel()
{
    TrainingPanel p;
    p.setCheckpointPath(m_tmp.path() + "/again/last.ckpt");
    synthetic(p, 1, 3);
    p.show();
    QSignalSpy trained(&p, &TrainingPanel::modelTrained);
    QSignalSpy finished(p.controller(), &TrainingController::finished);
    p.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const ModelPtr first = p.pendingResult();
    QVERIFY(first);

    bool asked = false;
    answerNextModal(QStringLiteral("Cancel"), &asked);
    QTest::mouseClick(child<QPushButton>(&p, "startButton"), Qt::LeftButton);
    QVERIFY(asked);
    QVERIFY(!p.isRunning());
    QCOMPARE(p.pendingResult(), first);
    QVERIFY(child<QWidget>(&p, "resultBar")->isVisible());
    QVERIFY(!p.logText().contains("discarded"));

    asked = false;
    answerNextModal(QStringLiteral("Use it"), &asked);
    QTest::mouseClick(child<QPushButton>(&p, "startButton"), Qt::LeftButton);
    QVERIFY(asked);
    QCOMPARE(trained.count(), 1);
    QCOMPARE(trained.first().at(0).value<ModelPtr>(), first);
    QCOMPARE(p.currentModel(), first);
    QVERIFY(p.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    const ModelPtr second = p.pendingResult();
    QVERIFY(second && second != first);

    asked = false;
    answerNextModal(QStringLiteral("Discard it"), &asked);
    p.start();
    QVERIFY(asked);
    QCOMPARE(trained.count(), 1);
    QCOMPARE(p.currentModel(), first);
    QVERIFY(p.isRunning());
    QVERIFY(p.logText().contains("the new model was discarded"));
    p.stopForClose(5000);
}

// Issue 21, item 19: the wheel over the settings column scrolls it; a spin
// box or combo box it passes over changes only once it has the focus.
void TestTrainingPanel::wheelScrollsTheColumnNotTheSettings()
{
    TrainingPanel p;
    p.setCheckpointPath(QString());
    p.resize(1000, 360);  // the column needs scrolling
    p.show();
    QVERIFY(QTest::qWaitForWindowExposed(&p));
    auto* scroll = p.findChild<QScrollArea*>();
    QVERIFY(scroll);
    QScrollBar* bar = scroll->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    const auto wheel = [](QWidget* w) {
        const QPointF pos(w->width() / 2.0, w->height() / 2.0);
        QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &e);
    };
    auto* epochs = child<QSpinBox>(&p, "epochsSpin");
    auto* optimizer = child<QComboBox>(&p, "optimizerCombo");
    QDoubleSpinBox* shift = nullptr;
    for (QDoubleSpinBox* d : p.findChildren<QDoubleSpinBox*>())
        if (d->objectName().startsWith("augment.") && d->isEnabled())
            shift = d;
    QVERIFY(shift);
    p.setFocus();
    const int e0 = epochs->value(), o0 = optimizer->currentIndex();
    const double s0 = shift->value();
    const int scrolled0 = bar->value();
    for (QWidget* w : std::initializer_list<QWidget*>{epochs, optimizer, shift})
        wheel(w);
    QCOMPARE(epochs->value(), e0);
    QCOMPARE(optimizer->currentIndex(), o0);
    QCOMPARE(shift->value(), s0);
    QVERIFY2(bar->value() > scrolled0, qPrintable(QString::number(bar->value())));  // the column scrolled
    QVERIFY(!epochs->hasFocus());
    // Focused (clicked or tabbed to), the wheel changes it.
    epochs->setFocus();
    QVERIFY(epochs->hasFocus());
    wheel(epochs);
    QCOMPARE(epochs->value(), e0 - 1);
}

// Issue 21, item 25: "learningRate=nan" in the settings file does not become
// a learning rate of 1.0: the default is used and the log says why.
void TestTrainingPanel::nonFiniteSettingsAreRefused()
{
    {
        QSettings s(QStringLiteral("DigitPad"), QStringLiteral("DigitPad"));
        s.setValue(QStringLiteral("training/learningRate"), QStringLiteral("nan"));
        s.setValue(QStringLiteral("training/weightDecay"), QStringLiteral("inf"));
    }
    const TrainingSettings defaults;
    TrainingPanel p;
    p.setCheckpointPath(QString());
    QCOMPARE(double(p.request().config.learningRate), double(float(defaults.learningRate)));
    QCOMPARE(double(p.request().config.optimizer.weightDecay), defaults.weightDecay);
    QVERIFY2(p.logText().contains("learningRate=nan in the settings is not a finite number; using 0.001 instead"),
             qPrintable(p.logText()));
    QVERIFY2(p.logText().contains("weightDecay=inf"), qPrintable(p.logText()));
}

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"
