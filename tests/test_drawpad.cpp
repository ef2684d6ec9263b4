// The drawing pad end to end on the real MainWindow with the embedded default
// model: strokes drawn with QTest mouse events come out as the right digit,
// the probabilities update during a stroke, the empty state comes back on
// clear, and model files that cannot be used are refused with their error.
#include "canvas/canvas.h"
#include "main_window.h"
#include "panels/draw_pad.h"
#include "common/imageconvert.h"
#include "panels/input_preview.h"
#include "panels/mnist_browser.h"
#include "panels/number_view.h"
#include "panels/probability_view.h"
#include "workers/prediction_controller.h"

#include <nn/model.h>
#include <nn/serialize.h>

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <memory>

// Waits until the prediction for the canvas as it is now has arrived.
#define WAIT_FOR_PREDICTION() \
    QTRY_COMPARE_WITH_TIMEOUT(m_window->predictor()->last().revision, canvas()->revision(), 5000)

using app::Canvas;
using app::MainWindow;
using app::ProbabilityView;

namespace {

QList<QPointF> line(QPointF a, QPointF b, int steps)
{
    QList<QPointF> pts;
    for (int i = 0; i <= steps; ++i)
        pts << a + (b - a) * (qreal(i) / steps);
    return pts;
}

QList<QPointF> ellipse(QPointF c, qreal rx, qreal ry, int steps)
{
    QList<QPointF> pts;
    for (int i = 0; i <= steps; ++i) {
        const qreal t = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / steps;
        pts << c + QPointF(rx * std::cos(t), ry * std::sin(t));
    }
    return pts;
}

// Accepts the next modal message box as soon as it shows and hands back its text.
std::shared_ptr<QString> dismissNextMessageBox()
{
    auto text = std::make_shared<QString>();
    auto* timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, text] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            *text = box->text();
            box->accept();
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
    return text;
}

}  // namespace

class TestDrawPad : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    Qt::MouseButton m_held = Qt::NoButton;
    QTemporaryDir m_tmp;

    Canvas* canvas() const { return m_window->canvas(); }
    ProbabilityView* view() const { return m_window->drawPad()->probabilities(); }
    QPoint w(QPointF p) const { return canvas()->toWidget(p).toPoint(); }

    void stroke(const QList<QPointF>& pts)
    {
        QTest::mousePress(canvas(), Qt::LeftButton, {}, w(pts.first()));
        m_held = Qt::LeftButton;
        for (int i = 1; i < pts.size(); ++i)
            QTest::mouseMove(canvas(), w(pts[i]));
        QTest::mouseRelease(canvas(), Qt::LeftButton, {}, w(pts.last()));
        m_held = Qt::NoButton;
    }


private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);  // keep the user's settings out
        QApplication::setOrganizationName(QStringLiteral("DigitPad"));
        QApplication::setApplicationName(QStringLiteral("DigitPad"));
        QVERIFY(m_tmp.isValid());
        m_window = std::make_unique<MainWindow>();
        QVERIFY2(m_window->model(), qPrintable(m_window->lastError()));
        QCOMPARE(m_window->modelName(), QStringLiteral("built-in default"));
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        canvas()->setPenWidth(30);
        canvas()->setDarkInk(false);
    }

    void cleanup()
    {
        if (m_held != Qt::NoButton)
            QTest::mouseRelease(canvas(), m_held);
        m_held = Qt::NoButton;
        canvas()->clear();
    }

    void cleanupTestCase() { m_window.reset(); }

    void startsEmpty()
    {
        WAIT_FOR_PREDICTION();
        QCOMPARE(view()->state(), ProbabilityView::State::Empty);
        QCOMPARE(view()->summary(), QStringLiteral("Draw a digit"));
        QVERIFY(m_window->drawPad()->preview()->inputImage().isNull());
        // The status bar names the model and its recorded accuracy.
        const QList<QLabel*> labels = m_window->statusBar()->findChildren<QLabel*>();
        bool named = false;
        for (QLabel* l : labels)
            named |= l->text().contains(QStringLiteral("built-in default"));
        QVERIFY(named);
    }

    void recognisesDrawnDigits_data()
    {
        QTest::addColumn<QList<QList<QPointF>>>("strokes");
        QTest::addColumn<bool>("darkInk");
        QTest::addColumn<qreal>("pen");
        QTest::addColumn<int>("digit");
        const QList<QPointF> one = line({285, 110}, {275, 450}, 34);
        const QList<QPointF> zero = ellipse({280, 280}, 105, 160, 72);
        QList<QPointF> seven = line({165, 125}, {400, 125}, 24);
        seven << line({400, 125}, {235, 455}, 36).mid(1);
        QTest::newRow("vertical line -> 1") << QList<QList<QPointF>>{one} << false << 30.0 << 1;
        QTest::newRow("ellipse -> 0") << QList<QList<QPointF>>{zero} << false << 30.0 << 0;
        QTest::newRow("seven -> 7") << QList<QList<QPointF>>{seven} << false << 30.0 << 7;
        QTest::newRow("seven, black on white") << QList<QList<QPointF>>{seven} << true << 30.0 << 7;
        QTest::newRow("seven, thin pen") << QList<QList<QPointF>>{seven} << false << 10.0 << 7;
        // The canvas's thinnest pen (issue 15: these read "1"): preprocessing
        // brings the hairline to MNIST's strength and width.
        const qreal minPen = qreal(Canvas::kMinPenWidth);
        QTest::newRow("seven, thinnest pen") << QList<QList<QPointF>>{seven} << false << minPen << 7;
        QTest::newRow("ellipse, thinnest pen") << QList<QList<QPointF>>{zero} << false << minPen << 0;
        QTest::newRow("ellipse, 3 px pen, black on white") << QList<QList<QPointF>>{zero} << true << 3.0 << 0;
        // Small and in a corner: preprocessing crops and centres it.
        QList<QPointF> smallSeven;
        for (const QPointF& p : seven)
            smallSeven << p * 0.4 + QPointF(20, 300);
        QTest::newRow("small seven in a corner") << QList<QList<QPointF>>{smallSeven} << false << 14.0 << 7;
    }

    void recognisesDrawnDigits()
    {
        QFETCH(QList<QList<QPointF>>, strokes);
        QFETCH(bool, darkInk);
        QFETCH(qreal, pen);
        QFETCH(int, digit);
        canvas()->setDarkInk(darkInk);
        canvas()->setPenWidth(pen);
        for (const auto& s : strokes)
            stroke(s);
        WAIT_FOR_PREDICTION();
        const app::Prediction& p = m_window->predictor()->last();
        QVERIFY(p.valid);
        QVERIFY(!p.empty());
        const QString probs = [&] {
            QStringList l;
            for (float v : p.probabilities)
                l << QString::number(double(v), 'f', 3);
            return l.join(QLatin1Char(' '));
        }();
        QVERIFY2(p.top == digit, qPrintable(QStringLiteral("got %1; probabilities %2").arg(p.top).arg(probs)));
        QCOMPARE(view()->topDigit(), digit);
        QVERIFY(view()->state() == ProbabilityView::State::Confident ||
                view()->state() == ProbabilityView::State::Unsure);
        QVERIFY(!m_window->drawPad()->preview()->inputImage().isNull());
        qInfo("%s: top %d at %.1f%%", QTest::currentDataTag(), p.top, double(p.topProbability()) * 100.0);
        canvas()->setDarkInk(false);
        canvas()->setPenWidth(30);
    }

    // Issue 15: a five-pointed star is no digit. The pad says "Not a digit"
    // and still shows the model's probabilities; the decision is the model's
    // (nn::readDigit with the default model's stored threshold).
    void drawnNonDigitSaysNotADigit()
    {
        canvas()->setPenWidth(24);
        QList<QPointF> star;
        for (int i = 0; i < 5; ++i) {
            const double a0 = (-90.0 + 144.0 * i) * std::numbers::pi / 180.0;
            const double a1 = (-90.0 + 144.0 * (i + 1)) * std::numbers::pi / 180.0;
            const QList<QPointF> edge = line({280 + 200 * std::cos(a0), 290 + 200 * std::sin(a0)},
                                             {280 + 200 * std::cos(a1), 290 + 200 * std::sin(a1)}, 20);
            star << (star.isEmpty() ? edge : edge.mid(1));
        }
        stroke(star);
        WAIT_FOR_PREDICTION();
        const app::Prediction& p = m_window->predictor()->last();
        QVERIFY(p.valid && !p.empty());
        QVERIFY2(p.notDigit, qPrintable(QStringLiteral("score %1").arg(p.digitScore)));
        QCOMPARE(view()->state(), ProbabilityView::State::NotADigit);
        QCOMPARE(view()->summary(), QStringLiteral("Not a digit"));
        float sum = 0;
        for (float v : view()->probabilities())
            sum += v;
        QVERIFY(std::abs(sum - 1.0f) < 1e-3f);  // the bars are still there
        QCOMPARE(view()->topDigit(), p.top);
        // A digit drawn after it is read again.
        canvas()->clear();
        canvas()->setPenWidth(30);
        stroke(line({285, 110}, {275, 450}, 34));
        WAIT_FOR_PREDICTION();
        QVERIFY(!m_window->predictor()->last().notDigit);
        QCOMPARE(view()->topDigit(), 1);
        QVERIFY(view()->state() != ProbabilityView::State::NotADigit);
    }

    // Issue 15: "10" is a number, not a 1 or a 0. The pad reads each digit,
    // shows the number with each digit's probability, outlines the digits on
    // the canvas, and the bars follow the digit pointed at.
    void drawnNumberShowsEachDigit()
    {
        canvas()->setPenWidth(24);
        stroke(line({140, 160}, {132, 410}, 30));
        stroke(ellipse({385, 285}, 85, 125, 48));
        WAIT_FOR_PREDICTION();
        const app::Prediction& p = m_window->predictor()->last();
        QVERIFY(p.valid && !p.empty());
        QVERIFY(p.isNumber());
        QCOMPARE(p.number.text, std::string("10"));
        app::NumberView* number = m_window->drawPad()->number();
        QVERIFY(!number->isHidden());
        QVERIFY2(number->summary().startsWith(QStringLiteral("Number 10: 1 ")), qPrintable(number->summary()));
        QCOMPARE(number->accessibleDescription(), number->summary());
        // By default the bars are the least certain digit's.
        const int least = app::NumberView::leastCertain(p.number);
        QCOMPARE(number->shownDigit(), least);
        QCOMPARE(view()->topDigit(), least == 0 ? 1 : 0);
        QCOMPARE(int(canvas()->numberBoxes().size()), 2);
        QCOMPARE(canvas()->highlightedNumberBox(), least);
        // Pointing at a digit's box shows its own bars and its 28x28 input.
        for (int i : {0, 1, 0}) {
            QTest::mouseMove(canvas(), w(canvas()->numberBoxes()[i].center()));
            QTRY_COMPARE(number->pointed(), i);
            QCOMPARE(view()->topDigit(), i == 0 ? 1 : 0);
            QCOMPARE(canvas()->highlightedNumberBox(), i);
            QCOMPARE(m_window->drawPad()->preview()->caption(), QStringLiteral("Digit %1 of 2 of the number").arg(i + 1));
        }
        // The highlighted box is drawn in the palette's highlight colour.
        const QImage shot = canvas()->grab().toImage();
        const QRectF box = canvas()->numberBoxes()[0].adjusted(-3, -3, 3, 3);
        const QPoint edge = canvas()->toWidget(QPointF(box.left(), box.center().y())).toPoint();
        const QColor want = canvas()->palette().color(QPalette::Highlight);
        bool found = false;
        const qreal dpr = shot.devicePixelRatio();
        for (int dx = -2; dx <= 2 && !found; ++dx) {
            const QColor got = shot.pixelColor(QPoint(int((edge.x() + dx) * dpr), int(edge.y() * dpr)));
            found = std::abs(got.red() - want.red()) + std::abs(got.green() - want.green()) +
                        std::abs(got.blue() - want.blue()) < 60;
        }
        QVERIFY2(found, "no highlight-coloured outline at the first digit's box");
        // By keyboard: Left and Right move between the digits.
        number->setFocus();
        QTest::keyClick(number, Qt::Key_Right);
        QCOMPARE(number->pointed(), 1);
        QCOMPARE(view()->topDigit(), 0);
        QTest::keyClick(number, Qt::Key_Home);
        QCOMPARE(number->pointed(), 0);
        QCOMPARE(view()->topDigit(), 1);
        // One digit again: no number, no boxes.
        canvas()->setFocus();
        canvas()->clear();
        canvas()->setPenWidth(30);
        stroke(line({285, 110}, {275, 450}, 34));
        WAIT_FOR_PREDICTION();
        QVERIFY(!m_window->predictor()->last().isNumber());
        QVERIFY(number->isHidden());
        QVERIFY(canvas()->numberBoxes().isEmpty());
        QCOMPARE(view()->topDigit(), 1);
    }

    void predictsDuringTheStroke()
    {
        QSignalSpy spy(m_window->predictor(), &app::PredictionController::predicted);
        const QList<QPointF> pts = line({280, 100}, {280, 460}, 60);
        QTest::mousePress(canvas(), Qt::LeftButton, {}, w(pts.first()));
        m_held = Qt::LeftButton;
        for (int i = 1; i < pts.size(); ++i) {
            QTest::mouseMove(canvas(), w(pts[i]));
            QTest::qWait(2);
        }
        // Results arrived while the button was still down.
        QTRY_VERIFY(spy.count() >= 2);
        QVERIFY(canvas()->strokes().inStroke());
        QVERIFY(!m_window->predictor()->last().empty());
        QTest::mouseRelease(canvas(), Qt::LeftButton, {}, w(pts.last()));
        m_held = Qt::NoButton;
        WAIT_FOR_PREDICTION();
        QCOMPARE(view()->topDigit(), 1);
    }

    void emptyStateAfterClear()
    {
        stroke(line({280, 110}, {280, 450}, 20));
        WAIT_FOR_PREDICTION();
        QVERIFY(view()->state() != ProbabilityView::State::Empty);
        canvas()->clear();
        WAIT_FOR_PREDICTION();
        QTRY_COMPARE(view()->state(), ProbabilityView::State::Empty);
        QVERIFY(m_window->drawPad()->preview()->inputImage().isNull());
        // Undo brings the drawing and its prediction back.
        canvas()->undo();
        WAIT_FOR_PREDICTION();
        QCOMPARE(view()->topDigit(), 1);
    }

    void keyboardShortcuts()
    {
        m_window->activateWindow();
        canvas()->setFocus();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        stroke(line({280, 110}, {280, 450}, 20));
        QVERIFY(canvas()->strokes().canUndo());
        QTest::keyClick(canvas(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(canvas()->isBlank());
        QTest::keyClick(canvas(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(!canvas()->isBlank());
        QTest::keyClick(canvas(), Qt::Key_Escape);
        QVERIFY(canvas()->isBlank());
        QTest::keyClick(canvas(), Qt::Key_E);
        QVERIFY(canvas()->eraserMode());
        QTest::keyClick(canvas(), Qt::Key_B);
        QVERIFY(!canvas()->eraserMode());
        const qreal w0 = canvas()->penWidth();
        QTest::keyClick(canvas(), Qt::Key_BracketRight);
        QVERIFY(canvas()->penWidth() > w0);
        canvas()->setPenWidth(30);
        // Every menu action has a shortcut and a tooltip.
        int checked = 0;
        for (QAction* top : m_window->menuBar()->actions()) {
            for (QAction* a : top->menu()->actions()) {
                // A submenu's entry (View > Language) opens it, it has no shortcut.
                if (a->isSeparator() || a->menu() || a->menuRole() == QAction::AboutQtRole)
                    continue;
                QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
                QVERIFY2(!a->toolTip().isEmpty(), qPrintable(a->text()));
                ++checked;
            }
        }
        QVERIFY(checked >= 14);
    }

    void unsureAndEmptyStates()
    {
        ProbabilityView v;
        QCOMPARE(v.state(), ProbabilityView::State::Empty);
        std::array<float, 10> p{};
        p[4] = 0.41f;
        p[9] = 0.33f;
        p[1] = 0.26f;
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::Unsure);
        QCOMPARE(v.topDigit(), 4);
        QCOMPARE(v.secondDigit(), 9);
        QVERIFY(v.summary().contains(QStringLiteral("4")) && v.summary().contains(QStringLiteral("9")));
        p.fill(0.0f);
        p[3] = 0.97f;
        p[8] = 0.03f;
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::Confident);
        QCOMPARE(v.summary(), QStringLiteral("3 97.0%"));
        // Not a digit: the headline says so, the probabilities stay (dimmed bars).
        v.setNotADigit(p);
        QCOMPARE(v.state(), ProbabilityView::State::NotADigit);
        QCOMPARE(v.summary(), QStringLiteral("Not a digit"));
        QCOMPARE(v.topDigit(), 3);
        QCOMPARE(v.probabilities()[3], 0.97f);
        v.resize(320, 300);
        QVERIFY(!v.grab().isNull());
        v.setEmpty();
        QCOMPARE(v.state(), ProbabilityView::State::Empty);
        // Paints in every state without trouble.
        v.resize(320, 300);
        v.setProbabilities(p);
        QVERIFY(!v.grab().isNull());
    }

    void badModelFileKeepsCurrentModel_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");  // part of the nn::FileError text
        QTest::newRow("not a model") << QByteArray("this is not a model file at all, just text\n")
                                     << QStringLiteral("magic");
        const std::vector<std::uint8_t> bytes = nn::modelToBytes(*m_window->model());
        const QByteArray real(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
        QTest::newRow("truncated") << real.left(real.size() / 2) << QStringLiteral("truncated");
        QByteArray flipped = real;
        flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x5a);
        QTest::newRow("damaged") << flipped << QStringLiteral("checksum");
    }

    void badModelFileKeepsCurrentModel()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString path = m_tmp.filePath(QStringLiteral("bad-%1.dpm").arg(QTest::currentDataTag()).replace(' ', '_'));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        const std::shared_ptr<const nn::Model> before = m_window->model();
        const QString nameBefore = m_window->modelName();
        const std::shared_ptr<QString> shown = dismissNextMessageBox();
        QVERIFY(!m_window->openModelFile(path));
        QCOMPARE(m_window->model(), before);
        QCOMPARE(m_window->modelName(), nameBefore);
        QVERIFY2(shown->contains(expected, Qt::CaseInsensitive), qPrintable(*shown));
        QVERIFY2(shown->contains(path), qPrintable(*shown));  // names the file
        QVERIFY(shown->contains(QStringLiteral("stays in use")));
        QCOMPARE(*shown, m_window->lastError());
        // Still predicting with the old model.
        stroke(line({280, 110}, {280, 450}, 20));
        WAIT_FOR_PREDICTION();
        QCOMPARE(m_window->predictor()->last().model, before.get());
    }

    void saveAndOpenModel()
    {
        const QString path = m_tmp.filePath(QStringLiteral("copy.dpm"));
        QVERIFY(m_window->saveModelFile(path));
        const std::shared_ptr<const nn::Model> before = m_window->model();
        QVERIFY(m_window->openModelFile(path));
        QVERIFY(m_window->model() != before);
        QCOMPARE(m_window->modelName(), QStringLiteral("copy.dpm"));
        stroke(line({280, 110}, {280, 450}, 20));
        WAIT_FOR_PREDICTION();
        QCOMPARE(m_window->predictor()->last().model, m_window->model().get());
        QCOMPARE(view()->topDigit(), 1);
        QVERIFY(m_window->useBuiltinModel());
        QCOMPARE(m_window->modelName(), QStringLiteral("built-in default"));
    }

    void openImageGoesThroughThePipeline()
    {
        // A photo-like picture: dark "7" on grey paper, not square, large.
        QImage paper(900, 1200, QImage::Format_RGB32);
        paper.fill(QColor(205, 200, 190));
        {
            QPainter p(&paper);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(QColor(40, 40, 50), 70, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.drawPolyline(QPolygonF{{250, 300}, {650, 300}, {380, 900}});
        }
        const QString path = m_tmp.filePath(QStringLiteral("seven.png"));
        QVERIFY(paper.save(path));
        QVERIFY(m_window->openImageFile(path));
        QVERIFY(!canvas()->isBlank());
        WAIT_FOR_PREDICTION();
        QCOMPARE(view()->topDigit(), 7);
        // A file that is not an image: refused, canvas unchanged.
        const QString notImage = m_tmp.filePath(QStringLiteral("notes.png"));
        {
            QFile f(notImage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("hello");
        }
        const QImage before = canvas()->image().copy();
        const std::shared_ptr<QString> shown = dismissNextMessageBox();
        QVERIFY(!m_window->openImageFile(notImage));
        QVERIFY(shown->contains(QStringLiteral("notes.png")));
        QCOMPARE(canvas()->image(), before);
    }

    // Opening a photo predicts what `digitpad-cli predict` predicts for it:
    // the picture's own pixels preprocessed, not its copy scaled onto the
    // 560x560 canvas and prepared again (a 7 read as 2 at 99.6% in the pad
    // and as 1 at 80.4% by the CLI).
    void openedImageMatchesTheCli()
    {
        QImage paper(900, 1200, QImage::Format_RGB32);
        paper.fill(QColor(205, 200, 190));
        {
            QPainter p(&paper);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(QColor(40, 40, 50), 18, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.drawPolyline(QPolygonF{{200, 250}, {420, 260}, {260, 620}});  // small, off-centre, thin
        }
        const QString path = m_tmp.filePath(QStringLiteral("photo7.png"));
        QVERIFY(paper.save(path));
        const nn::PreprocessResult cli = app::preprocessImageFile(path);
        std::array<float, 10> expected{};
        m_window->model()->predict(cli.input.data(), 1, expected.data());
        QVERIFY(m_window->openImageFile(path));
        WAIT_FOR_PREDICTION();
        const app::Prediction& got = m_window->predictor()->last();
        QVERIFY(got.exact);
        for (int k = 0; k < 10; ++k)
            QCOMPARE(got.probabilities[std::size_t(k)], expected[std::size_t(k)]);
        QVERIFY(std::equal(cli.input.begin(), cli.input.end(), got.input.input.begin()));
        // Drawing on it: the canvas is what is predicted again.
        stroke(line({60, 60}, {120, 60}, 6));
        WAIT_FOR_PREDICTION();
        QVERIFY(!m_window->predictor()->last().exact);
    }

    // Browse's Send to canvas: the network gets the 28x28 sample exactly as
    // Browse predicted it (9 69.8% there became 9 52.1% on the pad).
    void sentSampleReachesTheNetworkAsItIs()
    {
        std::vector<std::uint8_t> px(784, 0);
        for (int y = 3; y < 12; ++y)  // a small, thin, off-centre stroke
            px[std::size_t(y * 28 + 5 + y / 3)] = 255, px[std::size_t(y * 28 + 6 + y / 3)] = 140;
        QImage sample(28, 28, QImage::Format_Grayscale8);
        for (int y = 0; y < 28; ++y)
            std::copy_n(px.data() + y * 28, 28, sample.scanLine(y));
        std::vector<float> x(784);
        for (int i = 0; i < 784; ++i)
            x[std::size_t(i)] = float(px[std::size_t(i)]) * (1.0f / 255.0f);
        std::array<float, 10> expected{};
        m_window->model()->predict(x.data(), 1, expected.data());

        auto* browser = m_window->findChild<app::MnistBrowser*>();
        QVERIFY(browser);
        emit browser->sendToCanvas(sample);
        QVERIFY(!canvas()->isBlank());
        WAIT_FOR_PREDICTION();
        const app::Prediction& got = m_window->predictor()->last();
        QVERIFY(got.exact);
        for (int k = 0; k < 10; ++k)
            QCOMPARE(got.probabilities[std::size_t(k)], expected[std::size_t(k)]);
        QVERIFY2(m_window->statusBar()->currentMessage().contains("as it is"),
                 qPrintable(m_window->statusBar()->currentMessage()));
    }

    // NaN probabilities are no answer: "0 nan% confident" must not be shown.
    void nonFiniteProbabilitiesAreNoAnswer()
    {
        ProbabilityView v;
        std::array<float, 10> p{};
        p.fill(std::numeric_limits<float>::quiet_NaN());
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::NotFinite);
        QVERIFY2(!v.summary().contains("nan"), qPrintable(v.summary()));
        QCOMPARE(v.topDigit(), -1);
        p.fill(0.0f);
        p[0] = std::numeric_limits<float>::infinity();
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::NotFinite);
        // 50.9% is not "confident".
        p.fill(0.049f);
        p[3] = 0.509f;
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::Confident);
        QCOMPARE(v.caption(), QStringLiteral("likely"));
        p.fill(0.003f);
        p[3] = 0.973f;
        v.setProbabilities(p);
        QCOMPARE(v.caption(), QStringLiteral("confident"));
    }

    // "0 or 9" in the unsure headline left no room for its probabilities and
    // "Unsure - keep drawing" in the 300 px side column: at the heights the
    // column has in 1080x720 and 1600x1000 windows the caption was clipped
    // or gone. Found by its orange pixels.
    void unsureHeadlineFitsTheColumn_data()
    {
        QTest::addColumn<int>("height");
        QTest::newRow("1080x720 window") << 350;
        QTest::newRow("1600x1000 window") << 560;
    }
    void unsureHeadlineFitsTheColumn()
    {
        QFETCH(int, height);
        ProbabilityView v;
        v.resize(300, height);
        std::array<float, 10> p{};
        p.fill(0.01f);
        p[0] = 0.48f;
        p[9] = 0.44f;
        v.setProbabilities(p);
        QCOMPARE(v.state(), ProbabilityView::State::Unsure);
        const QImage shot = v.grab().toImage().convertToFormat(QImage::Format_RGB32);
        if (const QString dir = qEnvironmentVariable("DIGITPAD_TEST_SHOTS"); !dir.isEmpty())
            shot.save(dir + QStringLiteral("/unsure-%1.png").arg(height));
        int left = shot.width(), right = -1;
        for (int y = 0; y < shot.height(); ++y)
            for (int x = 0; x < shot.width(); ++x) {
                const QColor c = shot.pixelColor(x, y);
                if (c.red() > 190 && c.green() > 90 && c.green() < 160 && c.blue() < 90) {
                    left = std::min(left, x);
                    right = std::max(right, x);
                }
            }
        QFont small = v.font();
        small.setPointSizeF(v.font().pointSizeF() * 0.95);
        const int want = QFontMetrics(small).horizontalAdvance(QStringLiteral("Unsure - keep drawing"));
        QVERIFY2(right >= 0, "the caption is not drawn at all");
        QVERIFY2(right < shot.width() - 8, qPrintable(QStringLiteral("caption reaches x=%1 of %2").arg(right).arg(shot.width())));
        QVERIFY2(right - left + 1 >= want * 9 / 10,
                 qPrintable(QStringLiteral("caption %1 px wide of %2").arg(right - left + 1).arg(want)));
    }

    void dragAndDropImageAndModel()
    {
        // A picture dropped on the window lands on the canvas...
        QImage paper(300, 400, QImage::Format_RGB32);
        paper.fill(Qt::white);
        {
            QPainter p(&paper);
            p.setPen(QPen(Qt::black, 24, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(150, 60, 150, 340);
        }
        const QString path = m_tmp.filePath(QStringLiteral("one.png"));
        QVERIFY(paper.save(path));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPoint at = m_window->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &drop);
        QVERIFY(!canvas()->isBlank());
        WAIT_FOR_PREDICTION();
        QCOMPARE(view()->topDigit(), 1);

        // ...and a dropped .dpm file becomes the model.
        const QString model = m_tmp.filePath(QStringLiteral("dropped.dpm"));
        QVERIFY(m_window->saveModelFile(model));
        QMimeData modelMime;
        modelMime.setUrls({QUrl::fromLocalFile(model)});
        QDragEnterEvent enterModel(at, Qt::CopyAction, &modelMime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enterModel);
        QVERIFY(enterModel.isAccepted());
        QDropEvent dropModel(at, Qt::CopyAction, &modelMime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &dropModel);
        QCOMPARE(m_window->modelName(), QStringLiteral("dropped.dpm"));
        QVERIFY(m_window->useBuiltinModel());
    }

    void preferencesPersist()
    {
        {
            MainWindow w;
            w.canvas()->setPenWidth(44);
            for (QAction* a : w.findChildren<QAction*>())
                if (a->text().contains(QStringLiteral("Black Ink")))
                    a->setChecked(true);
            QVERIFY(w.canvas()->darkInk());
            w.close();  // writes the settings
        }
        {
            MainWindow w;
            QCOMPARE(w.canvas()->penWidth(), 44.0);
            QVERIFY(w.canvas()->darkInk());
            w.canvas()->setPenWidth(30);
            for (QAction* a : w.findChildren<QAction*>())
                if (a->text().contains(QStringLiteral("Black Ink")))
                    a->setChecked(false);
            w.close();
        }
        MainWindow w;
        QCOMPARE(w.canvas()->penWidth(), 30.0);
        QVERIFY(!w.canvas()->darkInk());
    }

    void overlayPaints()
    {
        canvas()->setOverlayEnabled(true);
        stroke(line({120, 120}, {200, 300}, 20));
        WAIT_FOR_PREDICTION();
        const app::Prediction& p = m_window->predictor()->last();
        // The box is where the ink is (pen 30 around the path).
        QVERIFY(std::abs(p.input.boxX - 105) <= 3);
        QVERIFY(std::abs(p.input.boxY - 105) <= 3);
        QVERIFY(std::abs(p.input.boxX + p.input.boxW - 215) <= 3);
        QVERIFY(std::abs(p.input.boxY + p.input.boxH - 315) <= 3);
        QVERIFY(std::abs(p.input.comX - 160) <= 3);
        const QImage withOverlay = canvas()->grab().toImage();
        canvas()->setOverlayEnabled(false);
        const QImage without = canvas()->grab().toImage();
        QVERIFY(withOverlay != without);
    }
};

QTEST_MAIN(TestDrawPad)
#include "test_drawpad.moc"
