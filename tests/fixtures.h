#pragma once
// Shared test fixtures. Nothing here needs a window or the network.
#include <nn/data/dataset.h>
#include <nn/data/idx.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace fixtures {

// Ten classes: class k is a bar at position 4+2k, vertical (style 0) or
// horizontal (style 1), of random length and offset, with speckle noise.
inline nn::Dataset syntheticBars(int n, std::uint64_t seed, int style = 0)
{
    nn::Dataset d;
    d.images.assign(std::size_t(n) * 784, 0);
    d.labels.resize(std::size_t(n));
    std::mt19937_64 rng(seed);
    for (int i = 0; i < n; ++i) {
        const int k = int(rng() % 10);
        d.labels[std::size_t(i)] = std::uint8_t(k);
        std::uint8_t* img = d.images.data() + std::size_t(i) * 784;
        const int top = 3 + int(rng() % 6), len = 12 + int(rng() % 8);
        for (int t = top; t < std::min(27, top + len); ++t) {
            const int a = 4 + 2 * k;
            if (style == 0) {
                img[t * 28 + a] = 255;
                img[t * 28 + a + 1] = 160;
            } else {
                img[a * 28 + t] = 255;
                img[(a + 1) * 28 + t] = 160;
            }
        }
        for (int j = 0; j < 20; ++j)
            img[rng() % 784] = std::uint8_t(rng() % 80);
    }
    return d;
}

// MNIST-format files DIR/PREFIX-images-idx3-ubyte and -labels-idx1-ubyte of
// n images: class k is a plain vertical bar (rows 5 to 22) at column 4 + 2k.
inline void writeBarIdx(const std::string& dir, const std::string& prefix, int n, std::uint64_t seed)
{
    std::vector<std::uint8_t> images(std::size_t(n) * 784, 0), labels(std::size_t(n), 0);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < n; ++i) {
        const int k = int(rng() % 10);
        labels[std::size_t(i)] = std::uint8_t(k);
        for (int y = 5; y < 23; ++y)
            images[std::size_t(i) * 784 + std::size_t(y * 28 + 4 + 2 * k)] = 255;
    }
    nn::writeIdx(dir + "/" + prefix + "-images-idx3-ubyte", {n, 28, 28}, images);
    nn::writeIdx(dir + "/" + prefix + "-labels-idx1-ubyte", {n}, labels);
}

}  // namespace fixtures
