#include "scatter_geometry.h"

#include <algorithm>
#include <limits>

namespace app {

void ScatterTransform::fit(const std::vector<float>& xy, const QRectF& viewport, double margin)
{
    double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
        x0 = std::min(x0, double(xy[i])), x1 = std::max(x1, double(xy[i]));
        y0 = std::min(y0, double(xy[i + 1])), y1 = std::max(y1, double(xy[i + 1]));
    }
    if (!(x1 >= x0))
        x0 = y0 = -0.5, x1 = y1 = 0.5;
    if (x1 - x0 <= 0)
        x0 -= 0.5, x1 += 0.5;
    if (y1 - y0 <= 0)
        y0 -= 0.5, y1 += 0.5;
    m_bounds = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    m_margin = margin;
    m_viewport = viewport;
    reset();
}

void ScatterTransform::setViewport(const QRectF& viewport) { m_viewport = viewport; }

double ScatterTransform::scale() const
{
    const double w = std::max(1.0, m_viewport.width() - 2 * m_margin);
    const double h = std::max(1.0, m_viewport.height() - 2 * m_margin);
    return std::min(w / m_bounds.width(), h / m_bounds.height()) * m_zoom;
}

QPointF ScatterTransform::toWidget(QPointF d) const
{
    const double s = scale();
    const QPointF c = m_viewport.center() + m_pan;
    return {c.x() + (d.x() - m_bounds.center().x()) * s, c.y() - (d.y() - m_bounds.center().y()) * s};
}

QPointF ScatterTransform::toData(QPointF w) const
{
    const double s = scale();
    const QPointF c = m_viewport.center() + m_pan;
    return {m_bounds.center().x() + (w.x() - c.x()) / s, m_bounds.center().y() - (w.y() - c.y()) / s};
}

void ScatterTransform::zoom(double factor, QPointF anchor)
{
    const double next = std::clamp(m_zoom * factor, 0.25, 200.0);
    const QPointF at = toData(anchor);
    m_zoom = next;
    m_pan += anchor - toWidget(at);  // the anchor's data point back under it
}

void ScatterTransform::pan(QPointF delta) { m_pan += delta; }

void ScatterTransform::reset()
{
    m_zoom = 1;
    m_pan = {};
}

int nearestPoint(const std::vector<float>& xy, const ScatterTransform& t, QPointF widget, double radius)
{
    // In data units, so the loop is a subtraction and a compare per point.
    const QPointF d = t.toData(widget);
    const double r = radius / t.scale();
    double best = r * r;
    int found = -1;
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
        const double dx = xy[i] - d.x(), dy = xy[i + 1] - d.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best) {
            best = d2;
            found = int(i / 2);
        }
    }
    return found;
}

std::vector<int> pointsInPolygon(const std::vector<float>& xy, const ScatterTransform& t, const QPolygonF& polygon)
{
    std::vector<int> inside;
    if (polygon.size() < 3)
        return inside;
    const QRectF box = polygon.boundingRect();
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
        const QPointF w = t.toWidget({xy[i], xy[i + 1]});
        if (box.contains(w) && polygon.containsPoint(w, Qt::OddEvenFill))
            inside.push_back(int(i / 2));
    }
    return inside;
}

}  // namespace app
