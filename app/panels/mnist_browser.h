#pragma once
// The MNIST browser: all 70,000 images in one virtualised grid (a QListView
// over SampleListModel; a delegate paints each 28x28 thumbnail straight from
// the data set's bytes, no widget per item), filters and sorts, and a detail
// view of the selected sample with the model's ten probabilities and its
// saliency map. Predictions come from an EvaluationRunner on a worker thread:
// the grid shows at once and the prediction filters enable when they arrive.
// When MNIST is missing, the panel says so and offers to download it.
#include "sample_filter.h"

#include "workers/handoff.h"

#include <nn/model.h>

#include <QListView>
#include <QStyledItemDelegate>
#include <QWidget>

#include <array>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace app {

class EvaluationRunner;
struct EvaluationResult;
class MnistDownloader;
class SaliencyMethodBox;
class SaliencyView;

// Paints one sample: the thumbnail, its true label (top left) and, when the
// prediction is wrong, the predicted label in red (bottom right) and a red frame.
class SampleDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit SampleDelegate(QObject* parent = nullptr) : QStyledItemDelegate(parent) {}
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setCellSize(int side) { m_side = side; }
    int cellSize() const { return m_side; }

private:
    int m_side = 60;
};

// A QListView set up as a virtualised grid of uniform cells.
class SampleGridView : public QListView {
    Q_OBJECT
public:
    explicit SampleGridView(QWidget* parent = nullptr);
    SampleDelegate* sampleDelegate() const { return m_delegate; }
    void setCellSize(int side);

private:
    SampleDelegate* m_delegate;
};

// Ten horizontal bars, one per class; the true class is marked.
class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);
    void setProbabilities(const float* p10, int trueLabel = -1);  // nullptr clears
    QSize sizeHint() const override { return {200, 10 * 18}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::array<float, 10> m_p{};
    bool m_valid = false;
    int m_true = -1;
};

// One sample, large: the image (with its saliency overlay when a model is
// set), caption, true and predicted labels, the ten probabilities, and
// "Send to canvas".
class SampleDetailView : public QWidget {
    Q_OBJECT
public:
    // Vertical: image above the text (the browser's side column); Horizontal:
    // image left of the text (the evaluation panel's cell pane).
    explicit SampleDetailView(QWidget* parent = nullptr, Qt::Orientation orientation = Qt::Vertical);

    void setModel(std::shared_ptr<const nn::Model> model);
    // pixels: w*h uint8 (0 background, 255 ink). probabilities: 10 values, or
    // nullptr to compute them with the model (if any).
    void showSample(const std::uint8_t* pixels, int w, int h, int trueLabel, const float* probabilities,
                    const QString& caption);
    void clear();

    QImage image() const { return m_image; }  // 28x28 grey, white ink on black
    const QString& caption() const { return m_caption; }
    SaliencyView* saliencyView() const { return m_saliency; }
    SaliencyMethodBox* saliencyMethodBox() const { return m_method; }

signals:
    void sendToCanvas(const QImage& image);
    void previewAugmentation(const QImage& image, const QString& caption);

private:
    void refreshText();

    std::shared_ptr<const nn::Model> m_model;
    SaliencyView* m_saliency;
    QCheckBox* m_showSaliency;
    SaliencyMethodBox* m_method;
    QLabel* m_title;
    QLabel* m_labels;
    ProbabilityBars* m_bars;
    QPushButton* m_send;
    QPushButton* m_augment;
    QImage m_image;
    QString m_caption;
    int m_true = -1;
    std::array<float, 10> m_probs{};
    bool m_haveProbs = false;
};

class MnistBrowser : public QWidget {
    Q_OBJECT
public:
    // The test set comes first: it loads in a fraction of the time, so the
    // first page shows at once and the training set's rows are appended.
    enum Source { TestSource = 0, TrainSource = 1 };

    explicit MnistBrowser(QWidget* parent = nullptr);
    ~MnistBrowser() override;

    // Loads test, then train, from dir in the background
    // (app::resolveDataDir() when empty); shows the download offer when they
    // are missing.
    void setDataDir(const QString& dir = {});
    QString dataDir() const { return m_dataDir; }
    // Uses these sets instead of loading (tests, or sets loaded elsewhere).
    // train may be null at first and given later by another call.
    void setDatasets(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> test);

    // The model whose predictions drive the filters and the detail view.
    // Predictions for both sets are computed on a worker thread (test first).
    void setModel(std::shared_ptr<const nn::Model> model);
    std::shared_ptr<const nn::Model> model() const { return m_nnModel; }
    // Predictions computed elsewhere (e.g. by the evaluation panel) for a
    // source; also how tests inject a fixture. Must match that set's size.
    void setEvaluation(Source source, std::shared_ptr<const nn::Evaluation> evaluation);

    void setFilter(const SampleFilter& filter);  // also updates the controls
    SampleFilter filter() const { return m_model->filter(); }
    SampleListModel* sampleModel() const { return m_model; }
    SampleGridView* gridView() const { return m_grid; }
    SampleDetailView* detailView() const { return m_detail; }
    bool predictionsReady(Source source) const;
    bool hasSource(Source source) const;  // its data set is loaded
    bool hasData() const;
    // Selects a row of the current list and shows it in the detail view.
    void selectRow(int row);
    // Lists just these samples of a set (the filter's `indices`), other criteria cleared.
    void showSamples(Source source, std::vector<int> indices);
    // Selects one sample; when the current list does not hold it, the filter is cleared first.
    void showSample(Source source, int index);

signals:
    void sendToCanvas(const QImage& image);  // 28x28 grey, white ink on black
    // The selected sample; trainIndex is its index in MNIST train, -1 for test.
    void sampleSelected(const QImage& image, const QString& caption, int trainIndex);
    // "Preview augmentation" on the selected sample (trainIndex as above).
    void previewAugmentation(const QImage& image, const QString& caption, int trainIndex);
    void datasetsLoaded(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> test);
    void predictionsFinished();

private:
    int currentTrainIndex() const;  // of the selected sample; -1: none or a test sample
    static QString setName(const QString& tag);
    struct Loaded {
        std::shared_ptr<const nn::Dataset> data;
        QString error;
        bool missing = false;
    };
    void buildUi();
    void applyControls();
    void updateControls();
    void updateCount();
    void startNextPrediction();
    void onCurrentChanged(const QModelIndex& index);
    void showMissing(const QString& message);
    static Loaded load(const QString& dir, nn::Split split);
    void startLoading(nn::Split split);
    void onLoaded(const Loaded& r);

    QString m_dataDir;
    std::shared_ptr<const nn::Model> m_nnModel;
    SampleListModel* m_model;
    EvaluationRunner* m_runner;
    MnistDownloader* m_downloader = nullptr;
    BackgroundTask<Loaded> m_loader{"mnist loader"};  // the test set, then the training set
    bool m_loadingTrain = false;

    QStackedWidget* m_stack;
    // Missing-data page.
    QLabel* m_missingText;
    QPushButton* m_download;
    QPushButton* m_cancelDownload;
    QProgressBar* m_downloadProgress;
    QLabel* m_downloadStatus;
    QLabel* m_loadingText;
    // Browser page.
    QComboBox* m_split;
    QComboBox* m_label;
    QComboBox* m_predicted;
    QComboBox* m_outcome;
    QDoubleSpinBox* m_minConf;
    QDoubleSpinBox* m_maxConf;
    QComboBox* m_sort;
    QLabel* m_count;
    QLabel* m_onlyText;
    QPushButton* m_showAll;
    QLabel* m_predStatus;
    QProgressBar* m_predProgress;
    SampleGridView* m_grid;
    SampleDetailView* m_detail;
    bool m_updating = false;
};

}  // namespace app
