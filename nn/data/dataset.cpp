#include "dataset.h"

#include "../errors.h"
#include "idx.h"
#include "../random.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace nn {

namespace {

bool isFile(const std::filesystem::path& p)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec);
}

// Anything at all under that name: a directory, a FIFO, a dangling link or a
// link loop. Not following links, so a loop does not count as "absent".
bool isAnything(const std::filesystem::path& p)
{
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::symlink_status(p, ec));
}

}  // namespace

std::string findMnistFile(const std::string& dir, const std::string& baseName)
{
    const std::filesystem::path d(dir);
    // Some mirrors spell the name with a dot ("train-images.idx3-ubyte").
    std::string dotted = baseName;
    if (const auto pos = dotted.find("-idx"); pos != std::string::npos)
        dotted[pos] = '.';
    const std::string names[] = {baseName, baseName + ".gz", dotted, dotted + ".gz"};
    for (const std::string& name : names)
        if (isFile(d / name))
            return (d / name).string();
    // No regular file: something else in its place (a directory, a FIFO,
    // a link loop, a device) is returned, so that loading it says what it
    // is instead of "not found".
    for (const std::string& name : names)
        if (isAnything(d / name))
            return (d / name).string();
    return {};
}

std::pair<std::string, std::string> mnistFileNames(Split split)
{
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    return {prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"};
}

bool mnistPresent(const std::string& dir, Split split)
{
    const auto [images, labels] = mnistFileNames(split);
    return !findMnistFile(dir, images).empty() && !findMnistFile(dir, labels).empty();
}

Dataset Dataset::loadMnist(const std::string& dir, Split split)
{
    const auto [imagesName, labelsName] = mnistFileNames(split);
    const std::string images = findMnistFile(dir, imagesName);
    const std::string labels = findMnistFile(dir, labelsName);
    if (images.empty() || labels.empty()) {
        std::string missing = images.empty() ? imagesName : "";
        if (labels.empty())
            missing += (missing.empty() ? "" : " and ") + labelsName;
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                     "the MNIST files were not found in %1 (missing %2, raw or .gz); "
                                                     "run scripts/fetch-mnist to download them, or point "
                                                     "DIGITPAD_DATA at a directory that has them"),
                                    dir, missing));
    }
    Dataset d = load(images, labels);
    if (d.rows != 28 || d.cols != 28)
        throw FileError(images,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "images are %1x%2 pixels; MNIST images are 28x28"), d.rows,
                               d.cols),
                        8);
    return d;
}

Dataset Dataset::load(const std::string& imagesPath, const std::string& labelsPath)
{
    IdxArray img = readIdx(imagesPath);
    if (img.dims.size() != 3)
        throw FileError(imagesPath,
                        uiText(DIGITPAD_UI_TEXT("nn::ui",
                                                "expected an images file of rank 3 (count x rows x cols), found rank %1"),
                               img.dims.size()),
                        3);
    IdxArray lab = readIdx(labelsPath);
    if (lab.dims.size() != 1)
        throw FileError(labelsPath,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "expected a labels file of rank 1 (count), found rank %1"),
                               lab.dims.size()),
                        3);
    if (img.dims[0] != lab.dims[0])
        throw FileError(labelsPath,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "images file has %1 images, labels file has %2 labels "
                                                          "(images: %3)"),
                               img.dims[0], lab.dims[0], imagesPath),
                        4);
    for (std::size_t i = 0; i < lab.data.size(); ++i)
        if (lab.data[i] > 9)
            throw FileError(labelsPath,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "label %1 at index %2 is out of range 0..9"),
                                   int(lab.data[i]), i),
                            std::int64_t(8 + i));
    Dataset d;
    d.rows = img.dims[1];
    d.cols = img.dims[2];
    d.images = std::move(img.data);
    d.labels = std::move(lab.data);
    return d;
}

Dataset Dataset::subset(const std::vector<int>& indices) const
{
    Dataset d;
    d.rows = rows;
    d.cols = cols;
    const std::size_t px = std::size_t(pixels());
    d.images.resize(indices.size() * px);
    d.labels.resize(indices.size());
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const int i = indices[k];
        if (i < 0 || i >= size())
            throw ShapeError("subset: index " + std::to_string(i) + " is out of range 0.." + std::to_string(size() - 1));
        std::copy_n(image(i), px, d.images.data() + k * px);
        d.labels[k] = labels[std::size_t(i)];
    }
    return d;
}

void Dataset::append(const Dataset& other)
{
    if (size() == 0) {
        // An empty set takes on the image size of what is appended.
        rows = other.rows;
        cols = other.cols;
    } else if (other.size() > 0 && (other.rows != rows || other.cols != cols)) {
        throw ShapeError("append: cannot add " + std::to_string(other.rows) + "x" + std::to_string(other.cols) +
                         " images to a set of " + std::to_string(rows) + "x" + std::to_string(cols) + " images");
    }
    images.insert(images.end(), other.images.begin(), other.images.end());
    labels.insert(labels.end(), other.labels.begin(), other.labels.end());
}

std::pair<Dataset, Dataset> Dataset::splitValidation(double fraction, std::uint64_t seed) const
{
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw Error("validation fraction " + std::to_string(fraction) + " is out of range 0..1");
    const int n = size();
    const auto nVal = int(std::llround(fraction * n));
    const std::vector<int> order = shuffledIndices(n, seed);
    std::vector<int> val(order.begin(), order.begin() + nVal);
    std::vector<int> train(order.begin() + nVal, order.end());
    // Both halves keep the original order: which samples go where is random,
    // but reading them stays sequential and easy to reason about.
    std::sort(val.begin(), val.end());
    std::sort(train.begin(), train.end());
    return {subset(train), subset(val)};
}

void Dataset::imageAsFloat(int i, float* out) const
{
    const std::uint8_t* p = image(i);
    const int n = pixels();
    constexpr float kScale = 1.0f / 255.0f;
    for (int k = 0; k < n; ++k)
        out[k] = float(p[k]) * kScale;
}

std::vector<int> shuffledIndices(int n, std::uint64_t seed)
{
    std::vector<int> v(std::size_t(std::max(n, 0)));
    for (int i = 0; i < n; ++i)
        v[std::size_t(i)] = i;
    SplitMix64 rng{seed};
    // Fisher-Yates (Durstenfeld's in-place form).
    for (int i = n - 1; i > 0; --i) {
        const auto j = std::size_t(rng.below(std::uint64_t(i) + 1));
        std::swap(v[std::size_t(i)], v[j]);
    }
    return v;
}

}  // namespace nn
