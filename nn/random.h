#pragma once
// Random mixing for everything seeded in the engine: splitmix64 (Steele, Lea
// & Flood 2014). Tiny, fast, and its output for a given seed is the same on
// every platform and standard library -- unlike std::shuffle with a std
// distribution, whose algorithm is unspecified.
//
// The real-valued draws (unit, uniform, normal) are the same on every CPU
// level too. A std distribution is not: compiled for x86-64-v3 or -v4 its
// multiply-adds are fused (GCC contracts by default), and the libm log it
// calls has an FMA variant, so one seed gave another model on the AVX-512
// engine than on the baseline one. These are defined in random.cpp, which
// is built with -ffp-contract=off and uses only +, -, *, / and sqrt (exact
// IEEE operations) and a log of its own.
#include <cstdint>

namespace nn {

// The splitmix64 finaliser of x + golden ratio: decorrelates nearby inputs
// (seed, epoch, index combinations).
inline std::uint64_t mix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// The splitmix64 generator: the sequence mix64(seed), mix64(seed + golden), ...
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next()
    {
        const std::uint64_t s = state;
        state += 0x9E3779B97F4A7C15ull;
        return mix64(s);
    }
    // Uniform in [0, bound) without modulo bias: reject the short top range.
    std::uint64_t below(std::uint64_t bound)
    {
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t x = next();
            if (x >= threshold)
                return x % bound;
        }
    }
    // Uniform in [0, 1), 53 random bits.
    double unit();
    // Uniform in [lo, hi).
    float uniform(float lo, float hi);
    // Normal with the given mean and standard deviation (Marsaglia's polar method).
    float normal(float mean, float stddev);
};

// The natural logarithm of x > 0 from exact operations only: the same bits on
// every CPU (for the draws above; within a few ulp of libm's log).
double portableLog(double x);

}  // namespace nn
