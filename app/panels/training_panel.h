#pragma once
// Train a new model or fine-tune the current one, without freezing the GUI.
// Left: architecture (presets + an editable spec validated as you type),
// hyperparameters, augmentation and data. Right: Start / Pause / Resume /
// Stop, progress, the live curves, and a timestamped log. All values are
// kept in the settings (app::Settings) under keys::kTrainingGroup.
//
// The panel wires the form (TrainingForm) and the run view (TrainingRunView)
// to its TrainingRunner (the controller, the pending result); what it
// decides is in training_plan.h. It never touches the model the drawing pad
// predicts with: the pad gets new weights only through the signals below.
#include "training_plan.h"
#include "training_runner.h"

#include "workers/training_controller.h"

#include <nn/augment.h>

#include <QWidget>

#include <memory>
#include <vector>


namespace app {

class TrainingForm;
class TrainingRunView;

class CurvesPanel;
class UserDigitsPanel;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    // ---- Wiring (main window) ----------------------------------------------
    // The model the pad predicts with; "fine-tune" starts from a copy of it.
    void setCurrentModel(std::shared_ptr<const nn::Model> model);
    // The form shows these settings (a run re-run from the Runs page).
    void applySettings(const TrainingSettings& settings);
    std::shared_ptr<const nn::Model> currentModel() const { return m_runner->currentModel(); }
    // Where "my digits" come from (training part and held-out part). The panel
    // also reports the held-out accuracy before/after back to it.
    void setUserDigits(UserDigitsPanel* panel);

    // The augmentation preview's "Apply to training" lands here.
    nn::AugmentParams augmentParams() const;
    void setAugmentParams(const nn::AugmentParams& params);
    std::uint64_t seed() const;
    void setSeed(std::uint64_t seed);  // the seed box (the augmentation preview's Apply)

    // ---- Closing the window --------------------------------------------------
    bool isRunning() const { return m_runner->isRunning(); }
    bool isPaused() const { return m_runner->isPaused(); }
    // Stops a run and waits for it (at most timeoutMs; a batch takes far less).
    // Returns the model trained so far (weights of the last finished batch),
    // or null when there is none (no run, failure, or timeout). The result is
    // then pending: keepResult() adopts it, discardResult() drops it.
    std::shared_ptr<const nn::Model> stopForClose(int timeoutMs = 1000) { return m_runner->stopForClose(timeoutMs); }
    // A finished run's model that was neither kept nor discarded yet.
    std::shared_ptr<const nn::Model> pendingResult() const { return m_runner->pendingResult(); }
    void keepResult();      // emits modelTrained(pending)
    void discardResult();   // the pad goes back to the current model if it followed training

    // ---- Inspection, tests and benchmarks --------------------------------------
    TrainingController* controller() const { return m_runner->controller(); }
    CurvesPanel* curves() const { return m_curves; }
    bool specValid() const { return m_spec.valid; }
    QString specError() const { return m_spec.valid ? QString() : m_spec.error; }
    QString logText() const;
    bool saveLog(const QString& path, QString* error = nullptr) const;
    // Checkpoints (default TrainingController::defaultCheckpointPath()).
    void setCheckpointPath(const QString& path);
    QString checkpointPath() const { return m_sources.checkpointPath; }
    // MNIST folder (default app::resolveDataDir()).
    void setMnistDir(const QString& dir);
    // Train on these instead of MNIST (synthetic runs in tests and screenshots).
    void setDataOverride(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> validation);
    // Caps batches per epoch (0: all); tests and demos.
    void setMaxBatchesPerEpoch(int batches) { m_sources.maxBatchesPerEpoch = batches; }
    // What Start would run now.
    TrainingRequest request() const;
    // Seconds per epoch for the current settings (-1 when the spec is invalid).
    double estimatedEpochSeconds() const;

public slots:
    void start();
    void pause() { m_runner->pause(); }
    void resume() { m_runner->resume(); }
    void stop();
    void continueFromCheckpoint();
    void setFollowTraining(bool on);

signals:
    // The person kept a trained model (or keepResult() was called): adopt it
    // everywhere -- the pad, the model info, saving it as the current model.
    void modelTrained(std::shared_ptr<const nn::Model> model);
    // What the pad should predict with for now: snapshots every few seconds
    // while "Follow training" is on, and the current model again when
    // following ends without keeping the result.
    void followSnapshot(std::shared_ptr<const nn::Model> model);
    void augmentParamsChanged(const nn::AugmentParams& params);
    void seedChanged(quint64 seed);
    void runningChanged(bool running);
    // The training thread's health report (nn/health.h), every 2 s of a run.
    void healthMeasured(std::shared_ptr<const nn::TrainingHealth> health);
    // What the last run did on my digits and on MNIST (myDigitsRunSummary), after a run that used them.
    void myDigitsResult(const QString& summary);

private:
    void buildUi();
    QWidget* buildForm();
    void saveSettings() const;
    void validateSpec();
    void refresh();  // data label, estimate and buttons
    void updateDataLabel();
    void updateEstimate();
    void updateButtons();
    void updateCheckpointButton();
    void appendLog(const QString& line);
    void onFinished(const TrainingOutcome& outcome, bool haveModel);
    void onFailed(const QString& message);
    void saveResultDialog();
    void saveLogDialog();
    void launch(TrainingRequest request);
    TrainingSources sources() const;  // what a run draws from besides the form

    TrainingRunner* m_runner = nullptr;  // the run, its result and the pad's model
    CurvesPanel* m_curves = nullptr;
    UserDigitsPanel* m_userDigits = nullptr;

    TrainingSources m_sources;  // paths, data overrides, batch cap (the model and my digits: sources())
    SpecCheck m_spec;

    TrainingForm* m_form = nullptr;  // the settings on the left

    TrainingRunView* m_run = nullptr;  // buttons, progress, result, curves, log on the right
    bool m_checkpointResumable = false;
    bool m_runUsedMyDigits = false;  // the running (or last) run trained on my digits
};

}  // namespace app
