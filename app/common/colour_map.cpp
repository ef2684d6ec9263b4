#include "colour_map.h"

#include <QLocale>
#include <QPalette>
#include <QPainter>
#include <QRect>

#include <algorithm>
#include <array>
#include <cmath>

namespace app {

namespace {

struct Stop {
    float r, g, b;
};

// viridis sampled at 11 evenly spaced points.
constexpr std::array<Stop, 11> kViridis{{{68, 1, 84},
                                         {72, 36, 117},
                                         {65, 68, 135},
                                         {53, 95, 141},
                                         {42, 120, 142},
                                         {33, 145, 140},
                                         {34, 168, 132},
                                         {68, 191, 112},
                                         {122, 209, 81},
                                         {189, 223, 38},
                                         {253, 231, 37}}};

// Blue (negative) - grey - orange (positive): the ends are told apart by
// people with any of the common colour-vision deficiencies.
constexpr std::array<Stop, 5> kBlueOrange{{{33, 102, 172},
                                           {120, 170, 210},
                                           {160, 160, 160},
                                           {240, 170, 90},
                                           {217, 95, 2}}};

template <std::size_t N>
QRgb interpolate(const std::array<Stop, N>& stops, float t)
{
    if (!(t > 0.0f))  // also NaN
        t = 0.0f;
    t = std::min(t, 1.0f) * float(N - 1);
    const std::size_t i = std::min(std::size_t(t), N - 2);
    const float f = t - float(i);
    const Stop& a = stops[i];
    const Stop& b = stops[i + 1];
    return qRgb(int(a.r + f * (b.r - a.r) + 0.5f), int(a.g + f * (b.g - a.g) + 0.5f), int(a.b + f * (b.b - a.b) + 0.5f));
}

}  // namespace

QRgb viridis(float t) { return interpolate(kViridis, t); }

QColor categoricalColour(std::size_t i)
{
    static const QColor c[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115), QColor(204, 121, 167),
                               QColor(86, 180, 233), QColor(213, 94, 0),  QColor(240, 228, 66), QColor(0, 0, 0)};
    return c[i % (sizeof c / sizeof c[0])];
}

QRgb blueOrange(float s) { return interpolate(kBlueOrange, 0.5f * (std::clamp(s, -1.0f, 1.0f) + 1.0f)); }

ColourScale ColourScale::fit(float min, float max)
{
    if (min < 0.0f)
        return symmetric(std::max(-min, max));
    ColourScale s;
    s.kind = Magnitude;
    s.lo = 0.0f;
    s.hi = max > 0.0f ? max : 1.0f;
    return s;
}

ColourScale ColourScale::symmetric(float maxAbs)
{
    ColourScale s;
    s.kind = Signed;
    s.hi = maxAbs > 0.0f && std::isfinite(maxAbs) ? maxAbs : 1.0f;
    s.lo = -s.hi;
    return s;
}

QRgb ColourScale::colour(float v) const
{
    if (kind == Signed)
        return blueOrange(v / hi);
    return viridis((v - lo) / (hi - lo));
}

void paintColourLegend(QPainter& p, const QRect& rect, const ColourScale& scale)
{
    const int textH = p.fontMetrics().height();
    const QRect ramp(rect.left(), rect.top(), rect.width(), std::max(4, rect.height() - textH));
    for (int x = 0; x < ramp.width(); ++x) {
        const float f = ramp.width() > 1 ? float(x) / float(ramp.width() - 1) : 0.0f;
        p.setPen(QColor(scale.colour(scale.lo + f * (scale.hi - scale.lo))));
        p.drawLine(ramp.left() + x, ramp.top(), ramp.left() + x, ramp.bottom());
    }
    p.setPen(QPalette().color(QPalette::WindowText));
    const QLocale locale;
    const auto number = [&](float v) { return locale.toString(double(v), 'g', 3); };
    const QRect text(rect.left(), ramp.bottom() + 1, rect.width(), textH);
    p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, number(scale.lo));
    p.drawText(text, Qt::AlignRight | Qt::AlignVCenter, number(scale.hi));
    if (scale.kind == ColourScale::Signed)
        p.drawText(text, Qt::AlignHCenter | Qt::AlignVCenter, number(0.0f));
}

QRgb categoryColour(int k)
{
    // Tol, "Colour schemes", SRON/EPS/TN/09-002 (2021), muted: rose, indigo,
    // sand, green, cyan, wine, teal, olive, purple; then grey for the tenth.
    static constexpr QRgb kColours[10] = {0xffcc6677, 0xff332288, 0xffddcc77, 0xff117733, 0xff88ccee,
                                          0xff882255, 0xff44aa99, 0xff999933, 0xffaa4499, 0xff888888};
    return kColours[((k % 10) + 10) % 10];
}

}  // namespace app
