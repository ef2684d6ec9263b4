#pragma once
// Augmentation preview: one sample (from the browser or the current drawing),
// a slider for every augmentation parameter the trainer uses, and a grid of
// augmented versions redrawn as the sliders move. Each tile is exactly what
// the trainer would feed the network for that sample in one epoch: the same
// nn::Augmenter::apply, the same per-image seed derivation (tile k = epoch k).
// "Apply to training" hands the settings to the training panel.
#include <nn/augment.h>

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QSlider;

namespace app {

class AugmentTiles;

class AugmentPreview : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRows = 4, kCols = 6, kTiles = kRows * kCols;

    explicit AugmentPreview(QWidget* parent = nullptr);

    // A sample picked in the browser. trainIndex: its index in the training
    // set (the trainer's per-sample seed depends on it); -1 for others (0 is used).
    void setSample(const QImage& image, const QString& caption, int trainIndex = -1);
    void setSample(const float* pixels, int w, int h, const QString& caption, int trainIndex = -1);
    // The current drawing (the network's 28x28 input). Shown when the source
    // is "Current drawing", or when there is no sample yet.
    void setDrawing(const float* pixels28x28);

    // Slider values (the training panel's current settings, for instance).
    void setParams(const nn::AugmentParams& params);
    nn::AugmentParams params() const;  // always enabled
    void setSeed(std::uint64_t seed);
    std::uint64_t seed() const { return m_seed; }
    int sampleIndex() const;

    // The tiles as last drawn: kTiles images of w*h floats. Redrawing happens
    // on the next event-loop turn after a change; regenerate() forces it now.
    void regenerate();
    int tileCount() const { return int(m_tiles.size()); }
    const std::vector<float>& tile(int k) const { return m_tiles[std::size_t(k)]; }
    // Tile k shows what the trainer gives this sample in epoch k.
    std::uint64_t tileSeed(int k) const { return nn::augmentSeed(m_seed, k, sampleIndex()); }
    const std::vector<float>& source() const;
    int sourceWidth() const { return m_w; }
    int sourceHeight() const { return m_h; }

signals:
    void applyAugmentation(const nn::AugmentParams& params);
    void seedChanged(quint64 seed);

private:
    struct Slider {
        const nn::AugmentField* field = nullptr;
        QSlider* slider = nullptr;
        QLabel* value = nullptr;
        float min = 0, step = 1;
        int decimals = 1;
        QString suffix;
        float get() const;
        void set(float v);
    };
    // The sliders, one per nn::augmentFields() entry, in its order.
    enum Key { Count = 12 };

    void addSlider(Key key, const nn::AugmentField& field);
    void onSlider(Key key);
    void scheduleRegenerate();
    void updateCaption();

    Slider m_sliders[Count];
    QFormLayout* m_form = nullptr;
    QComboBox* m_sourceCombo;
    QLabel* m_sourceImage;
    QLabel* m_caption;
    QLabel* m_seedLabel;
    AugmentTiles* m_grid;

    std::vector<float> m_sample, m_drawing;
    int m_w = 28, m_h = 28;
    QString m_sampleCaption;
    int m_trainIndex = -1;
    std::uint64_t m_seed = 1;
    std::vector<std::vector<float>> m_tiles;
    std::vector<nn::AugmentDraw> m_draws;
    bool m_scheduled = false;
    bool m_syncing = false;
    nn::Augmenter m_augmenter;
};

}  // namespace app
