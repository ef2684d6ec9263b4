#pragma once
// The embedding view (issue 16), the "Embedding" tab of the Layers page:
// the 10,000 MNIST test images as points where the network's penultimate
// layer puts them (PCA or t-SNE), coloured by true label, misclassified
// points ringed, the current drawing as a live star. Hover shows the
// digit; click opens it in the browser; a lasso (drag) filters the browser
// to the points inside. The wheel zooms, the right button pans, a double
// click fits the map again. The logic is in EmbeddingState and
// scatter_geometry; this is the view.
#include "scatter_geometry.h"

#include <QImage>
#include <QList>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace app {

class EmbeddingState;
class LayerInspector;

// The scatter: points drawn once into a cached image (10,000 sprites, a few
// milliseconds), the hovered point, the lasso and the live point on top.
class ScatterView : public QWidget {
    Q_OBJECT
public:
    explicit ScatterView(QWidget* parent = nullptr);

    // xy: n (x, y) pairs; labels and wrong: n each (wrong may be empty).
    void setPoints(std::vector<float> xy, std::vector<std::uint8_t> labels, std::vector<bool> wrong);
    void clearPoints();
    int pointCount() const { return int(m_labels.size()); }
    const std::vector<float>& points() const { return m_xy; }
    // Drawn faded under a message (a map for an older model).
    void setFaded(bool faded, const QString& message = {});
    void setLivePoint(std::optional<QPointF> data);
    std::optional<QPointF> livePoint() const { return m_live; }
    const ScatterTransform& transform() const { return m_transform; }
    int hoveredIndex() const { return m_hovered; }
    void resetView();
    QSize sizeHint() const override { return {640, 480}; }
    QSize minimumSizeHint() const override { return {240, 200}; }

signals:
    void hovered(int index);  // -1: none
    void clicked(int index);
    void lassoSelected(const QList<int>& indices);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void render();  // the cached image of all points
    void setHovered(int index);

    std::vector<float> m_xy;
    std::vector<std::uint8_t> m_labels;
    std::vector<bool> m_wrong;
    ScatterTransform m_transform;
    QImage m_cache;
    bool m_dirty = true;
    bool m_faded = false;
    QString m_message;
    std::optional<QPointF> m_live;
    int m_hovered = -1;
    QPolygonF m_lasso;
    bool m_lassoing = false;
    bool m_panning = false;
    QPointF m_last;
};

// The ten label colours, the misclassified ring and the live star.
class EmbeddingLegend : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingLegend(QWidget* parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
};

class EmbeddingPanel : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingPanel(LayerInspector* inspector, QWidget* parent = nullptr);

    EmbeddingState* state() const { return m_state; }
    ScatterView* scatter() const { return m_view; }
    QComboBox* methodBox() const { return m_method; }
    QDoubleSpinBox* perplexityBox() const { return m_perplexity; }
    QSpinBox* seedBox() const { return m_seed; }
    QPushButton* computeButton() const { return m_compute; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* hoverLabel() const { return m_hoverText; }
    // Starts the computation with the controls' settings (the Compute button).
    void compute();

signals:
    void openSample(int testIndex);                // a click on a point
    void selectSamples(const QList<int>& testIndices);  // a lasso

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refreshResult();
    void refreshLive();
    void refreshControls();
    void showHover(int index);

    LayerInspector* m_inspector;
    EmbeddingState* m_state;
    ScatterView* m_view;
    QComboBox* m_method;
    QDoubleSpinBox* m_perplexity;
    QSpinBox* m_seed;
    QPushButton* m_compute;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_hoverImage;
    QLabel* m_hoverText;
    QLabel* m_selection;
};

}  // namespace app
