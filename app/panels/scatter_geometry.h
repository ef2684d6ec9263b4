#pragma once
// The embedding view's geometry, without a window: the map from data
// coordinates to the widget (the points' bounds fitted into the viewport
// with equal scales on both axes, then zoomed and panned), the point under
// the mouse, and the points inside a lasso. ScatterView draws with it and
// tests check it directly.
#include <QPointF>
#include <QPolygonF>
#include <QRectF>

#include <vector>

namespace app {

class ScatterTransform {
public:
    // xy: n points as (x, y) pairs. Empty bounds (no points, or all at one
    // place) are widened to a unit square around them.
    void fit(const std::vector<float>& xy, const QRectF& viewport, double margin = 12);
    void setViewport(const QRectF& viewport);  // keeps the bounds, zoom and pan
    QRectF viewport() const { return m_viewport; }
    QRectF bounds() const { return m_bounds; }

    // Widget pixels per data unit (the same on both axes); y grows upwards in data.
    double scale() const;
    QPointF toWidget(QPointF data) const;
    QPointF toData(QPointF widget) const;

    // Zooms by `factor` keeping the data point under `anchor` (widget) where it is.
    void zoom(double factor, QPointF anchor);
    void pan(QPointF widgetDelta);
    void reset();  // zoom 1, no pan
    double zoomFactor() const { return m_zoom; }

private:
    QRectF m_bounds{0, 0, 1, 1};
    QRectF m_viewport{0, 0, 1, 1};
    double m_margin = 12;
    double m_zoom = 1;
    QPointF m_pan;  // widget pixels
};

// The index of the point nearest to `widget` within `radius` pixels, -1 when none.
int nearestPoint(const std::vector<float>& xy, const ScatterTransform& t, QPointF widget, double radius);
// The indices (ascending) of the points whose widget position lies inside
// the closed polygon (odd-even rule); fewer than three corners select nothing.
std::vector<int> pointsInPolygon(const std::vector<float>& xy, const ScatterTransform& t, const QPolygonF& polygon);

}  // namespace app
