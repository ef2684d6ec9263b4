#pragma once
// What the Train page decides without a window, as plain values a test can
// check: whether the spec can be trained (and its size), how long an epoch
// will take, the labels that say what is trained on, the request Start
// sends, and the machine's rate measured during a run. TrainingPanel only
// wires these to the form, the run view and the controller.
#include "training_settings.h"

#include "workers/training_controller.h"

#include <QString>

#include <memory>
#include <vector>

namespace nn {
class Dataset;
class Model;
}  // namespace nn

namespace app {

// Larger models are refused in the editor (building them would allocate
// their parameters).
inline constexpr double kMaxTrainableParams = 20e6;

// Whether Start can run the spec, and what it costs.
struct SpecCheck {
    bool valid = false;
    QString error;       // when !valid: what is wrong, as the editor shows it
    qint64 params = 0;
    double flops = 0;    // forward multiply-adds per image

    // A new model from `spec` with the form's dropout (-1: the spec's own
    // rates); checked without building it.
    static SpecCheck forSpec(const QString& spec, float dropout, double maxParams = kMaxTrainableParams);
    // Fine-tuning `current` (null: there is none).
    static SpecCheck forModel(const nn::Model* current);

    // "N parameters · M M multiply-adds per image", with "≈ T per epoch
    // (where the rate comes from)" when epochSeconds > 0; empty when invalid.
    QString summary(double epochSeconds, bool rateFromLastRun) const;
};

// Everything a run draws from besides the form's settings.
struct TrainingSources {
    std::shared_ptr<const nn::Model> current;  // fine-tuning starts from a copy
    QString mnistDir;                          // empty: app::resolveDataDir()
    std::shared_ptr<const nn::Dataset> trainOverride, validationOverride;
    std::shared_ptr<const nn::Dataset> userTrain, userHeldOut;  // my digits
    int userCount = 0;                         // my digits in all (held out included)
    int userHeld = 0;
    QString checkpointPath;
    int maxBatchesPerEpoch = 0;                // 0: all

    bool haveUserDigits() const { return userCount > 0; }
    // Start has something to train on with these settings.
    bool haveData(const TrainingSettings& s) const;
};

// The request Start sends for the form's settings. `specText` is what the
// spec field shows (the current model's while fine-tuning).
TrainingRequest makeTrainingRequest(const TrainingSettings& s, const QString& specText, const TrainingSources& src);

// Training and validation images per epoch for these settings and sources.
struct EpochImages {
    double train = 0, validation = 0;
};
EpochImages epochImages(const TrainingSettings& s, const TrainingSources& src);

// Seconds per epoch (-1 when the spec is invalid). macsPerThread <= 0: measured now.
double estimateEpochSeconds(const SpecCheck& spec, const TrainingSettings& s, const TrainingSources& src,
                            double macsPerThread);

// The data labels of the form.
struct DataLabel {
    QString text;
    bool ok = false;
};
// MNIST: the given set, or whether the training files are in src.mnistDir
// (empty: app::resolveDataDir()).
DataLabel mnistLabel(const TrainingSources& src);
DataLabel userDigitsLabel(int count, int heldOut);

// What the result bar says about a run that left a model, so that the person
// can decide whether to use it: how far it got (a stop during an epoch says
// how much of it), validation and MNIST test accuracy next to those of the
// current model, the held-out digits before and after, and why a figure is
// missing instead of a number. Ends with "Use the new model?".
QString resultSummary(const TrainingOutcome& o);
// The My Digits page's note on the last run: the held-out digits before and
// after, and the MNIST test accuracy of the current and the new model (or
// why it was not measured).
QString myDigitsRunSummary(const TrainingOutcome& o);

// The Continue button's tooltip for a checkpoint.
QString checkpointToolTip(const CheckpointInfo& info, const QString& path);

// Training images per second reported during a run; at its end, this
// machine's rate for the next estimates.
class RunRates {
public:
    void clear() { m_rates.clear(); }
    void add(double imagesPerSecond);
    std::size_t count() const { return m_rates.size(); }
    // Forward multiply-adds per second per thread: the run's median rate
    // (validation and pauses excluded) times 3 x flops, over the threads it
    // used. 0 with fewer than 5 reports or no flops.
    double macsPerThread(double flopsPerSample, int threads) const;

private:
    std::vector<double> m_rates;
};

}  // namespace app

namespace app {

// What the pad should predict with after a step of a run: send == false
// leaves it as it is.
struct PadUpdate {
    bool send = false;
    std::shared_ptr<const nn::Model> model;
};

// The pad's model, a finished run's model awaiting Use / Discard, and
// whether the pad was shown the run's snapshots ("Follow training"). Each
// step says what the pad should show next.
class RunResult {
public:
    const std::shared_ptr<const nn::Model>& current() const { return m_current; }
    const std::shared_ptr<const nn::Model>& pending() const { return m_pending; }
    bool followed() const { return m_followed; }
    void setCurrent(std::shared_ptr<const nn::Model> model) { m_current = std::move(model); }

    void runStarting() { m_followed = false; }
    // A snapshot of the weights during the run; shown when following.
    PadUpdate snapshot(std::shared_ptr<const nn::Model> model, bool follow);
    // "Follow training" was switched off during a run: back to the current model.
    PadUpdate followOff(bool running);
    // The run ended with `model` (null: none): it is pending; the pad shows
    // it when it followed the run.
    PadUpdate finished(std::shared_ptr<const nn::Model> model);
    // The run failed: back to the current model when the pad followed it.
    PadUpdate failed();
    // The pending model becomes the current one; false when none was pending.
    bool keep();
    // Drops the pending model (the pad goes back to the current one when it
    // followed the run); *hadPending says whether there was one.
    PadUpdate discard(bool* hadPending = nullptr);

private:
    PadUpdate backToCurrent();

    std::shared_ptr<const nn::Model> m_current;  // the pad's model
    std::shared_ptr<const nn::Model> m_pending;  // a result awaiting keep/discard
    bool m_followed = false;                     // the pad was sent snapshots during the last run
};

}  // namespace app
