#pragma once
// Views of layer outputs (issue 16): one LayerStrip per layer -- a caption
// with the layer's spec, output shape and parameter count, its feature maps
// as a grid of tiles on one colour scale for the layer (with a legend), or
// for a layer without spatial extent (dense) a strip of bars -- and a
// LayerStack of strips for all layers, with the softmax at the end. Used
// full size on the Layers page and compact on the pad.
#include "common/colour_map.h"

#include <nn/inspect.h>

#include <QImage>
#include <QWidget>

#include <vector>

class QLabel;
class QPainter;
class QScrollArea;
class QVBoxLayout;

namespace app {

class LayerInspector;

// One channel's map at its own resolution (one pixel per unit) on `scale`.
QImage renderFeatureMap(const nn::LayerTrace& trace, int channel, const ColourScale& scale);
// A k x k kernel on `scale` (one pixel per weight).
QImage renderKernel(const float* weights, int k, const ColourScale& scale);
// "conv 32 5 pad=2 · 32×28×28 · 832 parameters" (translated).
QString layerCaption(const nn::LayerTrace& trace);
// The colour scale of a layer: viridis for outputs >= 0, else signed.
ColourScale layerScale(const nn::LayerTrace& trace);

class LayerStrip : public QWidget {
    Q_OBJECT

public:
    // tile: the side of a feature-map tile in pixels.
    explicit LayerStrip(int tile, QWidget* parent = nullptr);

    // The layer to show (a copy is kept). probabilities: the values are the
    // softmax of the logits, labelled by class.
    void setTrace(const nn::LayerTrace& trace, bool probabilities = false);
    const nn::LayerTrace& trace() const { return m_trace; }
    bool showsProbabilities() const { return m_probabilities; }
    void setSelectedChannel(int channel);
    int selectedChannel() const { return m_selected; }
    // The keyboard's tile (-1 before the strip had focus): arrows, Home and
    // End move it, Enter or Space clicks it. The accessible description
    // follows it (channelDescription).
    void setCurrentChannel(int channel);
    int currentChannel() const { return m_current; }
    // "Map 5 of 32: values from 0 to 2.31" / "Unit 3 of 10: 0.25" / "Class 7: 92.0%".
    QString channelDescription(int channel) const;
    ColourScale scale() const { return m_scale; }

    // Geometry, for the mouse and tests: the tile (or bar) of a channel, and
    // the unit under a point (false when there is none).
    QRect channelRect(int channel) const;
    bool unitAt(QPoint pos, int* channel, int* y, int* x) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void channelClicked(int channel);
    void unitHovered(int channel, int y, int x);  // channel -1: left the strip
    // The keyboard asks for the strip above (-1) or below (+1): Up in the
    // first row, Down in the last, Page Up, Page Down.
    void stripStepRequested(int direction);
    void focusEntered();
    void currentChannelChanged(int channel);  // the keyboard's tile moved

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    int columns(int width) const;
    int legendWidth() const;
    int captionHeight() const;
    int legendHeight() const;
    int barsHeight() const;
    void updateAccessibleText();
    void paintKeyboardTile(QPainter& p) const;

    int m_tile;
    nn::LayerTrace m_trace;
    bool m_probabilities = false;
    ColourScale m_scale;
    std::vector<QImage> m_tiles;
    int m_selected = -1;
    int m_current = -1;
    bool m_keyboard = false;  // the keyboard's tile is drawn only while the keyboard is in use, not after a click
    QString m_caption;
};

// Every layer of the inspector's current trace, top to bottom, in a scroll area.
class LayerStack : public QWidget {
    Q_OBJECT

public:
    LayerStack(LayerInspector* inspector, int tile, QWidget* parent = nullptr);

    int strips() const { return int(m_strips.size()); }
    LayerStrip* strip(int index) const { return m_strips[std::size_t(index)]; }
    // Re-reads the inspector (when visible; else when shown next).
    void refresh();
    void setSelected(int layer, int channel);

signals:
    void channelClicked(int layer, int channel);
    void unitHovered(int layer, int channel, int y, int x);

protected:
    void showEvent(QShowEvent* event) override;

private:
    // One Tab stop for all the strips: the one the keyboard was last in takes
    // Tab focus, the others only a click (or Up/Down from a neighbour).
    void setTabStrip(int index);
    void stepFocus(int from, int direction);
    // Scrolls so that the layer's tile for the channel is in view.
    void showTile(int layer, int channel);

    LayerInspector* m_inspector;
    int m_tile;
    QScrollArea* m_area;
    QWidget* m_content;
    QVBoxLayout* m_layout;
    QLabel* m_empty;
    std::vector<LayerStrip*> m_strips;
    bool m_stale = true;
    int m_selLayer = -1, m_selChannel = -1;
    int m_tabStrip = 0;
};

}  // namespace app
