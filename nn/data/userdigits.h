#pragma once
// "My digits": the person's own drawings with their labels, kept on disk so
// that a model can be fine-tuned on their handwriting. Plain C++, no Qt.
//
// On disk, a directory holding
//   digits.manifest            "digitpad-user-digits 1" / "generation G" / "count N"
//   images-G-idx3-ubyte        N x 28 x 28 unsigned bytes (0 background, 255 ink)
//   labels-G-idx1-ubyte        N labels 0..9
// Every change writes a new generation's two IDX files (each atomically, via
// writeFileAtomic) and only then the manifest that points at them, so a crash
// at any moment leaves either the old or the new set, never a mix of both.
// An empty store has a manifest with count 0 and no data files (IDX has no
// zero-length dimensions).
//
// Whether a digit is held out is decided by its pixels alone (a hash; about
// one in kHeldOutEvery): stable for that digit whatever is relabelled, added
// or removed, so a held-out digit never silently becomes training data.
#include "dataset.h"

#include <cstdint>
#include <string>
#include <utility>

namespace nn {

class UserDigitStore {
public:
    static constexpr int kSide = 28;
    static constexpr int kHeldOutEvery = 4;

    // Does not touch the disk; call load().
    explicit UserDigitStore(std::string directory);

    // Reads the store. A directory (or manifest) that does not exist yet is an
    // empty store. Throws FileError naming the damaged file otherwise.
    void load();

    const std::string& directory() const { return m_dir; }
    std::string manifestPath() const;
    int size() const { return m_data.size(); }
    bool empty() const { return m_data.size() == 0; }
    int label(int index) const;
    const std::uint8_t* image(int index) const;  // kSide * kSide bytes, ink bright
    const Dataset& data() const { return m_data; }

    // Each change is written to disk before it returns; on failure (FileError)
    // both the store in memory and the files stay as they were.
    // input: 28x28 floats in [0, 1], ink bright (the preprocessed network input).
    void add(const float* input, int label);
    void add(const std::uint8_t* image, int label);
    void relabel(int index, int label);
    void remove(int index);
    void clear();

    bool isHeldOut(int index) const;
    int heldOutCount() const;
    // (training part, held-out part), both in insertion order.
    std::pair<Dataset, Dataset> split() const;

private:
    void checkIndex(int index, const char* what) const;
    static void checkLabel(int label);
    void commit(Dataset next);  // writes generation + 1, then adopts `next`

    std::string m_dir;
    Dataset m_data;
    std::uint64_t m_generation = 0;
};

}  // namespace nn
