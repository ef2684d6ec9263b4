#include "confusion_view.h"

#include "confusion_accessible.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

constexpr double kFloor = 0.001;  // the bottom of the log colour scale: 0.1% of a row

// ColorBrewer "YlGnBu" (Harrower & Brewer 2003): sequential, readable in grey.
QColor ramp(double t)
{
    static const QColor stops[] = {QColor(255, 255, 217), QColor(199, 233, 180), QColor(127, 205, 187),
                                   QColor(65, 182, 196),  QColor(29, 145, 192),  QColor(34, 94, 168),
                                   QColor(12, 44, 132)};
    constexpr int n = int(std::size(stops));
    t = std::clamp(t, 0.0, 1.0) * (n - 1);
    const int i = std::min(n - 2, int(t));
    const double f = t - i;
    const QColor& a = stops[i];
    const QColor& b = stops[i + 1];
    return QColor(int(a.red() + f * (b.red() - a.red()) + 0.5), int(a.green() + f * (b.green() - a.green()) + 0.5),
                  int(a.blue() + f * (b.blue() - a.blue()) + 0.5));
}

double scalePosition(double share)
{
    if (share <= 0)
        return 0.0;
    return std::clamp((std::log10(share) - std::log10(kFloor)) / -std::log10(kFloor), 0.0, 1.0);
}

}  // namespace

ConfusionView::ConfusionView(QWidget* parent) : QWidget(parent)
{
    installConfusionAccessibility();
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleDescription(tr("Rows are true labels, columns predicted labels. Arrow keys move between cells; "
                                "Enter shows the images of a cell."));
}

QString ConfusionView::rowHeaderText(int t) { return tr("true %1").arg(t); }
QString ConfusionView::columnHeaderText(int p) { return tr("predicted %1").arg(p); }

QString ConfusionView::cellAccessibleText(int t, int p) const
{
    if (m_total == 0 || t < 0 || p < 0 || t >= nn::kClasses || p >= nn::kClasses)
        return {};
    const QString shown = cellText(t, p);
    return shown.isEmpty() ? QStringLiteral("0") : shown;
}

QString ConfusionView::cellDescription(int t, int p) const
{
    if (m_total == 0 || t < 0 || p < 0 || t >= nn::kClasses || p >= nn::kClasses)
        return {};
    const int count = m_m[std::size_t(t)][std::size_t(p)];
    const QLocale locale;
    const QString share = locale.toString(100.0 * rowShare(t, p), 'f', 1) + locale.percent();
    //: %1 true label, %2 predicted label, %n images in the cell, %3 their share of all images of true label %1
    return tr("True %1, predicted %2: %n image(s), %3 of the %1s", nullptr, count).arg(t).arg(p).arg(share);
}

void ConfusionView::setCurrentCell(int t, int p)
{
    t = std::clamp(t, 0, nn::kClasses - 1);
    p = std::clamp(p, 0, nn::kClasses - 1);
    if (t == m_curTrue && p == m_curPred)
        return;
    m_curTrue = t;
    m_curPred = p;
    update();
    if (hasFocus())
        notifyConfusionFocus(this, t, p);
}

void ConfusionView::activateCell(int t, int p)
{
    if (m_total == 0 || t < 0 || p < 0 || t >= nn::kClasses || p >= nn::kClasses)
        return;
    setCurrentCell(t, p);
    setSelectedCell(t, p);
    emit cellClicked(t, p);
}

QColor ConfusionView::colorFor(double rowShare)
{
    if (rowShare <= 0)
        return QColor(250, 250, 250);
    // Every non-empty cell gets at least a visible tint.
    return ramp(0.06 + 0.94 * scalePosition(rowShare));
}

QString ConfusionView::cellText(int t, int p, bool narrow) const
{
    const int count = m_m[std::size_t(t)][std::size_t(p)];
    if (m_total == 0 || count == 0)
        return {};
    if (!m_normalized)
        return QString::number(count);
    const int row = m_rowSum[std::size_t(t)];
    const double pct = 100.0 * rowShare(t, p);
    const QString sign = narrow ? QString() : QStringLiteral("%");
    if (count == row)
        return QStringLiteral("100") + sign;
    // Rounding must not make a row with errors look perfect, or a real
    // confusion look like none.
    int decimals = narrow || pct >= 9.95 ? 0 : 1;
    QString text = QString::number(pct, 'f', decimals);
    if (text.startsWith(QLatin1String("100"))) {
        text = QString::number(pct, 'f', 1);
        if (text.startsWith(QLatin1String("100")))
            return QStringLiteral(">99.9") + sign;
    }
    if (text.toDouble() == 0.0)
        return QStringLiteral("<0.1") + sign;
    return text + sign;
}

void ConfusionView::setConfusion(const Matrix& m)
{
    const bool had = m_total > 0;
    m_m = m;
    m_total = 0;
    for (int t = 0; t < nn::kClasses; ++t) {
        m_rowSum[std::size_t(t)] = 0;
        for (int p = 0; p < nn::kClasses; ++p)
            m_rowSum[std::size_t(t)] += m[std::size_t(t)][std::size_t(p)];
        m_total += m_rowSum[std::size_t(t)];
    }
    update();
    if (had != (m_total > 0))
        notifyConfusionReset(this);
}

void ConfusionView::clear()
{
    setConfusion(Matrix{});
    setSelectedCell(-1, -1);
}

void ConfusionView::setNormalized(bool rowPercentages)
{
    m_normalized = rowPercentages;
    update();
}

void ConfusionView::setSelectedCell(int trueLabel, int predicted)
{
    if (trueLabel == m_selTrue && predicted == m_selPred)
        return;
    m_selTrue = trueLabel;
    m_selPred = predicted;
    if (trueLabel >= 0 && predicted >= 0)
        setCurrentCell(trueLabel, predicted);  // the keyboard carries on from the opened cell
    update();
    notifyConfusionSelection(this, trueLabel, predicted);
}

double ConfusionView::rowShare(int t, int p) const
{
    const int row = m_rowSum[std::size_t(t)];
    return row > 0 ? double(m_m[std::size_t(t)][std::size_t(p)]) / row : 0.0;
}

ConfusionView::Geometry ConfusionView::geometry() const
{
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const int left = 2 * line + 8;    // vertical title + row labels
    const int top = 2 * line + 8;     // title + column labels
    const int legendW = fm.horizontalAdvance(QStringLiteral("100%")) + 36;
    const int availW = width() - left - legendW - 8;
    const int availH = height() - top - 8;
    Geometry g;
    g.cell = std::max(0, std::min(availW, availH) / nn::kClasses);
    g.grid = QRect(left, top, g.cell * nn::kClasses, g.cell * nn::kClasses);
    g.legend = QRect(g.grid.right() + 18, g.grid.top(), 14, g.grid.height());
    return g;
}

QRect ConfusionView::cellRect(int t, int p) const
{
    const Geometry g = geometry();
    if (g.cell <= 0 || t < 0 || p < 0 || t >= nn::kClasses || p >= nn::kClasses)
        return {};
    return QRect(g.grid.left() + p * g.cell, g.grid.top() + t * g.cell, g.cell, g.cell);
}

bool ConfusionView::cellAt(QPoint pos, int* trueLabel, int* predicted) const
{
    const Geometry g = geometry();
    if (g.cell <= 0 || !g.grid.contains(pos))
        return false;
    const int p = std::min(nn::kClasses - 1, (pos.x() - g.grid.left()) / g.cell);
    const int t = std::min(nn::kClasses - 1, (pos.y() - g.grid.top()) / g.cell);
    if (trueLabel)
        *trueLabel = t;
    if (predicted)
        *predicted = p;
    return true;
}

void ConfusionView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    const Geometry g = geometry();
    if (g.cell <= 0)
        return;
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);

    // Titles and axis labels.
    painter.setPen(text);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(g.grid.left(), 2, g.grid.width(), fm.height()), Qt::AlignCenter, tr("Predicted label"));
    painter.save();
    painter.translate(2 + fm.height() / 2.0, g.grid.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-g.grid.height() / 2, -fm.height() / 2, g.grid.height(), fm.height()), Qt::AlignCenter,
                     tr("True label"));
    painter.restore();
    painter.setFont(font());
    for (int k = 0; k < nn::kClasses; ++k) {
        painter.drawText(QRect(g.grid.left() + k * g.cell, g.grid.top() - fm.height() - 4, g.cell, fm.height()),
                         Qt::AlignCenter, QString::number(k));
        painter.drawText(QRect(fm.height() + 4, g.grid.top() + k * g.cell, fm.height(), g.cell), Qt::AlignCenter,
                         QString::number(k));
    }

    // Cells.
    QFont cellFont = font();
    cellFont.setPixelSize(std::clamp(g.cell / 3, 7, 14));
    painter.setFont(cellFont);
    const QFontMetrics cfm(cellFont);
    for (int t = 0; t < nn::kClasses; ++t)
        for (int p = 0; p < nn::kClasses; ++p) {
            const QRect r = cellRect(t, p);
            const double share = rowShare(t, p);
            const int count = m_m[std::size_t(t)][std::size_t(p)];
            // An empty cell is the background, so a dark theme gets no bright block.
            const QColor c = m_total > 0 && count > 0 ? colorFor(share) : palette().color(QPalette::Base);
            painter.fillRect(r, c);
            if (m_total == 0 || count == 0)
                continue;
            QString label = cellText(t, p);
            if (cfm.horizontalAdvance(label) > r.width() - 2 && m_normalized)
                label = cellText(t, p, true);
            painter.setPen(scalePosition(share) > 0.55 ? Qt::white : QColor(30, 30, 30));
            painter.drawText(r, Qt::AlignCenter, label);
        }
    // Grid lines and the diagonal's outline.
    painter.setPen(QColor(255, 255, 255, 160));
    for (int k = 1; k < nn::kClasses; ++k) {
        painter.drawLine(g.grid.left() + k * g.cell, g.grid.top(), g.grid.left() + k * g.cell, g.grid.bottom());
        painter.drawLine(g.grid.left(), g.grid.top() + k * g.cell, g.grid.right(), g.grid.top() + k * g.cell);
    }
    painter.setPen(QColor(120, 120, 120));
    painter.drawRect(g.grid.adjusted(0, 0, -1, -1));
    if (m_hoverTrue >= 0) {
        painter.setPen(QPen(QColor(255, 170, 0), 1));
        painter.drawRect(cellRect(m_hoverTrue, m_hoverPred).adjusted(0, 0, -1, -1));
    }
    if (m_selTrue >= 0 && m_selPred >= 0) {
        painter.setPen(QPen(QColor(230, 60, 30), 3));
        painter.drawRect(cellRect(m_selTrue, m_selPred).adjusted(1, 1, -2, -2));
    }
    if (hasFocus() && m_keyboard && m_total > 0) {
        // The keyboard's cell: the palette's highlight, with a line of its
        // highlighted-text colour inside so it reads on any cell colour, in
        // a light or a dark theme, and apart from the opened cell's red.
        const QRect r = cellRect(m_curTrue, m_curPred);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.drawRect(r.adjusted(-1, -1, 0, 0));
        painter.setPen(QPen(palette().color(QPalette::HighlightedText), 1, Qt::DashLine));
        painter.drawRect(r.adjusted(2, 2, -3, -3));
    }

    // Colour scale: 0.1% .. 100% of the row, log scale.
    painter.setFont(font());
    for (int y = 0; y < g.legend.height(); ++y) {
        const double pos = 1.0 - double(y) / std::max(1, g.legend.height() - 1);
        const double share = std::pow(10.0, std::log10(kFloor) * (1.0 - pos));
        painter.setPen(colorFor(share));
        painter.drawLine(g.legend.left(), g.legend.top() + y, g.legend.right(), g.legend.top() + y);
    }
    painter.setPen(QColor(120, 120, 120));
    painter.drawRect(g.legend.adjusted(0, 0, -1, -1));
    painter.setPen(text);
    for (double share : {0.001, 0.01, 0.1, 1.0}) {
        const int y = g.legend.bottom() - int(scalePosition(share) * (g.legend.height() - 1));
        painter.drawLine(g.legend.right(), y, g.legend.right() + 4, y);
        const QString s = share >= 0.01 ? QString::number(100.0 * share, 'f', 0) + QLatin1Char('%')
                                        : QString::number(100.0 * share, 'f', 1) + QLatin1Char('%');
        painter.drawText(QRect(g.legend.right() + 6, y - fm.height() / 2, width(), fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, s);
    }
    painter.save();
    painter.translate(g.legend.left() - 4, g.legend.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-g.legend.height() / 2, -fm.height(), g.legend.height(), fm.height()), Qt::AlignCenter,
                     tr("share of the true label's row"));
    painter.restore();
}

void ConfusionView::mousePressEvent(QMouseEvent* e)
{
    m_pressTrue = m_pressPred = -1;
    m_keyboard = false;
    if (e->button() == Qt::LeftButton && m_total > 0)
        cellAt(e->position().toPoint(), &m_pressTrue, &m_pressPred);
}

void ConfusionView::mouseReleaseEvent(QMouseEvent* e)
{
    int t = -1, p = -1;
    if (e->button() == Qt::LeftButton && m_pressTrue >= 0 && cellAt(e->position().toPoint(), &t, &p) &&
        t == m_pressTrue && p == m_pressPred)
        activateCell(t, p);
    m_pressTrue = m_pressPred = -1;
}

void ConfusionView::mouseMoveEvent(QMouseEvent* e)
{
    int t = -1, p = -1;
    if (!cellAt(e->position().toPoint(), &t, &p))
        t = p = -1;
    if (t != m_hoverTrue || p != m_hoverPred) {
        m_hoverTrue = t;
        m_hoverPred = p;
        setCursor(t >= 0 && m_total > 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void ConfusionView::leaveEvent(QEvent*)
{
    m_hoverTrue = m_hoverPred = -1;
    update();
}

bool ConfusionView::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        int t = -1, p = -1;
        if (m_total > 0 && cellAt(he->pos(), &t, &p)) {
            // The screen reader's description of the cell, and what a click does.
            QToolTip::showText(he->globalPos(), cellDescription(t, p) + QLatin1Char('\n') + tr("Click to see them"),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

void ConfusionView::keyPressEvent(QKeyEvent* e)
{
    int t = m_curTrue, p = m_curPred;
    m_keyboard = true;
    update();
    const bool ctrl = e->modifiers() & Qt::ControlModifier;
    switch (e->key()) {
    case Qt::Key_Left: --p; break;
    case Qt::Key_Right: ++p; break;
    case Qt::Key_Up: --t; break;
    case Qt::Key_Down: ++t; break;
    case Qt::Key_Home:
        p = 0;
        if (ctrl)
            t = 0;
        break;
    case Qt::Key_End:
        p = nn::kClasses - 1;
        if (ctrl)
            t = nn::kClasses - 1;
        break;
    case Qt::Key_PageUp: t = 0; break;
    case Qt::Key_PageDown: t = nn::kClasses - 1; break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_total == 0)
            break;
        activateCell(m_curTrue, m_curPred);
        return;
    default: QWidget::keyPressEvent(e); return;
    }
    setCurrentCell(t, p);
}

void ConfusionView::focusInEvent(QFocusEvent* e)
{
    QWidget::focusInEvent(e);
    m_keyboard = e->reason() != Qt::MouseFocusReason;
    update();
    // The cell, after the widget's own Focus event (which QWidget sends once
    // this handler has run): a screen reader reads the cell, not just the table.
    QTimer::singleShot(0, this, [this] {
        if (hasFocus())
            notifyConfusionFocus(this, m_curTrue, m_curPred);
    });
}

void ConfusionView::focusOutEvent(QFocusEvent* e)
{
    QWidget::focusOutEvent(e);
    update();
}

QImage ConfusionView::renderImage(QSize size, qreal dpr) const
{
    // A detached copy: resizing the live widget would fight its layout.
    ConfusionView copy;
    copy.setFont(font());
    copy.setPalette(palette());
    copy.setConfusion(m_m);
    copy.setNormalized(m_normalized);
    copy.setSelectedCell(m_selTrue, m_selPred);
    copy.resize(size.isValid() ? size : this->size());
    copy.ensurePolished();
    QImage img(copy.size() * dpr, QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(dpr);
    img.fill(palette().color(QPalette::Window));
    copy.render(&img);
    return img;
}

}  // namespace app
