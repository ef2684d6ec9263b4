#pragma once
// Colour maps for values (feature maps, kernels, saliency): colour-blind safe
// and readable on light and dark themes. Magnitudes (>= 0) use viridis
// (van der Walt & Smith, matplotlib 2.0); signed values use a diverging
// blue-grey-orange map centred at zero (blue negative, orange positive).
#include <QColor>
#include <QRgb>
#include <QString>

#include <cstddef>

class QPainter;
class QRect;

namespace app {

// Lines of a chart: colour-blind-safe categorical colours (Okabe & Ito 2008), cycling.
QColor categoricalColour(std::size_t i);

QRgb viridis(float t);     // t in [0, 1], clamped
QRgb blueOrange(float s);  // s in [-1, 1], clamped; 0 is neutral grey
// Ten categories (the digits): Paul Tol's colour-blind-safe "muted" scheme
// (nine colours) and a mid grey, each readable on light and dark themes.
// k outside 0..9 wraps.
QRgb categoryColour(int k);

// How a set of values maps to colours: one per layer, so that tiles of one
// layer compare.
struct ColourScale {
    enum Kind { Magnitude, Signed };
    Kind kind = Magnitude;
    float lo = 0, hi = 1;  // Magnitude: [lo, hi]; Signed: [-hi, hi] (lo = -hi)

    // Values that are all >= 0 get viridis over [0, max]; any negative value
    // makes it signed, symmetric around zero. A range of zero width still
    // gives a usable scale.
    static ColourScale fit(float min, float max);
    static ColourScale symmetric(float maxAbs);
    QRgb colour(float v) const;
};

// A horizontal legend: the colour ramp in `rect` with its end values (and 0
// for a signed scale) written under it.
void paintColourLegend(QPainter& painter, const QRect& rect, const ColourScale& scale);

}  // namespace app
