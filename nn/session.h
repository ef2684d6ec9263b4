#pragma once
// One training run end to end: the data (MNIST with its limit and validation
// split, the person's own digits and their repeats), the model (from a spec,
// fine-tuned from given weights, or resumed from a checkpoint), the Trainer,
// the evaluation afterwards and the metadata stamped into the result. The GUI's
// TrainingWorker and `digitpad-cli train` are both thin front ends over it.
//
// A checkpoint written by a session carries the run's whole request (settings
// and data settings, see encodeRunSettings), so that either front end can
// resume it exactly.
#include "data/dataset.h"
#include "model.h"
#include "run_record.h"
#include "trainer.h"
#include "uitext.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace nn {

// "finished", "stopped", "early-stopped", "diverged" (marked DIGITPAD_UI_TEXT;
// the run history stores the English as a key).
const char* statusName(TrainResult::Status s);

// "2" after whole epochs; "2 + 1,234 of 54,000 samples of epoch 3" after a
// stop during the third (the model's "epochs" metadata).
std::string epochsText(int completed, long long partialSamples, long long epochSamples);

struct SessionRequest {
    // Architecture for training from scratch (a spec, not a preset name).
    std::string spec;
    // Fine-tuning: training starts from a copy of these weights; `spec` is ignored.
    std::shared_ptr<const Model> initial;
    // < 0: the dropout rates written in the architecture. Otherwise every
    // dropout layer gets this rate; from scratch, a spec without any dropout
    // layer gets one inserted before its last dense layer (rate > 0 only).
    float dropout = -1.0f;
    TrainConfig config;  // threads 0: all hardware threads

    // Data. `validationFraction` of MNIST's training split (the first
    // `mnistLimit` images when > 0), chosen by the seed, is held out.
    bool useMnist = true;
    std::string dataDir;          // the MNIST folder
    bool mnistRequired = false;   // absent MNIST is an error even with digits of one's own
    int mnistLimit = 0;
    double validationFraction = 0.1;
    // MNIST test accuracy at the end, when its files are there, also when
    // MNIST is not trained on (fine-tuning on my digits only): whether the
    // model got worse on MNIST is what a person needs to know.
    bool evaluateTest = true;
    bool evaluateAfterStop = false;  // also evaluate after RunControl::requestStop()
    // My digits: the training part is repeated so that it makes up at least
    // `userMinShare` of the training set; the held-out part is only measured,
    // before (on `baseline` when given) and after. Without MNIST, `validationFraction` of the training
    // part (chosen by the seed, never repeated) is the validation set.
    std::shared_ptr<const Dataset> userTrain, userHeldOut;
    double userMinShare = 0.05;
    // Synthetic data (nn/synth.h), from synthSeed: `styles` digits in other
    // countries' styles join the training set (not the validation set);
    // `outliers` non-digits are the outlier-exposure set
    // (config.outlierBatch > 0 draws from them).
    int styles = 0;
    int outliers = 0;
    std::uint64_t synthSeed = 1;
    // Tests and benchmarks: used instead of MNIST when set.
    std::shared_ptr<const Dataset> trainOverride, validationOverride;
    // Where MNIST comes from; empty: Dataset::loadMnist(dataDir, split). The
    // GUI passes its shared store so that the 47 MB are loaded once.
    std::function<std::shared_ptr<const Dataset>(const std::string& dir, Split split)> mnistSource;

    // The model the result would replace (the GUI's current model; when
    // fine-tuning, usually `initial`): measured before training on the same
    // validation and MNIST test sets, so that the result can be judged
    // against it. Null, or a model of another input or output shape: not measured.
    std::shared_ptr<const Model> baseline;

    // Checkpoints: written after every epoch when non-empty. With `resume`,
    // the run continues from that checkpoint with its architecture, weights,
    // optimizer state, settings and data settings (this request's spec,
    // initial, config, dropout, useMnist, mnistLimit, validationFraction and
    // userMinShare are then ignored).
    std::string checkpoint;
    bool resume = false;

    // Metadata: "DigitPad (trained <frontEnd>)"; `extraMetadata` is added as is.
    std::string frontEnd = "in the GUI";
    std::map<std::string, std::string> extraMetadata;
};

// Sent once the data are loaded and the model is built, before the first batch.
struct SessionInfo {
    std::string spec;            // canonical architecture
    long long parameters = 0;
    std::string hyperparameters; // TrainConfig::describe()
    UiText data;                 // one line: what is trained on
    std::string dataDir;         // the MNIST folder, when MNIST is used
    int trainSize = 0, validationSize = 0, testSize = 0;
    int userTrain = 0, userHeldOut = 0, userRepeats = 0;
    int styles = 0, outliers = 0;  // synthetic digits in the training set; non-digits for outlier exposure
    UiText validationNote;       // empty, or why there is no validation set
    int threads = 0, batchSize = 0;
    int epochs = 0, firstEpoch = 0;  // firstEpoch > 0 when resuming
    long long firstStep = 0;
    bool fineTune = false, resumed = false;
};

struct SessionResult {
    TrainResult::Status status = TrainResult::Finished;
    UiText message;               // why it ended
    int epochsCompleted = 0;      // absolute (including those before a resume)
    long long steps = 0;          // optimizer steps in total
    // Validation: -1 when there was no validation set (validationNote says why).
    double bestValLoss = -1, bestValAccuracy = -1;
    double valAccuracy = -1;      // of the final weights; -1 when not measured
    int validationSize = 0;
    UiText validationNote;        // empty, or why there is no validation set
    double testAccuracy = -1, testLoss = 0;  // MNIST test set; -1 when not measured
    int testSize = 0;
    UiText testNote;              // empty, or why there is no MNIST test accuracy
    // SessionRequest::baseline on the same sets, before training; -1: not measured.
    double baselineValAccuracy = -1, baselineTestAccuracy = -1;
    // A run stopped during an epoch: the samples of epoch epochsCompleted + 1
    // trained before the stop, of epochSamples (0 when it stopped between epochs).
    long long partialSamples = 0, epochSamples = 0;
    double imagesPerSecond = 0;
    double trainSeconds = 0, seconds = 0;
    int userHeldOut = 0;
    double userBefore = -1, userAfter = -1;
    std::shared_ptr<Model> model; // the trained model, metadata stamped
    // For the run history: settings, curves, metrics, per-class errors. The
    // front end adds frontEnd, command, modelPath and latencies.
    RunRecord record;
};

struct SessionEvents {
    std::function<void(const SessionInfo&)> started;
    std::function<void(const BatchReport&)> batch;  // every batch
    // After the epoch's checkpoint (if any) is written.
    std::function<void(const EpochReport&)> epoch;
    // Lines of the training log, in English with toString(), translated by the GUI.
    std::function<void(const UiText& line)> log;
    // Something the person should know although the run goes on (a
    // checkpoint that could not be written, data that changed since the
    // checkpoint). Unset: it goes to `log`.
    std::function<void(const UiText& line)> warning;
    // Once the trainer has returned, before the evaluations: its result and
    // the seconds it took.
    std::function<void(const TrainResult&, double seconds)> trained;
    // Asked during the final evaluations; false skips the rest of them.
    std::function<bool()> keepEvaluating;
};

// The settings of a resumable run and its data, as stored in a checkpoint.
struct RunSettings {
    TrainConfig config;
    bool useMnist = true;
    int mnistLimit = 0;
    double validationFraction = 0.1;
    double userMinShare = 0.05;
    int styles = 0, outliers = 0;
    std::uint64_t synthSeed = 1;
    bool fineTune = false;
    std::string dataCrc;  // of the training set; empty when unknown
};
// One line of key=value pairs, exact (floats round-trip).
std::string encodeConfig(const TrainConfig& c);
TrainConfig decodeConfig(const std::string& text);  // throws Error naming the bad key
std::string encodeRunSettings(const RunSettings& s);
RunSettings decodeRunSettings(const std::string& text);

// A checkpoint and the settings to continue it with. Throws FileError for a
// damaged file and Error when it holds no settings (a checkpoint written by
// the engine directly) or its run already completed all epochs. Checkpoints of
// format version 1 written by the GUI keep their settings in the model's
// metadata and are still read.
struct ResumePoint {
    Model model;
    TrainState state;
    RunSettings settings;
};
ResumePoint loadResumePoint(const std::string& path);

// The architecture with dropout applied as SessionRequest::dropout describes.
// Throws SpecError when the spec does not parse.
std::string specWithDropout(const std::string& spec, float dropout, bool mayInsert);

class TrainingSession {
public:
    TrainingSession(SessionRequest request, SessionEvents events, RunControl* control = nullptr);

    // Runs to the end (or a stop). Throws Error (and std::bad_alloc); phase()
    // then says what it was doing.
    SessionResult run();

    // What the session is doing, e.g. "loading the training data" (marked
    // DIGITPAD_UI_TEXT).
    const char* phase() const { return m_phase; }
    // The model being trained: valid from `started` until run() returns; read
    // it only from the callbacks (the training thread).
    const Model& model() const { return *m_model; }

private:
    struct Data;
    void prepareModel();
    Data buildData();
    std::shared_ptr<const Dataset> mnist(Split split);
    bool comparable(const Model* other) const;  // same input and outputs as the model trained
    void measureBaseline(const Data& data, SessionResult& out);
    void stampMetadata(const Data& data, const SessionResult& out, const TrainResult& result);
    void log(const UiText& line) const;
    void warn(const UiText& line) const;

    SessionRequest m_req;
    SessionEvents m_events;
    RunControl* m_control;
    RunControl m_ownControl;
    const char* m_phase;  // marked DIGITPAD_UI_TEXT (session.cpp, where lupdate reads it)
    std::shared_ptr<Model> m_model;
    TrainConfig m_cfg;
    RunSettings m_settings;  // what is resumed / what goes into checkpoints
    TrainState m_state;
    bool m_resumed = false;
    bool m_fineTune = false;
};

}  // namespace nn
