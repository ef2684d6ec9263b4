#pragma once
// The browser's data side, with no window: sources of samples (a data set and,
// when the model has been run over it, its evaluation), the filter and sort
// criteria, the function that applies them, and a QAbstractListModel that
// exposes the resulting list to any view without copying an image.
#include <nn/data/dataset.h>
#include <nn/metrics.h>

#include <QAbstractListModel>
#include <QImage>
#include <QString>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace app {

struct SampleSource {
    QString name;                                  // "train", "test", "my digits"
    std::shared_ptr<const nn::Dataset> data;
    std::shared_ptr<const nn::Evaluation> evaluation;  // null until predictions are ready
    bool hasPredictions() const { return evaluation && data && evaluation->size() == data->size(); }
};

struct SampleRef {
    int source = 0;  // index into the source list
    int index = 0;   // sample index within that source's data set
    bool operator==(const SampleRef&) const = default;
};

struct SampleFilter {
    enum class Outcome { Any, Correct, Misclassified };
    enum class Sort { Index, ConfidenceAscending, ConfidenceDescending, LossDescending };

    int source = -1;        // -1: all sources
    int label = -1;         // true label, -1: any
    int predicted = -1;     // predicted label, -1: any
    Outcome outcome = Outcome::Any;
    float minConfidence = 0.0f, maxConfidence = 1.0f;  // inclusive, on the predicted class's probability
    Sort sort = Sort::Index;
    // Only these sample indices (ascending), in each source the filter
    // keeps -- set `source` with them: what a lasso on the embedding map
    // chose. Unset: every sample.
    std::optional<std::vector<int>> indices;

    // True when the filter or the sort needs predictions: samples of a
    // source without them are then left out.
    bool needsPredictions() const;
    bool operator==(const SampleFilter&) const = default;
};

// Per-sample values derived from an evaluation.
float sampleConfidence(const nn::Evaluation& e, int i);  // probability of the predicted class
float sampleLoss(const nn::Evaluation& e, int i);        // -log p(true label)

// The samples of `sources` that pass `filter`, in the filter's order (index
// order: sources in turn, then by index; other orders are stable).
std::vector<SampleRef> filterSamples(const std::vector<SampleSource>& sources, const SampleFilter& filter);

// Sorts refs in place by one of the filter's orders.
void sortSamples(const std::vector<SampleSource>& sources, std::vector<SampleRef>& refs, SampleFilter::Sort sort);

// One row per sample. The delegate asks for rawImage() and paints straight
// from the dataset's bytes; roles serve other views and tests.
class SampleListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles {
        SourceRole = Qt::UserRole + 1,
        IndexRole,
        LabelRole,
        PredictedRole,    // -1 without predictions
        ConfidenceRole,   // -1 without predictions
        LossRole,         // -1 without predictions
        ImageRole,        // QImage 28x28 grey, white ink on black
    };

    explicit SampleListModel(QObject* parent = nullptr);

    void setSources(std::vector<SampleSource> sources);  // shows every sample (or the current filter)
    void setEvaluation(int source, std::shared_ptr<const nn::Evaluation> evaluation);
    // Gives a source its data set later (e.g. the large training set after
    // the test set is already on screen). When it is the last source and the
    // list is in index order, its rows are appended: scroll position and
    // selection stay where they are.
    void setSourceData(int source, std::shared_ptr<const nn::Dataset> data);
    const std::vector<SampleSource>& sources() const { return m_sources; }

    // Either filter the sources or show an explicit list (e.g. one confusion cell).
    void setFilter(const SampleFilter& filter);
    void setSamples(std::vector<SampleRef> refs);
    void sortBy(SampleFilter::Sort sort);
    const SampleFilter& filter() const { return m_filter; }
    const std::vector<SampleRef>& samples() const { return m_items; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Fast accessors for the delegate and the detail view (row must be valid).
    SampleRef ref(int row) const { return m_items[std::size_t(row)]; }
    const nn::Dataset& dataset(int row) const { return *m_sources[std::size_t(ref(row).source)].data; }
    const std::uint8_t* rawImage(int row) const;
    int label(int row) const;
    int predicted(int row) const;                 // -1 without predictions
    float confidence(int row) const;              // -1 without predictions
    const float* probabilities(int row) const;    // 10 values, or nullptr without predictions
    QString describe(int row) const;              // "test #123"
    // What a screen reader reads for an item (Qt::AccessibleTextRole, also
    // the tooltip): "Test image 1,234: label 7, predicted 1 (87.0%)".
    QString accessibleText(int row) const;
    // Qt::AccessibleDescriptionRole: "Correct", "Misclassified", or "No prediction yet".
    QString accessibleDescription(int row) const;
    int rowOf(const SampleRef& ref) const;        // -1 when not listed

    // Counts before the filter's confidence/outcome criteria: for labels in the UI.
    int totalSamples() const;

private:
    std::vector<SampleSource> m_sources;
    std::vector<SampleRef> m_items;
    SampleFilter m_filter;
    bool m_explicit = false;
};

// uint8 pixels (0 background, 255 ink) as floats in [0, 1]. (As a QImage:
// app::grayBytesToImage.)
std::vector<float> sampleFloats(const std::uint8_t* pixels, int w, int h);

}  // namespace app
