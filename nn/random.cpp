// The real-valued draws of random.h. This file is compiled with
// -ffp-contract=off (nn/CMakeLists.txt): no multiply-add may be fused, so
// each expression rounds the same way on every CPU level.
#include "random.h"

#include <cmath>

namespace nn {

double portableLog(double x)
{
    // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m-1)/(m+1),
    // |s| <= 0.172, so the odd series to s^25 is below 1e-20 of the sum.
    int e = 0;
    double m = std::frexp(x, &e);  // exact: m in [1/2, 1)
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        --e;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double term = s, sum = 0.0;
    for (int k = 1; k <= 25; k += 2) {
        sum += term / double(k);
        term *= s2;
    }
    return 2.0 * sum + double(e) * 0.69314718055994530942;
}

double SplitMix64::unit()
{
    return double(next() >> 11) * 0x1p-53;
}

float SplitMix64::uniform(float lo, float hi)
{
    const double r = double(lo) + (double(hi) - double(lo)) * unit();
    // Rounding to float can reach hi itself; keep the interval half open.
    const float f = float(r);
    return f < hi ? f : std::nextafter(hi, lo);
}

float SplitMix64::normal(float mean, float stddev)
{
    for (;;) {
        const double u = 2.0 * unit() - 1.0, v = 2.0 * unit() - 1.0;
        const double q = u * u + v * v;
        if (q > 0.0 && q < 1.0)
            return float(double(mean) + double(stddev) * u * std::sqrt(-2.0 * portableLog(q) / q));
    }
}

}  // namespace nn
