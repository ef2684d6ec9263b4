// The Layers page and the pad's compact layer view (issue 16): the views show
// the values nn::LayerTracer computes (pixels checked against the colour
// scale), trace only while visible, outline the receptive field of the
// hovered unit, show the kernels of the convolution behind a map and the test
// images that excite a channel most (computed on a worker thread, equal to
// nn::channelExemplars), and survive a model swap while that job runs.
#include "common/colour_map.h"
#include "common/defaultmodel.h"
#include "fixtures.h"
#include "panels/health_view.h"
#include "panels/inspector_panel.h"
#include "panels/layer_inspector.h"
#include "panels/layer_view.h"

#include <nn/data/dataset.h>
#include <nn/inspect.h>
#include <nn/model.h>

#include <QApplication>
#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace {

std::array<float, 784> drawing()
{
    std::array<float, 784> x{};
    for (int y = 4; y < 24; ++y)
        for (int c = 12; c < 16; ++c)
            x[std::size_t(y * 28 + c)] = 1.0f;  // a 1
    for (int c = 8; c < 14; ++c)
        x[std::size_t(6 * 28 + c)] = 0.8f;
    return x;
}

// The Layers page on the default model and drawing(), shown.
struct ShownPanel {
    app::LayerInspector inspector;
    app::InspectorPanel panel{&inspector};
    ShownPanel()
    {
        inspector.setModel(app::loadDefaultModel());
        const auto x = drawing();
        inspector.setInput(x.data());
        panel.resize(1400, 900);
        panel.show();
    }
};

}  // namespace

class TestInspectorPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void inspectorTracesTheModel();
    void colourScales();
    void stripPixelsAreTheValues();
    void stackTracesOnlyWhenVisible();
    void stackIsOneTabStop();
    void receptiveFieldIsOutlined();
    void kernelsOfTheSelectedMap();
    void exemplarsOnAWorkerThread();
    void modelSwapWhileExemplarsRun();
    void healthViewShowsAReport();
};

// The training-health tab: the chart has one line per layer with parameters
// (its points the history's), the table one row per layer and ReLU, and a
// dead ReLU's bar is as long as its fraction.
void TestInspectorPanel::healthViewShowsAReport()
{
    app::HealthView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.chart()->series().isEmpty());
    for (long long step = 10; step <= 30; step += 10) {
        auto h = std::make_shared<nn::TrainingHealth>();
        h->step = step;
        h->probeImages = 64;
        h->probe = "validation";
        nn::LayerHealth conv;
        conv.layer = 0;
        conv.spec = "conv 8 3";
        conv.parameters = 80;
        conv.gradNorm = 1.0 / double(step);
        conv.weightRms = 0.1;
        std::vector<float> w(80);
        for (int i = 0; i < 80; ++i)
            w[std::size_t(i)] = float(i - 40) / 100.0f;
        conv.weights = nn::Histogram::of(w.data(), w.size(), 16);
        conv.grads = conv.weights;
        nn::LayerHealth relu;
        relu.layer = 1;
        relu.spec = "relu";
        relu.dead = 0.75;
        h->layers = {conv, relu};
        view.addHealth(h);
    }
    QCOMPARE(view.chart()->series().size(), 1);
    auto* line = qobject_cast<QLineSeries*>(view.chart()->series().first());
    QVERIFY(line);
    QCOMPARE(line->count(), 3);
    QCOMPARE(line->at(2), QPointF(30, 1.0 / 30));
    QVERIFY(line->name().contains("conv 8 3"));
    QCOMPARE(view.table()->health()->layers.size(), std::size_t(2));
    QVERIFY(view.table()->accessibleDescription().startsWith("Step 30"));
    // The relu's bar: orange (>= 50% dead) over 75% of its width.
    QTRY_VERIFY(view.table()->height() >= view.table()->sizeHint().height());  // laid out for two rows
    const QImage shot = view.table()->grab().toImage();
    const QRect hist = view.table()->histogramRect(0, false);
    QVERIFY(hist.bottom() < shot.height());
    int orange = 0, total = 0;
    const int y = view.table()->histogramRect(1, false).center().y();
    for (int x = 190; x < 190 + 150 + 150; ++x, ++total)
        orange += QColor(shot.pixel(x, y)) == QColor(213, 94, 0) ? 1 : 0;
    QVERIFY2(std::abs(double(orange) / total - 0.75) < 0.03, qPrintable(QString::number(double(orange) / total)));
    view.clear();
    QVERIFY(view.chart()->series().isEmpty());
    QVERIFY(!view.table()->health());
}

void TestInspectorPanel::inspectorTracesTheModel()
{
    app::LayerInspector inspector;
    QVERIFY(inspector.traces().empty());  // no model
    const auto model = app::loadDefaultModel();
    inspector.setModel(model);
    QVERIFY(inspector.traces().empty());  // no input
    const auto x = drawing();
    QSignalSpy changed(&inspector, &app::LayerInspector::inputChanged);
    inspector.setInput(x.data());
    QCOMPARE(changed.count(), 1);
    nn::LayerTracer reference(*model);
    const auto& want = reference.trace(x.data());
    const auto& got = inspector.traces();
    QCOMPARE(got.size(), want.size());
    for (std::size_t l = 0; l < got.size(); ++l)
        QVERIFY(got[l].values == want[l].values);
    std::array<float, 10> probs{};
    model->predict(x.data(), 1, probs.data());
    const auto p = inspector.probabilities();
    QCOMPARE(p.size(), std::size_t(10));
    for (int k = 0; k < 10; ++k)
        QVERIFY2(std::abs(p[std::size_t(k)] - probs[std::size_t(k)]) < 1e-5f, qPrintable(QString::number(k)));
    inspector.clearInput();
    QVERIFY(inspector.traces().empty());
    // A model that takes no digit is not traced.
    inspector.setModel(std::make_shared<const nn::Model>(nn::Model::fromSpec("dense 4", {1, 2, 2}, 4)));
    inspector.setInput(x.data());
    QVERIFY(inspector.traces().empty());
}

void TestInspectorPanel::colourScales()
{
    const app::ColourScale m = app::ColourScale::fit(0.0f, 4.0f);
    QCOMPARE(m.kind, app::ColourScale::Magnitude);
    QCOMPARE(m.colour(0.0f), app::viridis(0.0f));
    QCOMPARE(m.colour(4.0f), qRgb(253, 231, 37));   // viridis' yellow end
    QCOMPARE(m.colour(0.0f), qRgb(68, 1, 84));      // and its purple start
    const app::ColourScale s = app::ColourScale::fit(-1.0f, 3.0f);
    QCOMPARE(s.kind, app::ColourScale::Signed);
    QCOMPARE(s.hi, 3.0f);
    QCOMPARE(s.colour(0.0f), qRgb(160, 160, 160));  // neutral at zero
    QCOMPARE(s.colour(-3.0f), qRgb(33, 102, 172));  // blue negative
    QCOMPARE(s.colour(3.0f), qRgb(217, 95, 2));     // orange positive
    QCOMPARE(s.colour(-30.0f), s.colour(-3.0f));    // clamped
    // A flat layer (all zero) still gets a scale.
    QCOMPARE(app::ColourScale::fit(0.0f, 0.0f).hi, 1.0f);
    QCOMPARE(app::viridis(std::nanf("")), app::viridis(0.0f));
}

void TestInspectorPanel::stripPixelsAreTheValues()
{
    app::LayerInspector inspector;
    inspector.setModel(app::loadDefaultModel());
    const auto x = drawing();
    inspector.setInput(x.data());
    const nn::LayerTrace& conv = inspector.traces()[0];
    app::LayerStrip strip(56);
    strip.setTrace(conv);
    strip.resize(700, strip.heightForWidth(700));
    QCOMPARE(strip.accessibleName(), app::layerCaption(conv));
    QVERIFY(strip.accessibleName().startsWith("conv 32 5 pad=2"));
    const QImage shot = strip.grab().toImage();
    const app::ColourScale scale = strip.scale();
    for (int c : {0, 7, 31}) {
        const QRect r = strip.channelRect(c);
        QVERIFY(!r.isEmpty());
        QVERIFY(r.bottom() < shot.height());
        for (auto [uy, ux] : {std::pair{0, 0}, std::pair{14, 13}, std::pair{27, 27}, std::pair{6, 20}}) {
            // The middle of the 2x2 block of unit (uy, ux) in a 56-pixel tile.
            const QPoint at(r.left() + ux * 2 + 1, r.top() + uy * 2 + 1);
            QCOMPARE(QColor(shot.pixel(at)).rgb(), QColor(scale.colour(conv.at(c, uy, ux))).rgb());
            int hc, hy, hx;
            QVERIFY(strip.unitAt(at, &hc, &hy, &hx));
            QCOMPARE(hc, c);
            QCOMPARE(hy, uy);
            QCOMPARE(hx, ux);
        }
    }
    // Hovering reports the unit; clicking the channel.
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    QSignalSpy hovered(&strip, &app::LayerStrip::unitHovered);
    QSignalSpy clicked(&strip, &app::LayerStrip::channelClicked);
    const QRect r7 = strip.channelRect(7);
    QTest::mouseMove(&strip, r7.topLeft() + QPoint(2 * 9 + 1, 2 * 3 + 1));
    QVERIFY(hovered.count() >= 1);
    QCOMPARE(hovered.last().at(0).toInt(), 7);
    QCOMPARE(hovered.last().at(1).toInt(), 3);
    QCOMPARE(hovered.last().at(2).toInt(), 9);
    QTest::mouseClick(&strip, Qt::LeftButton, {}, r7.center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), 7);

    // A dense layer is a strip of bars: a positive unit's bar reaches up from zero.
    const nn::LayerTrace& dense = inspector.traces()[8];
    QVERIFY(!dense.spatial());
    strip.setTrace(dense);
    strip.resize(700, strip.heightForWidth(700));
    const QImage bars = strip.grab().toImage();
    int positive = -1;
    for (int c = 0; c < dense.shape.c && positive < 0; ++c)
        if (dense.values[std::size_t(c)] > 0.5f * dense.max)
            positive = c;
    QVERIFY(positive >= 0);
    const QRect slot = strip.channelRect(positive);
    // Zero is the middle of the slot on a signed scale (dense outputs before relu), else its bottom.
    const int zeroY = strip.scale().kind == app::ColourScale::Signed ? slot.top() + slot.height() / 2 : slot.bottom();
    const QPoint inBar(slot.center().x(), zeroY - 3);
    QCOMPARE(QColor(bars.pixel(inBar)).rgb(), QColor(strip.scale().colour(dense.values[std::size_t(positive)])).rgb());
}

void TestInspectorPanel::stackTracesOnlyWhenVisible()
{
    app::LayerInspector inspector;
    inspector.setModel(app::loadDefaultModel());
    app::LayerStack stack(&inspector, 20);
    const auto x = drawing();
    inspector.setInput(x.data());
    inspector.setInput(x.data());
    QCOMPARE(inspector.tracesComputed(), 0);  // hidden: nothing computed
    stack.resize(300, 500);
    stack.show();
    QVERIFY(QTest::qWaitForWindowExposed(&stack));
    QCOMPARE(inspector.tracesComputed(), 1);
    QCOMPARE(stack.strips(), int(inspector.traces().size()) + 1);  // + the softmax
    QVERIFY(stack.strip(stack.strips() - 1)->showsProbabilities());
    const auto p = inspector.probabilities();
    QVERIFY(stack.strip(stack.strips() - 1)->trace().values == p);
    inspector.setInput(x.data());
    QCOMPARE(inspector.tracesComputed(), 2);  // visible: every change
    stack.hide();
    inspector.setInput(x.data());
    QCOMPARE(inspector.tracesComputed(), 2);
    stack.show();
    QCOMPARE(inspector.tracesComputed(), 3);
}

// The strips are one Tab stop: Tab goes from the button before the stack to
// one strip and on to the button after it; Page Down and Down in the last
// row move to the next layer, Page Up to the one before, and the strip the
// keyboard was last in is the one Tab comes back to.
void TestInspectorPanel::stackIsOneTabStop()
{
    app::LayerInspector inspector;
    inspector.setModel(app::loadDefaultModel());
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* before = new QPushButton(QStringLiteral("before"), &window);
    auto* stack = new app::LayerStack(&inspector, 20, &window);
    auto* after = new QPushButton(QStringLiteral("after"), &window);
    layout->addWidget(before);
    layout->addWidget(stack);
    layout->addWidget(after);
    window.resize(400, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window);
    const auto x = drawing();
    inspector.setInput(x.data());
    QVERIFY(stack->strips() >= 4);
    QTRY_VERIFY(stack->strip(stack->strips() - 1)->isVisible());  // the layout shows new strips from the event loop
    int tabStops = 0;
    for (int i = 0; i < stack->strips(); ++i)
        tabStops += (stack->strip(i)->focusPolicy() & Qt::TabFocus) ? 1 : 0;
    QCOMPARE(tabStops, 1);

    before->setFocus(Qt::TabFocusReason);
    QTest::keyClick(before, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), stack->strip(0));
    QTest::keyClick(stack->strip(0), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), after);

    stack->strip(0)->setFocus(Qt::TabFocusReason);
    QTest::keyClick(stack->strip(0), Qt::Key_PageDown);
    QCOMPARE(QApplication::focusWidget(), stack->strip(1));
    QTest::keyClick(stack->strip(1), Qt::Key_End);  // the last tile: Down leaves the strip
    QTest::keyClick(stack->strip(1), Qt::Key_Down);
    QCOMPARE(QApplication::focusWidget(), stack->strip(2));
    QTest::keyClick(stack->strip(2), Qt::Key_PageUp);
    QCOMPARE(QApplication::focusWidget(), stack->strip(1));
    QTest::keyClick(stack->strip(1), Qt::Key_PageDown);
    QVERIFY(stack->strip(2)->focusPolicy() & Qt::TabFocus);
    QVERIFY(!(stack->strip(0)->focusPolicy() & Qt::TabFocus));
    // Past the last layer and before the first nothing moves.
    const int last = stack->strips() - 1;
    for (int i = 2; i < last; ++i)
        QTest::keyClick(stack->strip(i), Qt::Key_PageDown);
    QCOMPARE(QApplication::focusWidget(), stack->strip(last));
    QTest::keyClick(stack->strip(last), Qt::Key_PageDown);
    QCOMPARE(QApplication::focusWidget(), stack->strip(last));
    QVERIFY(!stack->strip(last)->visibleRegion().isEmpty());  // scrolled into view
    // Tab from the button after the stack comes back (Shift+Tab) to the strip last used.
    after->setFocus(Qt::TabFocusReason);
    QTest::keyClick(after, Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), stack->strip(last));
}

void TestInspectorPanel::receptiveFieldIsOutlined()
{
    ShownPanel shown;
    QVERIFY(QTest::qWaitForWindowExposed(&shown.panel));
    app::InspectorPanel& panel = shown.panel;
    // The pool after the first conv: unit (5, 5) sees input rows and columns 8..13.
    panel.hoverUnit(3, 0, 5, 5);
    QCOMPARE(panel.inputView()->outline(), QRect(8, 8, 6, 6));
    QVERIFY2(panel.hoverLabel()->text().contains(QString::fromUtf8("rows 8–13")), qPrintable(panel.hoverLabel()->text()));
    // The outline is drawn on the input view: its top-left corner in yellow.
    const QImage shot = panel.inputView()->grab().toImage();
    const QRect ir = panel.inputView()->imageRect();
    const int s = ir.width() / 28;
    const QColor corner(shot.pixel(ir.left() + 8 * s, ir.top() + 8 * s + s * 3));
    QVERIFY2(corner.red() > 200 && corner.green() > 150 && corner.blue() < 80, qPrintable(corner.name()));
    // The text follows the drawing under a resting mouse: cleared, it goes;
    // drawn again, it is back with the new drawing's value. A channel whose
    // unit (5, 5) differs between the two drawings:
    auto other = drawing();
    for (int r = 8; r < 14; ++r)
        for (int c = 8; c < 14; ++c)
            other[std::size_t(r * 28 + c)] = float((r + c) % 2);  // a checkerboard where the unit looks
    const auto first = drawing();
    int channel = -1;
    for (int c = 0; c < shown.inspector.traces()[3].shape.c && channel < 0; ++c) {
        shown.inspector.setInput(other.data());
        const float a = shown.inspector.traces()[3].at(c, 5, 5);
        shown.inspector.setInput(first.data());
        if (a != shown.inspector.traces()[3].at(c, 5, 5))
            channel = c;
    }
    QVERIFY(channel >= 0);
    panel.hoverUnit(3, channel, 5, 5);
    const QString described = panel.hoverLabel()->text();
    shown.inspector.clearInput();
    QVERIFY(panel.inputView()->outline().isEmpty());
    QVERIFY2(!panel.hoverLabel()->text().contains(QString::fromUtf8("rows 8–13")), qPrintable(panel.hoverLabel()->text()));
    shown.inspector.setInput(other.data());
    QCOMPARE(panel.inputView()->outline(), QRect(8, 8, 6, 6));
    const QString now = panel.hoverLabel()->text();
    const float value = shown.inspector.traces()[3].at(channel, 5, 5);
    QVERIFY2(now.contains(QString::fromUtf8("rows 8–13")) && now.contains(": " + QLocale().toString(double(value), 'g', 4) + "<br>"),
             qPrintable(now + " / " + QString::number(value)));
    QVERIFY2(now != described, qPrintable(described));
    panel.hoverUnit(-1, -1, 0, 0);
    QVERIFY(panel.inputView()->outline().isEmpty());
    // A dense unit sees everything.
    panel.hoverUnit(8, 3, 0, 0);
    QCOMPARE(panel.inputView()->outline(), QRect(0, 0, 28, 28));
    // Hovering the large map of the selection does the same for its units.
    panel.select(4, 2);
    QCOMPARE(panel.selectedLayer(), 4);
    const QRect mr = panel.mapView()->imageRect();
    QTest::mouseMove(panel.mapView(), mr.topLeft() + QPoint(mr.width() * 5 / 14 + 1, mr.height() * 5 / 14 + 1));
    QCOMPARE(panel.inputView()->outline(), QRect(4, 4, 14, 14));

    // The same without a mouse: Tab into the map, the arrows move a unit.
    auto outlineOf = [&](int y, int x) {
        panel.hoverUnit(4, 2, y, x);
        const QRect r = panel.inputView()->outline();
        panel.hoverUnit(-1, -1, 0, 0);
        return r;
    };
    const QRect centre = outlineOf(7, 7), topLeft = outlineOf(0, 0), right = outlineOf(0, 1), end = outlineOf(13, 13);
    QVERIFY(topLeft != right && centre != topLeft);
    QCOMPARE(panel.mapView()->focusPolicy(), Qt::StrongFocus);
    panel.mapView()->setFocus(Qt::TabFocusReason);
    QCOMPARE(panel.mapView()->cursor(), QPoint(7, 7));  // focus starts on the middle unit
    QCOMPARE(panel.inputView()->outline(), centre);
    QTest::keyClick(panel.mapView(), Qt::Key_Home);
    QTest::keyClick(panel.mapView(), Qt::Key_PageUp);
    QCOMPARE(panel.mapView()->cursor(), QPoint(0, 0));
    QCOMPARE(panel.inputView()->outline(), topLeft);
    QTest::keyClick(panel.mapView(), Qt::Key_Up);  // stays inside the map
    QTest::keyClick(panel.mapView(), Qt::Key_Right);
    QCOMPARE(panel.mapView()->cursor(), QPoint(1, 0));
    QCOMPARE(panel.inputView()->outline(), right);
    QVERIFY2(panel.mapView()->accessibleDescription().contains("row 0, column 1"),
             qPrintable(panel.mapView()->accessibleDescription()));
    QTest::keyClick(panel.mapView(), Qt::Key_End);
    QTest::keyClick(panel.mapView(), Qt::Key_PageDown);
    QCOMPARE(panel.inputView()->outline(), end);
    // The keyboard's unit is framed in the palette's highlight colour.
    const QImage mapShot = panel.mapView()->grab().toImage();
    const QRect mir = panel.mapView()->imageRect();
    const double cell = mir.width() / 14.0;
    QCOMPARE(QColor(mapShot.pixel(mir.left() + int(13.5 * cell), mir.top() + int(13 * cell) + 1)),
             panel.mapView()->palette().color(QPalette::Highlight));
    // Leaving the map by keyboard takes the outline away.
    panel.inputView()->setFocusPolicy(Qt::StrongFocus);
    panel.inputView()->setFocus(Qt::TabFocusReason);
    QVERIFY(panel.inputView()->outline().isEmpty());
    QCOMPARE(panel.mapView()->cursor(), QPoint(-1, -1));
}

void TestInspectorPanel::kernelsOfTheSelectedMap()
{
    ShownPanel shown;
    QVERIFY(QTest::qWaitForWindowExposed(&shown.panel));
    app::InspectorPanel& panel = shown.panel;
    QCOMPARE(panel.selectedLayer(), 0);  // starts on the first map
    QCOMPARE(panel.kernelLayer(), 0);
    QCOMPARE(panel.kernelTiles(), 1);    // one input channel: the kernel itself
    panel.select(3, 4);                  // maxpool after conv 0: conv 0's filter 4
    QCOMPARE(panel.kernelLayer(), 0);
    panel.select(6, 9);                  // relu after the second conv
    QCOMPARE(panel.kernelLayer(), 4);
    QCOMPARE(panel.kernelTiles(), 1 + 32);  // the mean and one per input map
    panel.select(8, 0);                  // dense
    QCOMPARE(panel.kernelLayer(), -1);
    panel.select(99, 0);                 // refused: the selection stays
    QCOMPARE(panel.selectedLayer(), 8);
}

void TestInspectorPanel::exemplarsOnAWorkerThread()
{
    app::LayerInspector inspector;
    auto model = std::make_shared<nn::Model>(nn::Model::fromSpec("conv 4 5 pad=2 | relu | maxpool 2 | dense 10"));
    model->initialize(5);
    const std::shared_ptr<const nn::Model> frozen = model;
    inspector.setModel(frozen);
    const auto data = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(600, 9));
    const auto x = drawing();
    inspector.setInput(x.data());
    app::InspectorPanel panel(&inspector);
    panel.resize(1200, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy ready(&inspector, &app::LayerInspector::exemplarsReady);
    QSignalSpy progress(&inspector, &app::LayerInspector::exemplarProgress);
    inspector.setExemplarSource(data);
    panel.select(2, 3);
    QVERIFY(ready.wait(60000) || ready.count() == 1);
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().at(0).toInt(), 600);
    const nn::ChannelExemplars want = nn::channelExemplars(*frozen, *data, app::LayerInspector::kExemplars);
    QCOMPARE(panel.shownExemplars(), want.images[2][3]);
    panel.select(0, 1);
    QCOMPARE(panel.shownExemplars(), want.images[0][1]);  // from the cache: no second job
    QVERIFY(!inspector.exemplarsRunning());
    QCOMPARE(ready.count(), 1);
    // Clicking the best one sends that test image to the pad.
    QSignalSpy sent(&panel, &app::InspectorPanel::sendToCanvas);
    auto buttons = panel.findChildren<QToolButton*>();
    QToolButton* first = nullptr;
    for (QToolButton* b : buttons)
        if (b->isVisible() && b->accessibleName().startsWith(QString("Test image %1 ").arg(want.images[0][1][0])))
            first = b;
    QVERIFY(first);
    first->click();
    QCOMPARE(sent.count(), 1);
    const QImage img = sent.first().at(0).value<QImage>().convertToFormat(QImage::Format_Grayscale8);
    QCOMPARE(img.size(), QSize(28, 28));
    const std::uint8_t* want0 = data->image(want.images[0][1][0]);
    for (int y = 0; y < 28; ++y)
        for (int c = 0; c < 28; ++c)
            QCOMPARE(int(img.constScanLine(y)[c]), int(want0[y * 28 + c]));
}

void TestInspectorPanel::modelSwapWhileExemplarsRun()
{
    app::LayerInspector inspector;
    auto a = std::make_shared<nn::Model>(nn::Model::fromSpec("conv 8 5 pad=2 | relu | dense 10"));
    a->initialize(1);
    auto b = std::make_shared<nn::Model>(*a);
    b->initialize(2);
    inspector.setModel(std::shared_ptr<const nn::Model>(a));
    const auto data = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(3000, 4));
    inspector.setExemplarSource(data);
    QSignalSpy ready(&inspector, &app::LayerInspector::exemplarsReady);
    inspector.requestExemplars();
    QVERIFY(inspector.exemplarsRunning());
    const std::shared_ptr<const nn::Model> bFrozen = b;
    inspector.setModel(bFrozen);  // the running job is for a: stopped, its result dropped
    inspector.requestExemplars();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
    QTRY_VERIFY(!inspector.exemplarsRunning());
    const auto got = inspector.exemplars();
    QVERIFY(got);
    const nn::ChannelExemplars want = nn::channelExemplars(*bFrozen, *data, app::LayerInspector::kExemplars);
    QCOMPARE(got->images, want.images);
    // Destroying the inspector while a job runs stops and joins it.
    auto* doomed = new app::LayerInspector;
    doomed->setModel(std::shared_ptr<const nn::Model>(a));
    doomed->setExemplarSource(data);
    doomed->requestExemplars();
    QVERIFY(doomed->exemplarsRunning());
    delete doomed;
}

QTEST_MAIN(TestInspectorPanel)
#include "test_inspector_panel.moc"
