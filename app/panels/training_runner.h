#pragma once
// One training run at a time and what it leaves behind: starts, pauses,
// resumes and stops runs through its TrainingController, keeps a finished
// run's model until the person keeps or discards it, says what the pad
// should predict with while they follow the run, and calibrates the epoch
// estimate to this machine. No widgets: a test drives it without a window,
// and TrainingPanel wires it to the form and the run view.
#include "training_plan.h"

#include "workers/training_controller.h"

#include <QObject>

#include <memory>

namespace app {

// How much one run's measured rate moves the stored one (nn::SmoothedRate).
inline constexpr double kRunRateWeight = 0.3;

class TrainingRunner : public QObject {
    Q_OBJECT
public:
    explicit TrainingRunner(QObject* parent = nullptr);

    TrainingController* controller() const { return m_controller; }
    bool isRunning() const { return m_controller->isRunning(); }
    bool isPaused() const { return m_controller->isPaused(); }

    // The pad's model (fine-tuning starts from a copy of it).
    std::shared_ptr<const nn::Model> currentModel() const { return m_result.current(); }
    void setCurrentModel(std::shared_ptr<const nn::Model> model) { m_result.setCurrent(std::move(model)); }
    // A finished run's model, neither kept nor discarded yet.
    std::shared_ptr<const nn::Model> pendingResult() const { return m_result.pending(); }

    // Starts a run; `follow`: the pad is sent snapshots every 3 s. A pending
    // result is discarded first. False when a run is already going.
    bool start(TrainingRequest request, bool follow);
    // The log's first line for a run: "start: new model …", "start:
    // fine-tuning the current model", "continuing the run saved in …".
    static QString startLine(const TrainingRequest& request);
    void pause();
    void resume();
    // Asks the run to stop after its current batch; false when none runs.
    bool stop();
    // Stops and waits (closing the window): the model trained so far, now
    // pending, or null (no run, failure, timeout).
    std::shared_ptr<const nn::Model> stopForClose(int timeoutMs);
    // "Follow training" switched, also during a run.
    void setFollow(bool on);
    // The pending model becomes the current one; false when none was pending.
    bool keep();
    // Drops the pending model; false when none was pending.
    bool discard();

signals:
    void logMessage(const QString& line);
    void started(const app::RunInfo& info);
    void batchProgress(const nn::BatchReport& report, bool paused);
    void epochFinished(const nn::EpochReport& report);
    void finished(const app::TrainingOutcome& outcome, bool haveModel);
    void failed(const QString& message);
    void runningChanged(bool running);
    void pausedChanged(bool paused);
    // What the pad should predict with now (see RunResult).
    void followSnapshot(std::shared_ptr<const nn::Model> model);

private:
    void showOnPad(const PadUpdate& update);
    void onFinished(const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model);

    TrainingController* m_controller = nullptr;
    RunResult m_result;
    RunRates m_rates;     // training images/s reported during the run
    int m_runThreads = 0;  // threads of the running run
    bool m_follow = false;
};

}  // namespace app
