#pragma once
// The drawing as data: an undoable history of operations (ink and eraser
// strokes, clears, placed images) in canvas coordinates, independent of any
// widget, screen or colour scheme. The canvas renders it; tests replay it.
//
// Pixel-exactness contract: a stroke drawn live, one segment at a time with
// drawStrokeDot() and drawStrokeSegment(), and the same stroke replayed by
// render() issue the very same painter calls in the same order, so undo and
// redo restore every pixel exactly.
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QVector>

#include <vector>

class QPainter;

namespace app {

struct StrokePoint {
    QPointF pos;           // canvas coordinates
    float pressure = 1.0f; // 0..1; the mouse always gives 1
};

struct Stroke {
    qreal width = 30.0;  // diameter at full pressure, canvas units
    bool eraser = false;
    QVector<StrokePoint> points;

    // Width of the segment ending at point i (mean pressure of its two ends).
    qreal segmentWidth(int i) const;
    // Canvas area touched by the segment ending at point i (the dot for i == 0).
    QRectF segmentBounds(int i) const;
    QRectF bounds() const;
};

// Colours of one rendering: the polarity preference lives outside the model.
struct InkStyle {
    QColor ink = Qt::white;
    QColor background = Qt::black;
    static InkStyle whiteOnBlack() { return {Qt::white, Qt::black}; }
    static InkStyle blackOnWhite() { return {Qt::black, Qt::white}; }
};

// One undoable step.
struct CanvasOp {
    enum class Kind { Stroke, Clear, Image };
    Kind kind = Kind::Stroke;
    Stroke stroke;  // Kind::Stroke
    QImage ink;     // Kind::Image: Format_Grayscale8 ink amount (255 = full ink), canvas-sized
};

// Pressure to width: a light touch still leaves a visible line.
qreal pressureWidth(qreal width, float pressure);

// The live-drawing primitives (also used by replay). The painter's transform
// maps canvas coordinates to the target.
void drawStrokeDot(QPainter& p, const Stroke& s, const InkStyle& style);
void drawStrokeSegment(QPainter& p, const Stroke& s, int i, const InkStyle& style);
void drawInkImage(QPainter& p, const QImage& ink, QSizeF canvasSize, const InkStyle& style);

// Any picture -> canvas-sized ink map (Format_Grayscale8, 255 = ink): judges
// the polarity from the image border, stretches the contrast between
// background and the strongest ink, scales to fit (keeping the aspect ratio)
// and centres it. Used by File > Open Image and drag-and-drop.
QImage inkMapFromImage(const QImage& image, QSize canvasSize);

class StrokeModel {
public:
    explicit StrokeModel(QSizeF canvasSize = {560, 560}) : m_size(canvasSize) {}

    QSizeF canvasSize() const { return m_size; }

    // Live stroke. begin/extend return the canvas area that changed.
    QRectF beginStroke(const StrokePoint& p, qreal width, bool eraser);
    QRectF extendStroke(const StrokePoint& p);
    void endStroke();  // commits to the history; clears the redo list
    bool inStroke() const { return m_inStroke; }
    const Stroke& currentStroke() const { return m_current; }

    // Whole-canvas operations. clear() is itself undoable and does nothing
    // (returns false) when the canvas is already blank.
    bool clear();
    void placeImage(const QImage& inkMap);

    bool canUndo() const { return !m_done.empty(); }
    bool canRedo() const { return !m_undone.empty(); }
    bool undo();  // ends a stroke in progress first
    bool redo();

    // True when nothing visible has been drawn since the last clear (strokes
    // that only erase do not count).
    bool isBlank() const;
    const std::vector<CanvasOp>& history() const { return m_done; }
    int revision() const { return m_revision; }  // bumps whenever the rendered drawing changes

    // Replays the visible history (from the last clear or image) onto a
    // painter whose transform maps canvas coordinates to the target; the
    // target is first filled with the background.
    void render(QPainter& p, const InkStyle& style) const;
    // Convenience: a fresh canvas-sized RGB32 image of the drawing.
    QImage toImage(const InkStyle& style, qreal scale = 1.0) const;

private:
    void push(CanvasOp op);

    QSizeF m_size;
    std::vector<CanvasOp> m_done;
    std::vector<CanvasOp> m_undone;
    Stroke m_current;
    bool m_inStroke = false;
    int m_revision = 0;
};

}  // namespace app
