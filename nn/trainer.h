#pragma once
// Epochs, batches, validation, callbacks and cancellation. Each batch is
// split across the threads of a pool: every thread runs its own Net over its
// share (single-threaded Eigen), gradients are summed and the optimizer steps
// once. All randomness (shuffle, augmentation, dropout) derives from the seed,
// the epoch and the sample index, so a run is deterministic for a given seed
// and thread count, and resuming from a checkpoint continues exactly.
#include "augment.h"
#include "health.h"
#include "data/dataset.h"
#include "model.h"
#include "optim.h"
#include "uitext.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nn {

enum class LossKind { CrossEntropy, MSE };

struct TrainConfig {
    int epochs = 10;
    int batchSize = 64;
    float learningRate = 1e-3f;
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    LossKind loss = LossKind::CrossEntropy;
    AugmentParams augment;          // augment.enabled turns it on
    std::uint64_t seed = 1;
    int threads = 0;                // 0: all hardware threads
    int earlyStopPatience = 0;      // 0: off; otherwise stop after this many epochs without
                                    // validation improvement and restore the best weights
    int maxBatchesPerEpoch = 0;     // 0: all (tests and benchmarks use a limit)
    double progressIntervalSec = 0.05;  // batch callbacks at most this often (and on the last batch)
    // Outlier exposure: this many non-digits (Trainer::setOutliers) join
    // every batch, trained towards a uniform softmax with weight
    // outlierWeight (uniformCrossEntropy, scaled by 1 / outlierBatch), while
    // the batch's digits keep their cross-entropy. 0: off.
    int outlierBatch = 0;
    float outlierWeight = 0.5f;
    // What the outliers are trained towards. Uniform: the uniform softmax (as
    // above). Energy: the energy-margin loss (nn::energyMargin, Liu et al.
    // 2020): the digits' score logsumexp(z) up to at least energyInMargin, the
    // outliers' down to at most energyOutMargin, weight outlierWeight on the
    // batch means of both hinges. A uniform softmax leaves the logits' level
    // free, so it barely moves the score the pad thresholds; this loss trains
    // that score itself.
    enum class OutlierLoss { Uniform, Energy };
    OutlierLoss outlierLoss = OutlierLoss::Uniform;
    float energyInMargin = 10.0f;
    float energyOutMargin = 3.0f;
    static const char* outlierLossName(OutlierLoss l) { return l == OutlierLoss::Energy ? "energy" : "uniform"; }
    static OutlierLoss parseOutlierLoss(const std::string& s);  // throws Error naming s
    // Training health (nn/health.h): > 0 measures it at most this often (at
    // a batch report) and hands it out as BatchReport::health; the dead-ReLU
    // count runs the first healthProbeImages validation images (training
    // images without a validation set). 0: off (the CLI); the GUI shows it.
    double healthIntervalSec = 0;
    int healthProbeImages = 64;
    // Adversarial training (Madry et al. 2018, "Towards Deep Learning Models
    // Resistant to Adversarial Attacks"): every batch, the digits at every
    // 1/adversarialFraction-th position are replaced by L-inf adversarial
    // versions of themselves (nn/adversarial.h, away from their label, against
    // the weights of that moment: FGSM for 1 step, PGD for more).
    // adversarialEps 0: off.
    float adversarialEps = 0.0f;
    int adversarialSteps = 1;
    float adversarialFraction = 0.5f;

    std::string describe() const;   // one line of hyperparameters, stored in model metadata
};

// The ranges of the adversarial-training settings: the trainer refuses
// values outside them, and the Train page's fields and `digitpad-cli
// train`'s options take their limits from here (the defaults are
// TrainConfig's).
inline constexpr float kMaxAdversarialEps = 1.0f;  // pixels are in [0, 1]
inline constexpr int kMaxAdversarialSteps = 1000;
inline constexpr float kMinAdversarialFraction = 0.01f;

struct BatchReport {
    int epoch = 0, epochs = 0;      // epoch is 0-based
    int batch = 0, batches = 0;     // batch is 1-based: batches done in this epoch
    long long step = 0;             // optimizer steps so far in the run
    double loss = 0, accuracy = 0;  // of the batches since the last report
    double smoothedLoss = 0;        // exponential moving average over batches
    float lr = 0;
    double imagesPerSecond = 0;     // this epoch so far
    double etaSeconds = 0;          // for the whole run
    std::shared_ptr<const TrainingHealth> health;  // when measured at this report (TrainConfig::healthIntervalSec)
};

struct EpochReport {
    int epoch = 0, epochs = 0;
    double trainLoss = 0, trainAccuracy = 0;
    double valLoss = -1, valAccuracy = -1;  // -1 when there is no validation set
    // The outlier-exposure term, without its weight: the mean uniform
    // cross-entropy of the outliers, or with the energy loss the batches'
    // mean of (digits' mean hinge + outliers' mean hinge); -1 without outlier exposure.
    double outlierLoss = -1;
    float lr = 0;
    double seconds = 0, imagesPerSecond = 0;
    bool best = false;  // best validation loss so far
};

struct TrainResult {
    enum Status { Finished, Stopped, EarlyStopped, Diverged };
    Status status = Finished;
    UiText message;           // why it ended (toString: the English)
    int epochsCompleted = 0;
    double bestValLoss = -1, bestValAccuracy = -1;
    double imagesPerSecond = 0;  // over the whole run
};

// Cross-thread control of a run: stop, pause and resume. Pausing blocks the
// training thread on a condition variable at the next batch boundary.
class RunControl {
public:
    void requestStop();
    void pause();
    void resume();
    bool stopRequested() const { return m_stop.load(std::memory_order_relaxed); }
    bool paused() const;
    // Called by the trainer between batches: blocks while paused (unless a stop is requested).
    void waitWhilePaused();
    void reset();

private:
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_paused = false;
};

// Everything needed to continue a run exactly where it stopped.
struct TrainState {
    int nextEpoch = 0;               // first epoch still to run
    long long step = 0;
    std::vector<float> params;
    std::vector<float> optM, optV;
    long long optSteps = 0;
    float plateauScale = 1.0f;
    double plateauBest = 1e300;
    int plateauBad = 0;
    double bestValLoss = 1e300;
    double bestValAccuracy = -1;
    int epochsWithoutImprovement = 0;
    std::vector<float> bestParams;   // for early stopping; may be empty
};

// A run has diverged when the loss becomes NaN or infinite, when a batch's
// mean loss grows to kDivergenceGrowth times the run's first batch's (or
// of 1, when the first was smaller): cross-entropy of 2,300 per image is no
// longer learning; or when a whole epoch's mean training loss is
// kEpochDivergenceGrowth times that (SGD at --lr 100 settles around 100-200
// per image, at chance accuracy). The run then ends Diverged with the last
// good weights (of the batch, or from before the epoch).
inline constexpr double kDivergenceGrowth = 1000.0;
inline constexpr double kEpochDivergenceGrowth = 10.0;

class Trainer {
public:
    using BatchCallback = std::function<void(const BatchReport&)>;
    using EpochCallback = std::function<void(const EpochReport&, const TrainState&)>;

    Trainer(Model& model, TrainConfig config);
    ~Trainer();

    // Trains `model` in place. validation may be empty. Throws ShapeError when
    // the data does not fit the model. Callbacks run on the calling thread.
    TrainResult run(const Dataset& train, const Dataset& validation, const BatchCallback& onBatch = {},
                    const EpochCallback& onEpoch = {}, RunControl* control = nullptr);

    // The non-digits for outlier exposure (TrainConfig::outlierBatch > 0):
    // 28x28 images like the training set's, labels ignored. Drawn in a
    // seeded order per epoch and augmented like the training images. The
    // set must outlive run(); nullptr: none.
    void setOutliers(const Dataset* outliers) { m_outliers = outliers; }

    // Restores a state captured by an EpochCallback (from a checkpoint); run()
    // then continues from state.nextEpoch.
    void restore(const TrainState& state);

    const TrainConfig& config() const { return m_config; }

private:
    struct Impl;
    Model& m_model;
    TrainConfig m_config;
    const Dataset* m_outliers = nullptr;
    std::unique_ptr<Impl> m_impl;
};

// Saves a checkpoint (model file + training state) atomically. Throws FileError.
// `runSettings` is what a TrainingSession needs to resume the run (see
// nn/session.h); empty for a checkpoint that only the engine will read.
void saveCheckpoint(const std::string& path, const Model& model, const TrainConfig& config, const TrainState& state,
                    const std::string& runSettings = {});
std::vector<std::uint8_t> checkpointToBytes(const Model& model, const TrainConfig& config, const TrainState& state,
                                            const std::string& runSettings = {});
// Returns the model and state, and the run settings stored with them (empty
// in format version 1 and when none were given). The caller checks that the
// state fits its optimizer (Trainer::restore does).
// Throws FileError naming the file (or `name`), the field and the byte offset:
// wrong magic (a model file is recognised as such), a newer or invalid format
// version, "checkpoint checksum mismatch", truncation, a problem in the model
// inside ("the model in the checkpoint: ..."), arrays that do not have one
// value per model parameter (or none, where that is allowed), NaN or infinite
// values, negative counts or second moments, a learning-rate scale that is
// not positive, an accuracy outside [0, 1] (-1: none yet), trailing bytes.
std::pair<Model, TrainState> loadCheckpoint(const std::string& path, std::string* runSettings = nullptr);
std::pair<Model, TrainState> loadCheckpointFromBytes(const std::uint8_t* bytes, std::size_t size,
                                                     const std::string& name, std::string* runSettings = nullptr);

}  // namespace nn
