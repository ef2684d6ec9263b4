#pragma once
// Evaluation: runs the current model over the test set, the training set or
// the person's own digits on a worker thread, then shows everything derived
// from that one result: the confusion heatmap (click a cell to see exactly
// its samples), per-class precision/recall/F1/support with macro and
// weighted averages, the most confused pairs, a reliability diagram with its
// ECE, and exports (confusion CSV and PNG, misclassified CSV).
#include "sample_filter.h"

#include <nn/calibration.h>
#include <nn/metrics.h>
#include "workers/handoff.h"

#include <nn/model.h>

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableWidget;

namespace app {

class CalibrationView;
class ConfusionView;
class EvaluationRunner;
struct EvaluationResult;
class SampleDetailView;
class SampleGridView;

class EvaluationPanel : public QWidget {
    Q_OBJECT
public:
    enum Set { TestSet = 0, TrainSet = 1, UserSet = 2 };
    Q_ENUM(Set)

    explicit EvaluationPanel(QWidget* parent = nullptr);
    ~EvaluationPanel() override;

    void setModel(std::shared_ptr<const nn::Model> model);
    std::shared_ptr<const nn::Model> model() const { return m_nnModel; }
    // Where MNIST is loaded from when it has not been handed over with
    // setDatasets (default: app::resolveDataDir()). Loaded on first use.
    void setDataDir(const QString& dir);
    void setDatasets(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> test);
    // The person's own digits ("My digits"); null disables that choice.
    void setUserDigits(std::shared_ptr<const nn::Dataset> digits);

    // Starts an evaluation of the current model (as the Evaluate button does).
    void evaluate(Set set);
    void cancel();
    bool isRunning() const;

    // Shows a finished evaluation of `data` (what the worker's result goes
    // through; tests use it to inject a fixture).
    void setResult(const QString& setName, std::shared_ptr<const nn::Dataset> data,
                   std::shared_ptr<const nn::Evaluation> evaluation);

    // Opens the grid of the samples with true label t and prediction p.
    void openCell(int trueLabel, int predicted);
    void closeCell();

    ConfusionView* confusionView() const { return m_confusion; }
    CalibrationView* calibrationView() const { return m_calibrationView; }
    SampleListModel* cellModel() const { return m_cellModel; }
    SampleGridView* cellGrid() const { return m_cellGrid; }
    SampleDetailView* cellDetail() const { return m_cellDetail; }
    QTableWidget* metricsTable() const { return m_table; }
    QListWidget* confusedPairs() const { return m_pairs; }
    bool hasResult() const { return m_evaluation != nullptr; }
    const nn::Metrics& metrics() const { return m_metrics; }
    const nn::Calibration& calibration() const { return m_calibration; }
    // After temperature scaling with the evaluated model's stored temperature
    // (total 0 when the model has none).
    const nn::Calibration& scaledCalibration() const { return m_scaledCalibration; }
    std::shared_ptr<const nn::Evaluation> evaluation() const { return m_evaluation; }
    QString setName() const { return m_setName; }

    // Exports. The strings are what the files contain.
    QString confusionCsv() const;
    QString misclassifiedCsv() const;
    bool exportConfusionCsv(const QString& path, QString* error = nullptr) const;
    bool exportConfusionPng(const QString& path, QString* error = nullptr) const;
    bool exportMisclassifiedCsv(const QString& path, QString* error = nullptr) const;

signals:
    void sendToCanvas(const QImage& image);
    void previewAugmentation(const QImage& image, const QString& caption);
    // A finished evaluation of the current model (e.g. to hand the test
    // set's predictions to the browser with MnistBrowser::setEvaluation).
    void evaluated(app::EvaluationPanel::Set set, std::shared_ptr<const nn::Dataset> data,
                   std::shared_ptr<const nn::Evaluation> evaluation);

private:
    struct Loaded {
        std::shared_ptr<const nn::Dataset> train, test;
        QString error;
    };
    void buildUi();
    void startEvaluation();
    void onFinished(const EvaluationResult& r);
    void onLoaded(const Loaded& r);
    void fillTable();
    void fillPairs();
    void updateSummary();
    void updateButtons();
    void setStatus(const QString& text, bool error = false);
    static QString setLabel(Set set);
    static QString shownSetName(const QString& tag);  // "test" -> tr("test"), for captions and grid items

    std::shared_ptr<const nn::Model> m_nnModel;
    std::shared_ptr<const nn::Dataset> m_train, m_test, m_user;
    QString m_dataDir;
    BackgroundTask<Loaded> m_loader{"mnist loader"};
    EvaluationRunner* m_runner;
    Set m_pendingSet = TestSet;

    // The result on display.
    QString m_setName;
    std::shared_ptr<const nn::Dataset> m_data;
    std::shared_ptr<const nn::Evaluation> m_evaluation;
    std::shared_ptr<const nn::Model> m_evaluatedModel;
    nn::Metrics m_metrics;
    nn::Calibration m_calibration;
    nn::Calibration m_scaledCalibration;
    double m_temperature = 0;  // of the evaluated model; 0: none stored
    double m_seconds = -1;

    QComboBox* m_set;
    QPushButton* m_evaluate;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_summary;
    QCheckBox* m_normalize;
    QPushButton* m_exportCsv;
    QPushButton* m_exportPng;
    QPushButton* m_exportMis;
    ConfusionView* m_confusion;
    QTableWidget* m_table;
    QListWidget* m_pairs;
    CalibrationView* m_calibrationView;
    QWidget* m_cellPane;
    QLabel* m_cellTitle;
    QComboBox* m_cellSort;
    SampleListModel* m_cellModel;
    SampleGridView* m_cellGrid;
    SampleDetailView* m_cellDetail;
    int m_cellTrue = -1, m_cellPred = -1;
};

}  // namespace app
