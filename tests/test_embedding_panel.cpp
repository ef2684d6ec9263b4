// The embedding view (issue 16, the Layers page's Embedding tab): the map is
// computed on a worker thread and fills the scatter with one point per image
// where nn's PCA puts it (checked through the view transform and in the
// painted pixels); hover, click and lasso report the right images; the live
// point follows the drawing; a model swap marks the map stale, swapping back
// shows it again; cancel leaves no map; the browser lists a lasso's images.
#include "common/colour_map.h"
#include "fixtures.h"
#include "panels/embedding_state.h"
#include "panels/embedding_view.h"
#include "panels/layer_inspector.h"
#include "panels/mnist_browser.h"
#include "panels/sample_filter.h"
#include "panels/scatter_geometry.h"

#include <nn/data/dataset.h>
#include <nn/embedding.h>
#include <nn/model.h>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

namespace {

std::shared_ptr<const nn::Model> mlp(std::uint64_t seed)
{
    nn::Model m = nn::Model::fromSpec(nn::Model::presetSpec("mlp"));
    m.initialize(seed);
    return std::make_shared<const nn::Model>(std::move(m));
}

std::array<float, 784> drawing(int shift)
{
    std::array<float, 784> x{};
    for (int y = 4; y < 24; ++y)
        for (int c = 10 + shift; c < 14 + shift; ++c)
            x[std::size_t(y * 28 + c)] = 1.0f;
    return x;
}

// The tab on 300 synthetic images and a random MLP, shown, PCA computed.
struct Computed {
    app::LayerInspector inspector;
    app::EmbeddingPanel panel{&inspector};
    std::shared_ptr<const nn::Model> model = mlp(1);
    std::shared_ptr<const nn::Dataset> data = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(300, 4));
    explicit Computed(bool compute = true)
    {
        inspector.setModel(model);
        inspector.setExemplarSource(data);
        panel.resize(1000, 640);
        panel.show();
        if (!QTest::qWaitForWindowExposed(&panel))
            qWarning("the panel was not exposed");
        panel.methodBox()->setCurrentIndex(0);  // PCA
        if (compute) {
            panel.compute();
            panel.state()->waitForFinished();
        }
    }
    // What nn computes for the same model and images.
    nn::Embedding expected() const
    {
        nn::EmbeddingRequest r;
        return nn::computeEmbedding(*model, *data, r);
    }
    QPointF at(int i) const
    {
        const auto& xy = panel.scatter()->points();
        return panel.scatter()->transform().toWidget({xy[2 * std::size_t(i)], xy[2 * std::size_t(i) + 1]});
    }
    // A point with no other within `gap` pixels, so what is under it is its own dot.
    int isolatedPoint(double gap, int after = -1) const
    {
        const int n = panel.scatter()->pointCount();
        for (int i = after + 1; i < n; ++i) {
            bool alone = true;
            for (int j = 0; j < n && alone; ++j)
                alone = j == i || QLineF(at(i), at(j)).length() > gap;
            if (alone && panel.scatter()->rect().adjusted(20, 60, -20, -20).contains(at(i).toPoint()))
                return i;
        }
        return -1;
    }
};

}  // namespace

class TestEmbeddingPanel : public QObject {
    Q_OBJECT
private slots:
    void transformRoundTripsAndZoomsAboutTheMouse()
    {
        app::ScatterTransform t;
        const std::vector<float> xy{-2, 0, 2, 1, 0, -1};
        t.fit(xy, QRectF(0, 0, 424, 224), 12);
        // Bounds 4 x 2 into 400 x 200: 100 pixels a unit both ways, y up.
        QCOMPARE(t.scale(), 50.0 * 2);
        QCOMPARE(t.toWidget({-2, 1}), QPointF(12, 12));
        QCOMPARE(t.toWidget({2, -1}), QPointF(412, 212));
        const QPointF anchor(300, 50);
        const QPointF under = t.toData(anchor);
        t.zoom(2.5, anchor);
        QCOMPARE(t.scale(), 250.0);
        QVERIFY(QLineF(t.toWidget(under), anchor).length() < 1e-9);
        t.pan({10, -4});
        QVERIFY(QLineF(t.toWidget(under), anchor + QPointF(10, -4)).length() < 1e-9);
        QVERIFY(QLineF(t.toData(t.toWidget({0.3, -0.7})), QPointF(0.3, -0.7)).length() < 1e-12);
        // Hit-testing and the lasso, in widget pixels.
        t.reset();
        QCOMPARE(app::nearestPoint(xy, t, QPointF(212, 212) + QPointF(3, 3), 6), 2);  // (0, -1) is at (212, 212)
        QCOMPARE(app::nearestPoint(xy, t, QPointF(412, 12), 5), 1);
        QCOMPARE(app::nearestPoint(xy, t, QPointF(300, 100), 5), -1);
        const QPolygonF left{QPointF(0, 0), QPointF(250, 0), QPointF(250, 224), QPointF(0, 224)};
        QCOMPARE(app::pointsInPolygon(xy, t, left), (std::vector<int>{0, 2}));
        QVERIFY(app::pointsInPolygon(xy, t, QPolygonF{QPointF(0, 0), QPointF(250, 0)}).empty());
    }

    void pcaFillsTheScatterWhereNnPutsThePoints()
    {
        Computed c;
        const auto result = c.panel.state()->result();
        QVERIFY(result);
        QVERIFY(!c.panel.state()->isStale());
        app::ScatterView* view = c.panel.scatter();
        QCOMPARE(view->pointCount(), 300);
        const nn::Embedding want = c.expected();
        QCOMPARE(int(view->points().size()), 600);
        for (int i = 0; i < 600; ++i)
            QVERIFY(std::abs(view->points()[std::size_t(i)] - want.xy[std::size_t(i)]) <= 1e-4f * (1 + std::abs(want.xy[std::size_t(i)])));
        // The points fill the view: inside it, and the extremes of the
        // axis that fits touch the margins (12 pixels).
        double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
        for (int i = 0; i < 300; ++i) {
            const QPointF w = c.at(i);
            x0 = std::min(x0, w.x()), x1 = std::max(x1, w.x()), y0 = std::min(y0, w.y()), y1 = std::max(y1, w.y());
        }
        QVERIFY(x0 >= 11.9 && y0 >= 11.9 && x1 <= view->width() - 11.9 && y1 <= view->height() - 11.9);
        QVERIFY((std::abs(x0 - 12) < 0.01 && std::abs(x1 - (view->width() - 12)) < 0.01) ||
                (std::abs(y0 - 12) < 0.01 && std::abs(y1 - (view->height() - 12)) < 0.01));
        // The painted dot at an isolated point has its label's colour.
        const QImage shot = view->grab().toImage();
        int checked = 0;
        for (int i = c.isolatedPoint(7); i >= 0 && checked < 3; i = c.isolatedPoint(7, i)) {
            const QPoint p = (c.at(i) * shot.devicePixelRatio()).toPoint();
            QCOMPARE(QColor(shot.pixel(p)).rgb(), QColor::fromRgb(app::categoryColour(c.data->labels[std::size_t(i)])).rgb());
            ++checked;
        }
        QVERIFY(checked > 0);
        QVERIFY(c.panel.statusLabel()->text().contains(QStringLiteral("PCA")));
        QVERIFY(c.panel.statusLabel()->text().contains(QStringLiteral("300")));
    }

    void hoverClickAndLassoCarryTheIndices()
    {
        Computed c;
        app::ScatterView* view = c.panel.scatter();
        const int i = c.isolatedPoint(8);
        QVERIFY(i >= 0);
        QSignalSpy hovered(view, &app::ScatterView::hovered);
        QSignalSpy opened(&c.panel, &app::EmbeddingPanel::openSample);
        QSignalSpy selected(&c.panel, &app::EmbeddingPanel::selectSamples);
        QTest::mouseMove(view, c.at(i).toPoint());
        QTRY_COMPARE(view->hoveredIndex(), i);
        QCOMPARE(hovered.last().at(0).toInt(), i);
        QVERIFY(c.panel.hoverLabel()->text().contains(QStringLiteral("Test image %1").arg(i)));
        QVERIFY(c.panel.hoverLabel()->text().contains(QStringLiteral("label %1").arg(c.data->labels[std::size_t(i)])));
        QTest::mouseClick(view, Qt::LeftButton, {}, c.at(i).toPoint());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toInt(), i);
        // A lasso around the left half of the view.
        const int w = view->width(), h = view->height();
        const QPolygon lasso{QPoint(2, 2), QPoint(w / 2, 2), QPoint(w / 2, h - 2), QPoint(2, h - 2)};
        QTest::mousePress(view, Qt::LeftButton, {}, lasso[0]);
        for (int k = 1; k <= 4; ++k) {
            const QPoint a = lasso[k - 1], b = lasso[k % 4];
            for (int s = 1; s <= 10; ++s)
                QTest::mouseMove(view, a + (b - a) * s / 10);
        }
        QTest::mouseRelease(view, Qt::LeftButton, {}, lasso[0]);
        QCOMPARE(selected.count(), 1);
        // Every point clearly left of the middle, none clearly right of it
        // (within a pixel of the edge either is right).
        const QList<int> got = selected.at(0).at(0).value<QList<int>>();
        QVERIFY(got.size() > 10 && got.size() < 290);
        QVERIFY(std::is_sorted(got.begin(), got.end()));
        for (int k = 0; k < 300; ++k) {
            const double x = c.at(k).x();
            if (x < w / 2.0 - 1)
                QVERIFY2(got.contains(k), qPrintable(QString::number(k)));
            else if (x > w / 2.0 + 1)
                QVERIFY2(!got.contains(k), qPrintable(QString::number(k)));
        }
    }

    void livePointFollowsTheDrawing()
    {
        Computed c;
        app::ScatterView* view = c.panel.scatter();
        QVERIFY(!view->livePoint());
        const nn::Embedding want = c.expected();
        const nn::EmbeddingExtractor ex(*c.model);
        for (int shift : {0, 6}) {
            const auto x = drawing(shift);
            c.inspector.setInput(x.data());
            std::vector<float> a(static_cast<std::size_t>(ex.dim()));
            ex.apply(x.data(), 1, a.data());
            const auto p = want.pca.project(a.data());
            QVERIFY(view->livePoint());
            QVERIFY(std::abs(view->livePoint()->x() - p[0]) < 1e-3 * (1 + std::abs(p[0])));
            QVERIFY(std::abs(view->livePoint()->y() - p[1]) < 1e-3 * (1 + std::abs(p[1])));
        }
        const QPointF before = *view->livePoint();
        c.inspector.setInput(drawing(0).data());
        QVERIFY(*view->livePoint() != before);  // it moved back
        c.inspector.clearInput();
        QVERIFY(!view->livePoint());
    }

    void aModelSwapMarksTheMapStale()
    {
        Computed c;
        const auto first = c.panel.state()->result();
        c.inspector.setInput(drawing(0).data());
        QVERIFY(c.panel.scatter()->livePoint());
        const auto other = mlp(2);
        c.inspector.setModel(other);
        QVERIFY(c.panel.state()->isStale());
        QCOMPARE(c.panel.state()->result(), first);  // still shown, but
        QCOMPARE(c.panel.scatter()->pointCount(), 300);
        QVERIFY(!c.panel.scatter()->livePoint());  // nothing placed in an old model's map
        const QImage shot = c.panel.scatter()->grab().toImage();
        // The banner says so (painted at the top, in its amber).
        const QColor banner(shot.pixel(shot.width() / 2, int(12 * shot.devicePixelRatio())));
        QCOMPARE(banner.rgb(), QColor(255, 236, 200).rgb());
        // Back to the first model: its map is fresh again, from the cache.
        c.inspector.setModel(c.model);
        QVERIFY(!c.panel.state()->isStale());
        QCOMPARE(c.panel.state()->result(), first);
        QVERIFY(c.panel.scatter()->livePoint());
        // The other model's own map replaces it once computed.
        c.inspector.setModel(other);
        c.panel.compute();
        c.panel.state()->waitForFinished();
        QVERIFY(!c.panel.state()->isStale());
        QVERIFY(c.panel.state()->result() != first);
        QCOMPARE(c.panel.state()->result()->model.lock(), other);
    }

    void cancelLeavesNoMap()
    {
        Computed c(false);
        QSignalSpy running(c.panel.state(), &app::EmbeddingState::runningChanged);
        c.panel.methodBox()->setCurrentIndex(1);  // t-SNE
        QVERIFY(c.panel.computeButton()->isEnabled());
        c.panel.compute();
        QVERIFY(c.panel.state()->isRunning());
        QVERIFY(!c.panel.computeButton()->isEnabled());
        QVERIFY(c.panel.cancelButton()->isEnabled());
        QTest::mouseClick(c.panel.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!c.panel.state()->isRunning());
        QCOMPARE(running.count(), 2);
        QVERIFY(!c.panel.state()->result());
        QCOMPARE(c.panel.scatter()->pointCount(), 0);
        QCOMPARE(c.panel.statusLabel()->text(), QStringLiteral("Cancelled."));
        // And computed to the end it gives the engine's map for that seed.
        c.panel.compute();
        c.panel.state()->waitForFinished();
        QVERIFY(c.panel.state()->result());
        nn::EmbeddingRequest r;
        r.method = nn::EmbeddingMethod::Tsne;
        QCOMPARE(c.panel.scatter()->points(), nn::computeEmbedding(*c.model, *c.data, r).xy);
    }

    void withoutTheTestSetItSaysWhy()
    {
        app::LayerInspector inspector;
        app::EmbeddingPanel panel(&inspector);
        inspector.setModel(mlp(1));
        panel.show();
        QVERIFY(!panel.computeButton()->isEnabled());
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("MNIST test set")));
    }

    void theBrowserListsTheSelectedImages()
    {
        // The filter's indices, with its other criteria.
        std::vector<app::SampleSource> sources(1);
        sources[0].data = std::make_shared<const nn::Dataset>(fixtures::syntheticBars(40, 2));
        app::SampleFilter f;
        f.source = 0;
        f.indices = std::vector<int>{2, 5, 9, 31, 77};  // 77 is not there
        std::vector<int> got;
        for (const app::SampleRef& r : app::filterSamples(sources, f))
            got.push_back(r.index);
        QCOMPARE(got, (std::vector<int>{2, 5, 9, 31}));
        f.label = sources[0].data->labels[5];
        got.clear();
        for (const app::SampleRef& r : app::filterSamples(sources, f))
            got.push_back(r.index);
        QVERIFY(std::find(got.begin(), got.end(), 5) != got.end());
        for (int i : got)
            QCOMPARE(int(sources[0].data->labels[std::size_t(i)]), f.label);

        app::MnistBrowser browser;
        browser.setDatasets(std::make_shared<const nn::Dataset>(fixtures::syntheticBars(50, 3)),
                            std::make_shared<const nn::Dataset>(fixtures::syntheticBars(30, 1)));
        browser.show();
        browser.showSamples(app::MnistBrowser::TestSource, {12, 3, 7});
        QCOMPARE(browser.sampleModel()->rowCount(), 3);
        QCOMPARE(browser.sampleModel()->ref(0), (app::SampleRef{app::MnistBrowser::TestSource, 3}));
        QCOMPARE(browser.sampleModel()->ref(2), (app::SampleRef{app::MnistBrowser::TestSource, 12}));
        auto* showAll = browser.findChild<QPushButton*>(QStringLiteral("showAll"));
        QVERIFY(showAll && showAll->isVisible());
        // Opening one sample not in the list clears the filter to find it.
        browser.showSample(app::MnistBrowser::TestSource, 20);
        QCOMPARE(browser.sampleModel()->rowCount(), 80);
        QCOMPARE(browser.sampleModel()->ref(browser.gridView()->currentIndex().row()),
                 (app::SampleRef{app::MnistBrowser::TestSource, 20}));
        QVERIFY(!showAll->isVisible());
        browser.showSamples(app::MnistBrowser::TestSource, {4});
        QTest::mouseClick(showAll, Qt::LeftButton);
        QCOMPARE(browser.sampleModel()->rowCount(), 30);  // the whole test set the selection came from
        QVERIFY(!browser.filter().indices);
    }
};

QTEST_MAIN(TestEmbeddingPanel)
#include "test_embedding_panel.moc"
