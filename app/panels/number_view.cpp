#include "number_view.h"

#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

constexpr int kTitleHeight = 44;
constexpr int kChipHeight = 40;
constexpr int kChipWidth = 46;
constexpr int kGap = 4;

QString percent(double p)
{
    const QLocale locale;
    return locale.toString(p * 100.0, 'f', 1) + locale.percent();
}

QString digitText(const nn::NumberDigit& d) { return d.reading.notDigit ? QStringLiteral("?") : QString::number(d.digit); }

}  // namespace

NumberView::NumberView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Number"));
    setToolTip(tr("The drawing read as a number, digit by digit. Point at a digit (here or on the canvas) to see "
                  "its own probabilities; Left and Right move between digits"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    hide();
}

QSize NumberView::sizeHint() const { return {280, kTitleHeight + kChipHeight + 2 * kGap}; }

void NumberView::setReading(const nn::NumberReading& reading)
{
    const int before = shownDigit();
    m_reading = reading;
    if (m_pointed >= int(m_reading.digits.size()))
        m_pointed = -1;
    setVisible(m_reading.digits.size() >= 2);
    // (Qt tells assistive technology when the description changes; the
    // probability bars beside it announce the shown digit at most once a second.)
    if (const QString text = summary(); text != accessibleDescription())
        setAccessibleDescription(text);
    update();
    changed(before);
}

void NumberView::clear() { setReading({}); }

int NumberView::leastCertain(const nn::NumberReading& reading)
{
    int best = -1;
    for (int i = 0; i < int(reading.digits.size()); ++i)
        if (best < 0 || reading.digits[std::size_t(i)].confidence < reading.digits[std::size_t(best)].confidence)
            best = i;
    return best;
}

int NumberView::shownDigit() const { return m_pointed >= 0 ? m_pointed : leastCertain(m_reading); }

void NumberView::setPointed(int index)
{
    if (index < -1 || index >= int(m_reading.digits.size()))
        index = -1;
    if (index == m_pointed)
        return;
    const int before = shownDigit();
    m_pointed = index;
    update();
    changed(before);
}

void NumberView::changed(int before)
{
    if (shownDigit() != before)
        emit shownDigitChanged(shownDigit());
}

QString NumberView::summary() const
{
    if (m_reading.digits.size() < 2)
        return {};
    QStringList parts;
    for (const nn::NumberDigit& d : m_reading.digits)
        parts << QStringLiteral("%1 %2").arg(digitText(d), percent(d.confidence));
    //: %1 the number ("42"), %2 each digit with its probability ("4 99.1%, 2 93.8%")
    return tr("Number %1: %2").arg(QString::fromStdString(m_reading.text), parts.join(tr(", ")));
}

QRect NumberView::chipRect(int index) const
{
    const int n = int(m_reading.digits.size());
    const int w = std::min(kChipWidth, (width() - (n - 1) * kGap) / std::max(1, n));
    return {index * (w + kGap), kTitleHeight + kGap, w, kChipHeight};
}

int NumberView::chipAt(QPoint pos) const
{
    for (int i = 0; i < int(m_reading.digits.size()); ++i)
        if (chipRect(i).contains(pos))
            return i;
    return -1;
}

void NumberView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    p.setFont(big);
    p.setPen(pal.color(QPalette::WindowText));
    const QRect title(0, 0, width(), kTitleHeight);
    const QString number = QString::fromStdString(m_reading.text);
    p.drawText(title, Qt::AlignLeft | Qt::AlignVCenter, number);
    QFont small = font();
    const int numberWidth = QFontMetrics(big).horizontalAdvance(number) + 10;
    p.setFont(small);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(title.adjusted(numberWidth, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
               tr("a number of %n digit(s), %1 sure", nullptr, int(m_reading.digits.size()))
                   .arg(percent(m_reading.confidence)));
    const int shown = shownDigit();
    QFont digitFont = font();
    digitFont.setBold(true);
    for (int i = 0; i < int(m_reading.digits.size()); ++i) {
        const nn::NumberDigit& d = m_reading.digits[std::size_t(i)];
        const QRect r = chipRect(i);
        const bool on = i == shown;
        p.setPen(QPen(on ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), on ? 2.0 : 1.0));
        p.setBrush(on ? pal.color(QPalette::Highlight).lighter(pal.color(QPalette::Window).lightness() > 128 ? 170 : 60)
                      : pal.color(QPalette::Base));
        p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setPen(pal.color(QPalette::Text));
        p.setFont(digitFont);
        p.drawText(r.adjusted(0, 2, 0, -r.height() / 2), Qt::AlignCenter, digitText(d));
        p.setFont(small);
        p.setPen(d.confidence < 0.5f ? pal.color(QPalette::LinkVisited) : pal.color(QPalette::Text));
        // Whole percent, but never "100%" for 99.6% (as the bars' labels).
        const double v = double(d.confidence) * 100.0;
        p.drawText(r.adjusted(0, r.height() / 2, 0, -2), Qt::AlignCenter,
                   (v > 99.0 && v < 100.0 ? QStringLiteral(">99") : QLocale().toString(qint64(std::lround(v)))) +
                       QLocale().percent());
    }
    if (hasFocus() && shown >= 0) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(chipRect(shown).adjusted(-2, -2, 1, 1));
    }
}

void NumberView::mouseMoveEvent(QMouseEvent* event) { setPointed(chipAt(event->position().toPoint())); }

void NumberView::leaveEvent(QEvent*)
{
    if (!hasFocus())
        setPointed(-1);
}

void NumberView::focusOutEvent(QFocusEvent*) { setPointed(-1); }

void NumberView::keyPressEvent(QKeyEvent* event)
{
    const int n = int(m_reading.digits.size());
    if (n == 0) {
        QWidget::keyPressEvent(event);
        return;
    }
    const int at = shownDigit();
    switch (event->key()) {
    case Qt::Key_Left: setPointed(std::max(0, at - 1)); break;
    case Qt::Key_Right: setPointed(std::min(n - 1, at + 1)); break;
    case Qt::Key_Home: setPointed(0); break;
    case Qt::Key_End: setPointed(n - 1); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

}  // namespace app
