#include "theme.h"

#include "common/settings.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>
#include <QPointer>
#include <QStyle>
#include <QStyleFactory>

namespace app {

namespace {

struct SystemLook {
    bool recorded = false;
    QString style;
    QPalette palette;
};

SystemLook& systemLook()
{
    static SystemLook look;
    return look;
}

Theme& current()
{
    static Theme theme = Theme::System;
    return theme;
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QPalette darkPalette()
{
    // Greys with enough contrast for text (WCAG AA: #e6e6e6 on #2b2b2b is
    // 11.6:1, on the base #1f1f1f 13.9:1), a blue highlight, dimmed
    // disabled text.
    QPalette p;
    const QColor window(43, 43, 43), base(31, 31, 31), text(230, 230, 230), disabled(128, 128, 128);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(48, 48, 48));
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 60));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(53, 53, 53));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 110, 110));
    p.setColor(QPalette::Light, QColor(80, 80, 80));
    p.setColor(QPalette::Midlight, QColor(66, 66, 66));
    p.setColor(QPalette::Mid, QColor(90, 90, 90));
    p.setColor(QPalette::Dark, QColor(30, 30, 30));
    p.setColor(QPalette::Shadow, QColor(15, 15, 15));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, QColor(255, 255, 255));
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    p.setColor(QPalette::LinkVisited, QColor(190, 140, 255));
    for (QPalette::ColorRole r : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, r, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(80, 80, 80));
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabled);
    return p;
}

// A key for "styled from this palette"; the chart and each axis carry the
// key they were styled with, so a new axis (views rebuild theirs, and a new
// axis may reuse a deleted one's address) is seen unstyled.
QString paletteKey(const QPalette& palette)
{
    return QStringLiteral("%1/%2").arg(palette.color(QPalette::Base).rgba()).arg(palette.color(QPalette::Text).rgba());
}

constexpr char kStampProperty[] = "digitpadThemeStamp";

bool needsStyle(QChart* chart, const QPalette& palette)
{
    const QString key = paletteKey(palette);
    if (chart->property(kStampProperty).toString() != key)
        return true;
    for (const QAbstractAxis* axis : chart->axes())
        if (axis->property(kStampProperty).toString() != key)
            return true;
    return false;
}

}  // namespace

QString themeKey(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Theme themeFromKey(const QString& key)
{
    if (key == QLatin1String("light"))
        return Theme::Light;
    if (key == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightnessF() < 0.5; }

QPalette themePalette(Theme theme)
{
    switch (theme) {
    case Theme::Dark: return darkPalette();
    case Theme::Light: {
        QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
        const QPalette p = fusion ? fusion->standardPalette() : QPalette();
        delete fusion;
        return p;
    }
    case Theme::System: break;
    }
    SystemLook& look = systemLook();
    return look.recorded ? look.palette : QApplication::palette();
}

void applyTheme(Theme theme)
{
    SystemLook& look = systemLook();
    if (!look.recorded) {
        look.recorded = true;
        look.style = QApplication::style() ? QApplication::style()->name() : QString();
        look.palette = QApplication::palette();
    }
    current() = theme;
    if (theme == Theme::System) {
        if (!look.style.isEmpty())
            QApplication::setStyle(look.style);
        QApplication::setPalette(look.palette);
    } else {
        // Fusion draws every control from the palette (the platform styles
        // may not), so light and dark look alike everywhere.
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(themePalette(theme));
    }
}

Theme currentTheme() { return current(); }

Theme storedTheme() { return themeFromKey(Settings().value(keys::kTheme).toString()); }

void storeTheme(Theme theme)
{
    Settings s;
    if (theme == Theme::System)
        s.remove(keys::kTheme);
    else
        s.setValue(keys::kTheme, themeKey(theme));
}

void styleChart(QChart* chart, const QPalette& palette)
{
    if (!chart)
        return;
    const QColor base = palette.color(QPalette::Base), text = palette.color(QPalette::Text);
    chart->setBackgroundBrush(base);
    chart->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(mix(base, text, 0.45));
        axis->setGridLineColor(mix(base, text, 0.18));
        axis->setMinorGridLineColor(mix(base, text, 0.09));
        axis->setProperty(kStampProperty, paletteKey(palette));
    }
    chart->setProperty(kStampProperty, paletteKey(palette));
}

void ChartStyler::install()
{
    static QPointer<ChartStyler> installed;
    if (installed || !qApp)
        return;
    installed = new ChartStyler(qApp);
    qApp->installEventFilter(installed);
}

bool ChartStyler::eventFilter(QObject* watched, QEvent* event)
{
    // A chart view's viewport about to paint: restyle its chart if the
    // palette or its axes changed since it was last styled (styling asks for
    // one more paint, after which the stamp matches).
    if (event->type() == QEvent::Paint) {
        if (auto* view = qobject_cast<QChartView*>(watched->parent()); view && view->viewport() == watched) {
            QChart* chart = view->chart();
            const QPalette palette = view->palette();
            if (chart && needsStyle(chart, palette))
                styleChart(chart, palette);
        }
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace app
