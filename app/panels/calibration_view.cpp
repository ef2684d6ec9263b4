#include "calibration_view.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <functional>
#include <cmath>

namespace app {

CalibrationView::CalibrationView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QString CalibrationView::title() const
{
    if (!m_valid)
        return tr("Reliability (evaluate to see it)");
    QString t = tr("Reliability   ECE %1%   MCE %2%").arg(100.0 * m_cal.ece, 0, 'f', 2).arg(100.0 * m_cal.mce, 0, 'f', 1);
    if (m_scaledValid)
        t += tr("   at T %1: ECE %2%").arg(m_temperature, 0, 'f', 2).arg(100.0 * m_scaled.ece, 0, 'f', 2);
    return t;
}

void CalibrationView::setScaled(const nn::Calibration& scaled, double temperature)
{
    m_scaled = scaled;
    m_temperature = temperature;
    m_scaledValid = scaled.total > 0;
    update();
}

void CalibrationView::clearScaled()
{
    m_scaledValid = false;
    update();
}

void CalibrationView::setCalibration(const nn::Calibration& c)
{
    m_cal = c;
    m_valid = c.total > 0;
    update();
}

void CalibrationView::clear()
{
    m_cal = {};
    m_valid = false;
    update();
}

void CalibrationView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);
    const int line = fm.height();
    const int left = fm.horizontalAdvance(QStringLiteral("100%")) + line + 10;
    const int histH = std::max(24, height() / 7);
    const int top = line + 10;
    const int bottom = line * 2 + histH + 14;
    const int side = std::max(10, std::min(width() - left - 12, height() - top - bottom));
    const QRect plot(left, top, side, side);
    const QRect hist(left, plot.bottom() + 6, side, histH);

    p.setPen(text);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(0, 2, width(), line), Qt::AlignHCenter, title());
    p.setFont(font());

    p.fillRect(plot, palette().color(QPalette::Base));
    p.setPen(QColor(200, 200, 200));
    for (int k = 1; k < 5; ++k) {
        const int x = plot.left() + k * plot.width() / 5, y = plot.bottom() - k * plot.height() / 5;
        p.drawLine(x, plot.top(), x, plot.bottom());
        p.drawLine(plot.left(), y, plot.right(), y);
    }
    p.setPen(text);
    for (int k = 0; k <= 5; ++k) {
        const QString s = QString::number(k * 20) + QLatin1Char('%');
        const int x = plot.left() + k * plot.width() / 5, y = plot.bottom() - k * plot.height() / 5;
        p.drawText(QRect(0, y - line / 2, left - 4, line), Qt::AlignRight | Qt::AlignVCenter, s);
        p.drawText(QRect(x - 30, hist.bottom() + 2, 60, line), Qt::AlignCenter, s);
    }
    p.drawText(QRect(plot.left(), hist.bottom() + 2 + line, plot.width(), line), Qt::AlignCenter,
               tr("Confidence (probability of the predicted class)"));
    p.save();
    p.translate(line / 2 + 2, plot.center().y());
    p.rotate(-90);
    p.drawText(QRect(-plot.height() / 2, -line / 2, plot.height(), line), Qt::AlignCenter, tr("Accuracy"));
    p.restore();

    auto X = [&](double v) { return plot.left() + v * plot.width(); };
    auto Y = [&](double v) { return plot.bottom() + 1 - v * plot.height(); };
    if (m_valid) {
        int maxCount = 1;
        for (const nn::ReliabilityBin& b : m_cal.bins)
            maxCount = std::max(maxCount, b.count);
        for (const nn::ReliabilityBin& b : m_cal.bins) {
            if (b.count == 0)
                continue;
            const QRectF bar(QPointF(X(b.lower) + 1, Y(b.accuracy)), QPointF(X(b.upper) - 1, Y(0)));
            p.fillRect(bar, QColor(52, 110, 190));
            // The gap to perfect calibration at the bin's own mean confidence.
            const double lo = std::min(b.accuracy, b.meanConfidence), hi = std::max(b.accuracy, b.meanConfidence);
            p.fillRect(QRectF(QPointF(X(b.lower) + 1, Y(hi)), QPointF(X(b.upper) - 1, Y(lo))),
                       QColor(220, 60, 50, 110));
            const double h = std::log10(1.0 + b.count) / std::log10(1.0 + maxCount);
            p.fillRect(QRectF(QPointF(X(b.lower) + 1, hist.bottom() + 1 - h * hist.height()),
                              QPointF(X(b.upper) - 1, hist.bottom() + 1)),
                       QColor(130, 130, 130));
        }
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(text, 1.5, Qt::DashLine));
    p.drawLine(QPointF(X(0), Y(0)), QPointF(X(1), Y(1)));
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QColor(120, 120, 120));
    p.drawRect(plot.adjusted(0, 0, -1, -1));
    p.drawRect(hist.adjusted(0, 0, -1, -1));
    p.setPen(text);
    p.drawText(hist.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignTop, tr("samples per bin (log)"));

    // Legend: every colour the chart uses, each swatch painted the way the
    // chart paints it. The gap drawn inside a bar (accuracy above
    // confidence) blends red over blue, a colour of its own.
    const int lx = plot.left() + 8, ly = plot.top() + 8;
    const QColor bar(52, 110, 190), gap(220, 60, 50, 110);
    const auto entry = [&](int row, const QString& label, const std::function<void(const QRect&)>& swatch) {
        const QRect r(lx, ly + row * (line + 2), 12, 10);
        swatch(r);
        p.setPen(text);
        p.drawText(QPoint(lx + 16, r.top() + 10), label);
    };
    entry(0, tr("accuracy"), [&](const QRect& r) { p.fillRect(r, bar); });
    entry(1, tr("gap: over-confident"), [&](const QRect& r) {
        p.fillRect(r, palette().color(QPalette::Base));
        p.fillRect(r, gap);
    });
    entry(2, tr("gap: under-confident"), [&](const QRect& r) {
        p.fillRect(r, bar);
        p.fillRect(r, gap);
    });
    entry(3, tr("perfect calibration"), [&](const QRect& r) {
        p.setPen(QPen(text, 1.5, Qt::DashLine));
        p.drawLine(r.left(), r.center().y(), r.right(), r.center().y());
    });
    entry(4, tr("samples per bin"), [&](const QRect& r) { p.fillRect(r, QColor(130, 130, 130)); });
}

}  // namespace app
