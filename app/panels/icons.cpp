#include "icons.h"

#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace app {

namespace {

// Draws a glyph in a 24x24 design space.
void drawGlyph(QPainter& p, Glyph g, const QColor& fg)
{
    p.setRenderHint(QPainter::Antialiasing, true);
    QPen pen(fg, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    switch (g) {
    case Glyph::Pen: {
        QPainterPath body;  // a pencil, tip at the lower left
        body.moveTo(4, 20);
        body.lineTo(5.5, 15);
        body.lineTo(16, 4.5);
        body.lineTo(19.5, 8);
        body.lineTo(9, 18.5);
        body.closeSubpath();
        p.drawPath(body);
        p.drawLine(QPointF(13.5, 7), QPointF(17, 10.5));
        p.setBrush(fg);
        p.drawEllipse(QPointF(5, 19), 1.0, 1.0);
        break;
    }
    case Glyph::Eraser: {
        p.save();
        p.translate(12, 12);
        p.rotate(-45);
        p.drawRoundedRect(QRectF(-9, -4.5, 18, 9), 2, 2);
        p.setBrush(fg);
        p.drawRoundedRect(QRectF(-9, -4.5, 7, 9), 2, 2);
        p.restore();
        break;
    }
    case Glyph::Undo:
    case Glyph::Redo: {
        if (g == Glyph::Redo) {
            p.translate(24, 0);
            p.scale(-1, 1);
        }
        QPainterPath arc;
        arc.moveTo(6, 10);
        arc.lineTo(14, 10);
        arc.cubicTo(22, 10, 22, 20, 14, 20);
        arc.lineTo(9, 20);
        p.drawPath(arc);
        p.drawLine(QPointF(6, 10), QPointF(10, 6));
        p.drawLine(QPointF(6, 10), QPointF(10, 14));
        break;
    }
    case Glyph::Clear: {
        p.drawLine(QPointF(5, 7), QPointF(19, 7));
        p.drawLine(QPointF(10, 7), QPointF(10.5, 4.5));
        p.drawLine(QPointF(10.5, 4.5), QPointF(13.5, 4.5));
        p.drawLine(QPointF(13.5, 4.5), QPointF(14, 7));
        QPainterPath can;
        can.moveTo(7, 7);
        can.lineTo(8, 20);
        can.lineTo(16, 20);
        can.lineTo(17, 7);
        p.drawPath(can);
        p.setPen(QPen(fg, 1.5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(10.5, 10), QPointF(10.8, 17));
        p.drawLine(QPointF(13.5, 10), QPointF(13.2, 17));
        break;
    }
    case Glyph::Overlay: {
        p.setPen(QPen(fg, 1.6, Qt::DashLine, Qt::FlatCap));
        p.drawRect(QRectF(4, 4, 16, 16));
        p.setPen(pen);
        p.drawLine(QPointF(12, 8), QPointF(12, 16));
        p.drawLine(QPointF(8, 12), QPointF(16, 12));
        break;
    }
    case Glyph::Polarity: {
        p.drawEllipse(QPointF(12, 12), 8, 8);
        QPainterPath half;
        half.moveTo(12, 4);
        half.arcTo(QRectF(4, 4, 16, 16), 90, 180);
        half.closeSubpath();
        p.setBrush(fg);
        p.drawPath(half);
        break;
    }
    case Glyph::OpenImage: {
        p.drawRoundedRect(QRectF(3.5, 5, 17, 14), 2, 2);
        QPainterPath hills;
        hills.moveTo(5, 17);
        hills.lineTo(10, 11);
        hills.lineTo(13, 14.5);
        hills.lineTo(15.5, 12);
        hills.lineTo(19, 17);
        p.drawPath(hills);
        p.setBrush(fg);
        p.drawEllipse(QPointF(15.5, 8.8), 1.3, 1.3);
        break;
    }
    case Glyph::AddDigit: {
        // A card holding a digit-like squiggle, with a plus in its corner.
        p.drawRoundedRect(QRectF(3.5, 5.5, 13, 15), 2, 2);
        QPainterPath seven;
        seven.moveTo(7, 10);
        seven.lineTo(13, 10);
        seven.lineTo(9.5, 17.5);
        p.drawPath(seven);
        p.drawLine(QPointF(19, 3), QPointF(19, 10));
        p.drawLine(QPointF(15.5, 6.5), QPointF(22.5, 6.5));
        break;
    }
    }
}

class GlyphEngine : public QIconEngine {
public:
    explicit GlyphEngine(Glyph g) : m_glyph(g) {}

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette pal = QGuiApplication::palette();
        QColor fg = pal.color(QPalette::ButtonText);
        if (mode == QIcon::Disabled)
            fg = pal.color(QPalette::Disabled, QPalette::ButtonText);
        else if (mode == QIcon::Selected)
            fg = pal.color(QPalette::HighlightedText);
        painter->save();
        const qreal k = std::min(rect.width(), rect.height()) / 24.0;
        painter->translate(rect.center() - QPointF(12 * k, 12 * k) + QPointF(0.5, 0.5));
        painter->scale(k, k);
        drawGlyph(*painter, m_glyph, fg);
        painter->restore();
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pm(size * scale);
        pm.setDevicePixelRatio(scale);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }

    QIconEngine* clone() const override { return new GlyphEngine(m_glyph); }

private:
    Glyph m_glyph;
};

}  // namespace

QIcon glyphIcon(Glyph glyph)
{
    return QIcon(new GlyphEngine(glyph));
}

}  // namespace app
