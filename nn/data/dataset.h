#pragma once
// An in-memory image classification set (MNIST-like: 8-bit grey images with
// a label each) with seeded shuffling, a validation split and batching.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nn {

enum class Split { Train, Test };

struct Dataset {
    int rows = 28, cols = 28;
    std::vector<std::uint8_t> images;  // size() * rows * cols, 0 = background, 255 = ink
    std::vector<std::uint8_t> labels;  // 0..9

    int size() const { return static_cast<int>(labels.size()); }
    int pixels() const { return rows * cols; }
    const std::uint8_t* image(int i) const { return images.data() + static_cast<std::size_t>(i) * pixels(); }

    // Loads train-* or t10k-* images and labels from `dir` (each either raw or
    // with a .gz suffix). Checks that counts and sizes agree, labels are 0..9
    // and images are 28x28.
    // Throws FileError naming the file.
    static Dataset loadMnist(const std::string& dir, Split split);
    // Pairs an images file with a labels file; same checks.
    static Dataset load(const std::string& imagesPath, const std::string& labelsPath);

    Dataset subset(const std::vector<int>& indices) const;
    void append(const Dataset& other);  // shapes must agree; throws ShapeError
    // Deterministic split: a shuffled `fraction` of the samples (by seed)
    // becomes the second set. fraction 0 gives an empty second set.
    std::pair<Dataset, Dataset> splitValidation(double fraction, std::uint64_t seed) const;

    // Writes image i as floats in [0, 1] to out (pixels() values).
    void imageAsFloat(int i, float* out) const;
};

// 0..n-1 in an order that depends only on seed (Fisher-Yates on splitmix64).
std::vector<int> shuffledIndices(int n, std::uint64_t seed);

// Returns the path of an MNIST file in dir (raw or .gz, "-idx" or ".idx"), or
// "" when there is none. A regular file is preferred; failing that, whatever
// else has the name (a directory, FIFO, device, broken link) is returned so
// that loading it reports what it is.
std::string findMnistFile(const std::string& dir, const std::string& baseName);
// The base names of a split's images and labels files ("train-images-idx3-ubyte", ...).
std::pair<std::string, std::string> mnistFileNames(Split split);
// True when both files of the split are in dir (raw or .gz).
bool mnistPresent(const std::string& dir, Split split);

}  // namespace nn
