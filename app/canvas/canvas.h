#pragma once
// The drawing pad. The drawing lives in a StrokeModel (canvas coordinates,
// kSize x kSize); the widget keeps two renderings of it:
//  - image(): exactly kSize x kSize pixels whatever the window size or
//    screen -- what prediction reads, so a digit means the same on any
//    display;
//  - a display image at the widget's physical pixel size (devicePixelRatio
//    included), so strokes stay sharp when the window is large or the screen
//    is high-DPI instead of being an upscaled 560x560 bitmap.
// Each mouse or tablet event adds one segment to both and repaints only the
// segment's rectangle. Whole-canvas changes (undo, redo, clear, resize, a new
// polarity) replay the model.
#include "strokes.h"

#include <nn/preprocess.h>

#include <QImage>
#include <QWidget>

#include <memory>


namespace app {

class Canvas : public QWidget {
    Q_OBJECT

public:
    static constexpr int kSize = 560;  // logical resolution, canvas units
    static constexpr int kMinPenWidth = 2, kMaxPenWidth = 120;

    explicit Canvas(QWidget* parent = nullptr);

    // The drawing at kSize x kSize, Format_RGB32, in the current ink style.
    const QImage& image() const { return m_image; }
    const StrokeModel& strokes() const { return m_model; }
    bool isBlank() const { return m_model.isBlank(); }
    // Bumps on every change of image(), during strokes too.
    int revision() const { return m_model.revision(); }
    // A copy of image() for another thread to read while drawing goes on.
    // Reuses one of two buffers (whichever no one else holds any more), so
    // it costs a memcpy and never an allocation or a copy-on-write detach of
    // image() in the middle of a stroke.
    QImage snapshot() const;

    qreal penWidth() const { return m_penWidth; }
    qreal eraserWidth() const { return 2.0 * m_penWidth; }
    bool eraserMode() const { return m_eraserMode; }
    // Ink preference: false = white ink on black (like MNIST), true = black on white.
    bool darkInk() const { return m_darkInk; }
    InkStyle inkStyle() const;

    // Preprocessing overlay (ink box, 28x28 field, centre-of-mass shift).
    bool overlayEnabled() const { return m_overlayEnabled; }
    // exact: the result is a placed picture's own (predicted as it is), its
    // geometry in that picture's pixels.
    void setOverlayGeometry(const nn::PreprocessResult& result, bool exact = false);
    // Outlines the input pixels [x, x+w) x [y, y+h) of the 28x28 network
    // input on the drawing, through the same geometry (the receptive field of
    // a unit hovered in the pad's Layers tab); an empty rectangle removes it.
    // Shown whether or not the overlay is on, while there is ink.
    void setReceptiveField(const QRect& inputPixels);
    QRect receptiveField() const { return m_receptiveField; }
    // The digits' boxes when the drawing reads as a number (canvas
    // coordinates, left to right; empty: none), `highlighted` the one whose
    // probabilities are shown. Shown whether or not the overlay is on.
    void setNumberBoxes(const QList<QRectF>& boxes, int highlighted);
    const QList<QRectF>& numberBoxes() const { return m_numberBoxes; }
    int highlightedNumberBox() const { return m_numberHighlighted; }
    // Which of the number boxes holds `canvasPos` (-1: none).
    int numberBoxAt(QPointF canvasPos) const;
    // Where input pixels [x, x+w) x [y, y+h) came from, in canvas
    // coordinates (empty without ink).
    QRectF inputToCanvas(const QRectF& inputPixels) const;
    // A point of the prepared image's source (the canvas, or the placed
    // picture predicted as it is) in canvas coordinates.
    QPointF sourceToCanvas(QPointF source) const;

    // Puts a picture on the canvas (scaled to fit, converted to the canvas
    // polarity) as one undoable step. `exact`, when given, is the network
    // input the picture stands for (an MNIST sample as it is, a photo
    // preprocessed from its own pixels as `digitpad-cli predict` does):
    // exactInput() returns it until the canvas changes, so the prediction is
    // the one the picture itself gets, not that of its re-rendered copy.
    void placeImage(const QImage& picture, std::shared_ptr<const nn::PreprocessResult> exact = {});
    // The `exact` input of the last placeImage while nothing has changed
    // since, else null (the drawing is then what is predicted).
    std::shared_ptr<const nn::PreprocessResult> exactInput() const
    {
        return m_exact && m_model.revision() == m_exactRevision ? m_exact : nullptr;
    }
    // Adds a finished stroke (demos, tests, replaying a saved drawing).
    void addStroke(const Stroke& stroke);

    // Geometry: the canvas square inside the widget, and the mappings.
    QRect canvasRect() const;
    QPointF toCanvas(QPointF widgetPos) const;
    QPointF toWidget(QPointF canvasPos) const;

    QSize sizeHint() const override { return {kSize, kSize}; }
    QSize minimumSizeHint() const override { return {200, 200}; }

public slots:
    void setPenWidth(qreal width);
    void setEraserMode(bool on);
    void setDarkInk(bool dark);
    void setOverlayEnabled(bool on);
    void undo();
    void redo();
    void clear();

signals:
    void imageChanged();     // any pixel of image() changed
    void historyChanged();   // undo/redo availability or blankness may have changed
    void penWidthChanged(qreal width);
    void eraserModeChanged(bool on);
    // The mouse moved over the canvas without drawing (canvas coordinates),
    // or left it.
    void hoverMoved(QPointF canvasPos);
    void hoverLeft();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    enum class Source { None, Mouse, Tablet };

    void startStroke(QPointF widgetPos, float pressure, bool eraser, Source source, Qt::MouseButton button);
    void continueStroke(QPointF widgetPos, float pressure);
    void finishStroke(QPointF widgetPos, float pressure);
    void paintSegment(int index);     // last segment of the live stroke into both images
    void renderAll();                 // replay the model into both images
    void ensureDisplayImage();        // (re)build the display image for size and DPR
    void updateCanvasRect(const QRectF& canvasArea);
    void updateCursor();
    void drawOverlay(QPainter& p) const;
    void drawReceptiveField(QPainter& p) const;
    void drawNumberBoxes(QPainter& p) const;
    QRect hintRect() const;
    void drawBlankHint(QPainter& p) const;
    void changed(bool history);

    StrokeModel m_model{QSizeF(kSize, kSize)};
    QImage m_image;    // kSize x kSize: prediction's input
    QImage m_display;  // physical pixels of canvasRect()
    mutable QImage m_snapshots[2];
    qreal m_displayScale = 1.0;  // display pixels per canvas unit

    qreal m_penWidth = 30.0;
    bool m_eraserMode = false;
    bool m_darkInk = false;

    Source m_source = Source::None;
    Qt::MouseButton m_button = Qt::NoButton;

    bool m_hintShown = true;  // "Draw a digit here" on the blank canvas
    bool m_overlayEnabled = false;
    bool m_overlayValid = false;
    nn::PreprocessResult m_overlay;
    bool m_overlayExact = false;
    QRect m_receptiveField;
    QList<QRectF> m_numberBoxes;
    int m_numberHighlighted = -1;
    // Where the last placed picture went: canvas = picture * scale + offset.
    qreal m_placedScale = 1.0;
    QPointF m_placedOffset;
    std::shared_ptr<const nn::PreprocessResult> m_exact;
    int m_exactRevision = -1;
};

}  // namespace app
