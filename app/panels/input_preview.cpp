#include "input_preview.h"

#include "common/imageconvert.h"

#include <QPainter>

#include <algorithm>

namespace app {

InputPreview::InputPreview(QWidget* parent) : QWidget(parent)
{
    // Updated with every prediction: it paints all its pixels itself, and its
    // caption is painted too rather than being a QLabel, whose every
    // setText() would relayout (and repaint) the whole window.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setAccessibleName(tr("Network input, 28 by 28 pixels"));
    setToolTip(tr("The 28x28 image the network actually sees: the ink cropped, scaled to fit 20x20\n"
                  "and placed so its centre of mass sits at the centre (marked), as in MNIST.\n"
                  "Below: the worker thread's time for the last prediction."));
}

QSize InputPreview::sizeHint() const
{
    return {28 * 8 + 2, 28 * 8 + 2 + fontMetrics().height() + 4};
}

QSize InputPreview::minimumSizeHint() const
{
    return {28 * 3 + 2, 28 * 3 + 2 + fontMetrics().height() + 4};
}

void InputPreview::setInput(const nn::PreprocessResult& result, const QString& caption)
{
    m_image = result.empty ? QImage() : floatToImage(result.input.data(), 28, 28);
    m_magnifiedCell = 0;
    m_caption = caption;
    update();
}

const QImage& InputPreview::magnified(int cell)
{
    // Nearest neighbour with a faint grid, composed pixel by pixel: a tenth
    // of a millisecond, where QPainter's scaled grey image plus 54
    // translucent grid lines cost several milliseconds per prediction.
    if (m_magnifiedCell == cell && !m_magnified.isNull())
        return m_magnified;
    const int side = 28 * cell;
    const bool grid = cell >= 5;
    m_magnified = QImage(side, side, QImage::Format_RGB32);
    for (int y = 0; y < side; ++y) {
        const uchar* src = m_image.isNull() ? nullptr : m_image.constScanLine(y / cell);
        QRgb* out = reinterpret_cast<QRgb*>(m_magnified.scanLine(y));
        const bool gridRow = grid && y % cell == 0 && y > 0;
        for (int x = 0; x < side; ++x) {
            int v = src ? src[x / cell] : 0;
            if (gridRow || (grid && x % cell == 0 && x > 0))
                v += (255 - v) * 22 / 255;
            out[x] = qRgb(v, v, v);
        }
    }
    m_magnifiedCell = cell;
    return m_magnified;
}

QRect InputPreview::imageRect() const
{
    const int captionH = fontMetrics().height() + 4;
    // Whole pixels per input pixel so every cell is the same size.
    const int cell = std::max(1, (std::min(width(), height() - captionH) - 2) / 28);
    const int side = cell * 28;
    return QRect((width() - side) / 2, std::max(1, (height() - captionH - side) / 2), side, side);
}

void InputPreview::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect area = imageRect();
    for (const QRect& r : QRegion(rect()).subtracted(area))
        p.fillRect(r, palette().window());
    const int side = area.width();
    const int cell = side / 28;
    p.drawImage(area.topLeft(), magnified(cell));
    if (m_image.isNull()) {
        p.setPen(QColor(150, 150, 150));
        p.drawText(area, Qt::AlignCenter, tr("nothing to see yet"));
    } else {  // the centre of the field, where the centre of mass is placed
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(QColor(236, 64, 122, 200), 1.0));
        const QPointF c(area.left() + side / 2.0, area.top() + side / 2.0);
        p.drawLine(c - QPointF(cell, 0), c + QPointF(cell, 0));
        p.drawLine(c - QPointF(0, cell), c + QPointF(0, cell));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(area).adjusted(-0.5, -0.5, 0.5, 0.5));
    if (!m_caption.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(0, area.bottom() + 4, width(), fontMetrics().height()), Qt::AlignHCenter | Qt::AlignTop,
                   fontMetrics().elidedText(m_caption, Qt::ElideRight, width()));
    }
}

}  // namespace app
