#include "canvas.h"

#include <QFocusEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPointingDevice>
#include <QTabletEvent>

#include <cmath>
#include <cstring>

namespace app {

namespace {

// Mouse events closer than this (canvas units) add nothing visible.
constexpr qreal kMinStep = 0.5;

const QColor kBoxColour(255, 152, 0);     // ink bounding box
const QColor kFieldColour(0, 188, 212);   // the 28x28 field the network sees
const QColor kMassColour(236, 64, 122);   // centre of mass and its shift
const QColor kReceptiveColour(255, 200, 0);  // a hovered unit's receptive field (as on the Layers page)

}  // namespace

Canvas::Canvas(QWidget* parent) : QWidget(parent)
{
    // Not WA_StaticContents: the canvas is scaled and centred in the widget,
    // so a resize changes every pixel, and the attribute would leave stale
    // areas. Every exposed pixel is painted, hence WA_OpaquePaintEvent (no
    // background erase before paintEvent).
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);  // hoverMoved: pointing at a digit of a number
    setAccessibleName(tr("Drawing canvas"));
    setAccessibleDescription(tr("Draw a digit with the mouse or a pen; the right button erases."));

    m_image = QImage(kSize, kSize, QImage::Format_RGB32);
    renderAll();
    updateCursor();
}

QImage Canvas::snapshot() const
{
    for (QImage& buffer : m_snapshots) {
        if (buffer.isNull())
            buffer = QImage(m_image.size(), m_image.format());
        else if (!buffer.isDetached())
            continue;  // still held by the reader of an earlier snapshot
        std::memcpy(buffer.bits(), m_image.constBits(), std::size_t(m_image.sizeInBytes()));
        return buffer;
    }
    return m_image.copy();
}

InkStyle Canvas::inkStyle() const
{
    return m_darkInk ? InkStyle::blackOnWhite() : InkStyle::whiteOnBlack();
}

QRect Canvas::canvasRect() const
{
    // One pixel all round for the frame.
    const int side = std::max(1, std::min(width(), height()) - 2);
    return QRect((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF Canvas::toCanvas(QPointF widgetPos) const
{
    const QRect r = canvasRect();
    const qreal k = qreal(kSize) / r.width();
    return (widgetPos - QPointF(r.topLeft())) * k;
}

QPointF Canvas::toWidget(QPointF canvasPos) const
{
    const QRect r = canvasRect();
    const qreal k = qreal(r.width()) / kSize;
    return canvasPos * k + QPointF(r.topLeft());
}

void Canvas::setPenWidth(qreal width)
{
    width = std::clamp(width, qreal(kMinPenWidth), qreal(kMaxPenWidth));
    if (qFuzzyCompare(width, m_penWidth))
        return;
    m_penWidth = width;
    updateCursor();
    emit penWidthChanged(width);
}

void Canvas::setEraserMode(bool on)
{
    if (on == m_eraserMode)
        return;
    m_eraserMode = on;
    updateCursor();
    emit eraserModeChanged(on);
}

void Canvas::setDarkInk(bool dark)
{
    if (dark == m_darkInk)
        return;
    m_darkInk = dark;
    renderAll();
    changed(false);
}

void Canvas::setOverlayEnabled(bool on)
{
    if (on == m_overlayEnabled)
        return;
    m_overlayEnabled = on;
    update();
}

void Canvas::setOverlayGeometry(const nn::PreprocessResult& result, bool exact)
{
    m_overlayValid = !result.empty;
    m_overlay = result;
    m_overlayExact = exact;
    if (m_overlayEnabled)
        update();
}

void Canvas::setReceptiveField(const QRect& inputPixels)
{
    if (inputPixels == m_receptiveField)
        return;
    m_receptiveField = inputPixels;
    update();
}

void Canvas::setNumberBoxes(const QList<QRectF>& boxes, int highlighted)
{
    if (boxes == m_numberBoxes && highlighted == m_numberHighlighted)
        return;
    m_numberBoxes = boxes;
    m_numberHighlighted = highlighted;
    update();
}

int Canvas::numberBoxAt(QPointF canvasPos) const
{
    for (int i = 0; i < int(m_numberBoxes.size()); ++i)
        if (m_numberBoxes[i].adjusted(-4, -4, 4, 4).contains(canvasPos))
            return i;
    return -1;
}

void Canvas::drawNumberBoxes(QPainter& p) const
{
    p.save();
    p.setClipRect(canvasRect());
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(Qt::NoBrush);
    const QColor colour = palette().color(QPalette::Highlight);
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    for (int i = 0; i < int(m_numberBoxes.size()); ++i) {
        const QRectF c = m_numberBoxes[i].adjusted(-3, -3, 3, 3);
        const QRectF w(toWidget(c.topLeft()), toWidget(c.bottomRight()));
        const bool on = i == m_numberHighlighted;
        p.setPen(QPen(colour, on ? 2.5 : 1.0, on ? Qt::SolidLine : Qt::DashLine));
        p.drawRect(w);
        // Its place in the number, above the box's corner.
        const QRectF label(w.left(), w.top() - 18, 24, 16);
        p.fillRect(label, on ? colour : palette().color(QPalette::Window));
        p.setPen(on ? palette().color(QPalette::HighlightedText) : colour);
        p.drawText(label, Qt::AlignCenter, QString::number(i + 1));
    }
    p.restore();
}

QRectF Canvas::inputToCanvas(const QRectF& inputPixels) const
{
    // Output pixel o comes from source box + (o - offset) / scale, where
    // offset is the nominal (box-centring) placement plus the centre-of-mass
    // shift (nn::preprocess).
    const nn::PreprocessResult& r = m_overlay;
    if (!m_overlayValid || r.scale <= 0.0f)
        return {};
    const qreal s = r.scale;
    const qreal offX = r.shiftX + 0.5 * (28.0 - r.boxW * s);
    const qreal offY = r.shiftY + 0.5 * (28.0 - r.boxH * s);
    const QRectF source(r.boxX + (inputPixels.x() - offX) / s, r.boxY + (inputPixels.y() - offY) / s,
                        inputPixels.width() / s, inputPixels.height() / s);
    return QRectF(sourceToCanvas(source.topLeft()), sourceToCanvas(source.bottomRight()));
}

QPointF Canvas::sourceToCanvas(QPointF source) const
{
    // A placed picture predicted as it is has its geometry in its own pixels;
    // a drawing was prepared from the canvas itself.
    return m_overlayExact ? source * m_placedScale + m_placedOffset : source;
}

void Canvas::undo()
{
    if (m_source != Source::None)
        finishStroke({}, -1.0f);
    if (!m_model.undo())
        return;
    renderAll();
    changed(true);
}

void Canvas::redo()
{
    if (m_source != Source::None)
        return;
    if (!m_model.redo())
        return;
    renderAll();
    changed(true);
}

void Canvas::clear()
{
    if (m_source != Source::None)
        finishStroke({}, -1.0f);
    if (!m_model.clear())
        return;
    renderAll();
    changed(true);
}

void Canvas::placeImage(const QImage& picture, std::shared_ptr<const nn::PreprocessResult> exact)
{
    if (m_source != Source::None)
        finishStroke({}, -1.0f);
    m_model.placeImage(inkMapFromImage(picture, QSize(kSize, kSize)));
    // As inkMapFromImage fits it: scaled keeping its aspect, centred.
    if (!picture.isNull() && picture.width() > 0) {
        const QSize fitted = picture.size().scaled(QSize(kSize, kSize), Qt::KeepAspectRatio);
        m_placedScale = qreal(fitted.width()) / picture.width();
        m_placedOffset = QPointF((kSize - fitted.width()) / 2, (kSize - fitted.height()) / 2);
    }
    m_exact = std::move(exact);
    m_exactRevision = m_model.revision();
    renderAll();
    changed(true);
}

void Canvas::addStroke(const Stroke& stroke)
{
    if (stroke.points.isEmpty())
        return;
    if (m_source != Source::None)
        finishStroke({}, -1.0f);
    m_model.beginStroke(stroke.points[0], stroke.width, stroke.eraser);
    paintSegment(0);
    for (int i = 1; i < stroke.points.size(); ++i) {
        m_model.extendStroke(stroke.points[i]);
        paintSegment(i);
    }
    m_model.endStroke();
    changed(true);
}

void Canvas::changed(bool history)
{
    const bool hint = m_model.isBlank() && m_source == Source::None;
    if (hint != m_hintShown) {
        m_hintShown = hint;
        update(hintRect());
    }
    emit imageChanged();
    if (history)
        emit historyChanged();
}

// --- input -------------------------------------------------------------------

void Canvas::startStroke(QPointF widgetPos, float pressure, bool eraser, Source source, Qt::MouseButton button)
{
    if (m_source != Source::None)
        finishStroke({}, -1.0f);
    m_source = source;
    m_button = button;
    const qreal width = eraser ? eraserWidth() : m_penWidth;
    m_model.beginStroke({toCanvas(widgetPos), pressure}, width, eraser);
    paintSegment(0);
    changed(true);  // blankness changes with the first dot
}

void Canvas::continueStroke(QPointF widgetPos, float pressure)
{
    const QPointF pos = toCanvas(widgetPos);
    const StrokePoint& last = m_model.currentStroke().points.back();
    const QPointF d = pos - last.pos;
    if (std::abs(d.x()) + std::abs(d.y()) < kMinStep && std::abs(pressure - last.pressure) < 0.05f)
        return;
    m_model.extendStroke({pos, pressure});
    paintSegment(int(m_model.currentStroke().points.size()) - 1);
    changed(false);
}

void Canvas::finishStroke(QPointF widgetPos, float pressure)
{
    // pressure < 0: end where the stroke already is (focus lost, undo, ...).
    if (pressure >= 0.0f) {
        const QPointF pos = toCanvas(widgetPos);
        if (pos != m_model.currentStroke().points.back().pos) {
            m_model.extendStroke({pos, pressure});
            paintSegment(int(m_model.currentStroke().points.size()) - 1);
            emit imageChanged();
        }
    }
    m_model.endStroke();
    m_source = Source::None;
    m_button = Qt::NoButton;
    if (m_model.isBlank() && !m_hintShown) {  // an eraser-only stroke on a blank canvas
        m_hintShown = true;
        update(hintRect());
    }
    emit historyChanged();
}

void Canvas::mousePressEvent(QMouseEvent* event)
{
    if (m_source != Source::None) {  // a second button during a stroke
        event->accept();
        return;
    }
    const Qt::MouseButton b = event->button();
    if (b != Qt::LeftButton && b != Qt::RightButton) {
        event->ignore();
        return;
    }
    startStroke(event->position(), 1.0f, b == Qt::RightButton || m_eraserMode, Source::Mouse, b);
    event->accept();
}

void Canvas::mouseMoveEvent(QMouseEvent* event)
{
    if (m_source != Source::Mouse) {
        if (m_source == Source::None && event->buttons() == Qt::NoButton)
            emit hoverMoved(toCanvas(event->position()));
        return;
    }
    if (!(event->buttons() & m_button)) {  // the release went elsewhere
        finishStroke(event->position(), 1.0f);
        return;
    }
    continueStroke(event->position(), 1.0f);
}

void Canvas::leaveEvent(QEvent* event)
{
    emit hoverLeft();
    QWidget::leaveEvent(event);
}

void Canvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_source == Source::Mouse && event->button() == m_button)
        finishStroke(event->position(), 1.0f);
    event->accept();
}

void Canvas::tabletEvent(QTabletEvent* event)
{
    const float pressure = float(event->pressure());
    switch (event->type()) {
    case QEvent::TabletPress:
        if (m_source == Source::None) {
            const bool eraser = event->pointerType() == QPointingDevice::PointerType::Eraser ||
                                event->button() == Qt::RightButton || m_eraserMode;
            startStroke(event->position(), pressure, eraser, Source::Tablet, event->button());
        }
        break;
    case QEvent::TabletMove:
        if (m_source == Source::Tablet)
            continueStroke(event->position(), pressure);
        break;
    case QEvent::TabletRelease:
        if (m_source == Source::Tablet)
            finishStroke(event->position(), pressure);
        break;
    default:
        event->ignore();
        return;
    }
    // Accepted: Qt then synthesises no mouse events for the pen.
    event->accept();
}

void Canvas::focusOutEvent(QFocusEvent* event)
{
    // A dialog popping up mid-stroke would swallow the release.
    if (m_source != Source::None && event->reason() != Qt::PopupFocusReason)
        finishStroke({}, -1.0f);
    QWidget::focusOutEvent(event);
}

// --- rendering -----------------------------------------------------------------

void Canvas::paintSegment(int index)
{
    const Stroke& s = m_model.currentStroke();
    const InkStyle style = inkStyle();
    {
        QPainter p(&m_image);
        drawStrokeSegment(p, s, index, style);
    }
    if (!m_display.isNull()) {
        QPainter p(&m_display);
        p.scale(m_displayScale, m_displayScale);
        drawStrokeSegment(p, s, index, style);
    }
    updateCanvasRect(s.segmentBounds(index));
}

void Canvas::renderAll()
{
    const InkStyle style = inkStyle();
    {
        QPainter p(&m_image);
        m_model.render(p, style);
    }
    m_display = QImage();  // rebuilt at the next paint, at the right size
    update();
}

void Canvas::ensureDisplayImage()
{
    const QRect r = canvasRect();
    const int side = std::max(1, int(std::lround(r.width() * devicePixelRatioF())));
    if (m_display.width() == side && m_display.height() == side)
        return;
    m_display = QImage(side, side, QImage::Format_RGB32);
    m_displayScale = qreal(side) / kSize;
    QPainter p(&m_display);
    p.scale(m_displayScale, m_displayScale);
    m_model.render(p, inkStyle());
}

void Canvas::updateCanvasRect(const QRectF& canvasArea)
{
    const QRectF r(toWidget(canvasArea.topLeft()), toWidget(canvasArea.bottomRight()));
    update(r.toAlignedRect().adjusted(-1, -1, 1, 1));
}

void Canvas::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateCursor();
}

void Canvas::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QRect cr = canvasRect();
    const QRegion outside = QRegion(event->rect()).subtracted(cr);
    for (const QRect& r : outside)
        p.fillRect(r, palette().window());
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(cr.adjusted(-1, -1, 0, 0));

    ensureDisplayImage();
    const QRect target = event->rect() & cr;
    if (!target.isEmpty()) {
        const qreal k = qreal(m_display.width()) / cr.width();
        const QRectF source((target.x() - cr.x()) * k, (target.y() - cr.y()) * k, target.width() * k,
                            target.height() * k);
        p.drawImage(QRectF(target), m_display, source);
    }
    if (m_overlayEnabled && m_overlayValid && !m_model.isBlank())
        drawOverlay(p);
    if (!m_receptiveField.isEmpty() && m_overlayValid && !m_model.isBlank())
        drawReceptiveField(p);
    if (!m_numberBoxes.isEmpty() && !m_model.isBlank())
        drawNumberBoxes(p);
    if (m_hintShown && target.intersects(hintRect()))
        drawBlankHint(p);
}

void Canvas::drawReceptiveField(QPainter& p) const
{
    const QRectF c = inputToCanvas(QRectF(m_receptiveField));
    if (c.isEmpty())
        return;
    p.save();
    p.setClipRect(canvasRect());
    p.setBrush(Qt::NoBrush);
    const QRectF w(toWidget(c.topLeft()), toWidget(c.bottomRight()));
    // Two pens, as on the Layers page, so it shows on ink and background alike.
    p.setPen(QPen(QColor(0, 0, 0), 3));
    p.drawRect(w);
    p.setPen(QPen(kReceptiveColour, 1.5));
    p.drawRect(w);
    p.restore();
}

QRect Canvas::hintRect() const
{
    const QRect cr = canvasRect();
    const int h = fontMetrics().height() * 3;
    return QRect(cr.left(), cr.center().y() - h / 2, cr.width(), h);
}

void Canvas::drawBlankHint(QPainter& p) const
{
    // Not part of the image: only a cue on the empty canvas.
    QColor c = m_darkInk ? QColor(0, 0, 0) : QColor(255, 255, 255);
    c.setAlphaF(0.35f);
    p.setPen(c);
    p.drawText(hintRect(), Qt::AlignCenter,
               tr("Draw a digit here\nright button erases, Esc clears"));
}

void Canvas::drawOverlay(QPainter& p) const
{
    const nn::PreprocessResult& r = m_overlay;
    if (r.scale <= 0.0f)
        return;
    p.save();
    p.setClipRect(canvasRect());
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setBrush(Qt::NoBrush);
    auto mapRect = [&](qreal x, qreal y, qreal w, qreal h) {
        return QRectF(toWidget(sourceToCanvas({x, y})), toWidget(sourceToCanvas({x + w, y + h})));
    };

    // The ink's bounding box.
    QPen boxPen(kBoxColour, 1.5, Qt::DashLine);
    p.setPen(boxPen);
    p.drawRect(mapRect(r.boxX, r.boxY, r.boxW, r.boxH));

    // The 28x28 field in canvas units.
    const QRectF field = inputToCanvas(QRectF(0, 0, 28, 28));
    p.setPen(QPen(kFieldColour, 1.5, Qt::DotLine));
    p.drawRect(QRectF(toWidget(field.topLeft()), toWidget(field.bottomRight())));

    // Centre of mass, and the shift from the box's centre to it.
    const QPointF boxCentre = toWidget(sourceToCanvas({r.boxX + 0.5 * r.boxW, r.boxY + 0.5 * r.boxH}));
    const QPointF com = toWidget(sourceToCanvas({r.comX, r.comY}));
    p.setPen(QPen(kMassColour, 2.0, Qt::SolidLine, Qt::RoundCap));
    const QLineF shift(boxCentre, com);
    if (shift.length() > 3.0) {
        p.drawLine(shift);
        const qreal a = std::atan2(shift.dy(), shift.dx());
        const qreal head = 8.0;
        for (qreal da : {2.6, -2.6})
            p.drawLine(com, com + QPointF(std::cos(a + da), std::sin(a + da)) * head);
    }
    const qreal c = 7.0;
    p.drawLine(com - QPointF(c, 0), com + QPointF(c, 0));
    p.drawLine(com - QPointF(0, c), com + QPointF(0, c));
    p.drawEllipse(boxCentre, 2.5, 2.5);

    // Legend.
    QFont f = font();
    f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.85));
    p.setFont(f);
    const QFontMetrics fm(f);
    const QString items[3] = {tr("ink box"), tr("28x28 field"),
                              tr("centre-of-mass shift %1, %2 px")
                                  .arg(r.shiftX, 0, 'f', 1)
                                  .arg(r.shiftY, 0, 'f', 1)};
    const QColor colours[3] = {kBoxColour, kFieldColour, kMassColour};
    const int line = fm.height();
    int w = 0;
    for (const QString& s : items)
        w = std::max(w, fm.horizontalAdvance(s));
    const QRect cr = canvasRect();
    QRect legend(cr.left() + 6, cr.bottom() - 6 - 3 * line - 8, w + 28, 3 * line + 8);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(32, 32, 32, 190));
    p.drawRoundedRect(legend, 4, 4);
    for (int i = 0; i < 3; ++i) {
        const int y = legend.top() + 4 + i * line;
        p.setPen(QPen(colours[i], 2.0));
        p.drawLine(legend.left() + 6, y + line / 2, legend.left() + 18, y + line / 2);
        p.setPen(Qt::white);
        p.drawText(QRect(legend.left() + 22, y, w + 4, line), Qt::AlignLeft | Qt::AlignVCenter, items[i]);
    }
    p.restore();
}

void Canvas::updateCursor()
{
    const bool eraser = m_eraserMode;
    const qreal d = (eraser ? eraserWidth() : m_penWidth) * canvasRect().width() / kSize;
    if (d > 120.0 || d < 3.0) {
        setCursor(Qt::CrossCursor);
        return;
    }
    // A ring the size of the pen, black and white so it shows on either ink.
    const qreal dpr = devicePixelRatioF();
    const int side = int(std::ceil(d)) + 4;
    QPixmap pm(QSize(side, side) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    {
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing, true);
        const QRectF ring(2.0, 2.0, d, d);
        p.setPen(QPen(Qt::black, 2.0));
        eraser ? p.drawRect(ring) : p.drawEllipse(ring);
        p.setPen(QPen(Qt::white, 1.0));
        eraser ? p.drawRect(ring) : p.drawEllipse(ring);
    }
    setCursor(QCursor(pm, side / 2, side / 2));
}

}  // namespace app
