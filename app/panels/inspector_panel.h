#pragma once
// The Layers page (issue 16): inside the network for the current drawing.
// Right: every layer's output (LayerStack), updating as the drawing changes.
// Left: what the network sees, with the receptive field of the unit under
// the mouse outlined on it; the selected feature map large; the kernels of
// the convolution that makes it; and the 9 MNIST test images that excite
// that channel most (computed once per model off the GUI thread). The logic
// lives in LayerInspector and nn/inspect; this is the view.
#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QTabWidget;
class QToolButton;
class QGridLayout;

namespace nn {
class Model;
struct Dataset;
}  // namespace nn

namespace app {

class EmbeddingPanel;
class HealthView;
class LayerInspector;
class LayerStack;

// A small image drawn large with square pixels, an optional outlined
// rectangle (in image pixels) and the pixel under the mouse reported.
class PixelView : public QWidget {
    Q_OBJECT
public:
    explicit PixelView(int side, QWidget* parent = nullptr);
    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    void setOutline(const QRect& pixels);  // empty: none
    QRect outline() const { return m_outline; }
    QSize sizeHint() const override { return {m_side, m_side}; }
    QSize minimumSizeHint() const override { return {m_side / 2, m_side / 2}; }
    QRect imageRect() const;
    // With a keyboard cursor the view takes focus and the arrow keys (Home,
    // End, PgUp, PgDn to the edges) move a framed pixel, reported through
    // pixelHovered as a mouse over it would be, so its unit can be looked at
    // without a mouse; leaving the view by keyboard reports (-1, -1).
    void setKeyboardCursor(bool on);
    QPoint cursor() const { return m_cursor; }  // (x, y); (-1, -1) when none is shown

signals:
    void pixelHovered(int y, int x);  // -1, -1: left
    void clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void moveCursor(QPoint to);

    int m_side;
    QImage m_image;
    QRect m_outline;
    bool m_keyboard = false;
    QPoint m_cursor{-1, -1};
};

class InspectorPanel : public QWidget {
    Q_OBJECT

public:
    explicit InspectorPanel(LayerInspector* inspector, QWidget* parent = nullptr);

    LayerInspector* inspector() const { return m_inspector; }
    LayerStack* stack() const { return m_stack; }
    HealthView* healthView() const { return m_health; }
    EmbeddingPanel* embeddingPanel() const { return m_embedding; }
    // Shows the training-health tab (true) or the layer outputs (false).
    void showHealth(bool on);
    void showEmbedding();
    PixelView* inputView() const { return m_inputView; }
    PixelView* mapView() const { return m_mapView; }
    QLabel* hoverLabel() const { return m_hover; }
    // The selected map: its layer (in the spec) and channel; -1 when none.
    void select(int layer, int channel);
    int selectedLayer() const { return m_layer; }
    int selectedChannel() const { return m_channel; }
    // The convolution whose kernels the selection shows (-1: none).
    int kernelLayer() const { return m_kernelLayer; }
    int kernelTiles() const { return int(m_kernelViews.size()); }
    // The test images shown as exemplars of the selection (indices into the set).
    std::vector<int> shownExemplars() const { return m_shown; }
    // Hover a unit as the mouse would (also for tests): outlines its receptive field.
    void hoverUnit(int layer, int channel, int y, int x);

signals:
    void sendToCanvas(const QImage& image);  // 28x28, white ink on black
    // From the embedding tab: a test image to open, test images to list, in the browser.
    void openTestSample(int index);
    void selectTestSamples(const QList<int>& indices);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void refreshSelection();
    void refreshKernels();
    void refreshExemplars();

    LayerInspector* m_inspector;
    LayerStack* m_stack;
    HealthView* m_health;
    EmbeddingPanel* m_embedding;
    QTabWidget* m_right;
    PixelView* m_inputView;
    QLabel* m_hover;
    QLabel* m_mapTitle;
    PixelView* m_mapView;
    QLabel* m_mapLegend;
    QLabel* m_kernelTitle;
    QWidget* m_kernelBox;
    QGridLayout* m_kernelGrid;
    std::vector<QLabel*> m_kernelViews;
    QLabel* m_exemplarTitle;
    QLabel* m_exemplarStatus;
    QProgressBar* m_exemplarProgress;
    std::vector<QToolButton*> m_exemplarButtons;
    std::vector<int> m_shown;
    int m_layer = -1, m_channel = -1, m_kernelLayer = -1;
    // The unit under the mouse (layer -1: none): its text follows the drawing.
    int m_hoverLayer = -1, m_hoverChannel = -1, m_hoverY = 0, m_hoverX = 0;
};

}  // namespace app
