// The main window as a whole: its pages, how a model reaches every one of
// them, how samples travel between pages, "Add to My Digits" from the pad,
// and what happens when the window closes while training runs.
#include "fixtures.h"

#include "canvas/canvas.h"
#include "common/defaultmodel.h"
#include "main_window.h"
#include "panels/inspector_panel.h"
#include "panels/layer_inspector.h"
#include "panels/layer_view.h"
#include "panels/augment_preview.h"
#include "panels/draw_pad.h"
#include "panels/evaluation_panel.h"
#include "panels/mnist_browser.h"
#include "panels/saliency_view.h"
#include "panels/training_panel.h"
#include "panels/training_settings.h"
#include "panels/user_digits_panel.h"
#include "workers/prediction_controller.h"
#include "workers/training_controller.h"

#include <nn/cpu.h>
#include <nn/augment.h>
#include <nn/data/userdigits.h>
#include <nn/model.h>
#include <nn/serialize.h>
#include <nn/torch_project.h>

#include <cerrno>

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QProcess>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace app;
using ModelPtr = std::shared_ptr<const nn::Model>;

namespace {

// A digit-ish vertical stroke down the middle of the canvas.
Stroke verticalLine()
{
    Stroke s;
    s.width = 34;
    for (int y = 120; y <= 440; y += 8)
        s.points.push_back({QPointF(280, y), 1.0f});
    return s;
}

// Runs `answer` on the next modal dialog that opens (polling, since exec()
// blocks the caller) and records how long after `clock` started it appeared.
void onNextModal(std::function<void(QWidget*)> answer, QElapsedTimer* clock = nullptr, qint64* seenAfter = nullptr)
{
    auto* timer = new QTimer(qApp);
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, answer, clock, seenAfter] {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal)
            return;
        timer->stop();
        timer->deleteLater();
        if (clock && seenAfter)
            *seenAfter = clock->elapsed();
        answer(modal);
    });
    timer->start();
}

void clickButton(QWidget* box, QMessageBox::StandardButton which)
{
    auto* mb = qobject_cast<QMessageBox*>(box);
    QVERIFY2(mb, qPrintable(box->metaObject()->className()));
    QTest::mouseClick(mb->button(which), Qt::LeftButton);
}

// A short synthetic run on the window's training panel.
void prepareRun(TrainingPanel* p, int epochs)
{
    p->setDataOverride(std::make_shared<const nn::Dataset>(fixtures::syntheticBars(4000, 1)),
                       std::make_shared<const nn::Dataset>(fixtures::syntheticBars(500, 2)));
    p->setCheckpointPath(QString());
    p->setMaxBatchesPerEpoch(0);
    p->findChild<QSpinBox*>(QStringLiteral("epochsSpin"))->setValue(epochs);
    p->findChild<QSpinBox*>(QStringLiteral("patienceSpin"))->setValue(0);  // no early stop
    auto* spec = p->findChild<QLineEdit*>(QStringLiteral("specEdit"));
    spec->setText(QStringLiteral("conv 8 5 pad=2 | relu | maxpool 2 | dense 32 | relu | dense 10"));
    QVERIFY(p->specValid());
}

// The status bar's "Model: …" label.
QLabel* modelStatus(MainWindow& w)
{
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
        if (l->text().startsWith("Model: "))
            return l;
    return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void everyPageIsThere();
    void layersFollowTheDrawing();
    void padLayersTabOutlinesTheReceptiveField();
    void aboutSaysWhichEngineRuns();
    void aModelReachesEveryPage();
    void samplesTravelBetweenPages();
    void augmentationSettingsGoBothWays();
    void addToMyDigitsFromThePad();
    void whyThisAnswerOnThePad();
    void closingDuringTrainingCanCancel();
    void quittingAsksAboutAnUnsavedKeptModel();
    void evaluationCancelledByAModelChangeSaysSo();
    void closingDuringTrainingDiscards();
    void followNoteEndsWithTheRun();
    void augmentationPreviewMatchesTheTrainer();
    void closingDuringTrainingKeepsAndRemembers();
    void aMissingRememberedModelFallsBack();
    void onnxGoesOutAndComesBack();
    void torchProjectFromTheTrainPage();
    void torchProjectIntoAFolderThatIsNotEmpty();
    void startUpWithFifosDoesNotHang();
    void bracketKeysReachThePenLimits();
    void everyPageFitsASmallScreen();
    void quittingWithEveryWorkerBusyTakesUnderASecond();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // settings and data in a test location
    QApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QApplication::setApplicationName(QStringLiteral("DigitPad"));
}

void TestMainWindow::init()
{
    QSettings().clear();
    QDir(appDataDir()).removeRecursively();
    QDir(UserDigitsPanel::defaultDirectory()).removeRecursively();
}

// Help > About names the engine level that runs and the CPU's (nn/cpu.h).
void TestMainWindow::aboutSaysWhichEngineRuns()
{
    MainWindow w;
    w.show();
    QString text;
    onNextModal([&text](QWidget* box) {
        text = qobject_cast<QMessageBox*>(box)->text();
        if (!qEnvironmentVariableIsEmpty("DIGITPAD_ABOUT_PNG"))
            box->grab().save(qEnvironmentVariable("DIGITPAD_ABOUT_PNG"));
        clickButton(box, QMessageBox::Ok);
    });
    w.about();
    QVERIFY2(text.contains(QString("Engine: ") + QString::fromStdString(nn::cpu::summary()).toHtmlEscaped()),
             qPrintable(text));
    QVERIFY2(text.contains(QString("the CPU supports ") + nn::cpu::levelName(nn::cpu::cpuLevel())), qPrintable(text));
}

void TestMainWindow::everyPageIsThere()
{
    MainWindow w;
    w.show();
    QTabWidget* pages = w.pages();
    QStringList names;
    for (int i = 0; i < pages->count(); ++i)
        names << pages->tabText(i);
    QCOMPARE(names, (QStringList{"Draw", "Train", "Evaluate", "Browse MNIST", "Augmentation", "My Digits", "Runs", "Layers", "Robustness"}));
    QVERIFY(pages->tabBar()->isVisible());
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.drawPad()));
    // Alt+N switches pages from anywhere.
    QApplication::setActiveWindow(&w);
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_3, Qt::AltModifier);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.evaluationPanel()));
    QTest::keyClick(&w, Qt::Key_7, Qt::AltModifier);
    QCOMPARE(pages->currentIndex(), 6);  // the Runs page
    QTest::keyClick(&w, Qt::Key_8, Qt::AltModifier);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.layersPage()));
    QTest::keyClick(&w, Qt::Key_1, Qt::AltModifier);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.drawPad()));
    QCOMPARE(w.modelName(), QStringLiteral("built-in default"));
}

// The drawing reaches the Layers page and the pad's Layers tab: what they
// show is the model's layer outputs for the network's input of the drawing.
void TestMainWindow::layersFollowTheDrawing()
{
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.showPage(w.layersPage());
    w.canvas()->addStroke(verticalLine());
    QTRY_VERIFY(!w.predictor()->last().empty());
    QTRY_VERIFY(!w.layerInspector()->traces().empty());
    const app::Prediction& p = w.predictor()->last();
    QVERIFY(w.layerInspector()->input() == p.input.input);
    const auto probs = w.layerInspector()->probabilities();
    for (int k = 0; k < 10; ++k)
        QVERIFY(std::abs(probs[std::size_t(k)] - p.probabilities[std::size_t(k)]) < 1e-4f);
    QCOMPARE(w.layersPage()->stack()->strips(), int(w.layerInspector()->traces().size()) + 1);
    // A new model reaches the inspector.
    const auto other = std::make_shared<const nn::Model>(nn::Model::fromSpec("conv 4 3 | relu | dense 10"));
    QVERIFY(w.setModel(other, "tiny"));
    QTRY_COMPARE(w.layerInspector()->model(), other);
    QTRY_COMPARE(w.layersPage()->stack()->strips(), 4);  // conv, relu, dense, softmax
}

// Issue 16: hovering a unit in the pad's Layers tab outlines its receptive
// field on the drawing itself, through the preprocessing's geometry.
void TestMainWindow::padLayersTabOutlinesTheReceptiveField()
{
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    app::Canvas* canvas = w.canvas();
    canvas->addStroke(verticalLine());
    QTRY_VERIFY(!w.predictor()->last().empty() && w.predictor()->last().revision == canvas->revision());
    const nn::PreprocessResult& r = w.predictor()->last().input;

    // The geometry: the prepared input's centre of mass (pixel i spans
    // [i, i+1)) goes back to the ink's centre of mass on the canvas.
    double m = 0, mx = 0, my = 0;
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const double v = r.input[std::size_t(y * 28 + x)];
            m += v;
            mx += v * (x + 0.5);
            my += v * (y + 0.5);
        }
    const QPointF com = canvas->inputToCanvas(QRectF(mx / m, my / m, 0, 0)).topLeft();
    QVERIFY2(std::abs(com.x() - r.comX) < 1.0 / r.scale && std::abs(com.y() - r.comY) < 1.0 / r.scale,
             qPrintable(QStringLiteral("(%1, %2) vs (%3, %4)").arg(com.x()).arg(com.y()).arg(r.comX).arg(r.comY)));
    // The 28x28 field holds the ink box (the line is 320 + 34 tall: 20 of 28 rows).
    const QRectF field = canvas->inputToCanvas(QRectF(0, 0, 28, 28));
    QVERIFY(field.contains(QRectF(r.boxX, r.boxY, r.boxW, r.boxH)));
    QVERIFY(std::abs(field.height() - r.boxH * 28.0 / 20.0) < 1.0);

    // The pad's Layers tab, and a unit of the first pool in it.
    app::LayerStack* compact = nullptr;
    for (app::LayerStack* s : w.drawPad()->findChildren<app::LayerStack*>())
        compact = s;
    QVERIFY(compact);
    QTabWidget* tabs = nullptr;
    for (QTabWidget* t : w.drawPad()->findChildren<QTabWidget*>())
        if (t->indexOf(compact) >= 0)
            tabs = t;
    QVERIFY(tabs);
    tabs->setCurrentWidget(compact);
    QTRY_VERIFY(compact->strips() > 3 && compact->strip(3)->trace().spatial());
    app::LayerStrip* strip = compact->strip(3);
    QTRY_VERIFY(strip->isVisible() && !strip->channelRect(0).isEmpty());
    QScrollArea* area = compact->findChild<QScrollArea*>();
    QVERIFY(area);
    // (The strips are laid out after posted events: scroll until it shows.)
    QTRY_VERIFY((area->ensureWidgetVisible(strip), strip->visibleRegion().contains(strip->channelRect(0).center())));
    const QRect tile = strip->channelRect(0);
    const nn::Shape3 shape = strip->trace().shape;
    const QPoint unit55(tile.left() + int(std::lround(5.5 * tile.width() / shape.w)),
                        tile.top() + int(std::lround(5.5 * tile.height() / shape.h)));
    int c = -1, uy = -1, ux = -1;
    QVERIFY(strip->unitAt(unit55, &c, &uy, &ux));
    QCOMPARE(c, 0);
    QCOMPARE(uy, 5);
    QCOMPARE(ux, 5);
    QTest::mouseMove(strip, unit55);
    const nn::ReceptiveField f = w.layerInspector()->receptiveField(3, 0, 5, 5);
    QCOMPARE(canvas->receptiveField(), QRect(f.x0, f.y0, f.width(), f.height()));
    QCOMPARE(canvas->receptiveField(), QRect(8, 8, 6, 6));  // the built-in model: conv 5x5 pad 2, pool 2

    // Drawn on the canvas: the outline's left edge is yellow halfway down.
    const QRectF c8 = canvas->inputToCanvas(QRectF(8, 8, 6, 6));
    const QPointF left = canvas->toWidget(QPointF(c8.left(), c8.center().y()));
    const QImage shot = canvas->grab().toImage();
    const qreal dpr = shot.devicePixelRatio();
    QStringList seen;
    bool yellow = false;
    for (int dx = -2; dx <= 2; ++dx) {
        const QColor edge(shot.pixel(int(std::round(left.x() * dpr)) + dx, int(left.y() * dpr)));
        yellow = yellow || (edge.red() > 200 && edge.green() > 150 && edge.blue() < 80);
        seen << edge.name();
    }
    QVERIFY2(yellow, qPrintable(seen.join(' ')));

    // The mouse leaves the strips: the outline goes.
    QTest::mouseMove(strip, QPoint(strip->width() - 1, 1));
    QVERIFY(canvas->receptiveField().isEmpty());

    // A picture predicted as it is (a 28x28 sample): its 28 pixels fill the canvas.
    QImage sample(28, 28, QImage::Format_Grayscale8);
    sample.fill(0);
    for (int y = 4; y < 24; ++y)
        sample.setPixel(14, y, qRgb(255, 255, 255));
    w.showPage(w.drawPad());
    emit w.browser()->sendToCanvas(sample);
    QTRY_VERIFY(w.predictor()->last().exact && w.predictor()->last().revision == canvas->revision());
    const QRectF whole = canvas->inputToCanvas(QRectF(0, 0, 28, 28));
    QVERIFY2(std::abs(whole.left()) < 1e-6 && std::abs(whole.top()) < 1e-6 &&
                 std::abs(whole.width() - app::Canvas::kSize) < 1e-6 && std::abs(whole.height() - app::Canvas::kSize) < 1e-6,
             qPrintable(QStringLiteral("%1 %2 %3 %4").arg(whole.left()).arg(whole.top()).arg(whole.width()).arg(whole.height())));
}

void TestMainWindow::aModelReachesEveryPage()
{
    MainWindow w;
    const ModelPtr builtin = w.model();
    QVERIFY(builtin);
    QCOMPARE(w.trainingPanel()->currentModel(), builtin);
    QCOMPARE(w.evaluationPanel()->model(), builtin);
    QCOMPARE(w.browser()->model(), builtin);

    auto other = std::make_shared<nn::Model>(nn::Model::fromSpec("dense 16 | relu | dense 10"));
    other->initialize(3);
    const ModelPtr m = other;
    QVERIFY(w.setModel(m, QStringLiteral("tiny")));
    QCOMPARE(w.model(), m);
    QCOMPARE(w.trainingPanel()->currentModel(), m);
    QCOMPARE(w.evaluationPanel()->model(), m);
    QCOMPARE(w.browser()->model(), m);

    // A model for another input is refused and the pages keep theirs.
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Ok); });
    auto wrong = std::make_shared<const nn::Model>(nn::Model::fromSpec("dense 10", nn::Shape3{1, 8, 8}));
    QVERIFY(!w.setModel(wrong, QStringLiteral("wrong")));
    QVERIFY2(w.lastError().contains("DigitPad needs a 1x28x28 input"), qPrintable(w.lastError()));
    QCOMPARE(w.trainingPanel()->currentModel(), m);
    QCOMPARE(w.evaluationPanel()->model(), m);
}

void TestMainWindow::samplesTravelBetweenPages()
{
    MainWindow w;
    w.show();
    // "Send to canvas" from the browser: a 28x28 white-on-black "1".
    QImage one(28, 28, QImage::Format_Grayscale8);
    one.fill(0);
    for (int y = 5; y < 23; ++y)
        for (int x = 13; x < 16; ++x)
            one.setPixel(x, y, qRgb(255, 255, 255));
    w.showPage(w.browser());
    QVERIFY(w.canvas()->isBlank());
    QSignalSpy predicted(w.predictor(), &PredictionController::predicted);
    emit w.browser()->sendToCanvas(one);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.drawPad()));
    QVERIFY(!w.canvas()->isBlank());
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->last().revision == w.canvas()->revision() && !w.predictor()->last().empty(),
                             5000);
    QCOMPARE(w.predictor()->last().top, 1);
    // Undo takes it off again.
    w.canvas()->undo();
    QVERIFY(w.canvas()->isBlank());

    // "Preview augmentation" from the evaluation panel opens the preview on it.
    emit w.evaluationPanel()->previewAugmentation(one, QStringLiteral("test #5"));
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.augmentPreview()));
    const std::vector<float>& src = w.augmentPreview()->source();
    QCOMPARE(int(src.size()), 28 * 28);
    QCOMPARE(src[std::size_t(10 * 28 + 14)], 1.0f);
    QCOMPARE(src[std::size_t(10 * 28 + 3)], 0.0f);
}

// Issue 21 item 16: the preview of training image #59999 said "(training
// index 0)"; New seed made seeds the Train page's seed box cannot hold; Apply
// to training did not copy the seed.
void TestMainWindow::augmentationPreviewMatchesTheTrainer()
{
    MainWindow w;
    QImage one(28, 28, QImage::Format_Grayscale8);
    one.fill(0);
    emit w.browser()->previewAugmentation(one, QStringLiteral("train #59999"), 59999);
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.augmentPreview()));
    QCOMPARE(w.augmentPreview()->sampleIndex(), 59999);
    QCOMPARE(w.augmentPreview()->tileSeed(2), nn::augmentSeed(w.augmentPreview()->seed(), 2, 59999));
    bool captioned = false;
    for (QLabel* l : w.augmentPreview()->findChildren<QLabel*>())
        captioned = captioned || l->text().contains("(training index 59999)");
    QVERIFY(captioned);
    emit w.evaluationPanel()->previewAugmentation(one, QStringLiteral("test #5"));
    bool notTrained = false;
    for (QLabel* l : w.augmentPreview()->findChildren<QLabel*>())
        notTrained = notTrained || l->text().contains("it is not a training sample");
    QVERIFY(notTrained);

    QPushButton* newSeed = nullptr;
    for (QPushButton* b : w.augmentPreview()->findChildren<QPushButton*>())
        if (b->text() == "New seed")
            newSeed = b;
    QVERIFY(newSeed);
    for (int i = 0; i < 200; ++i) {  // (half of the old seeds were too large)
        QTest::mouseClick(newSeed, Qt::LeftButton);
        QVERIFY2(w.augmentPreview()->seed() >= 1 && w.augmentPreview()->seed() <= quint64(kMaxSeed),
                 qPrintable(QString::number(w.augmentPreview()->seed())));
    }
    const std::uint64_t seed = w.augmentPreview()->seed();
    emit w.augmentPreview()->applyAugmentation(w.augmentPreview()->params());
    QCOMPARE(w.trainingPanel()->seed(), seed);
    QCOMPARE(w.trainingPanel()->findChild<QSpinBox*>(QStringLiteral("seedSpin"))->value(), int(seed));
}

void TestMainWindow::augmentationSettingsGoBothWays()
{
    MainWindow w;
    nn::AugmentParams a = nn::AugmentParams::standard();
    a.rotationDeg = 23;
    a.noiseStd = 0.05f;
    emit w.augmentPreview()->applyAugmentation(a);
    QCOMPARE(w.trainingPanel()->augmentParams().rotationDeg, 23.0f);
    QCOMPARE(w.trainingPanel()->augmentParams().noiseStd, 0.05f);

    a.rotationDeg = 9;
    w.trainingPanel()->setAugmentParams(a);
    QCOMPARE(w.augmentPreview()->params().rotationDeg, 9.0f);
    QCOMPARE(w.augmentPreview()->seed(), w.trainingPanel()->seed());
}

void TestMainWindow::addToMyDigitsFromThePad()
{
    MainWindow w;
    w.show();
    QCOMPARE(w.userDigits()->count(), 0);
    // Nothing drawn: nothing stored, and the person is told why.
    QCOMPARE(w.addDrawingToMyDigits(4), -1);
    QVERIFY2(w.statusBar()->currentMessage().contains("The drawing is empty"),
             qPrintable(w.statusBar()->currentMessage()));

    w.canvas()->addStroke(verticalLine());
    QCOMPARE(w.addDrawingToMyDigits(7), 7);
    QCOMPARE(w.userDigits()->count(), 1);
    QCOMPARE(w.userDigits()->store().label(0), 7);

    // Through the dialog, answered with a digit key (the pad's Ctrl+D).
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->last().revision == w.canvas()->revision(), 5000);
    onNextModal([](QWidget* dialog) { QTest::keyClick(dialog, Qt::Key_1); });
    w.canvas()->setFocus();
    QTest::keyClick(w.canvas(), Qt::Key_D, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(w.userDigits()->count(), 2, 5000);
    QCOMPARE(w.userDigits()->store().label(1), 1);
    QVERIFY2(w.statusBar()->currentMessage().contains("Added to My Digits as a 1 (2 digits)"),
             qPrintable(w.statusBar()->currentMessage()));

    // Cancelled: nothing stored.
    onNextModal([](QWidget* dialog) { QTest::keyClick(dialog, Qt::Key_Escape); });
    QCOMPARE(w.addDrawingToMyDigits(), -1);
    QCOMPARE(w.userDigits()->count(), 2);

    // The digits are on disk: a new window sees them, and the evaluation can use them.
    MainWindow again;
    QCOMPARE(again.userDigits()->count(), 2);
}

void TestMainWindow::whyThisAnswerOnThePad()
{
    MainWindow w;
    w.show();
    w.canvas()->addStroke(verticalLine());
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->last().revision == w.canvas()->revision(), 5000);
    SaliencyView* view = w.drawPad()->saliency();
    QSignalSpy ready(view, &SaliencyView::saliencyReady);
    QVERIFY(!view->isVisible());
    w.drawPad()->showSaliency(true);
    QVERIFY(view->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 120000);
    // The map is of what the pad predicted from.
    const auto& input = w.predictor()->last().input.input;
    QCOMPARE(view->input(), std::vector<float>(input.begin(), input.end()));
    QCOMPARE(view->saliency().target, w.predictor()->last().top);
}

void TestMainWindow::closingDuringTrainingCanCancel()
{
    MainWindow w;
    w.show();
    prepareRun(w.trainingPanel(), 50);
    w.trainingPanel()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->controller()->currentStep() >= 3, 60000);
    QElapsedTimer clock;
    clock.start();
    qint64 asked = -1;
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Cancel); }, &clock, &asked);
    const long long stepAtClose = w.trainingPanel()->controller()->currentStep();
    QVERIFY(!w.close());
    // Asked within a second of the close, before anything stopped (issue 21
    // item 18): Cancel leaves the run going, with no result yet.
    QVERIFY2(asked >= 0 && asked < 1000, qPrintable(QString::number(asked)));
    QVERIFY(w.isVisible());
    QVERIFY(w.trainingPanel()->isRunning());
    QVERIFY(!w.trainingPanel()->pendingResult());
    QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->controller()->currentStep() > stepAtClose + 2, 120000);  // still training
    QVERIFY(!w.trainingPanel()->logText().contains("stop"));
    QCOMPARE(w.currentPage(), static_cast<QWidget*>(w.trainingPanel()));
    // Asked again on the next close; No stops and discards.
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::No); });
    QVERIFY(w.close());
    QVERIFY(!w.trainingPanel()->isRunning());
    QVERIFY(!w.trainingPanel()->pendingResult());
}

// Issue 21, item 4: a kept model whose save failed (here: the data folder
// refuses the file) is only in memory; File > Quit asks before losing it.
// Cancel keeps the window; a successful Save As lets it close unasked.
void TestMainWindow::quittingAsksAboutAnUnsavedKeptModel()
{
    MainWindow w;
    w.show();
    prepareRun(w.trainingPanel(), 1);
    w.trainingPanel()->setMaxBatchesPerEpoch(3);
    w.trainingPanel()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->pendingResult() != nullptr, 60000);
    nn::setAtomicWriteHook([](nn::AtomicWriteStep step, const std::string&) {
        return step == nn::AtomicWriteStep::CreateTemp ? EACCES : 0;
    });
    QString error;
    onNextModal([&error](QWidget* box) {
        error = qobject_cast<QMessageBox*>(box)->text();
        clickButton(box, QMessageBox::Ok);
    });
    w.trainingPanel()->keepResult();  // -> the save fails
    nn::setAtomicWriteHook(nullptr);
    QVERIFY2(error.contains("Permission denied"), qPrintable(error));
    QCOMPARE(w.model(), w.trainingPanel()->currentModel());

    QString question;
    onNextModal([&question](QWidget* box) {
        question = box->objectName();
        clickButton(box, QMessageBox::Cancel);
    });
    QVERIFY(!w.close());
    QCOMPARE(question, QStringLiteral("unsavedModelBox"));
    QVERIFY(w.isVisible());

    // Saved now: quitting no longer asks (a question would be turned down after 3 s).
    QTemporaryDir dir;
    QVERIFY(w.saveModelFile(dir.filePath(QStringLiteral("kept.dpm"))));
    question.clear();
    QTimer::singleShot(3000, &w, [&question] {
        if (QWidget* box = QApplication::activeModalWidget()) {
            question = box->objectName();
            clickButton(box, QMessageBox::Cancel);
        }
    });
    QVERIFY(w.close());
    QVERIFY2(question.isEmpty(), qPrintable(question));
}

// Issue 21, item 11: Evaluate on the training set, then switch the model
// within a second: the status no longer says "Evaluating 60,000 samples…"
// forever; it says the evaluation was cancelled.
void TestMainWindow::evaluationCancelledByAModelChangeSaysSo()
{
    MainWindow w;
    w.show();
    auto train = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(60000, 5));
    auto test = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(1000, 6));
    w.evaluationPanel()->setDatasets(train, test);
    w.evaluationPanel()->evaluate(EvaluationPanel::TrainSet);
    QVERIFY(w.evaluationPanel()->isRunning());
    auto* status = w.evaluationPanel()->findChild<QLabel*>(QStringLiteral("evaluationStatus"));
    QVERIFY(status);
    QVERIFY2(status->text().contains("Evaluating 60,000 samples") || status->text().contains("Evaluating 60000 samples"),
             qPrintable(status->text()));
    QVERIFY(w.useBuiltinModel());
    QTRY_VERIFY(!w.evaluationPanel()->isRunning());
    QTest::qWait(300);  // (a late result of the old run must not come back either)
    QVERIFY2(!status->text().contains("Evaluating"), qPrintable(status->text()));
    QVERIFY2(status->text().contains("cancelled"), qPrintable(status->text()));
}

void TestMainWindow::closingDuringTrainingDiscards()
{
    MainWindow w;
    w.show();
    const ModelPtr before = w.model();
    // Epochs of a fraction of a second: the follow snapshots (every 3 s) must
    // still come, as they once did not when every epoch restarted their clock.
    prepareRun(w.trainingPanel(), 500);
    w.trainingPanel()->setFollowTraining(true);
    w.trainingPanel()->start();
    // The pad follows the run (a snapshot every 3 s), and the status bar says so.
    QTRY_VERIFY_WITH_TIMEOUT(w.predictor()->model() != before, 120000);
    QLabel* status = modelStatus(w);
    QVERIFY(status);
    QTRY_VERIFY2(status->text().contains("the pad follows the training run"), qPrintable(status->text()));
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::No); });
    QVERIFY(w.close());
    QVERIFY(!w.trainingPanel()->isRunning());
    QVERIFY(!w.trainingPanel()->pendingResult());
    QCOMPARE(w.model(), before);  // the pad went back to the model it had
    QCOMPARE(w.predictor()->model(), before);
    QVERIFY(QSettings().value("model/path").toString().isEmpty());
}

// Issue 21 item 21: "· the pad follows the training run" stayed in the
// status bar after the run had ended.
void TestMainWindow::followNoteEndsWithTheRun()
{
    MainWindow w;
    w.show();
    const ModelPtr before = w.model();
    prepareRun(w.trainingPanel(), 500);
    w.trainingPanel()->setFollowTraining(true);
    w.trainingPanel()->start();
    QLabel* status = modelStatus(w);
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains("the pad follows the training run"), 120000);
    w.trainingPanel()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->isRunning(), 120000);
    QVERIFY(w.trainingPanel()->pendingResult());
    QCOMPARE(w.predictor()->model(), w.trainingPanel()->pendingResult());  // the pad shows the result
    QVERIFY2(!status->text().contains("follows"), qPrintable(status->text()));
    QVERIFY2(status->text().contains("the pad shows the finished run's model until you use or discard it"),
             qPrintable(status->text()));
    w.trainingPanel()->discardResult();
    QCOMPARE(w.predictor()->model(), before);
    QVERIFY2(!status->text().contains("the pad"), qPrintable(status->text()));
    QVERIFY2(status->text().startsWith("Model: built-in default"), qPrintable(status->text()));
}

void TestMainWindow::closingDuringTrainingKeepsAndRemembers()
{
    QString savedPath;
    ModelPtr trained;
    {
        MainWindow w;
        w.show();
        prepareRun(w.trainingPanel(), 50);
        w.trainingPanel()->start();
        QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->controller()->currentStep() >= 3, 60000);
        onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Yes); });
        QVERIFY(w.close());
        trained = w.model();
        QCOMPARE(trained->spec(), std::string("conv 8 5 pad=2 | relu | maxpool 2 | dense 32 | relu | dense 10"));
        QVERIFY2(w.modelName().startsWith("trained-") && w.modelName().endsWith(".dpm"), qPrintable(w.modelName()));
        savedPath = QSettings().value("model/path").toString();
        QVERIFY2(QFileInfo(savedPath).isFile(), qPrintable(savedPath));
        QCOMPARE(QFileInfo(savedPath).fileName(), w.modelName());
        QCOMPARE(QFileInfo(savedPath).absolutePath(), appDataDir() + "/models");
        // No temporary file is left beside it.
        QCOMPARE(QDir(appDataDir() + "/models").entryList(QDir::Files).size(), 1);
    }
    // The next start opens the kept model, with the same weights.
    MainWindow next;
    QCOMPARE(next.modelName(), QFileInfo(savedPath).fileName());
    QCOMPARE(next.model()->spec(), trained->spec());
    QCOMPARE(next.model()->params(), trained->params());
    // Going back to the built-in model is remembered too.
    QVERIFY(next.useBuiltinModel());
    MainWindow third;
    QCOMPARE(third.modelName(), QStringLiteral("built-in default"));
}

// File > Export as ONNX and Open Model with a .onnx file (issue 18).
void TestMainWindow::onnxGoesOutAndComesBack()
{
    MainWindow w;
    QAction* exportAction = nullptr;
    for (QAction* a : w.menuBar()->actions().front()->menu()->actions())
        if (a->text() == QStringLiteral("&Export as ONNX..."))
            exportAction = a;
    QVERIFY(exportAction);
    const ModelPtr builtin = w.model();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("digits.onnx"));
    QVERIFY(w.exportOnnxFile(path));
    QVERIFY(QFileInfo(path).size() > 1000);
    QVERIFY(w.openModelFile(path));
    QCOMPARE(w.modelName(), QStringLiteral("digits.onnx"));
    QCOMPARE(w.model()->spec(), builtin->spec());
    QCOMPARE(w.model()->params(), builtin->params());
    QCOMPARE(w.evaluationPanel()->model(), w.model());
    // A file that is not ONNX is refused, naming it; the model stays.
    const QString bad = dir.filePath(QStringLiteral("bad.onnx"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not onnx at all");
    }
    const ModelPtr kept = w.model();
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Ok); });
    QVERIFY(!w.openModelFile(bad));
    QVERIFY2(w.lastError().contains(QDir::toNativeSeparators(bad) + ": not a valid ONNX model"), qPrintable(w.lastError()));
    QCOMPARE(w.model(), kept);
}

namespace {

QString fileText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// Everything under `dir`, relative and sorted.
QStringList treeOf(const QString& dir)
{
    QStringList names;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        names << QDir(dir).relativeFilePath(it.next());
    names.sort();
    return names;
}

QAction* fileMenuAction(MainWindow& w, const QString& text)
{
    for (QAction* a : w.menuBar()->actions().front()->menu()->actions())
        if (a->text() == text)
            return a;
    return nullptr;
}

// Train page settings that differ from every default, so that the project
// can only carry them if it reads the page.
TrainingSettings unusualSettings()
{
    TrainingSettings t;
    t.spec = QStringLiteral("conv 6 5 pad=2 | relu | maxpool 2 | dense 24 | relu | dense 10");
    t.fineTune = false;
    t.optimizer = QStringLiteral("sgd");
    t.schedule = QStringLiteral("cosine");
    t.learningRate = 0.0123;
    t.epochs = 7;
    t.batchSize = 96;
    t.weightDecay = 0.0005;
    t.dropout = 0.3;  // inserted before the last dense layer, as a run would
    t.validationPercent = 20;
    t.patience = 4;
    t.seed = 4242;
    t.augment = nn::AugmentParams::standard();
    t.augment.rotationDeg = 12.5f;
    t.includeUserDigits = false;
    return t;
}

}  // namespace

// File > Export as PyTorch Project (issue 18): the folder dialog answered
// with a new empty folder; the project carries the Train page's current
// settings, is the one `digitpad-cli export --torch` writes for the same
// options, and the closing message gives the torchrun command and the way back.
void TestMainWindow::torchProjectFromTheTrainPage()
{
    MainWindow w;
    w.show();
    QAction* action = fileMenuAction(w, QStringLiteral("Export as &PyTorch Project..."));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    w.trainingPanel()->applySettings(unusualSettings());

    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("digits-torch"));
    QVERIFY(QDir().mkdir(dir));
    QString dialogTitle, doneText;
    onNextModal([&](QWidget* modal) {
        auto* dialog = qobject_cast<QFileDialog*>(modal);
        QVERIFY2(dialog, modal->metaObject()->className());
        dialogTitle = dialog->windowTitle();
        QCOMPARE(dialog->fileMode(), QFileDialog::Directory);
        onNextModal([&](QWidget* box) {
            doneText = qobject_cast<QMessageBox*>(box)->text();
            if (!qEnvironmentVariableIsEmpty("DIGITPAD_TORCH_PNG"))
                box->grab().save(qEnvironmentVariable("DIGITPAD_TORCH_PNG"));
            clickButton(box, QMessageBox::Ok);
        });
        dialog->setDirectory(dir);
        static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept, as the Choose button
    });
    action->trigger();
    QTRY_VERIFY(!doneText.isEmpty());
    QVERIFY2(dialogTitle.contains(QStringLiteral("Export as PyTorch Project")), qPrintable(dialogTitle));
    QCOMPARE(treeOf(tmp.path()), (QStringList{"digits-torch", "digits-torch/README.md", "digits-torch/train.py"}));

    const QString py = fileText(dir + "/train.py");
    const auto number = [](double v) { return QString::number(double(float(v)), 'g', 9); };
    for (const QString& want :
         {QStringLiteral("\"spec\": \"conv 6 5 pad=2 | relu | maxpool 2 | dense 24 | relu | dropout 0.3 | dense 10\""),
          QStringLiteral("\"lr\": %1,").arg(number(0.0123)), QStringLiteral("\"epochs\": 7,"),
          QStringLiteral("\"batch\": 96,"), QStringLiteral("\"optimizer\": \"sgd\""), QStringLiteral("\"momentum\": 0.899999976,"),
          QStringLiteral("\"weight_decay\": %1,").arg(number(0.0005)), QStringLiteral("\"schedule\": \"cosine\""),
          QStringLiteral("\"val\": 0.2,"), QStringLiteral("\"patience\": 4,"), QStringLiteral("\"seed\": 4242,"),
          QStringLiteral("\"enabled\": true"), QStringLiteral("\"rotation_deg\": 12.5,"),
          QStringLiteral("nn.Dropout(0.3")})
        QVERIFY2(py.contains(want), qPrintable(want));

    // The same train.py as the CLI's for the same settings (one mapping).
    const TrainingSettings t = unusualSettings();
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start(QStringLiteral(DIGITPAD_CLI),
              {"export", "--torch", tmp.filePath("from-cli"), "--arch", "conv 6 5 pad=2 | relu | maxpool 2 | dense 24 | "
               "relu | dropout 0.3 | dense 10", "--optimizer", "sgd", "--schedule", "cosine", "--lr", "0.0123",
               "--epochs", "7", "--batch", "96", "--weight-decay", "0.0005", "--val", "0.2", "--patience", "4",
               "--seed", "4242", "--augment", QString::fromStdString(t.augment.toString())});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0, cli.readAll().constData());
    QCOMPARE(py, fileText(tmp.filePath("from-cli/train.py")));

    // The message: where it is, the exact command, and the way back.
    const std::string data = QDir::toNativeSeparators(resolveDataDir()).toStdString();
    const QString command = QString::fromStdString(nn::torchrunCommand(dir.toStdString(), data));
    QVERIFY2(command.startsWith("cd " + dir + " && torchrun --standalone --nproc_per_node 2"), qPrintable(command));
    QVERIFY2(doneText.contains("<code>" + command.toHtmlEscaped() + "</code>"), qPrintable(doneText));
    QVERIFY2(doneText.contains(dir + "/run/model.onnx"), qPrintable(doneText));
    QVERIFY2(doneText.contains("File &gt; Open Model"), qPrintable(doneText));
    QVERIFY2(!doneText.contains("Not in the project"), qPrintable(doneText));

    // Fine-tuning: the project has the current model's architecture, and says
    // that its weights are not carried.
    TrainingSettings fine = unusualSettings();
    fine.fineTune = true;
    fine.dropout = -1;
    w.trainingPanel()->applySettings(fine);
    const QString second = tmp.filePath(QStringLiteral("fine-tune"));
    onNextModal([&](QWidget* box) {
        doneText = qobject_cast<QMessageBox*>(box)->text();
        clickButton(box, QMessageBox::Ok);
    });
    QVERIFY(w.exportTorchProjectTo(second));  // a folder that does not exist yet is made
    QVERIFY(fileText(second + "/train.py").contains(QStringLiteral("\"spec\": \"%1\"").arg(QString::fromStdString(w.model()->spec()))));
    QVERIFY2(doneText.contains("Not in the project: the weights of the model being fine-tuned"), qPrintable(doneText));
}

// A folder that is not empty is written into only when the person says so,
// and then only train.py and README.md change; a file where the folder should
// be is refused, naming it; nothing is left half-written either way.
void TestMainWindow::torchProjectIntoAFolderThatIsNotEmpty()
{
    MainWindow w;
    w.trainingPanel()->applySettings(unusualSettings());
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("project"));
    QVERIFY(QDir().mkpath(dir + "/run"));
    {
        QFile f(dir + "/run/checkpoint.pt");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("checkpoint");
    }
    const QStringList before = treeOf(tmp.path());

    QString question;
    onNextModal([&](QWidget* box) {
        question = qobject_cast<QMessageBox*>(box)->text();
        clickButton(box, QMessageBox::Cancel);
    });
    QVERIFY(!w.exportTorchProjectTo(dir));
    QVERIFY2(question.contains(dir + " is not empty: it holds 'run'"), qPrintable(question));
    QCOMPARE(treeOf(tmp.path()), before);  // nothing written, no temporary folder left

    QString done;
    onNextModal([&](QWidget* box) {
        auto* mb = qobject_cast<QMessageBox*>(box);
        QPushButton* replace = nullptr;
        for (QAbstractButton* b : mb->buttons())
            if (b->text() == QStringLiteral("Replace"))
                replace = qobject_cast<QPushButton*>(b);
        QVERIFY(replace);
        onNextModal([&](QWidget* next) {
            done = qobject_cast<QMessageBox*>(next)->text();
            clickButton(next, QMessageBox::Ok);
        });
        QTest::mouseClick(replace, Qt::LeftButton);
    });
    QVERIFY(w.exportTorchProjectTo(dir));
    QVERIFY(!done.isEmpty());
    QCOMPARE(treeOf(tmp.path()),
             (QStringList{"project", "project/README.md", "project/run", "project/run/checkpoint.pt", "project/train.py"}));
    QCOMPARE(fileText(dir + "/run/checkpoint.pt"), QStringLiteral("checkpoint"));
    QVERIFY(fileText(dir + "/train.py").contains("\"epochs\": 7,"));

    // A file where the folder should be.
    const QString file = tmp.filePath(QStringLiteral("project/README.md"));
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Ok); });
    QVERIFY(!w.exportTorchProjectTo(file));
    QVERIFY2(w.lastError().contains(file + ": is a file, not a folder"), qPrintable(w.lastError()));
    // A folder that cannot be made (its parent is a file).
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::Ok); });
    QVERIFY(!w.exportTorchProjectTo(file + "/sub"));
    QVERIFY2(w.lastError().contains(file), qPrintable(w.lastError()));
    QCOMPARE(treeOf(tmp.path()),
             (QStringList{"project", "project/README.md", "project/run", "project/run/checkpoint.pt", "project/train.py"}));
}

void TestMainWindow::aMissingRememberedModelFallsBack()
{
    QSettings().setValue("model/path", appDataDir() + "/models/gone.dpm");
    MainWindow w;
    QCOMPARE(w.modelName(), QStringLiteral("built-in default"));
    QVERIFY2(w.statusBar()->currentMessage().contains("The last model could not be loaded"),
             qPrintable(w.statusBar()->currentMessage()));
    QVERIFY2(w.statusBar()->currentMessage().contains("gone.dpm"), qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(QSettings().value("model/path").toString().isEmpty());
}

// A 1366x768 laptop at 125% has about 1092x614 logical pixels, less the
// panel and title bar; the window was at least 1079x656. Every page must fit
// 1024x540 without being cut, with nothing squeezed below its own minimum.
void TestMainWindow::everyPageFitsASmallScreen()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QSize small(1024, 540);
    QStringList problems;
    const QSize wmin = w.minimumSizeHint().expandedTo(w.minimumSize());
    if (wmin.width() > small.width() || wmin.height() > small.height())
        problems << QStringLiteral("the window needs at least %1x%2").arg(wmin.width()).arg(wmin.height());
    for (int i = 0; i < w.pages()->count(); ++i) {
        w.pages()->setCurrentIndex(i);
        w.resize(small);
        QCoreApplication::processEvents();
        QWidget* tab = w.pages()->widget(i);
        QWidget* page = w.pageAt(i);
        const QString name = w.pages()->tabText(i);
        if (w.size() != small)
            problems << QStringLiteral("%1: the window stays %2x%3").arg(name).arg(w.width()).arg(w.height());
        // A page may scroll down, but not sideways: it gets the whole width.
        const QSize need = page->minimumSizeHint().expandedTo(page->minimumSize());
        const int width = qobject_cast<QScrollArea*>(tab) ? qobject_cast<QScrollArea*>(tab)->viewport()->width() : tab->width();
        if (need.width() > width)
            problems << QStringLiteral("%1 needs %2 px wide, has %3").arg(name).arg(need.width()).arg(width);
        if (need.height() > 2 * tab->height())
            problems << QStringLiteral("%1 needs %2 px high, has %3").arg(name).arg(need.height()).arg(tab->height());
        if (page->width() > width)
            problems << QStringLiteral("%1 is %2 px wide in %3").arg(name).arg(page->width()).arg(width);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
}

// [ and ] step the pen width down to the slider's 2 px and up to 120 px.
void TestMainWindow::bracketKeysReachThePenLimits()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    Canvas* c = w.findChild<Canvas*>();
    QVERIFY(c);
    c->setFocus();
    for (int i = 0; i < 40; ++i)
        QTest::keyClick(c, Qt::Key_BracketLeft);
    QCOMPARE(c->penWidth(), qreal(Canvas::kMinPenWidth));
    QTest::keyClick(c, Qt::Key_BracketRight);
    QCOMPARE(c->penWidth(), qreal(Canvas::kMinPenWidth + 1));
    for (int i = 0; i < 40; ++i)
        QTest::keyClick(c, Qt::Key_BracketRight);
    QCOMPARE(c->penWidth(), qreal(Canvas::kMaxPenWidth));
}

// A FIFO at the remembered model path, at checkpoints/last.ckpt and among
// My Digits' files blocked the window in open() before it ever appeared.
// A watchdog releases a blocked open() after 20 s so that the test fails
// instead of hanging.
void TestMainWindow::startUpWithFifosDoesNotHang()
{
    const QString data = appDataDir();
    const QString digits = UserDigitsPanel::defaultDirectory();
    QVERIFY(QDir().mkpath(data + "/checkpoints"));
    QVERIFY(QDir().mkpath(data + "/models"));
    QVERIFY(QDir().mkpath(digits));
    {
        QFile manifest(digits + "/digits.manifest");
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write("digitpad-user-digits 1\ngeneration 1\ncount 3\n");
    }
    const QStringList fifos = {data + "/checkpoints/last.ckpt", data + "/models/fifo.dpm",
                               digits + "/images-1-idx3-ubyte", digits + "/labels-1-idx1-ubyte"};
    for (const QString& f : fifos)
        QVERIFY2(::mkfifo(QFile::encodeName(f).constData(), 0600) == 0, qPrintable(f));
    QSettings().setValue("model/path", data + "/models/fifo.dpm");

    std::mutex m;
    std::condition_variable cv;
    bool done = false, released = false;
    std::thread watchdog([&] {
        std::unique_lock lock(m);
        if (cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; }))
            return;
        released = true;
        while (!done) {
            lock.unlock();
            for (const QString& f : fifos)
                if (const int fd = ::open(QFile::encodeName(f).constData(), O_WRONLY | O_NONBLOCK); fd >= 0)
                    ::close(fd);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            lock.lock();
        }
    });
    QElapsedTimer clock;
    clock.start();
    {
        MainWindow w;
        w.show();
        QCoreApplication::processEvents();
        {
            std::lock_guard lock(m);
            done = true;
        }
        cv.notify_all();
        watchdog.join();
        QVERIFY2(!released, "the window blocked on a FIFO (released by the watchdog after 20 s)");
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(w.modelName(), QStringLiteral("built-in default"));
        QVERIFY2(w.statusBar()->currentMessage().contains("fifo.dpm: is a named pipe (FIFO), not a regular file"),
                 qPrintable(w.statusBar()->currentMessage()));
    }
    for (const QString& f : fifos)
        QFile::remove(f);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// Sanitized code runs 3x (ASan) to 50x (TSan) slower, and each worker stops
// after its current batch or chunk: the 1 s limit is the normal build's. In
// the sanitizer builds this checks that every worker stops and joins cleanly.
constexpr qint64 kQuitBudgetMs = 60000;
#else
constexpr qint64 kQuitBudgetMs = 1000;
#endif

void TestMainWindow::quittingWithEveryWorkerBusyTakesUnderASecond()
{
    // Training, the browser's predictions over 70,000 images, an evaluation
    // and a saliency map all running when the window closes.
    auto train = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(60000, 5));
    auto test = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(10000, 6));
    auto w = std::make_unique<MainWindow>();
    w->show();
    prepareRun(w->trainingPanel(), 50);
    w->trainingPanel()->start();
    w->browser()->setDatasets(train, test);
    w->evaluationPanel()->setDatasets(train, test);
    w->evaluationPanel()->evaluate(EvaluationPanel::TrainSet);
    w->canvas()->addStroke(verticalLine());
    w->drawPad()->showSaliency(true);
    QTRY_VERIFY_WITH_TIMEOUT(w->trainingPanel()->controller()->currentStep() >= 3, 60000);
    QVERIFY(w->evaluationPanel()->isRunning());
    QVERIFY(!w->browser()->predictionsReady(MnistBrowser::TrainSource));

    QElapsedTimer clock;
    clock.start();
    qint64 asked = -1;
    onNextModal([](QWidget* box) { clickButton(box, QMessageBox::No); }, &clock, &asked);
    QVERIFY(w->close());
    w.reset();  // every worker joined
    const qint64 total = clock.elapsed();
    qInfo("asked after %lld ms, window gone after %lld ms", static_cast<long long>(asked),
          static_cast<long long>(total));
    QVERIFY2(asked >= 0 && asked < kQuitBudgetMs, qPrintable(QString::number(asked)));
    QVERIFY2(total < kQuitBudgetMs, qPrintable(QString::number(total)));
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
