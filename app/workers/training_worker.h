#pragma once
// The training worker: runs on the TrainingController's worker thread, one
// nn::TrainingSession at a time over its own copy of the model. Everything it
// reports leaves through TrainingEvents carrying small values, which the
// controller hands to the GUI thread through an Inbox; the model itself
// leaves only as immutable snapshots (copies taken on this thread between
// two batches). Panels never use the worker directly: see
// TrainingController.
#include <nn/data/dataset.h>
#include <nn/model.h>
#include <nn/search.h>
#include <nn/session.h>
#include <nn/trainer.h>

#include <QMetaType>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace app {

// Everything one run needs (see nn::SessionRequest), with the two paths as
// the GUI holds them. Built by the training panel (or a test) on the GUI
// thread and copied to the worker; the datasets are shared, immutable.
// `config.progressIntervalSec` is ignored: the worker throttles itself.
struct TrainingRequest : nn::SessionRequest {
    QString mnistDir;        // empty: app::resolveDataDir()
    QString checkpointPath;  // see nn::SessionRequest::checkpoint and resume
};

// Sent once the data are loaded and the model is built, before the first batch.
struct RunInfo {
    QString spec;             // canonical architecture
    qint64 parameters = 0;
    QString hyperparameters;  // nn::TrainConfig::describe()
    QString data;             // one line: what is trained on
    int trainSize = 0, validationSize = 0;
    int userTrain = 0, userHeldOut = 0, userRepeats = 0;
    QString validationNote;   // empty, or why there is no validation set
    int threads = 0;
    int epochs = 0, firstEpoch = 0;  // firstEpoch > 0 when resuming
    bool fineTune = false, resumed = false;
};

struct TrainingOutcome {
    nn::TrainResult::Status status = nn::TrainResult::Finished;
    QString message;              // why it ended, for the log
    int epochsCompleted = 0;
    // Stopped during an epoch: samples of the next epoch trained, of epochSamples.
    long long partialSamples = 0, epochSamples = 0;
    long long steps = 0;          // optimizer steps in total (including before a resume)
    // -1 when not measured; the notes then say why (see nn::SessionResult).
    double bestValLoss = -1, bestValAccuracy = -1;
    double valAccuracy = -1;      // of the model the run leaves
    int validationSize = 0;
    QString validationNote;
    double testAccuracy = -1;     // MNIST test set
    QString testNote;
    // The model the result would replace (the pad's), on the same sets before the run.
    double baselineValAccuracy = -1, baselineTestAccuracy = -1;
    double imagesPerSecond = 0;
    double seconds = 0;
    // Held-out part of my digits: accuracy before and after (-1: none held out).
    int userHeldOut = 0;
    double userBefore = -1, userAfter = -1;
    // For the run history (nn::SessionResult::record), shared: outcomes are copied.
    std::shared_ptr<const nn::RunRecord> record;
};

// A hyperparameter search on the training thread (nn::runSearch). Its data:
// `request.data` when set (tests), else the first `limit` (0: all) of
// MNIST's training images in `mnistDir` (empty: app::resolveDataDir()).
struct SearchJob {
    nn::SearchRequest request;
    QString mnistDir;
    int limit = 0;
    QString runsDb;  // the run history each run is recorded in; empty: not recorded
};

// The engine's settings helpers, under the names the GUI code uses.
using nn::decodeConfig;
using nn::encodeConfig;
using nn::specWithDropout;

// State the controller and its worker share across threads.
struct TrainingShared {
    nn::RunControl control;
    nn::SearchControl search;  // a search's stop
    std::atomic<long long> step{0};      // optimizer steps done, updated after every batch
    std::atomic<int> followMs{0};        // > 0: emit a snapshot this often
    // Set when the window closes: a stopped run skips its evaluation.
    std::atomic<bool> skipEvaluation{false};

    // The end of a run, also published here so that the GUI thread can wait
    // for it synchronously (closing the window) without an event loop.
    std::mutex mutex;
    std::condition_variable cv;
    int doneRun = 0;  // id of the last run that ended
    bool ok = false;
    TrainingOutcome outcome;
    std::shared_ptr<const nn::Model> model;
    QString error;
};

// Where a run's reports go. Each is called on the worker thread, in order;
// the controller posts them to the GUI thread (see handoff.h).
struct TrainingEvents {
    std::function<void(int runId, const RunInfo& info)> started;
    // At most every ~50 ms, and each epoch's first and last batch.
    std::function<void(int runId, const nn::BatchReport& report)> batchProgress;
    std::function<void(int runId, const nn::EpochReport& report)> epochFinished;
    std::function<void(int runId, std::shared_ptr<const nn::Model> model)> snapshot;
    std::function<void(int runId, const QString& line)> logMessage;
    std::function<void(int runId, const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model)> finished;
    std::function<void(int runId, const QString& message)> failed;
    // A search: each run's start (trial, fold, rung, epochs), its batches (at
    // most every ~50 ms), each trial's result at each rung, each run recorded
    // (its id in the history), the end, or what went wrong.
    std::function<void(int runId, int trial, int fold, int rung, int epochs)> searchRunStarted;
    std::function<void(int runId, const nn::BatchReport& report)> searchProgress;
    std::function<void(int runId, const nn::TrialOutcome& trial)> searchTrial;
    std::function<void(int runId, long long recordId)> searchRecorded;
    std::function<void(int runId, const nn::SearchResult& result)> searchFinished;
    std::function<void(int runId, const QString& message)> searchFailed;
};

// Runs on the controller's worker thread. Not used directly by panels.
class TrainingWorker {
public:
    TrainingWorker(std::shared_ptr<TrainingShared> shared, TrainingEvents events);
    ~TrainingWorker();

    // Runs to the end (or Stop); every event of the run carries `runId`.
    // Never throws: a failure ends in events.failed.
    void run(const TrainingRequest& request, int runId);
    // Runs a search to its end (or a stop); never throws: a failure ends in events.searchFailed.
    void runSearch(const SearchJob& job, int runId);

private:
    void publish(int runId, bool ok, const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model,
                 const QString& error);

    std::shared_ptr<TrainingShared> m_shared;
    TrainingEvents m_events;
};

}  // namespace app

Q_DECLARE_METATYPE(app::TrainingRequest)
Q_DECLARE_METATYPE(app::RunInfo)
Q_DECLARE_METATYPE(app::TrainingOutcome)
Q_DECLARE_METATYPE(nn::TrialOutcome)
Q_DECLARE_METATYPE(nn::SearchResult)
