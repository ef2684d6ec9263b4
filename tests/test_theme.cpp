// The colour theme (issue 19): View > Theme switches the whole window to
// Light or Dark at once and back to the system's look, keeps the choice, and
// charts (which Qt Charts colour on their own) follow the palette while
// their series keep their colours.
#include "common/settings.h"
#include "main_window.h"
#include "panels/confusion_view.h"
#include "panels/probability_view.h"
#include "panels/theme.h"
#include "panels/training_panel.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QMenu>
#include <QMenuBar>
#include <QStandardPaths>
#include <QStyle>
#include <QTest>
#include <QValueAxis>

using namespace app;

namespace {

QAction* themeAction(MainWindow& w, const QString& key)
{
    return w.findChild<QAction*>(QStringLiteral("theme.") + key);
}

// The colour a chart view shows just inside its plot area's top-left corner
// (the chart's background: the plot area draws none).
QColor plotCorner(QChartView* view)
{
    const QImage shot = view->grab().toImage();
    const QPoint p = view->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea().topLeft() + QPointF(4, 4)));
    return QColor(shot.pixel(int(p.x() * shot.devicePixelRatio()), int(p.y() * shot.devicePixelRatio())));
}

int distance(const QColor& a, const QColor& b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

}  // namespace

class TestTheme : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        Settings().remove(keys::kTheme);
    }
    void cleanup() { applyTheme(Theme::System); }

    void keysRoundTrip()
    {
        for (Theme t : {Theme::System, Theme::Light, Theme::Dark})
            QCOMPARE(themeFromKey(themeKey(t)), t);
        QCOMPARE(themeKey(Theme::Dark), QStringLiteral("dark"));
        QCOMPARE(themeFromKey(QStringLiteral("purple")), Theme::System);
        QCOMPARE(themeFromKey(QString()), Theme::System);
    }

    void palettesAreReadable()
    {
        const QPalette dark = themePalette(Theme::Dark), light = themePalette(Theme::Light);
        QVERIFY(isDark(dark));
        QVERIFY(!isDark(light));
        // Text against its background: WCAG contrast of at least 7:1 in both.
        auto luminance = [](const QColor& c) {
            auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
        };
        auto contrast = [&](const QColor& a, const QColor& b) {
            const double la = luminance(a), lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        for (const QPalette& p : {dark, light}) {
            QVERIFY2(contrast(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7.0, qPrintable(p.color(QPalette::Base).name()));
            QVERIFY2(contrast(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 7.0,
                     qPrintable(p.color(QPalette::Window).name()));
            QVERIFY(contrast(p.color(QPalette::ButtonText), p.color(QPalette::Button)) >= 7.0);
        }
        // Disabled text is dimmer than enabled text in the dark palette.
        QVERIFY(dark.color(QPalette::Disabled, QPalette::Text).lightness() < dark.color(QPalette::Text).lightness());
    }

    void applyingAndGoingBack()
    {
        const QPalette before = QApplication::palette();
        const QString styleBefore = QApplication::style()->name();
        applyTheme(Theme::Dark);
        QCOMPARE(currentTheme(), Theme::Dark);
        QVERIFY(isDark(QApplication::palette()));
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        applyTheme(Theme::Light);
        QVERIFY(!isDark(QApplication::palette()));
        applyTheme(Theme::System);
        QCOMPARE(currentTheme(), Theme::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
        QCOMPARE(QApplication::palette().color(QPalette::Text), before.color(QPalette::Text));
        QCOMPARE(QApplication::style()->name(), styleBefore);
    }

    void chartsFollowThePaletteAndKeepTheirSeries()
    {
        ChartStyler::install();
        auto* chart = new QChart;
        auto* series = new QLineSeries;
        series->append({{0, 0}, {1, 1}, {2, 0.5}});
        series->setPen(QPen(QColor(213, 94, 0), 2));
        chart->addSeries(series);
        QChartView view(chart);
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // An axis added after the chart was first shown is styled too.
        auto* x = new QValueAxis;
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        applyTheme(Theme::Dark);
        const QPalette dark = QApplication::palette();
        QTRY_COMPARE(chart->backgroundBrush().color(), dark.color(QPalette::Base));
        QTRY_COMPARE(x->labelsColor(), dark.color(QPalette::Text));
        QCOMPARE(chart->titleBrush().color(), dark.color(QPalette::Text));
        QCOMPARE(chart->legend()->labelColor(), dark.color(QPalette::Text));
        QCOMPARE(series->pen().color(), QColor(213, 94, 0));  // the series' own colour stays
        QVERIFY2(distance(plotCorner(&view), dark.color(QPalette::Base)) < 12, qPrintable(plotCorner(&view).name()));
        auto* y = new QValueAxis;
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        QTRY_COMPARE(y->labelsColor(), dark.color(QPalette::Text));
        // An axis replaced by a new one (as the health view rebuilds its log axis).
        chart->removeAxis(y);
        delete y;
        auto* y2 = new QValueAxis;
        chart->addAxis(y2, Qt::AlignLeft);
        series->attachAxis(y2);
        QTRY_COMPARE(y2->labelsColor(), dark.color(QPalette::Text));
        y = y2;
        applyTheme(Theme::Light);
        QTRY_COMPARE(chart->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
        QTRY_COMPARE(y->labelsColor(), QApplication::palette().color(QPalette::Text));
        QVERIFY(!isDark(QApplication::palette()));
    }

    void emptyConfusionCellsAreTheBackground()
    {
        // A matrix with empty cells: they are the base colour in both themes
        // (they were a near-white block on the dark theme).
        ConfusionView view;
        view.resize(500, 460);
        ConfusionView::Matrix m{};
        for (int k = 0; k < 10; ++k)
            m[std::size_t(k)][std::size_t(k)] = 100;
        m[5][3] = 4;
        view.setConfusion(m);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (Theme t : {Theme::Dark, Theme::Light}) {
            applyTheme(t);
            QTRY_COMPARE(view.palette().color(QPalette::Base), QApplication::palette().color(QPalette::Base));
            const QImage shot = view.grab().toImage();
            const qreal dpr = shot.devicePixelRatio();
            const QPoint empty = view.cellRect(0, 9).center(), full = view.cellRect(5, 3).center() + QPoint(0, view.cellRect(5, 3).height() / 3);
            const QColor e(shot.pixel(int(empty.x() * dpr), int(empty.y() * dpr)));
            QVERIFY2(distance(e, QApplication::palette().color(QPalette::Base)) < 6, qPrintable(themeKey(t) + " " + e.name()));
            const QColor f(shot.pixel(int(full.x() * dpr), int(full.y() * dpr)));
            QVERIFY2(distance(f, ConfusionView::colorFor(4.0 / 104.0)) < 12, qPrintable(themeKey(t) + " " + f.name()));
        }
    }

    void viewMenuSwitchesTheWindowAndRemembers()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QAction* dark = themeAction(w, QStringLiteral("dark"));
        QAction* system = themeAction(w, QStringLiteral("system"));
        QVERIFY(dark && system && themeAction(w, QStringLiteral("light")));
        QVERIFY(system->isChecked());
        dark->trigger();
        QCOMPARE(currentTheme(), Theme::Dark);
        QCOMPARE(Settings().value(keys::kTheme).toString(), QStringLiteral("dark"));
        QCOMPARE(storedTheme(), Theme::Dark);
        QVERIFY(dark->isChecked());
        // The pad's probability panel paints the dark base.
        ProbabilityView* probs = w.findChild<ProbabilityView*>();
        QVERIFY(probs);
        const QPalette pal = QApplication::palette();
        QTRY_VERIFY(probs->palette().color(QPalette::Base) == pal.color(QPalette::Base));
        const QImage shot = probs->grab().toImage();
        QVERIFY2(distance(QColor(shot.pixel(3, 3)), pal.color(QPalette::Base)) < 12, qPrintable(QColor(shot.pixel(3, 3)).name()));
        // The Train page's charts too.
        w.showPage(w.trainingPanel());
        QChartView* chartView = nullptr;
        for (QChartView* v : w.trainingPanel()->findChildren<QChartView*>())
            if (v->isVisible())
                chartView = v;
        QVERIFY(chartView);
        QTRY_COMPARE(chartView->chart()->backgroundBrush().color(), pal.color(QPalette::Base));
        QVERIFY2(distance(plotCorner(chartView), pal.color(QPalette::Base)) < 12, qPrintable(plotCorner(chartView).name()));
        // Back to the system's look; the setting goes.
        system->trigger();
        QCOMPARE(currentTheme(), Theme::System);
        QVERIFY(!Settings().contains(keys::kTheme));
        QVERIFY(!isDark(QApplication::palette()));
        QTRY_COMPARE(chartView->chart()->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
    }
};

QTEST_MAIN(TestTheme)
#include "test_theme.moc"
