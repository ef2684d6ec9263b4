#include "userdigits.h"

#include "../errors.h"
#include "../serialize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <system_error>

namespace nn {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestName = "digits.manifest";
constexpr const char* kMagicLine = "digitpad-user-digits 1";
constexpr int kPixels = UserDigitStore::kSide * UserDigitStore::kSide;

std::string joinPath(const std::string& dir, const std::string& name)
{
    return (fs::path(dir) / name).string();
}

std::string imagesName(std::uint64_t generation) { return "images-" + std::to_string(generation) + "-idx3-ubyte"; }
std::string labelsName(std::uint64_t generation) { return "labels-" + std::to_string(generation) + "-idx1-ubyte"; }

void putU32(std::vector<std::uint8_t>& b, std::uint32_t v)
{
    for (int i = 3; i >= 0; --i)
        b.push_back(std::uint8_t(v >> (8 * i)));
}

// An uncompressed IDX file of unsigned bytes (magic 0x00000803 / 0x00000801).
std::vector<std::uint8_t> idxBytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data)
{
    std::vector<std::uint8_t> b = {0, 0, 0x08, std::uint8_t(dims.size())};
    for (std::uint32_t d : dims)
        putU32(b, d);
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

void writeAtomic(const std::string& path, const std::vector<std::uint8_t>& bytes)
{
    writeFileAtomic(path, bytes.data(), bytes.size());
}

struct Manifest {
    std::uint64_t generation = 0;
    long long count = -1;
};

Manifest parseManifest(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, 4096);
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    std::string line;
    if (!std::getline(in, line) || line != kMagicLine)
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "not a DigitPad user digits manifest (expected the first "
                                                          "line '%1', found '%2')"),
                               std::string(kMagicLine), line.substr(0, 40)),
                        0);
    Manifest m;
    bool haveGeneration = false;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        std::istringstream words(line);
        std::string key;
        long long value = -1;
        std::string rest;
        if (!(words >> key >> value) || (words >> rest) || value < 0)
            throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "malformed manifest line '%1' (expected 'KEY NUMBER')"),
                                         line.substr(0, 60)));
        if (key == "generation") {
            m.generation = std::uint64_t(value);
            haveGeneration = true;
        } else if (key == "count") {
            m.count = value;
        } else {
            throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "unknown manifest key '%1'"), key));
        }
    }
    if (!haveGeneration || m.count < 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "manifest lacks its 'generation' or 'count' line")));
    if (m.count > 1000000)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "manifest claims %1 digits, more than the limit of %2"),
                                     m.count, 1000000));
    return m;
}

}  // namespace

UserDigitStore::UserDigitStore(std::string directory) : m_dir(std::move(directory))
{
    m_data.rows = kSide;
    m_data.cols = kSide;
}

std::string UserDigitStore::manifestPath() const { return joinPath(m_dir, kManifestName); }

void UserDigitStore::load()
{
    Dataset fresh;
    fresh.rows = kSide;
    fresh.cols = kSide;
    const std::string manifest = manifestPath();
    std::error_code ec;
    if (!fs::exists(manifest, ec)) {
        m_data = std::move(fresh);
        m_generation = 0;
        return;
    }
    const Manifest m = parseManifest(manifest);
    if (m.count > 0) {
        const std::string images = joinPath(m_dir, imagesName(m.generation));
        const std::string labels = joinPath(m_dir, labelsName(m.generation));
        Dataset d = Dataset::load(images, labels);  // checks counts agree and labels are 0..9
        if (d.rows != kSide || d.cols != kSide)
            throw FileError(images, "user digits must be " + std::to_string(kSide) + "x" + std::to_string(kSide) +
                                        ", found " + std::to_string(d.rows) + "x" + std::to_string(d.cols), 8);
        if (d.size() != m.count)
            throw FileError(images, "holds " + std::to_string(d.size()) + " digits but the manifest " + manifest +
                                        " says " + std::to_string(m.count), 4);
        fresh = std::move(d);
    }
    m_data = std::move(fresh);
    m_generation = m.generation;
}

int UserDigitStore::label(int index) const
{
    checkIndex(index, "label");
    return m_data.labels[std::size_t(index)];
}

const std::uint8_t* UserDigitStore::image(int index) const
{
    checkIndex(index, "image");
    return m_data.image(index);
}

void UserDigitStore::checkIndex(int index, const char* what) const
{
    if (index < 0 || index >= size())
        throw Error(std::string("user digits: ") + what + " index " + std::to_string(index) + " is out of range (" +
                    std::to_string(size()) + " digits)");
}

void UserDigitStore::checkLabel(int label)
{
    if (label < 0 || label > 9)
        throw Error("user digits: label " + std::to_string(label) + " is not a digit 0..9");
}

void UserDigitStore::add(const float* input, int label)
{
    std::array<std::uint8_t, kPixels> px{};
    for (int i = 0; i < kPixels; ++i) {
        const float v = std::isfinite(input[i]) ? std::clamp(input[i], 0.0f, 1.0f) : 0.0f;
        px[std::size_t(i)] = std::uint8_t(std::lround(v * 255.0f));
    }
    add(px.data(), label);
}

void UserDigitStore::add(const std::uint8_t* image, int label)
{
    checkLabel(label);
    Dataset next = m_data;
    next.images.insert(next.images.end(), image, image + kPixels);
    next.labels.push_back(std::uint8_t(label));
    commit(std::move(next));
}

void UserDigitStore::relabel(int index, int label)
{
    checkIndex(index, "relabel");
    checkLabel(label);
    if (m_data.labels[std::size_t(index)] == label)
        return;
    Dataset next = m_data;
    next.labels[std::size_t(index)] = std::uint8_t(label);
    commit(std::move(next));
}

void UserDigitStore::remove(int index)
{
    checkIndex(index, "remove");
    Dataset next = m_data;
    const auto first = next.images.begin() + std::ptrdiff_t(index) * kPixels;
    next.images.erase(first, first + kPixels);
    next.labels.erase(next.labels.begin() + index);
    commit(std::move(next));
}

void UserDigitStore::clear()
{
    Dataset next;
    next.rows = kSide;
    next.cols = kSide;
    commit(std::move(next));
}

void UserDigitStore::commit(Dataset next)
{
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec)
        throw FileError(m_dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create the directory: %1"),
                                      systemError(ec.value())));
    const std::uint64_t gen = m_generation + 1;
    const std::string images = joinPath(m_dir, imagesName(gen));
    const std::string labels = joinPath(m_dir, labelsName(gen));
    const auto n = std::uint32_t(next.size());
    if (n > 0) {
        writeAtomic(images, idxBytes({n, std::uint32_t(kSide), std::uint32_t(kSide)}, next.images));
        writeAtomic(labels, idxBytes({n}, next.labels));
    }
    const std::string text = std::string(kMagicLine) + "\ngeneration " + std::to_string(gen) + "\ncount " +
                             std::to_string(n) + "\n";
    try {
        writeAtomic(manifestPath(), std::vector<std::uint8_t>(text.begin(), text.end()));
    } catch (...) {
        fs::remove(images, ec);
        fs::remove(labels, ec);
        throw;
    }
    // The new generation is live; the old files are garbage (best effort).
    fs::remove(joinPath(m_dir, imagesName(m_generation)), ec);
    fs::remove(joinPath(m_dir, labelsName(m_generation)), ec);
    m_generation = gen;
    m_data = std::move(next);
}

namespace {

// Whether a drawing is held out depends on its pixels alone (FNV-1a, then
// splitmix64's finaliser to spread the bits): relabelling, adding or removing
// other digits never moves a digit between the two parts, and neither does
// relabelling the digit itself.
bool heldOutPixels(const std::uint8_t* image)
{
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < kPixels; ++i)
        h = (h ^ image[i]) * 0x100000001b3ull;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    return h % UserDigitStore::kHeldOutEvery == 0;
}

}  // namespace

bool UserDigitStore::isHeldOut(int index) const
{
    checkIndex(index, "held-out");
    return heldOutPixels(m_data.image(index));
}

int UserDigitStore::heldOutCount() const
{
    int held = 0;
    for (int i = 0; i < size(); ++i)
        held += heldOutPixels(m_data.image(i));
    return held;
}

std::pair<Dataset, Dataset> UserDigitStore::split() const
{
    std::vector<int> train, held;
    for (int i = 0; i < size(); ++i)
        (heldOutPixels(m_data.image(i)) ? held : train).push_back(i);
    return {m_data.subset(train), m_data.subset(held)};
}

}  // namespace nn
