// The drawing pad's canvas and stroke model: strokes drawn with QTest mouse
// events change the pixels along their path, fast strokes stay continuous,
// undo/redo/clear restore pixels exactly, the eraser erases, signals fire.
#include "canvas/canvas.h"
#include "canvas/strokes.h"

#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using app::Canvas;

namespace {

// Ink amount at a canvas pixel, 0..1, whatever the polarity.
float inkAt(const Canvas& c, QPoint p)
{
    const int g = qGray(c.image().pixel(p));
    return c.darkInk() ? (255 - g) / 255.0f : g / 255.0f;
}

int inkedPixels(const QImage& img, bool darkInk)
{
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const int g = qGray(img.pixel(x, y));
            n += darkInk ? g < 128 : g > 128;
        }
    return n;
}

}  // namespace

class TestCanvas : public QObject {
    Q_OBJECT

private:
    Canvas* m_canvas = nullptr;
    Qt::MouseButton m_held = Qt::NoButton;

    QPoint w(QPointF canvasPos) const { return m_canvas->toWidget(canvasPos).toPoint(); }
    void press(QPointF p, Qt::MouseButton b = Qt::LeftButton)
    {
        QTest::mousePress(m_canvas, b, {}, w(p));
        m_held = b;
    }
    void move(QPointF p) { QTest::mouseMove(m_canvas, w(p)); }
    void release(QPointF p)
    {
        QTest::mouseRelease(m_canvas, m_held, {}, w(p));
        m_held = Qt::NoButton;
    }
    void stroke(const QList<QPointF>& pts, Qt::MouseButton b = Qt::LeftButton)
    {
        press(pts.first(), b);
        for (int i = 1; i < pts.size(); ++i)
            move(pts[i]);
        release(pts.last());
    }

private slots:
    void init()
    {
        m_canvas = new Canvas;
        // 1:1 between widget and canvas pixels (plus the 1-pixel frame).
        m_canvas->resize(Canvas::kSize + 2, Canvas::kSize + 2);
        m_canvas->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_canvas));
    }

    void cleanup()
    {
        // A failed check must not leave a button "held" for the next test.
        if (m_held != Qt::NoButton)
            QTest::mouseRelease(m_canvas, m_held);
        m_held = Qt::NoButton;
        delete m_canvas;
        m_canvas = nullptr;
    }

    void startsBlank()
    {
        QVERIFY(m_canvas->isBlank());
        QCOMPARE(m_canvas->image().size(), QSize(Canvas::kSize, Canvas::kSize));
        QCOMPARE(inkedPixels(m_canvas->image(), false), 0);
        QVERIFY(!m_canvas->strokes().canUndo());
    }

    void mappingRoundTrips()
    {
        const QPointF p(123.5, 321.25);
        const QPointF back = m_canvas->toCanvas(m_canvas->toWidget(p));
        QVERIFY(std::abs(back.x() - p.x()) < 1e-9 && std::abs(back.y() - p.y()) < 1e-9);
        m_canvas->resize(300, 500);  // scaled and centred
        const QPointF back2 = m_canvas->toCanvas(m_canvas->toWidget(p));
        QVERIFY(std::abs(back2.x() - p.x()) < 1e-9 && std::abs(back2.y() - p.y()) < 1e-9);
        QCOMPARE(m_canvas->canvasRect().width(), 298);
    }

    void strokeChangesPixelsAlongPath()
    {
        QSignalSpy changed(m_canvas, &Canvas::imageChanged);
        QSignalSpy history(m_canvas, &Canvas::historyChanged);
        press({100, 280});
        QVERIFY(changed.count() >= 1);  // the first dot
        const int afterPress = changed.count();
        for (int x = 110; x <= 460; x += 10)
            move({qreal(x), 280});
        // The image changes during the stroke, not only on release.
        QVERIFY(changed.count() > afterPress + 20);
        QVERIFY(!m_canvas->strokes().canUndo());  // not committed yet
        release({460, 280});
        QVERIFY(m_canvas->strokes().canUndo());
        QVERIFY(history.count() >= 2);

        for (int x = 100; x <= 460; x += 5)
            QVERIFY2(inkAt(*m_canvas, {x, 280}) > 0.95f, qPrintable(QStringLiteral("x=%1").arg(x)));
        // Round caps: ink a little beyond the ends; none far away.
        QVERIFY(inkAt(*m_canvas, {92, 280}) > 0.5f);
        QCOMPARE(inkAt(*m_canvas, {280, 200}), 0.0f);
        QCOMPARE(inkAt(*m_canvas, {30, 280}), 0.0f);
        // Width: the default pen is about 30 px across.
        QVERIFY(inkAt(*m_canvas, {280, 280 + 12}) > 0.9f);
        QCOMPARE(inkAt(*m_canvas, {280, 280 + 20}), 0.0f);
        QVERIFY(!m_canvas->isBlank());
        QCOMPARE(m_canvas->strokes().history().size(), std::size_t(1));
        QVERIFY(m_canvas->strokes().history()[0].stroke.points.size() >= 30);
    }

    void fastMoveLeavesContinuousLine()
    {
        // Three events far apart: the line between them must be unbroken.
        m_canvas->setPenWidth(10);
        stroke({{40, 40}, {520, 500}, {40, 520}});
        for (int i = 0; i <= 100; ++i) {
            const qreal t = i / 100.0;
            const QPointF a = QPointF(40, 40) * (1 - t) + QPointF(520, 500) * t;
            const QPointF b = QPointF(520, 500) * (1 - t) + QPointF(40, 520) * t;
            QVERIFY2(inkAt(*m_canvas, a.toPoint()) > 0.8f, qPrintable(QStringLiteral("diagonal t=%1").arg(t)));
            QVERIFY2(inkAt(*m_canvas, b.toPoint()) > 0.8f, qPrintable(QStringLiteral("return t=%1").arg(t)));
        }
    }

    void antialiasedEdges()
    {
        m_canvas->setPenWidth(20);
        stroke({{100, 100}, {460, 140}});
        // A slanted stroke has partially covered (grey) pixels all along both
        // edges: with aliasing there would be none.
        int grey = 0;
        for (int y = 80; y < 160; ++y)
            for (int x = 120; x < 440; ++x) {
                const float v = inkAt(*m_canvas, {x, y});
                grey += v > 0.1f && v < 0.9f;
            }
        QVERIFY2(grey > 2 * 320 / 3, qPrintable(QString::number(grey)));
    }

    void undoRedoClearRestorePixelsExactly()
    {
        const QImage blank = m_canvas->image().copy();
        stroke({{100, 100}, {200, 150}, {300, 120}, {400, 300}});
        const QImage one = m_canvas->image().copy();
        m_canvas->setPenWidth(50);
        stroke({{80, 400}, {480, 420}});
        const QImage two = m_canvas->image().copy();
        QVERIFY(one != two);

        m_canvas->undo();
        QCOMPARE(m_canvas->image(), one);
        m_canvas->undo();
        QCOMPARE(m_canvas->image(), blank);
        QVERIFY(m_canvas->isBlank());
        QVERIFY(!m_canvas->strokes().canUndo());
        m_canvas->redo();
        QCOMPARE(m_canvas->image(), one);
        m_canvas->redo();
        QCOMPARE(m_canvas->image(), two);
        QVERIFY(!m_canvas->strokes().canRedo());

        m_canvas->clear();
        QCOMPARE(m_canvas->image(), blank);
        QVERIFY(m_canvas->isBlank());
        m_canvas->undo();  // clearing is undoable too
        QCOMPARE(m_canvas->image(), two);

        // A new stroke after undo drops the redo list.
        m_canvas->undo();
        QVERIFY(m_canvas->strokes().canRedo());
        stroke({{50, 50}, {60, 300}});
        QVERIFY(!m_canvas->strokes().canRedo());
    }

    void clearOnBlankDoesNothing()
    {
        QSignalSpy changed(m_canvas, &Canvas::imageChanged);
        m_canvas->clear();
        QCOMPARE(changed.count(), 0);
        QVERIFY(!m_canvas->strokes().canUndo());
    }

    void eraserRightButtonAndTool()
    {
        m_canvas->setPenWidth(40);
        stroke({{80, 280}, {480, 280}});
        QVERIFY(inkAt(*m_canvas, {280, 280}) > 0.95f);

        // Right button erases whatever the tool.
        stroke({{280, 200}, {280, 360}}, Qt::RightButton);
        QCOMPARE(inkAt(*m_canvas, {280, 280}), 0.0f);
        QVERIFY(inkAt(*m_canvas, {150, 280}) > 0.95f);
        QVERIFY(m_canvas->strokes().history().back().stroke.eraser);

        // The eraser tool with the left button.
        QSignalSpy mode(m_canvas, &Canvas::eraserModeChanged);
        m_canvas->setEraserMode(true);
        QCOMPARE(mode.count(), 1);
        stroke({{150, 200}, {150, 360}});
        QCOMPARE(inkAt(*m_canvas, {150, 280}), 0.0f);
        QVERIFY(inkAt(*m_canvas, {400, 280}) > 0.95f);

        // Undoing an eraser stroke brings the ink back.
        m_canvas->undo();
        QVERIFY(inkAt(*m_canvas, {150, 280}) > 0.95f);
    }

    void eraserOnlyIsStillBlank()
    {
        stroke({{100, 100}, {300, 300}}, Qt::RightButton);
        QVERIFY(m_canvas->isBlank());
    }

    void polarity()
    {
        stroke({{100, 280}, {460, 280}});
        const int inked = inkedPixels(m_canvas->image(), false);
        QSignalSpy changed(m_canvas, &Canvas::imageChanged);
        m_canvas->setDarkInk(true);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(qGray(m_canvas->image().pixel(10, 10)), 255);
        QCOMPARE(qGray(m_canvas->image().pixel(280, 280)), 0);
        QCOMPARE(inkedPixels(m_canvas->image(), true), inked);
        // Strokes drawn now are dark.
        stroke({{280, 100}, {280, 460}});
        QCOMPARE(qGray(m_canvas->image().pixel(280, 150)), 0);
    }

    void penWidthIsClampedAndSignalled()
    {
        QSignalSpy spy(m_canvas, &Canvas::penWidthChanged);
        m_canvas->setPenWidth(12);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(m_canvas->penWidth(), 12.0);
        m_canvas->setPenWidth(12);
        QCOMPARE(spy.count(), 1);
        m_canvas->setPenWidth(10000);
        QVERIFY(m_canvas->penWidth() <= 120.0);
        m_canvas->setPenWidth(8);
        stroke({{100, 280}, {460, 280}});
        QVERIFY(inkAt(*m_canvas, {280, 280 + 3}) > 0.9f);
        QCOMPARE(inkAt(*m_canvas, {280, 280 + 7}), 0.0f);
    }

    void drawingWhileScaledMapsToCanvas()
    {
        // A small window: the stroke lands at the same canvas place.
        m_canvas->resize(282, 282);
        QTest::qWait(10);
        stroke({{100, 280}, {460, 280}});
        QVERIFY(inkAt(*m_canvas, {280, 280}) > 0.9f);
        QVERIFY(inkAt(*m_canvas, {120, 280}) > 0.9f);
        QCOMPARE(inkAt(*m_canvas, {280, 240}), 0.0f);
    }

    void placedImageIsUndoableAndFollowsPolarity()
    {
        // Dark ink on light paper, half the canvas size, not square.
        QImage paper(200, 100, QImage::Format_RGB32);
        paper.fill(QColor(230, 230, 230));
        {
            QPainter p(&paper);
            p.fillRect(QRect(90, 20, 20, 60), QColor(20, 20, 20));
        }
        m_canvas->placeImage(paper);
        QVERIFY(!m_canvas->isBlank());
        // Scaled to fit (x2.8), centred, converted to white-on-black.
        QVERIFY(inkAt(*m_canvas, {280, 280}) > 0.95f);
        QCOMPARE(inkAt(*m_canvas, {100, 280}), 0.0f);
        QCOMPARE(inkAt(*m_canvas, {280, 50}), 0.0f);
        m_canvas->setDarkInk(true);
        QVERIFY(inkAt(*m_canvas, {280, 280}) > 0.95f);
        QCOMPARE(qGray(m_canvas->image().pixel(280, 280)), 0);
        m_canvas->undo();
        QVERIFY(m_canvas->isBlank());
    }

    // The stroke model on its own: no widget, replayable.
    void strokeModelReplaysWithoutWidget()
    {
        app::StrokeModel model;
        model.beginStroke({{50, 50}, 1.0f}, 20, false);
        model.extendStroke({{500, 60}, 1.0f});
        model.extendStroke({{300, 500}, 0.3f});
        model.endStroke();
        QVERIFY(model.canUndo());
        QVERIFY(!model.isBlank());
        const QImage a = model.toImage(app::InkStyle::whiteOnBlack());
        const QImage b = model.toImage(app::InkStyle::whiteOnBlack());
        QCOMPARE(a, b);
        QVERIFY(qGray(a.pixel(275, 55)) > 240);
        // Half scale: the same drawing, smaller.
        const QImage half = model.toImage(app::InkStyle::whiteOnBlack(), 0.5);
        QCOMPARE(half.size(), QSize(280, 280));
        QVERIFY(qGray(half.pixel(137, 27)) > 200);
        // Pressure narrows the stroke.
        const app::Stroke& s = model.history()[0].stroke;
        QVERIFY(s.segmentWidth(2) < s.segmentWidth(1));
        QVERIFY(model.undo());
        QVERIFY(model.isBlank());
        QVERIFY(model.redo());
        QCOMPARE(model.toImage(app::InkStyle::whiteOnBlack()), a);
        QVERIFY(model.clear());
        QVERIFY(!model.clear());
        QVERIFY(model.isBlank());
    }

    void addStrokeMatchesDrawnStroke()
    {
        // A stroke added as data renders exactly like the same points drawn live.
        stroke({{100, 100}, {250, 300}, {400, 120}});
        const app::Stroke drawn = m_canvas->strokes().history()[0].stroke;
        const QImage live = m_canvas->image().copy();
        m_canvas->clear();
        m_canvas->addStroke(drawn);
        QCOMPARE(m_canvas->image(), live);
    }

    void tabletPressureAndEraser()
    {
        const QPointingDevice* pen = QPointingDevice::primaryPointingDevice();
        auto send = [&](QEvent::Type t, QPointF canvasPos, qreal pressure, Qt::MouseButtons buttons) {
            const QPointF pos = m_canvas->toWidget(canvasPos);
            QTabletEvent e(t, pen, pos, m_canvas->mapToGlobal(pos), pressure, 0, 0, 0, 0, 0, Qt::NoModifier,
                           t == QEvent::TabletMove ? Qt::NoButton : Qt::LeftButton, buttons);
            QApplication::sendEvent(m_canvas, &e);
            return e.isAccepted();
        };
        QVERIFY(send(QEvent::TabletPress, {100, 200}, 1.0, Qt::LeftButton));
        send(QEvent::TabletMove, {280, 200}, 1.0, Qt::LeftButton);
        send(QEvent::TabletMove, {460, 200}, 0.1, Qt::LeftButton);
        send(QEvent::TabletRelease, {460, 200}, 0.1, Qt::NoButton);
        QCOMPARE(m_canvas->strokes().history().size(), std::size_t(1));
        const app::Stroke& s = m_canvas->strokes().history()[0].stroke;
        QVERIFY(s.points.size() >= 3);
        QVERIFY(s.segmentWidth(2) < 0.7 * s.segmentWidth(1));
        QVERIFY(inkAt(*m_canvas, {190, 200 + 12}) > 0.9f);   // full pressure: wide
        QCOMPARE(inkAt(*m_canvas, {420, 200 + 12}), 0.0f);   // light pressure: thin
        QVERIFY(inkAt(*m_canvas, {420, 200}) > 0.9f);
    }
};

QTEST_MAIN(TestCanvas)
#include "test_canvas.moc"
