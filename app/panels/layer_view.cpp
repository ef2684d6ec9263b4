#include "layer_view.h"

#include "layer_inspector.h"

#include <QLabel>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {

namespace {
constexpr int kMargin = 4;
constexpr int kGap = 3;
constexpr int kRampHeight = 8;
}  // namespace

ColourScale layerScale(const nn::LayerTrace& trace) { return ColourScale::fit(trace.min, trace.max); }

QImage renderFeatureMap(const nn::LayerTrace& t, int channel, const ColourScale& scale)
{
    QImage img(t.shape.w, t.shape.h, QImage::Format_RGB32);
    for (int y = 0; y < t.shape.h; ++y) {
        QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < t.shape.w; ++x)
            line[x] = scale.colour(t.at(channel, y, x));
    }
    return img;
}

QImage renderKernel(const float* w, int k, const ColourScale& scale)
{
    QImage img(k, k, QImage::Format_RGB32);
    for (int y = 0; y < k; ++y) {
        QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < k; ++x)
            line[x] = scale.colour(w[y * k + x]);
    }
    return img;
}

QString layerCaption(const nn::LayerTrace& t)
{
    const QLocale locale;
    const QString shape = t.spatial() ? QStringLiteral("%1×%2×%3").arg(t.shape.c).arg(t.shape.h).arg(t.shape.w)
                                      : QString::number(t.shape.c);
    const QString spec = QString::fromStdString(t.spec);
    if (t.params == 0)
        return LayerStrip::tr("%1 · %2").arg(spec, shape);
    return LayerStrip::tr("%1 · %2 · %3 parameters").arg(spec, shape, locale.toString(qulonglong(t.params)));
}

LayerStrip::LayerStrip(int tile, QWidget* parent) : QWidget(parent), m_tile(tile)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    QSizePolicy sp = sizePolicy();
    sp.setHeightForWidth(true);
    setSizePolicy(sp);
}

void LayerStrip::setTrace(const nn::LayerTrace& trace, bool probabilities)
{
    const bool sameShape = trace.shape == m_trace.shape && probabilities == m_probabilities;
    m_trace = trace;
    m_probabilities = probabilities;
    m_scale = probabilities ? ColourScale{ColourScale::Magnitude, 0.0f, 1.0f} : layerScale(trace);
    m_caption = probabilities ? tr("softmax · class probabilities") : layerCaption(trace);
    m_tiles.clear();
    if (trace.spatial())
        for (int c = 0; c < trace.shape.c; ++c)
            m_tiles.push_back(renderFeatureMap(m_trace, c, m_scale));
    if (m_selected >= trace.shape.c)
        m_selected = -1;
    if (m_current >= trace.shape.c)
        m_current = trace.shape.c - 1;
    if (!sameShape)
        updateGeometry();
    updateAccessibleText();
    update();
}

void LayerStrip::updateAccessibleText()
{
    setAccessibleName(m_caption);
    const QLocale locale;
    if (m_probabilities && !m_trace.values.empty()) {
        const auto top = std::max_element(m_trace.values.begin(), m_trace.values.end());
        setAccessibleDescription(tr("Most likely %1 (%2)")
                                     .arg(int(top - m_trace.values.begin()))
                                     .arg(locale.toString(100.0 * *top, 'f', 1) + QLatin1Char('%')));
    } else {
        setAccessibleDescription(tr("%n map(s), values from %1 to %2", nullptr, m_trace.shape.c)
                                     .arg(locale.toString(double(m_trace.min), 'g', 3),
                                          locale.toString(double(m_trace.max), 'g', 3)));
    }
    if (m_current >= 0 && hasFocus())  // the tile the keyboard is on, then the overview
        setAccessibleDescription(channelDescription(m_current) + QLatin1String(". ") + accessibleDescription());
}

QString LayerStrip::channelDescription(int c) const
{
    if (c < 0 || c >= m_trace.shape.c || m_trace.values.empty())
        return {};
    const QLocale locale;
    if (m_probabilities)
        return tr("Class %1: %2").arg(c).arg(locale.toString(100.0 * m_trace.values[std::size_t(c)], 'f', 1) + locale.percent());
    if (!m_trace.spatial())
        return tr("Unit %1 of %2: %3").arg(c + 1).arg(m_trace.shape.c).arg(locale.toString(double(m_trace.values[std::size_t(c)]), 'g', 3));
    float lo = m_trace.at(c, 0, 0), hi = lo;
    for (int y = 0; y < m_trace.shape.h; ++y)
        for (int x = 0; x < m_trace.shape.w; ++x) {
            lo = std::min(lo, m_trace.at(c, y, x));
            hi = std::max(hi, m_trace.at(c, y, x));
        }
    return tr("Map %1 of %2: values from %3 to %4")
        .arg(c + 1)
        .arg(m_trace.shape.c)
        .arg(locale.toString(double(lo), 'g', 3), locale.toString(double(hi), 'g', 3));
}

void LayerStrip::setCurrentChannel(int c)
{
    if (m_trace.shape.c <= 0)
        return;
    c = std::clamp(c, 0, m_trace.shape.c - 1);
    if (c == m_current)
        return;
    m_current = c;
    updateAccessibleText();
    update();
    emit currentChannelChanged(c);
}

void LayerStrip::keyPressEvent(QKeyEvent* e)
{
    const int n = m_trace.values.empty() ? 0 : m_trace.shape.c;
    if (n <= 0) {
        QWidget::keyPressEvent(e);
        return;
    }
    const int cols = m_trace.spatial() ? columns(width()) : n;
    const int c = m_current < 0 ? std::max(0, m_selected) : m_current;
    m_keyboard = true;
    switch (e->key()) {
    case Qt::Key_Left: setCurrentChannel(c - 1); break;
    case Qt::Key_Right: setCurrentChannel(c + 1); break;
    case Qt::Key_Up:
        if (c - cols < 0) {
            emit stripStepRequested(-1);  // the first row: the layer above
            return;
        }
        setCurrentChannel(c - cols);
        break;
    case Qt::Key_Down:
        if (c + cols >= n) {
            emit stripStepRequested(+1);
            return;
        }
        setCurrentChannel(c + cols);
        break;
    case Qt::Key_PageUp: emit stripStepRequested(-1); return;
    case Qt::Key_PageDown: emit stripStepRequested(+1); return;
    case Qt::Key_Home: setCurrentChannel(0); break;
    case Qt::Key_End: setCurrentChannel(n - 1); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        setCurrentChannel(c);
        emit channelClicked(m_current);  // as a click on the tile
        break;
    default: QWidget::keyPressEvent(e); return;
    }
}

void LayerStrip::focusInEvent(QFocusEvent* e)
{
    QWidget::focusInEvent(e);
    m_keyboard = e->reason() != Qt::MouseFocusReason;
    if (m_current < 0 && m_trace.shape.c > 0 && !m_trace.values.empty())
        m_current = std::max(0, m_selected);
    updateAccessibleText();
    update();
    emit focusEntered();
}

void LayerStrip::focusOutEvent(QFocusEvent* e)
{
    QWidget::focusOutEvent(e);
    updateAccessibleText();
    update();
}

void LayerStrip::setSelectedChannel(int channel)
{
    if (channel == m_selected)
        return;
    m_selected = channel;
    update();
}

int LayerStrip::legendWidth() const { return m_tile <= 24 ? 96 : 150; }
int LayerStrip::captionHeight() const { return fontMetrics().height() + kRampHeight + 6; }
int LayerStrip::legendHeight() const { return kRampHeight + fontMetrics().height(); }
int LayerStrip::barsHeight() const { return std::max(24, m_tile * 3 / 2); }

int LayerStrip::columns(int width) const { return std::max(1, (width - 2 * kMargin + kGap) / (m_tile + kGap)); }

int LayerStrip::heightForWidth(int width) const
{
    const int c = std::max(1, m_trace.shape.c);
    if (!m_trace.spatial()) {
        const int labels = m_probabilities ? fontMetrics().height() : 0;
        return captionHeight() + barsHeight() + labels + kMargin;
    }
    const int rows = (c + columns(width) - 1) / columns(width);
    return captionHeight() + rows * (m_tile + kGap) + kMargin;
}

QSize LayerStrip::sizeHint() const
{
    const int w = 2 * kMargin + 16 * (m_tile + kGap);
    return {w, heightForWidth(w)};
}

QSize LayerStrip::minimumSizeHint() const { return {2 * kMargin + 4 * (m_tile + kGap), captionHeight() + m_tile}; }

QRect LayerStrip::channelRect(int channel) const
{
    if (channel < 0 || channel >= m_trace.shape.c)
        return {};
    const int top = captionHeight();
    if (!m_trace.spatial()) {
        const double bw = double(width() - 2 * kMargin) / m_trace.shape.c;
        const int x0 = kMargin + int(std::floor(channel * bw));
        const int x1 = kMargin + int(std::floor((channel + 1) * bw));
        return QRect(x0, top, std::max(1, x1 - x0), barsHeight());
    }
    const int cols = columns(width());
    return QRect(kMargin + (channel % cols) * (m_tile + kGap), top + (channel / cols) * (m_tile + kGap), m_tile, m_tile);
}

bool LayerStrip::unitAt(QPoint pos, int* channel, int* y, int* x) const
{
    for (int c = 0; c < m_trace.shape.c; ++c) {
        const QRect r = channelRect(c);
        if (!r.contains(pos))
            continue;
        *channel = c;
        if (m_trace.spatial()) {
            *y = std::clamp((pos.y() - r.top()) * m_trace.shape.h / r.height(), 0, m_trace.shape.h - 1);
            *x = std::clamp((pos.x() - r.left()) * m_trace.shape.w / r.width(), 0, m_trace.shape.w - 1);
        } else {
            *y = *x = 0;
        }
        return true;
    }
    return false;
}

void LayerStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    const int textH = fontMetrics().height();
    p.setPen(pal.color(QPalette::WindowText));
    const QRect captionRect(kMargin, 2, width() - 3 * kMargin - legendWidth(), textH);
    p.drawText(captionRect, Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(m_caption, Qt::ElideRight, captionRect.width()));
    if (m_trace.values.empty())
        return;
    paintColourLegend(p, QRect(width() - kMargin - legendWidth(), 2, legendWidth(), legendHeight()), m_scale);

    const QColor highlight = pal.color(QPalette::Highlight);
    if (m_trace.spatial()) {
        for (int c = 0; c < int(m_tiles.size()); ++c) {
            const QRect r = channelRect(c);
            p.drawImage(r, m_tiles[std::size_t(c)]);  // nearest neighbour: one block per unit
            if (c == m_selected) {
                p.setPen(QPen(highlight, 2));
                p.setBrush(Qt::NoBrush);
                p.drawRect(r.adjusted(-1, -1, 1, 1));
            }
        }
        paintKeyboardTile(p);
        return;
    }
    // Bars: from zero (the middle for a signed scale, the bottom else).
    const int top = captionHeight();
    const int h = barsHeight();
    const bool signedScale = m_scale.kind == ColourScale::Signed;
    const int zeroY = signedScale ? top + h / 2 : top + h;
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(kMargin, zeroY, width() - kMargin, zeroY);
    const int topClass = int(std::max_element(m_trace.values.begin(), m_trace.values.end()) - m_trace.values.begin());
    for (int c = 0; c < m_trace.shape.c; ++c) {
        const QRect slot = channelRect(c);
        const float v = m_trace.values[std::size_t(c)];
        const double f = std::clamp(double(v) / double(m_scale.hi), -1.0, 1.0);
        const int len = int(std::lround(f * (signedScale ? h / 2 : h)));
        QRect bar(slot.left() + (slot.width() > 3 ? 1 : 0), len >= 0 ? zeroY - len : zeroY,
                  std::max(1, slot.width() - (slot.width() > 3 ? 2 : 0)), std::abs(len));
        p.fillRect(bar, QColor(m_probabilities && c == topClass ? highlight.rgb() : m_scale.colour(v)));
        if (c == m_selected) {
            p.setPen(QPen(highlight, 1));
            p.setBrush(Qt::NoBrush);
            p.drawRect(slot.adjusted(0, 0, -1, -1));
        }
        if (m_probabilities) {
            p.setPen(pal.color(QPalette::WindowText));
            p.drawText(QRect(slot.left(), top + h, slot.width(), textH), Qt::AlignCenter, QString::number(c));
        }
    }
    paintKeyboardTile(p);
}

void LayerStrip::paintKeyboardTile(QPainter& p) const
{
    if (!hasFocus() || !m_keyboard || m_current < 0)
        return;
    // Highlight with a dashed line of the highlighted-text colour inside:
    // apart from the selected tile's plain frame, readable on any map colour.
    const QRect r = channelRect(m_current).adjusted(-2, -2, 2, 2);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.drawRect(r);
    p.setPen(QPen(palette().color(QPalette::HighlightedText), 1, Qt::DashLine));
    p.drawRect(r.adjusted(2, 2, -2, -2));
}

void LayerStrip::mouseMoveEvent(QMouseEvent* event)
{
    int c, y, x;
    if (unitAt(event->position().toPoint(), &c, &y, &x)) {
        const QLocale locale;
        const float v = m_trace.spatial() ? m_trace.at(c, y, x) : m_trace.values[std::size_t(c)];
        setToolTip(m_trace.spatial() ? tr("channel %1, unit (%2, %3): %4").arg(c).arg(y).arg(x).arg(locale.toString(double(v), 'g', 4))
                                     : tr("unit %1: %2").arg(c).arg(locale.toString(double(v), 'g', 4)));
        emit unitHovered(c, y, x);
    } else {
        setToolTip({});
        emit unitHovered(-1, 0, 0);
    }
}

void LayerStrip::mousePressEvent(QMouseEvent* event)
{
    m_keyboard = false;
    int c, y, x;
    if (event->button() == Qt::LeftButton && unitAt(event->position().toPoint(), &c, &y, &x))
        emit channelClicked(c);
}

void LayerStrip::leaveEvent(QEvent*) { emit unitHovered(-1, 0, 0); }

LayerStack::LayerStack(LayerInspector* inspector, int tile, QWidget* parent)
    : QWidget(parent), m_inspector(inspector), m_tile(tile), m_area(nullptr), m_content(new QWidget), m_layout(new QVBoxLayout(m_content)),
      m_empty(new QLabel(m_content))
{
    auto* area = m_area = new QScrollArea(this);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setWidget(m_content);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Not a Tab stop of its own: the strips are, and scroll it as the keyboard moves.
    area->setFocusPolicy(Qt::NoFocus);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(area);
    m_layout->setContentsMargins(2, 2, 2, 2);
    m_layout->setSpacing(6);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_layout->addWidget(m_empty);
    m_layout->addStretch(1);
    connect(m_inspector, &LayerInspector::inputChanged, this, &LayerStack::refresh);
    connect(m_inspector, &LayerInspector::modelChanged, this, &LayerStack::refresh);
    refresh();
}

void LayerStack::showEvent(QShowEvent*)
{
    if (m_stale)
        refresh();
}

void LayerStack::refresh()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    const auto& traces = m_inspector->traces();
    const std::size_t wanted = traces.empty() ? 0 : traces.size() + 1;  // + the softmax
    while (m_strips.size() > wanted) {
        delete m_strips.back();
        m_strips.pop_back();
    }
    while (m_strips.size() < wanted) {
        auto* s = new LayerStrip(m_tile, m_content);
        const int layer = int(m_strips.size());
        connect(s, &LayerStrip::channelClicked, this, [this, layer](int c) { emit channelClicked(layer, c); });
        connect(s, &LayerStrip::unitHovered, this, [this, layer](int c, int y, int x) { emit unitHovered(layer, c, y, x); });
        connect(s, &LayerStrip::stripStepRequested, this, [this, layer](int d) { stepFocus(layer, d); });
        connect(s, &LayerStrip::focusEntered, this, [this, layer] { setTabStrip(layer); });
        connect(s, &LayerStrip::currentChannelChanged, this, [this, layer](int c) { showTile(layer, c); });
        m_layout->insertWidget(m_layout->count() - 1, s);
        m_strips.push_back(s);
    }
    // Strips made after the widgets that follow the stack would come after
    // them in the focus chain: put them where the stack is, right after the
    // content widget (setTabOrder takes only widgets that accept focus, so
    // the content accepts it for the moment; the chain stays as linked).
    m_content->setFocusPolicy(Qt::TabFocus);
    QWidget* previous = m_content;
    for (LayerStrip* strip : m_strips) {
        QWidget::setTabOrder(previous, strip);
        previous = strip;
    }
    m_content->setFocusPolicy(Qt::NoFocus);
    setTabStrip(std::min(m_tabStrip, int(m_strips.size()) - 1));
    for (std::size_t i = 0; i < traces.size(); ++i) {
        m_strips[i]->setTrace(traces[i]);
        m_strips[i]->setSelectedChannel(int(i) == m_selLayer ? m_selChannel : -1);
    }
    if (!traces.empty()) {
        nn::LayerTrace soft = traces.back();
        soft.values = m_inspector->probabilities();
        soft.kind = "softmax";
        soft.spec = "softmax";
        soft.params = 0;
        soft.min = 0;
        soft.max = 1;
        m_strips.back()->setTrace(soft, true);
    }
    m_empty->setVisible(traces.empty());
    if (traces.empty())
        m_empty->setText(!m_inspector->model()        ? tr("No model is loaded.")
                         : !m_inspector->hasInput()  ? tr("Draw a digit on the pad: every layer's output appears here as you draw.")
                                                     : tr("This model does not take a 28×28 digit."));
}

void LayerStack::setTabStrip(int index)
{
    m_tabStrip = std::max(0, index);
    for (int i = 0; i < int(m_strips.size()); ++i)
        m_strips[std::size_t(i)]->setFocusPolicy(i == m_tabStrip ? Qt::StrongFocus : Qt::ClickFocus);
}

void LayerStack::stepFocus(int from, int direction)
{
    const int to = from + direction;
    if (to < 0 || to >= int(m_strips.size()))
        return;
    LayerStrip* s = m_strips[std::size_t(to)];
    setTabStrip(to);
    s->setFocus(Qt::OtherFocusReason);
    m_area->ensureWidgetVisible(s, 0, 0);
}

void LayerStack::setSelected(int layer, int channel)
{
    m_selLayer = layer;
    m_selChannel = channel;
    for (int i = 0; i < int(m_strips.size()); ++i)
        m_strips[std::size_t(i)]->setSelectedChannel(i == layer ? channel : -1);
    showTile(layer, channel);
}

void LayerStack::showTile(int layer, int channel)
{
    if (layer < 0 || layer >= int(m_strips.size()))
        return;
    const QRect r = m_strips[std::size_t(layer)]->channelRect(channel);
    const QPoint c = m_strips[std::size_t(layer)]->mapTo(m_content, r.center());
    m_area->ensureVisible(c.x(), c.y(), 20, r.height() / 2 + 40);
}

}  // namespace app
