#include "probability_view.h"

#include <QAccessible>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

QString percent(float p, int decimals)
{
    const QLocale locale;  // the GUI's language (installLanguage sets the default)
    return locale.toString(double(p) * 100.0, 'f', decimals) + locale.percent();
}

// Bar labels (bars of 1% and more): whole percent, but never "100" for 99.6%.
QString shortPercent(float p)
{
    const double v = double(p) * 100.0;
    if (v > 99.0 && v < 100.0)
        return QStringLiteral(">99");
    return QLocale().toString(qint64(std::lround(v)));
}

}  // namespace

ProbabilityView::ProbabilityView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    setAccessibleName(tr("Class probabilities"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_announce.setSingleShot(true);
    connect(&m_announce, &QTimer::timeout, this, &ProbabilityView::announce);
    refreshAccessibility();
}

void ProbabilityView::setEmpty()
{
    m_state = State::Empty;
    m_probs.fill(0.0f);
    m_top = m_second = -1;
    refreshAccessibility();
    update();
}

void ProbabilityView::setNoModel()
{
    m_state = State::NoModel;
    m_probs.fill(0.0f);
    m_top = m_second = -1;
    refreshAccessibility();
    update();
}

void ProbabilityView::setNotFinite()
{
    m_state = State::NotFinite;
    m_probs.fill(0.0f);
    m_top = m_second = -1;
    refreshAccessibility();
    update();
}

void ProbabilityView::setProbabilities(const std::array<float, 10>& probabilities)
{
    if (!std::all_of(probabilities.begin(), probabilities.end(), [](float v) { return std::isfinite(v); })) {
        setNotFinite();  // "0 nan% confident" is no answer
        return;
    }
    takeProbabilities(probabilities);
    m_state = m_probs[std::size_t(m_top)] < kUnsureBelow ? State::Unsure : State::Confident;
    refreshAccessibility();
    update();
}

void ProbabilityView::setNotADigit(const std::array<float, 10>& probabilities)
{
    if (!std::all_of(probabilities.begin(), probabilities.end(), [](float v) { return std::isfinite(v); })) {
        setNotFinite();
        return;
    }
    takeProbabilities(probabilities);
    m_state = State::NotADigit;
    refreshAccessibility();
    update();
}

void ProbabilityView::takeProbabilities(const std::array<float, 10>& probabilities)
{
    m_probs = probabilities;
    m_top = int(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
    m_second = -1;
    for (int i = 0; i < 10; ++i)
        if (i != m_top && (m_second < 0 || m_probs[std::size_t(i)] > m_probs[std::size_t(m_second)]))
            m_second = i;
}

QString ProbabilityView::summary() const
{
    switch (m_state) {
    case State::Empty:
        return tr("Draw a digit");
    case State::NoModel:
        return tr("No model");
    case State::NotFinite:
        return tr("No answer: the model's output is not a number");
    case State::Confident:
        return QStringLiteral("%1 %2").arg(m_top).arg(percent(m_probs[std::size_t(m_top)], 1));
    case State::NotADigit:
        return tr("Not a digit");
    case State::Unsure:
        return tr("Unsure: %1 (%2) or %3 (%4)")
            .arg(m_top)
            .arg(percent(m_probs[std::size_t(m_top)], 0))
            .arg(m_second)
            .arg(percent(m_probs[std::size_t(m_second)], 0));
    }
    return {};
}

QString ProbabilityView::caption() const
{
    if (m_state == State::Unsure)
        return tr("Unsure - keep drawing");
    if (m_state != State::Confident)
        return {};
    return m_probs[std::size_t(m_top)] >= kConfidentFrom ? tr("confident") : tr("likely");
}

// Qt 6.4's setAccessibleDescription does not notify assistive technology.
void ProbabilityView::announce()
{
    m_announced.start();
    setAccessibleDescription(summary());
    QAccessibleEvent changed(this, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&changed);
}

void ProbabilityView::refreshAccessibility()
{
    if (!m_announced.isValid() || m_announced.elapsed() >= kAnnounceMs) {
        m_announce.stop();
        announce();
    } else if (!m_announce.isActive()) {
        m_announce.start(int(std::max<qint64>(0, kAnnounceMs - m_announced.elapsed())));
    }
}

QRect ProbabilityView::barsRect() const
{
    const QRect r = rect().adjusted(12, 0, -12, -8);
    const int header = std::clamp(r.height() * 2 / 5, 90, 170);
    return r.adjusted(0, header, 0, 0);
}

QRect ProbabilityView::barRect(int digit) const
{
    const QRect area = barsRect();
    const qreal slot = area.width() / 10.0;
    return QRect(int(area.left() + digit * slot), area.top(), int(slot), area.height());
}

void ProbabilityView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    const QColor text = palette().color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.55f);
    const QColor accent = palette().color(QPalette::Highlight);
    QColor accentSoft = accent;
    accentSoft.setAlphaF(0.5f);
    QColor rest = text;
    rest.setAlphaF(0.28f);

    // --- headline ---------------------------------------------------------
    const QRect bars = barsRect();
    const QRect head(12, 6, width() - 24, bars.top() - 12);
    QFont big = font();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.95);
    const QFontMetrics smallFm(small);

    if (m_state == State::Empty || m_state == State::NoModel || m_state == State::NotFinite ||
        m_state == State::NotADigit) {
        big.setPixelSize(std::max(14, head.height() / 5));
        p.setFont(big);
        p.setPen(text);
        const QString title = m_state == State::Empty       ? tr("Draw a digit")
                              : m_state == State::NoModel   ? tr("No model loaded")
                              : m_state == State::NotADigit ? tr("Not a digit")
                                                            : tr("No answer");
        const QString hint =
            m_state == State::Empty ? tr("The network's guess appears here as you draw.")
            : m_state == State::NoModel
                ? tr("Open one with File > Open Model.")
            : m_state == State::NotADigit
                ? tr("This does not look like the digits the model knows. Nearest: %1 (%2).")
                      .arg(m_top)
                      .arg(percent(m_probs[std::size_t(m_top)], 0))
                : tr("The model's output is NaN or infinite: its weights overflow. Open or train another model.");
        const int th = QFontMetrics(big).height();
        const QRect hintRect = smallFm.boundingRect(QRect(0, 0, head.width(), 1000),
                                                    Qt::AlignHCenter | Qt::TextWordWrap, hint);
        const int total = th + 6 + hintRect.height();
        const QRect titleRect(head.left(), head.center().y() - total / 2, head.width(), th);
        p.drawText(titleRect, Qt::AlignHCenter | Qt::AlignVCenter, title);
        p.setFont(small);
        p.setPen(dim);
        p.drawText(QRect(head.left(), titleRect.bottom() + 6, head.width(), hintRect.height()),
                   Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, hint);
    } else {
        const bool unsure = m_state == State::Unsure;
        const QString digits = unsure ? tr("%1 or %2").arg(m_top).arg(m_second) : QString::number(m_top);
        const QString value = unsure ? QStringLiteral("%1 / %2")
                                           .arg(percent(m_probs[std::size_t(m_top)], 0),
                                                percent(m_probs[std::size_t(m_second)], 0))
                                     : percent(m_probs[std::size_t(m_top)], 1);
        const QString caption = this->caption();
        QFont mid = font();
        mid.setPixelSize(std::max(14, head.height() / 5));
        // The value takes at most about half the row: in a tall column
        // "48% / 44%" would otherwise outgrow the digits it belongs to.
        while (mid.pixelSize() > 12 && QFontMetrics(mid).horizontalAdvance(value) > head.width() * 9 / 20)
            mid.setPixelSize(mid.pixelSize() - 1);
        const int gap = 16;
        // The side block (value and caption) keeps its size; the digits take
        // what is left, so "0 or 9" never pushes the probabilities out.
        const int sideW = std::max(QFontMetrics(mid).horizontalAdvance(value), smallFm.horizontalAdvance(caption));
        big.setPixelSize(std::max(24, int(head.height() * (unsure ? 0.55 : 0.8))));
        big.setBold(true);
        while (big.pixelSize() > 12 && QFontMetrics(big).horizontalAdvance(digits) + gap + sideW > head.width())
            big.setPixelSize(big.pixelSize() - 1);
        const QFontMetrics bigFm(big);
        const QFontMetrics midFm(mid);
        const int digitsW = bigFm.horizontalAdvance(digits);
        const int x0 = head.left() + std::max(0, (head.width() - digitsW - gap - sideW) / 2);
        p.setFont(big);
        p.setPen(unsure ? text : accent);
        p.drawText(QRect(x0, head.top(), digitsW, head.height()), Qt::AlignLeft | Qt::AlignVCenter, digits);
        const int sx = x0 + digitsW + gap;
        const int blockH = midFm.height() + 2 + smallFm.height();
        const int sy = head.center().y() - blockH / 2;
        p.setFont(mid);
        p.setPen(text);
        p.drawText(QRect(sx, sy, sideW + 4, midFm.height()), Qt::AlignLeft | Qt::AlignVCenter, value);
        p.setFont(small);
        p.setPen(unsure ? QColor(230, 126, 34) : dim);
        p.drawText(QRect(sx, sy + midFm.height() + 2, sideW + 4, smallFm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   caption);
    }

    // --- bars -------------------------------------------------------------
    QFont label = font();
    label.setBold(true);
    const QFontMetrics labelFm(label);
    const int labelH = labelFm.height() + 4;
    const int valueH = smallFm.height() + 2;
    const int baseline = bars.bottom() - labelH;
    const int maxBar = std::max(1, baseline - bars.top() - valueH);
    p.setPen(QPen(rest, 1.0));
    p.drawLine(bars.left(), baseline, bars.right(), baseline);
    for (int d = 0; d < 10; ++d) {
        const QRect slot = barRect(d);
        const float prob = m_probs[std::size_t(d)];
        const int bw = std::max(6, slot.width() * 3 / 5);
        const int bx = slot.center().x() - bw / 2 + 1;
        const int bh = int(std::lround(double(prob) * maxBar));
        QColor c = rest;
        if (d == m_top && m_state == State::Confident)
            c = accent;
        else if (m_state == State::Unsure && (d == m_top || d == m_second))
            c = d == m_top ? accent : accentSoft;
        if (bh > 0) {
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawRoundedRect(QRectF(bx, baseline - bh, bw, bh), 2.5, 2.5);
        }
        if ((m_state == State::Confident || m_state == State::Unsure || m_state == State::NotADigit) &&
            prob >= 0.01f) {
            p.setFont(small);
            p.setPen(d == m_top && m_state != State::NotADigit ? text : dim);
            p.drawText(QRect(slot.left() - 4, baseline - bh - valueH, slot.width() + 8, valueH),
                       Qt::AlignHCenter | Qt::AlignBottom, shortPercent(prob));
        }
        p.setFont(label);
        p.setPen(d == m_top && m_state != State::Empty ? text : dim);
        p.drawText(QRect(slot.left(), baseline + 2, slot.width(), labelH), Qt::AlignHCenter | Qt::AlignVCenter,
                   QString::number(d));
    }
}

bool ProbabilityView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        for (int d = 0; d < 10; ++d) {
            if (barRect(d).contains(help->pos())) {
                const QString tip = m_state == State::Confident || m_state == State::Unsure ||
                                                m_state == State::NotADigit
                                        ? tr("Digit %1: %2").arg(d).arg(percent(m_probs[std::size_t(d)], 2))
                                        : tr("Digit %1").arg(d);
                QToolTip::showText(help->globalPos(), tip, this, barRect(d));
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

}  // namespace app
