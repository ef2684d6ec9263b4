#include "strokes.h"

#include "common/imageconvert.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace app {

qreal pressureWidth(qreal width, float pressure)
{
    return width * (0.25 + 0.75 * qBound(0.0f, pressure, 1.0f));
}

qreal Stroke::segmentWidth(int i) const
{
    if (i <= 0)
        return pressureWidth(width, points.value(0).pressure);
    return pressureWidth(width, 0.5f * (points[i - 1].pressure + points[i].pressure));
}

QRectF Stroke::segmentBounds(int i) const
{
    // Antialiasing touches one more pixel beyond the geometric edge.
    const qreal r = 0.5 * segmentWidth(i) + 2.0;
    const QPointF a = points[std::max(i - 1, 0)].pos;
    const QPointF b = points[i].pos;
    return QRectF(QPointF(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                  QPointF(std::max(a.x(), b.x()), std::max(a.y(), b.y())))
        .adjusted(-r, -r, r, r);
}

QRectF Stroke::bounds() const
{
    QRectF r;
    for (int i = 0; i < points.size(); ++i)
        r |= segmentBounds(i);
    return r;
}

void drawStrokeDot(QPainter& p, const Stroke& s, const InkStyle& style)
{
    if (s.points.isEmpty())
        return;
    const qreal r = 0.5 * s.segmentWidth(0);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(s.eraser ? style.background : style.ink);
    p.drawEllipse(s.points[0].pos, r, r);
}

void drawStrokeSegment(QPainter& p, const Stroke& s, int i, const InkStyle& style)
{
    if (i <= 0) {
        drawStrokeDot(p, s, style);
        return;
    }
    // Each segment is a line with round caps: consecutive segments overlap in
    // a full disc at every joint, so fast strokes (few, distant events) stay
    // continuous and a pressure change does not leave a notch.
    QPen pen(s.eraser ? style.background : style.ink, s.segmentWidth(i), Qt::SolidLine, Qt::RoundCap,
             Qt::RoundJoin);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawLine(s.points[i - 1].pos, s.points[i].pos);
}

void drawInkImage(QPainter& p, const QImage& ink, QSizeF canvasSize, const InkStyle& style)
{
    if (ink.isNull())
        return;
    // Ink colour with the ink amount as alpha, over the background: works for
    // either polarity (and any colours) from the one stored ink map.
    QImage coloured(ink.size(), QImage::Format_ARGB32);
    coloured.fill(style.ink);
    coloured.setAlphaChannel(ink);
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(QRectF(QPointF(0, 0), canvasSize), coloured);
}

QImage inkMapFromImage(const QImage& image, QSize canvasSize)
{
    QImage out(canvasSize, QImage::Format_Grayscale8);
    out.fill(0);
    if (image.isNull() || image.width() < 1 || image.height() < 1)
        return out;

    // Scale first (smooth = area averaging when shrinking), then read grey.
    const QImage scaled = image.scaled(canvasSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const std::vector<float> grey = toGrayFloat(scaled);
    const int w = scaled.width(), h = scaled.height();
    if (w < 1 || h < 1)
        return out;

    // Polarity and paper level from the border (median, like nn::preprocess).
    std::vector<float> border;
    border.reserve(std::size_t(2 * (w + h)));
    for (int x = 0; x < w; ++x) {
        border.push_back(grey[std::size_t(x)]);
        border.push_back(grey[std::size_t(h - 1) * w + x]);
    }
    for (int y = 0; y < h; ++y) {
        border.push_back(grey[std::size_t(y) * w]);
        border.push_back(grey[std::size_t(y) * w + (w - 1)]);
    }
    std::nth_element(border.begin(), border.begin() + border.size() / 2, border.end());
    const float paper = border[border.size() / 2];
    const bool darkInk = paper > 0.5f;

    // Ink amount relative to the paper, stretched so the strongest ink (99.5th
    // percentile, robust to a few specks) becomes full ink: a grey photo of a
    // pencil digit lands on the canvas like a drawn one.
    std::vector<float> ink(grey.size());
    for (std::size_t i = 0; i < grey.size(); ++i)
        ink[i] = std::max(0.0f, darkInk ? paper - grey[i] : grey[i] - paper);
    std::vector<float> sorted = ink;
    const std::size_t k = std::min(sorted.size() - 1, std::size_t(double(sorted.size()) * 0.995));
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(k), sorted.end());
    const float strongest = sorted[k];
    const float gain = strongest > 0.05f ? 1.0f / strongest : 1.0f;

    const int ox = (canvasSize.width() - w) / 2, oy = (canvasSize.height() - h) / 2;
    for (int y = 0; y < h; ++y) {
        uchar* line = out.scanLine(oy + y) + ox;
        for (int x = 0; x < w; ++x)
            line[x] = uchar(std::lround(std::clamp(ink[std::size_t(y) * w + x] * gain, 0.0f, 1.0f) * 255.0f));
    }
    return out;
}

QRectF StrokeModel::beginStroke(const StrokePoint& p, qreal width, bool eraser)
{
    if (m_inStroke)
        endStroke();
    m_current = Stroke{};
    m_current.width = width;
    m_current.eraser = eraser;
    m_current.points.push_back(p);
    m_inStroke = true;
    ++m_revision;
    return m_current.segmentBounds(0);
}

QRectF StrokeModel::extendStroke(const StrokePoint& p)
{
    if (!m_inStroke)
        return {};
    m_current.points.push_back(p);
    ++m_revision;
    return m_current.segmentBounds(int(m_current.points.size()) - 1);
}

void StrokeModel::endStroke()
{
    if (!m_inStroke)
        return;
    m_inStroke = false;
    CanvasOp op;
    op.kind = CanvasOp::Kind::Stroke;
    op.stroke = std::move(m_current);
    m_current = Stroke{};
    push(std::move(op));  // the pixels are already there: no new revision
}

bool StrokeModel::clear()
{
    if (m_inStroke)
        endStroke();
    if (isBlank())
        return false;
    CanvasOp op;
    op.kind = CanvasOp::Kind::Clear;
    push(std::move(op));
    ++m_revision;
    return true;
}

void StrokeModel::placeImage(const QImage& inkMap)
{
    if (m_inStroke)
        endStroke();
    CanvasOp op;
    op.kind = CanvasOp::Kind::Image;
    op.ink = inkMap.convertToFormat(QImage::Format_Grayscale8);
    push(std::move(op));
    ++m_revision;
}

void StrokeModel::push(CanvasOp op)
{
    m_done.push_back(std::move(op));
    m_undone.clear();
}

bool StrokeModel::undo()
{
    if (m_inStroke)
        endStroke();
    if (m_done.empty())
        return false;
    m_undone.push_back(std::move(m_done.back()));
    m_done.pop_back();
    ++m_revision;
    return true;
}

bool StrokeModel::redo()
{
    if (m_inStroke || m_undone.empty())
        return false;
    m_done.push_back(std::move(m_undone.back()));
    m_undone.pop_back();
    ++m_revision;
    return true;
}

bool StrokeModel::isBlank() const
{
    if (m_inStroke && !m_current.eraser)
        return false;
    for (auto it = m_done.rbegin(); it != m_done.rend(); ++it) {
        switch (it->kind) {
        case CanvasOp::Kind::Clear:
            return true;
        case CanvasOp::Kind::Image:
            return false;
        case CanvasOp::Kind::Stroke:
            if (!it->stroke.eraser)
                return false;
            break;
        }
    }
    return true;
}

void StrokeModel::render(QPainter& p, const InkStyle& style) const
{
    // Everything before the last clear or placed image is hidden by it.
    std::size_t start = 0;
    for (std::size_t i = m_done.size(); i-- > 0;) {
        if (m_done[i].kind != CanvasOp::Kind::Stroke) {
            start = i;
            break;
        }
    }
    p.fillRect(QRectF(QPointF(0, 0), m_size), style.background);
    auto replay = [&](const Stroke& s) {
        for (int i = 0; i < s.points.size(); ++i)
            drawStrokeSegment(p, s, i, style);
    };
    for (std::size_t i = start; i < m_done.size(); ++i) {
        const CanvasOp& op = m_done[i];
        if (op.kind == CanvasOp::Kind::Image)
            drawInkImage(p, op.ink, m_size, style);
        else if (op.kind == CanvasOp::Kind::Stroke)
            replay(op.stroke);
    }
    if (m_inStroke)
        replay(m_current);
}

QImage StrokeModel::toImage(const InkStyle& style, qreal scale) const
{
    QImage img(std::max(1, int(std::lround(m_size.width() * scale))),
               std::max(1, int(std::lround(m_size.height() * scale))), QImage::Format_RGB32);
    QPainter p(&img);
    p.scale(scale, scale);
    render(p, style);
    return img;
}

}  // namespace app
