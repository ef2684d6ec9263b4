#pragma once
// The search queue on the Runs page: a grid and random search space (the
// CLI's syntax, nn/search.h), trials, folds, epochs, successive halving and
// the MNIST images to use; Start runs it on the training worker thread
// (TrainingController::startSearch) over the Train page's settings, and the
// table fills in as each trial ends, best first. "Train the best fully" puts
// the best trial's settings on the Train page, with the page's epochs, and
// starts it. Every run of the search goes into the run history like any run.
#include "training_settings.h"

#include <nn/run_record.h>
#include <nn/search.h>

#include <QPointer>
#include <QTemporaryDir>
#include <QWidget>

#include <functional>
#include <map>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace app {

class TrainingController;
struct TrainingRequest;
struct SearchJob;

// The Train page's settings with the best trial's (from its first fold's run
// record), for training it fully: the page's epochs and validation split.
TrainingSettings bestTrialSettings(const nn::RunRecord& bestRun, const TrainingSettings& page);

class SearchPanel : public QWidget {
    Q_OBJECT
public:
    // `baseRequest`: what the Train page would run now (its settings and
    // data); `runsDb`: the run history (empty: RunStore::defaultPath()).
    SearchPanel(TrainingController* controller, std::function<TrainingRequest()> baseRequest, QString runsDb,
                QWidget* parent = nullptr);
    ~SearchPanel() override;

    // The search the form describes; throws nn::Error (a bad --grid token, ...).
    SearchJob job() const;
    // Starts it; false (with the reason shown) when it cannot.
    bool start();
    void stopAfterTrial();

    // The trials so far, best first.
    const std::vector<nn::TrialOutcome>& trials() const { return m_ranked; }
    bool isSearching() const;

    QLineEdit* gridEdit() const { return m_grid; }
    QLineEdit* randomEdit() const { return m_random; }
    QSpinBox* trialsBox() const { return m_trials; }
    QSpinBox* foldsBox() const { return m_folds; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QComboBox* halvingBox() const { return m_halving; }
    QSpinBox* imagesBox() const { return m_images; }
    QTableWidget* table() const { return m_table; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* trainBestButton() const { return m_trainBest; }
    QLabel* statusLabel() const { return m_status; }

signals:
    // "Train the best fully": the best trial's first run in the history.
    void trainBestRequested(long long runId);
    // A run of the search was recorded (the Runs page reloads).
    void runRecorded(long long runId);
    void searchingChanged(bool searching);

private:
    void buildUi();
    void onRunStarted(int trial, int fold, int rung, int epochs);
    void onProgress(const nn::BatchReport& r);
    void onTrial(const nn::TrialOutcome& t);
    void onFinished(const nn::SearchResult& r);
    void onFailed(const QString& message);
    void fillTable();
    void updateButtons();

    QPointer<TrainingController> m_controller;  // may go first when the window closes
    std::function<TrainingRequest()> m_baseRequest;
    QString m_runsDb;
    QLineEdit *m_grid = nullptr, *m_random = nullptr;
    QSpinBox *m_trials = nullptr, *m_folds = nullptr, *m_epochs = nullptr, *m_images = nullptr;
    QComboBox* m_halving = nullptr;
    QPushButton *m_start = nullptr, *m_stop = nullptr, *m_trainBest = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QTableWidget* m_table = nullptr;
    std::vector<std::string> m_keys;            // the columns the trials vary
    std::map<int, nn::TrialOutcome> m_outcomes;  // by trial
    std::vector<nn::TrialOutcome> m_ranked;
    int m_total = 0, m_folds_ = 1;
    std::string m_runLine;  // "trial 3/6 · fold 2/3"
    std::unique_ptr<QTemporaryDir> m_work;  // halving's checkpoints
    bool m_mine = false;  // the controller's search is this panel's
};

}  // namespace app
