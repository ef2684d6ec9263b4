#pragma once
// Owns the training thread and its worker: a WorkerThread runs the worker's
// runs, whose events come back through an Inbox (handoff.h: data cross
// threads only under our own mutex). The destructor stops the run and joins.
// Lives on the GUI thread; every signal below is delivered there. One run at
// a time.
//
//   controller.start(request);                        // returns at once
//   connect(&controller, &TrainingController::batchProgress, ...);
//   controller.pause(); controller.resume();          // no spinning: the worker blocks on a condition variable
//   controller.stop();                                // takes effect before the next batch
//   controller.stopAndWait(1000);                     // closing the window
#include "handoff.h"
#include "training_worker.h"

#include <QDateTime>
#include <QObject>

#include <memory>
#include <optional>

namespace app {

// What a checkpoint file holds, for the "Resume" button.
struct CheckpointInfo {
    bool valid = false;
    QString error;          // when !valid: why it cannot be used
    QString spec;
    QString hyperparameters;
    int nextEpoch = 0, epochs = 0;
    long long step = 0;
    bool fineTune = false;
    QDateTime saved;        // file modification time
    bool resumable() const { return valid && nextEpoch < epochs; }
};

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    // Starts a run on the worker thread. Returns false (and does nothing) when
    // one is already running.
    bool start(TrainingRequest request);
    void pause();
    void resume();
    // Asks the run to stop; it does before its next batch and keeps the weights
    // of the last finished batch. finished() follows.
    void stop();
    // Stops and waits up to timeoutMs for the run to end (closing the window).
    // On true the run is over and finished()/failed() has already been
    // emitted (synchronously, from this call); lastModel() holds the result.
    bool stopAndWait(int timeoutMs = 1000);

    // Starts a hyperparameter search on the worker thread (one job at a time:
    // false when a run or a search is under way). Its runs are recorded in
    // job.runsDb; it reports through the search signals below, never through
    // the run signals above.
    bool startSearch(SearchJob job);
    // Stops the search after its current trial, or (`now`) at the next batch,
    // discarding that trial. stop() and stopAndWait() stop it now too.
    void stopSearch(bool now);
    bool isSearching() const { return m_running && m_searching; }

    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_paused; }
    // Optimizer steps done in the current run so far (updated after every batch).
    long long currentStep() const { return m_shared->step.load(); }

    // "Follow training": > 0 makes the worker emit snapshot() this often
    // (a copy of the weights taken between two batches). 0 turns it off.
    // Takes effect immediately, also during a run.
    void setFollowInterval(double seconds);
    double followInterval() const { return m_shared->followMs.load() / 1000.0; }

    // The last run's result (also sent with finished()); null before any.
    const TrainingOutcome& lastOutcome() const { return m_lastOutcome; }
    std::shared_ptr<const nn::Model> lastModel() const { return m_lastModel; }

    // appDataDir() + "/checkpoints/last.ckpt".
    static QString defaultCheckpointPath();
    // Reads a checkpoint's header information (on the calling thread; the
    // file is about as large as the model). Never throws.
    static CheckpointInfo readCheckpointInfo(const QString& path);

signals:
    void started(const app::RunInfo& info);
    void batchProgress(const nn::BatchReport& report);
    void epochFinished(const nn::EpochReport& report);
    void snapshot(std::shared_ptr<const nn::Model> model);
    void logMessage(const QString& line);
    void finished(const app::TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model);
    void failed(const QString& message);
    void runningChanged(bool running);
    void searchRunStarted(int trial, int fold, int rung, int epochs);
    void searchProgress(const nn::BatchReport& report);
    void searchTrialEnded(const nn::TrialOutcome& trial);
    void searchRunRecorded(long long recordId);
    void searchFinished(const nn::SearchResult& result);
    void searchFailed(const QString& message);
    void pausedChanged(bool paused);

private:
    void onStarted(int runId, const app::RunInfo& info);
    void onBatch(int runId, const nn::BatchReport& report);
    void onEpoch(int runId, const nn::EpochReport& report);
    void onSnapshot(int runId, std::shared_ptr<const nn::Model> model);
    void onLog(int runId, const QString& line);
    void onFinished(int runId, const app::TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model);
    void onFailed(int runId, const QString& message);
    bool current(int runId) const { return m_running && runId == m_runId; }
    void end();

    std::shared_ptr<TrainingShared> m_shared;
    Inbox m_inbox;                            // the worker's events, run on the GUI thread
    std::unique_ptr<TrainingWorker> m_worker;  // used on m_thread only
    WorkerThread m_thread{"training"};        // last: joined before the rest goes
    int m_runId = 0;
    bool m_running = false;
    bool m_searching = false;  // the job running is a search
    bool m_paused = false;
    TrainingOutcome m_lastOutcome;
    std::shared_ptr<const nn::Model> m_lastModel;
};

}  // namespace app
