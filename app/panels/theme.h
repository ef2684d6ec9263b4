#pragma once
// The colour theme (issue 19): System (the platform's style and palette, as
// DigitPad started), Light or Dark (Fusion with a palette of our own).
// Chosen in View > Theme, kept in the settings and applied live.
//
// Everything DigitPad paints takes its colours from the palette. Qt Charts
// do not: a chart draws with its own theme. ChartStyler restyles every chart
// from the palette (background, title, legend, axes, grid), keeping the
// series' own colours, whenever the palette changes or a chart gains axes.
#include <QObject>
#include <QPalette>
#include <QString>

class QChart;

namespace app {

enum class Theme { System, Light, Dark };

// "system", "light", "dark"; anything else reads as System.
QString themeKey(Theme theme);
Theme themeFromKey(const QString& key);

// The palette of Light or Dark (System: the one the application started with).
QPalette themePalette(Theme theme);
// Whether a palette is dark: its window colour is darker than mid grey.
bool isDark(const QPalette& palette);

// Applies a theme to the application (style and palette). The first call
// records the system's style and palette, so System can go back to them.
void applyTheme(Theme theme);
Theme currentTheme();
// The theme in the settings (keys::kTheme), and storing one.
Theme storedTheme();
void storeTheme(Theme theme);

// Colours a chart's background, title, legend and axes from a palette.
void styleChart(QChart* chart, const QPalette& palette);

// Restyles every chart from the application palette: installed once on the
// application, it watches chart views being painted and restyles a chart
// when the palette or its set of axes has changed since it was last styled.
class ChartStyler : public QObject {
public:
    explicit ChartStyler(QObject* parent = nullptr) : QObject(parent) {}
    static void install();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace app
