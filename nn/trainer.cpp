#include "trainer.h"

#include "adversarial.h"
#include "binio.h"
#include "gradient.h"
#include "loss.h"
#include "parallel.h"
#include "random.h"
#include "serialize.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>

namespace nn {

// ---- RunControl -------------------------------------------------------------

void RunControl::requestStop()
{
    m_stop.store(true);
    std::lock_guard lock(m_mutex);
    m_cv.notify_all();
}

void RunControl::pause()
{
    std::lock_guard lock(m_mutex);
    m_paused = true;
}

void RunControl::resume()
{
    std::lock_guard lock(m_mutex);
    m_paused = false;
    m_cv.notify_all();
}

bool RunControl::paused() const
{
    std::lock_guard lock(m_mutex);
    return m_paused;
}

void RunControl::waitWhilePaused()
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_paused || m_stop.load(); });
}

void RunControl::reset()
{
    std::lock_guard lock(m_mutex);
    m_stop.store(false);
    m_paused = false;
}

// ---- TrainConfig ------------------------------------------------------------

std::string TrainConfig::describe() const
{
    std::ostringstream s;
    s << "optimizer=" << OptimizerConfig::kindName(optimizer.kind) << " lr=" << learningRate;
    if (OptimizerConfig::usesMomentum(optimizer.kind))
        s << " momentum=" << optimizer.momentum << (optimizer.nesterov ? " nesterov" : "");
    if (optimizer.kind == OptimizerConfig::RMSprop)
        s << " rho=" << optimizer.rho;
    s << " schedule=" << ScheduleConfig::kindName(schedule.kind) << " batch=" << batchSize << " epochs=" << epochs
      << " weight_decay=" << optimizer.weightDecay;
    if (optimizer.l1 != 0.0f)
        s << " l1=" << optimizer.l1;
    s << " loss=" << (loss == LossKind::CrossEntropy ? "ce" : "mse")
      << " seed=" << seed << " augment=" << (augment.enabled ? augment.toString() : std::string("none"));
    if (earlyStopPatience > 0)
        s << " patience=" << earlyStopPatience;
    if (outlierBatch > 0) {
        s << " outliers_per_batch=" << outlierBatch << " outlier_weight=" << outlierWeight;
        if (outlierLoss == OutlierLoss::Energy)
            s << " outlier_loss=energy energy_margins=" << energyInMargin << ":" << energyOutMargin;
    }
    if (adversarialEps > 0)
        s << " adversarial_eps=" << adversarialEps << " adversarial_steps=" << adversarialSteps
          << " adversarial_fraction=" << adversarialFraction;
    return s.str();
}

TrainConfig::OutlierLoss TrainConfig::parseOutlierLoss(const std::string& s)
{
    if (s == "uniform")
        return OutlierLoss::Uniform;
    if (s == "energy")
        return OutlierLoss::Energy;
    throw Error("the outlier loss must be uniform or energy, got '" + s + "'");
}

// ---- Trainer ----------------------------------------------------------------

namespace {

bool allFinite(const float* v, std::size_t n)
{
    // NaN and infinities are the floats whose exponent bits are all ones. An
    // integer test vectorises (a float sum would be one long dependency chain).
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t u;
        std::memcpy(&u, v + i, sizeof u);
        bad |= std::uint32_t((u & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
}

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

struct Trainer::Impl {
    struct Worker {
        std::unique_ptr<Net> net;
        Tensor input;
        Tensor grad;
        std::vector<std::uint8_t> labels;
        int outCount = 0;  // outlier rows after the labelled ones
        LossResult outLoss;
        Augmenter augmenter;
        std::vector<float> scratch;
        LossResult loss;
        int count = 0;
        std::unique_ptr<InputGradient> attacker;  // adversarial training only
        std::vector<float> clean, adversarial;    // the images attacked and their replacements
        std::vector<int> away;
    };

    // Adversarial training: the worker's digits at positions p of the epoch
    // order where floor((p + 1) f) > floor(p f) -- a share f spread evenly,
    // the same whatever the thread count -- are attacked and replaced.
    static void replaceByAdversarial(Worker& w, int lo, const TrainConfig& c)
    {
        const Model& model = w.attacker->model();
        const int S = model.inputShape().size();
        const double f = std::clamp(double(c.adversarialFraction), 0.0, 1.0);
        std::vector<int> rows;
        for (int i = 0; i < w.count; ++i) {
            const long long p = lo + i;
            if (std::floor(double(p + 1) * f) > std::floor(double(p) * f))
                rows.push_back(i);
        }
        if (rows.empty())
            return;
        const int n = int(rows.size());
        w.clean.resize(std::size_t(n) * S);
        w.adversarial.resize(std::size_t(n) * S);
        w.away.resize(std::size_t(n));
        for (int j = 0; j < n; ++j) {
            std::copy_n(w.input.sample(rows[std::size_t(j)]), S, w.clean.data() + std::size_t(j) * S);
            w.away[std::size_t(j)] = w.labels[std::size_t(rows[std::size_t(j)])];
        }
        AttackOptions o;
        o.steps = std::max(1, c.adversarialSteps);
        attackBatch(*w.attacker, w.clean.data(), n, w.away.data(), c.adversarialEps, o, w.adversarial.data());
        for (int j = 0; j < n; ++j)
            std::copy_n(w.adversarial.data() + std::size_t(j) * S, S, w.input.sample(rows[std::size_t(j)]));
    }

    Impl(Model& model, const TrainConfig& config)
        : pool(config.threads > 0 ? config.threads : ThreadPool::hardwareThreads()),
          optimizer(model, config.optimizer),
          schedule(config.schedule, config.learningRate, config.epochs)
    {
        for (int t = 0; t < pool.size(); ++t) {
            auto w = std::make_unique<Worker>();
            w->net = std::make_unique<Net>(model);
            w->net->setBatchReducer(&batchStats, t);
            if (config.adversarialEps > 0)
                w->attacker = std::make_unique<InputGradient>(model);
            workers.push_back(std::move(w));
        }
        gradsOk.assign(std::size_t(pool.size()), 0);
        paramsOk.assign(std::size_t(pool.size()), 0);
    }

    ThreadPool pool;
    AllReduce batchStats{pool.size()};  // BatchNorm statistics over the whole batch, across the threads
    Optimizer optimizer;
    LrSchedule schedule;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<float> previous;  // parameters before the latest step
    std::vector<unsigned char> gradsOk, paramsOk;  // per slice of the parallel step: all finite
    TrainState state;
    bool restored = false;
};

Trainer::Trainer(Model& model, TrainConfig config) : m_model(model), m_config(std::move(config))
{
    if (m_config.epochs < 1)
        throw Error("epochs must be at least 1, got " + std::to_string(m_config.epochs));
    if (m_config.batchSize < 1 || m_config.batchSize > 65536)
        throw Error("batch size must be between 1 and 65536, got " + std::to_string(m_config.batchSize));
    if (!(m_config.learningRate > 0.0f) || !std::isfinite(m_config.learningRate))
        throw Error("learning rate must be a positive number");
    if (m_config.outlierBatch < 0 || m_config.outlierBatch > 65536)
        throw Error("outliers per batch must be between 0 and 65536, got " + std::to_string(m_config.outlierBatch));
    if (!(m_config.outlierWeight >= 0.0f) || !std::isfinite(m_config.outlierWeight))
        throw Error("the outlier weight must be a finite number of at least 0");
    if (!std::isfinite(m_config.energyInMargin) || !std::isfinite(m_config.energyOutMargin) ||
        !(m_config.energyOutMargin < m_config.energyInMargin))
        throw Error("the energy margins must be finite numbers, the outliers' below the digits', got " +
                    std::to_string(m_config.energyInMargin) + ":" + std::to_string(m_config.energyOutMargin));
    if (!(m_config.adversarialEps >= 0.0f && m_config.adversarialEps <= kMaxAdversarialEps))
        throw Error("the adversarial eps must be between 0 and " + std::to_string(kMaxAdversarialEps) +
                    " (pixels are in [0, 1]), got " + std::to_string(m_config.adversarialEps));
    if (m_config.adversarialSteps < 1 || m_config.adversarialSteps > kMaxAdversarialSteps)
        throw Error("adversarial steps must be between 1 and " + std::to_string(kMaxAdversarialSteps) + ", got " +
                    std::to_string(m_config.adversarialSteps));
    if (!(m_config.adversarialFraction >= kMinAdversarialFraction && m_config.adversarialFraction <= 1.0f))
        throw Error("the adversarial fraction must be between " + std::to_string(kMinAdversarialFraction) +
                    " and 1, got " + std::to_string(m_config.adversarialFraction));
    m_impl = std::make_unique<Impl>(m_model, m_config);
}

Trainer::~Trainer() = default;

void Trainer::restore(const TrainState& state)
{
    if (state.params.size() != m_model.params().size())
        throw Error("checkpoint does not match the model: " + std::to_string(state.params.size()) + " parameters, model has " +
                    std::to_string(m_model.params().size()));
    m_model.params() = state.params;
    m_impl->optimizer.restore(state.optSteps, state.optM, state.optV);
    m_impl->schedule.restore(state.plateauScale, state.plateauBest, state.plateauBad);
    m_impl->state = state;
    m_impl->restored = true;
}

TrainResult Trainer::run(const Dataset& train, const Dataset& validation, const BatchCallback& onBatch,
                         const EpochCallback& onEpoch, RunControl* control)
{
    const Shape3 in = m_model.inputShape();
    auto checkData = [&](const Dataset& d, const char* what) {
        if (d.size() == 0)
            return;
        if (in.c != 1 || d.rows != in.h || d.cols != in.w)
            throw ShapeError(std::string(what) + " images are " + std::to_string(d.rows) + "x" + std::to_string(d.cols) +
                             " but the model expects input " + in.str());
        if (d.images.size() != std::size_t(d.size()) * d.pixels())
            throw ShapeError(std::string(what) + " set holds " + std::to_string(d.images.size()) + " pixel values for " +
                             std::to_string(d.size()) + " labels");
        for (std::uint8_t l : d.labels)
            if (l >= m_model.outputs())
                throw ShapeError(std::string(what) + " set has label " + std::to_string(l) + " but the model has only " +
                                 std::to_string(m_model.outputs()) + " outputs");
    };
    if (train.size() == 0)
        throw Error("the training set is empty");
    checkData(train, "training");
    checkData(validation, "validation");
    const int oc = m_config.outlierBatch;
    const int on = oc > 0 && m_outliers ? m_outliers->size() : 0;
    if (oc > 0) {
        if (on == 0)
            throw Error("outlier exposure (" + std::to_string(oc) + " outliers per batch) needs a set of outliers");
        if (m_config.loss != LossKind::CrossEntropy)
            throw Error("outlier exposure needs the cross-entropy loss");
        const Dataset& o = *m_outliers;
        if (in.c != 1 || o.rows != in.h || o.cols != in.w)
            throw ShapeError("outlier images are " + std::to_string(o.rows) + "x" + std::to_string(o.cols) +
                             " but the model expects input " + in.str());
        if (o.images.size() != std::size_t(o.size()) * o.pixels())
            throw ShapeError("outlier set holds " + std::to_string(o.images.size()) + " pixel values for " +
                             std::to_string(o.size()) + " images");
    }

    Impl& im = *m_impl;
    TrainState& st = im.state;
    if (!im.restored) {
        st = TrainState{};
    }
    im.restored = false;

    const int n = train.size();
    const int B = std::min(m_config.batchSize, n);
    int batches = (n + B - 1) / B;
    if (m_config.maxBatchesPerEpoch > 0)
        batches = std::min(batches, m_config.maxBatchesPerEpoch);
    const int T = im.pool.size();
    const int pixels = in.size();
    const bool ce = m_config.loss == LossKind::CrossEntropy;
    std::vector<float>& grads = im.workers[0]->net->grads();

    TrainResult result;
    const auto runStart = Clock::now();
    bool healthMeasured = false;  // TrainConfig::healthIntervalSec
    auto lastHealth = runStart;
    long long imagesSeen = 0;
    double smoothed = -1;
    double firstLoss = -1;  // mean loss of the run's first batch: what "grew" is measured against
    long long totalBatchesLeft = (long long)(m_config.epochs - st.nextEpoch) * batches;
    long long batchesDone = 0;

    // The weights before the latest optimizer step, which gave a finite loss.
    im.previous.resize(m_model.params().size());
    std::copy(m_model.params().begin(), m_model.params().end(), im.previous.begin());
    auto restoreLastGood = [&] {
        // The current weights produced a non-finite loss (or overflowed in the
        // step): go back to the weights before the last step.
        std::copy(im.previous.begin(), im.previous.end(), m_model.params().begin());
    };

    for (int epoch = st.nextEpoch; epoch < m_config.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        auto lastReport = epochStart;
        const std::vector<int> order = shuffledIndices(n, mix64(m_config.seed ^ mix64(std::uint64_t(epoch) + 1)));
        const std::vector<int> outlierOrder =
            on > 0 ? shuffledIndices(on, mix64(m_config.seed ^ 0x4F55544C49455253ull ^ mix64(std::uint64_t(epoch) + 1)))
                   : std::vector<int>();
        double epochLoss = 0, reportLoss = 0, epochOutlierLoss = 0;
        long long epochOutliers = 0;
        long long epochCorrect = 0, epochCount = 0, reportCorrect = 0, reportCount = 0;
        bool stopped = false;
        // What an epoch that diverges as a whole goes back to.
        std::vector<float> epochStartParams = m_model.params();

        for (int b = 0; b < batches; ++b) {
            if (control) {
                control->waitWhilePaused();
                if (control->stopRequested()) {
                    stopped = true;
                    break;
                }
            }
            const int start = b * B;
            const int count = std::min(B, n - start);
            const float lr = im.schedule.lr(epoch + double(b) / batches, st.step);
            const float scale = 1.0f / float(count);
            const float outlierScale = on > 0 ? m_config.outlierWeight / float(oc) : 0.0f;
            const long long step = st.step;
            const int active = std::min(T, count);

            im.batchStats.begin(active);
            im.pool.run(active, [&](int t) {
                Impl::Worker& w = *im.workers[t];
                const int lo = start + int((long long)count * t / active);
                const int hi = start + int((long long)count * (t + 1) / active);
                w.count = hi - lo;
                // This thread's share of the batch's outliers, after its digits.
                const int olo = on > 0 ? int((long long)oc * t / active) : 0;
                const int ohi = on > 0 ? int((long long)oc * (t + 1) / active) : 0;
                w.outCount = ohi - olo;
                w.input.resize(w.count + w.outCount, in);
                w.labels.resize(w.count);
                w.scratch.resize(pixels);
                const auto load = [&](const Dataset& d, int idx, int augmentIndex, float* dst) {
                    if (m_config.augment.enabled) {
                        d.imageAsFloat(idx, w.scratch.data());
                        w.augmenter.apply(w.scratch.data(), dst, in.w, in.h, m_config.augment,
                                          augmentSeed(m_config.seed, epoch, augmentIndex));
                    } else {
                        d.imageAsFloat(idx, dst);
                    }
                };
                for (int i = 0; i < w.count; ++i) {
                    const int idx = order[lo + i];
                    w.labels[i] = train.labels[idx];
                    load(train, idx, idx, w.input.sample(i));
                }
                if (w.attacker)
                    im.replaceByAdversarial(w, lo, m_config);
                for (int j = 0; j < w.outCount; ++j) {
                    const int idx = outlierOrder[std::size_t(((long long)b * oc + olo + j) % on)];
                    load(*m_outliers, idx, n + idx, w.input.sample(w.count + j));
                }
                w.net->zeroGrads();
                w.net->setSeed(mix64(m_config.seed ^ mix64(std::uint64_t(step) * 64 + std::uint64_t(t))));
                const Tensor& out = w.net->forward(w.input, Mode::Train);
                w.loss = ce ? softmaxCrossEntropy(out, w.labels.data(), w.grad, scale, w.count)
                            : mseOneHot(out, w.labels.data(), w.grad, scale);
                if (w.outCount > 0 && m_config.outlierLoss == TrainConfig::OutlierLoss::Energy) {
                    // Both hinges as batch means: the digits' over the batch's digits, the outliers' over its outliers.
                    const EnergyMarginResult e =
                        energyMargin(out, w.count, w.grad, m_config.outlierWeight * scale, outlierScale,
                                     m_config.energyInMargin, m_config.energyOutMargin);
                    w.outLoss = {};
                    w.outLoss.sum = e.outSum + e.inSum * double(oc) / double(count);
                } else {
                    w.outLoss = w.outCount > 0 ? uniformCrossEntropy(out, w.count, w.grad, outlierScale) : LossResult{};
                }
                w.net->backward(w.grad);
            });

            // One parallel pass over the flat parameter buffer, each thread on
            // its own contiguous slice: sum the sub-batch gradients into worker
            // 0's buffer and check them; then (after a barrier, as the step
            // needs all of them finite) keep the weights that produced this
            // finite loss, step, and check the new weights. Elementwise, so
            // the result does not depend on the number of slices.
            double batchLoss = 0;
            int batchCorrect = 0;
            double batchOutlierLoss = 0;
            for (int t = 0; t < active; ++t) {
                batchLoss += im.workers[t]->loss.sum;
                batchCorrect += im.workers[t]->loss.correct;
                batchOutlierLoss += im.workers[t]->outLoss.sum;
            }
            // A finite loss can diverge too (SGD with a learning rate of 100
            // reaches 1e23): a batch whose mean loss is kDivergenceGrowth
            // times the first batch's (at least 1) counts as diverged, and
            // like a NaN loss its weights are not stepped from.
            const double batchMean = batchLoss / std::max(1, count);
            if (firstLoss < 0 && std::isfinite(batchMean))
                firstLoss = batchMean;
            const bool grew = std::isfinite(batchMean) && batchMean > kDivergenceGrowth * std::max(firstLoss, 1.0);
            const bool lossFinite = std::isfinite(batchLoss) && std::isfinite(batchOutlierLoss) && !grew;
            {
                const std::size_t P = grads.size();
                SpinBarrier barrier(active);
                float* params = m_model.params().data();
                im.pool.run(active, [&](int t) {
                    // Slice ends on 16-float (cache line) boundaries.
                    const std::size_t lo = t == 0 ? 0 : (P * std::size_t(t) / std::size_t(active)) & ~std::size_t(15);
                    const std::size_t hi =
                        t + 1 == active ? P : (P * std::size_t(t + 1) / std::size_t(active)) & ~std::size_t(15);
                    for (int k = 1; k < active; ++k) {
                        const float* g = im.workers[k]->net->grads().data();
                        for (std::size_t i = lo; i < hi; ++i)
                            grads[i] += g[i];
                    }
                    im.gradsOk[std::size_t(t)] = allFinite(grads.data() + lo, hi - lo);
                    barrier.arriveAndWait();
                    bool ok = lossFinite;
                    for (int k = 0; k < active; ++k)
                        ok = ok && im.gradsOk[std::size_t(k)];
                    if (!ok)
                        return;
                    std::copy(params + lo, params + hi, im.previous.begin() + long(lo));
                    m_model.applyStatistics(grads.data(), active, lo, hi);
                    im.optimizer.stepRange(params, grads.data(), lr, lo, hi);
                    im.paramsOk[std::size_t(t)] = allFinite(params + lo, hi - lo);
                });
            }
            bool finite = lossFinite;
            for (int t = 0; t < active; ++t)
                finite = finite && im.gradsOk[std::size_t(t)];
            if (finite) {
                im.optimizer.commitStep();
                for (int t = 0; t < active; ++t)
                    finite = finite && im.paramsOk[std::size_t(t)];
            }
            if (!finite) {
                restoreLastGood();
                result.status = TrainResult::Diverged;
                char value[32], times[32], first[32];
                std::snprintf(value, sizeof value, "%.3g", batchMean);
                std::snprintf(times, sizeof times, "%.0f", batchMean / std::max(firstLoss, 1e-12));
                std::snprintf(first, sizeof first, "%.3g", firstLoss);
                const UiText became =
                    grew ? uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 (%2 times its first value %3)"), value, times, first)
                    : std::isnan(batchLoss) ? verbatim("NaN")
                                            : uiText(DIGITPAD_UI_TEXT("nn::ui", "infinite or NaN"));
                result.message = uiText(DIGITPAD_UI_TEXT("nn::ui", "training diverged: the loss became %1 at epoch %2, "
                                                                   "batch %3; stopped and kept the weights of the last "
                                                                   "good batch (try a lower learning rate)"),
                                        became, epoch + 1, b + 1);
                result.epochsCompleted = epoch;
                result.imagesPerSecond = imagesSeen / std::max(1e-9, seconds(runStart, Clock::now()));
                return result;
            }
            ++st.step;
            ++batchesDone;
            imagesSeen += count;
            epochLoss += batchLoss;
            epochOutlierLoss += batchOutlierLoss;
            epochOutliers += on > 0 ? oc : 0;
            epochCorrect += batchCorrect;
            epochCount += count;
            reportLoss += batchLoss;
            reportCorrect += batchCorrect;
            reportCount += count;
            const double mean = batchLoss / count;
            smoothed = smoothed < 0 ? mean : 0.98 * smoothed + 0.02 * mean;

            const auto now = Clock::now();
            if (onBatch && (seconds(lastReport, now) >= m_config.progressIntervalSec || b + 1 == batches)) {
                lastReport = now;
                BatchReport r;
                r.epoch = epoch;
                r.epochs = m_config.epochs;
                r.batch = b + 1;
                r.batches = batches;
                r.step = st.step;
                r.loss = reportLoss / reportCount;
                r.accuracy = double(reportCorrect) / reportCount;
                r.smoothedLoss = smoothed;
                r.lr = lr;
                const double el = seconds(epochStart, now);
                r.imagesPerSecond = epochCount / std::max(1e-9, el);
                const double perBatch = seconds(runStart, now) / batchesDone;
                r.etaSeconds = perBatch * double(totalBatchesLeft - batchesDone);
                if (m_config.healthIntervalSec > 0 &&
                    (!healthMeasured || seconds(lastHealth, now) >= m_config.healthIntervalSec)) {
                    healthMeasured = true;
                    lastHealth = now;
                    const Dataset& probe = validation.size() > 0 ? validation : train;
                    auto health = std::make_shared<TrainingHealth>(
                        measureHealth(m_model, grads, &probe, m_config.healthProbeImages));
                    health->step = st.step;
                    health->epoch = epoch;
                    health->probe = validation.size() > 0 ? "validation" : "training";
                    r.health = std::move(health);
                }
                onBatch(r);
                reportLoss = 0;
                reportCorrect = 0;
                reportCount = 0;
            }
        }
        if (stopped) {
            result.status = TrainResult::Stopped;
            result.message = uiText(DIGITPAD_UI_TEXT("nn::ui", "stopped by request during epoch %1; the weights "
                                                               "of the last finished batch were kept"),
                                    epoch + 1);
            break;
        }

        // Validation on the workers' nets in inference mode.
        EpochReport er;
        er.epoch = epoch;
        er.epochs = m_config.epochs;
        er.trainLoss = epochLoss / std::max<long long>(1, epochCount);
        er.trainAccuracy = double(epochCorrect) / std::max<long long>(1, epochCount);
        if (epochOutliers > 0)
            er.outlierLoss = epochOutlierLoss / double(epochOutliers);
        er.lr = im.schedule.lr(epoch + 1.0 - 1e-9, st.step);
        if (validation.size() > 0) {
            const int vn = validation.size();
            const int chunk = 128;
            const int chunks = (vn + chunk - 1) / chunk;
            std::vector<double> vloss(T, 0.0);
            std::vector<long long> vcorrect(T, 0);
            im.pool.run(T, [&](int t) {
                Impl::Worker& w = *im.workers[t];
                for (int c = t; c < chunks; c += T) {
                    const int lo = c * chunk, cnt = std::min(chunk, vn - lo);
                    w.input.resize(cnt, in);
                    for (int i = 0; i < cnt; ++i)
                        validation.imageAsFloat(lo + i, w.input.sample(i));
                    const Tensor& out = w.net->forward(w.input, Mode::Infer);
                    const LossResult lr2 = ce ? softmaxCrossEntropy(out, validation.labels.data() + lo, w.grad, 1.0f)
                                              : mseOneHot(out, validation.labels.data() + lo, w.grad, 1.0f);
                    vloss[t] += lr2.sum;
                    vcorrect[t] += lr2.correct;
                }
            });
            double sl = 0;
            long long sc = 0;
            for (int t = 0; t < T; ++t) {
                sl += vloss[t];
                sc += vcorrect[t];
            }
            er.valLoss = sl / vn;
            er.valAccuracy = double(sc) / vn;
        }
        if (firstLoss > 0 && er.trainLoss > kEpochDivergenceGrowth * std::max(firstLoss, 1.0)) {
            // Every batch stayed below the batch limit, yet the epoch as a
            // whole trained far worse than the untrained start.
            m_model.params() = std::move(epochStartParams);
            char value[32], times[32], first[32];
            std::snprintf(value, sizeof value, "%.3g", er.trainLoss);
            std::snprintf(times, sizeof times, "%.0f", er.trainLoss / firstLoss);
            std::snprintf(first, sizeof first, "%.3g", firstLoss);
            result.status = TrainResult::Diverged;
            result.message = uiText(DIGITPAD_UI_TEXT("nn::ui", "training diverged: the mean training loss of epoch %1 "
                                                               "was %2, %3 times its first value %4; stopped and kept "
                                                               "the weights from before that epoch (try a lower "
                                                               "learning rate)"),
                                    epoch + 1, value, times, first);
            result.epochsCompleted = epoch;
            result.imagesPerSecond = imagesSeen / std::max(1e-9, seconds(runStart, Clock::now()));
            return result;
        }
        const double monitored = er.valLoss >= 0 ? er.valLoss : er.trainLoss;
        im.schedule.epochEnd(monitored);
        const auto epochEnd = Clock::now();
        er.seconds = seconds(epochStart, epochEnd);
        er.imagesPerSecond = epochCount / std::max(1e-9, er.seconds);
        if (monitored < st.bestValLoss) {
            st.bestValLoss = monitored;
            st.bestValAccuracy = er.valAccuracy >= 0 ? er.valAccuracy : er.trainAccuracy;
            st.epochsWithoutImprovement = 0;
            er.best = true;
            if (m_config.earlyStopPatience > 0)
                st.bestParams = m_model.params();
        } else {
            ++st.epochsWithoutImprovement;
        }
        st.nextEpoch = epoch + 1;
        result.epochsCompleted = epoch + 1;
        result.bestValLoss = st.bestValLoss;
        result.bestValAccuracy = st.bestValAccuracy;
        if (onEpoch) {
            st.params = m_model.params();
            st.optSteps = im.optimizer.steps();
            st.optM = im.optimizer.firstMoment();
            st.optV = im.optimizer.secondMoment();
            st.plateauScale = im.schedule.plateauScale();
            st.plateauBest = im.schedule.best();
            st.plateauBad = im.schedule.badEpochs();
            onEpoch(er, st);
        }
        if (m_config.earlyStopPatience > 0 && st.epochsWithoutImprovement >= m_config.earlyStopPatience) {
            result.status = TrainResult::EarlyStopped;
            result.message = uiText(DIGITPAD_UI_TEXT("nn::ui", "early stop after epoch %1: no improvement for %2 "
                                                               "epochs; restored the best weights"),
                                    epoch + 1, st.epochsWithoutImprovement);
            break;
        }
    }
    if (m_config.earlyStopPatience > 0 && !st.bestParams.empty() && result.status != TrainResult::Stopped)
        m_model.params() = st.bestParams;
    if (result.status == TrainResult::Finished)
        result.message = result.epochsCompleted == 1
                             ? uiText(DIGITPAD_UI_TEXT("nn::ui", "finished 1 epoch"))
                             : uiText(DIGITPAD_UI_TEXT("nn::ui", "finished %1 epochs"), result.epochsCompleted);
    result.imagesPerSecond = imagesSeen / std::max(1e-9, seconds(runStart, Clock::now()));
    return result;
}

// ---- Checkpoints ------------------------------------------------------------
// "DGTPADCK", u32 version, u64 model-bytes length, model bytes (a model file),
// string config description, (version 2:) string run settings, training
// state, u32 CRC-32 of all before it. The run settings are the key=value line
// of nn::encodeRunSettings, empty when the checkpoint was written without a
// training session; version 1 had none (the GUI kept them in the model's
// metadata).
// The training state: u32 nextEpoch, u64 step, array params, array optM,
// array optV, u64 optSteps, f32 plateauScale, f64 plateauBest, u32 plateauBad,
// f64 bestValLoss, f64 bestValAccuracy, u32 epochsWithoutImprovement, array
// bestParams; an array is a u64 count and that many float32. params has one
// value per model parameter; optM, optV (SGD keeps none) and bestParams (only
// with early stopping) have one each or none. Little-endian throughout.

namespace {

using bin::hex32;
constexpr const char (&kCheckpointMagic)[8] = bin::kCheckpointMagic;
constexpr const char (&kModelMagic)[8] = bin::kModelMagic;
constexpr std::uint32_t kCheckpointVersion = 2;
constexpr std::size_t kCheckpointHead = 8 + 4 + 8;  // magic, version, model length
// Four parameter-sized arrays next to a model of the largest size, and headroom.
constexpr std::size_t kMaxCheckpointSize = std::size_t(1) << 31;

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string values(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " value" : " values"); }

// Reads the bytes before the CRC; every failure is a FileError naming the file,
// the field and the byte offset where it starts.
struct Reader {
    const std::uint8_t* p;
    std::size_t n, pos;
    const std::string& path;

    [[noreturn]] void fail(const std::string& what, std::size_t at) const
    {
        throw FileError(path, what, std::int64_t(at));
    }
    void need(std::uint64_t k, const char* what) const
    {
        if (k > n - pos)
            fail(std::string("truncated checkpoint: ") + what + ": " + std::to_string(k) + " bytes needed, " +
                     std::to_string(n - pos) + " remain",
                 pos);
    }
    std::uint32_t u32(const char* what)
    {
        need(4, what);
        const std::uint32_t v = bin::getU32(p + pos);
        pos += 4;
        return v;
    }
    std::uint64_t u64(const char* what)
    {
        need(8, what);
        const std::uint64_t v = bin::getU64(p + pos);
        pos += 8;
        return v;
    }
    double f64(const char* what) { const std::uint64_t u = u64(what); double d; std::memcpy(&d, &u, 8); return d; }
    float f32(const char* what) { const std::uint32_t u = u32(what); float f; std::memcpy(&f, &u, 4); return f; }
    // A count stored unsigned that the state holds as int or long long.
    int count32(const char* what)
    {
        const std::size_t at = pos;
        const std::uint32_t v = u32(what);
        if (v > std::uint32_t(std::numeric_limits<int>::max()))
            fail(std::string(what) + " is " + std::to_string(std::int32_t(v)) + ", it cannot be negative", at);
        return int(v);
    }
    long long count64(const char* what)
    {
        const std::size_t at = pos;
        const std::uint64_t v = u64(what);
        if (v > std::uint64_t(std::numeric_limits<long long>::max()))
            fail(std::string(what) + " is " + std::to_string(std::int64_t(v)) + ", it cannot be negative", at);
        return (long long)v;
    }
    std::string str(const char* what)
    {
        const std::uint32_t len = u32(what);
        need(len, what);
        std::string s(reinterpret_cast<const char*>(p + pos), len);
        pos += len;
        return s;
    }
    // An array of `expected` finite values, or (when emptyOk) none. The count
    // is checked before anything is allocated.
    std::vector<float> floats(const char* what, std::size_t expected, bool emptyOk, bool nonNegative = false)
    {
        const std::size_t at = pos;
        const std::uint64_t len = u64(what);
        if (len != expected && !(emptyOk && len == 0))
            fail(std::string(what) + ": the file holds " + values(len) + ", the model has " + std::to_string(expected) +
                     " parameters" + (emptyOk ? " (expected one value each, or none)" : ""),
                 at);
        need(len * 4, what);
        std::vector<float> v(static_cast<std::size_t>(len));
        for (std::size_t i = 0; i < v.size(); ++i) {
            const float f = f32(what);
            if (!std::isfinite(f))
                fail(std::string(what) + ": value " + std::to_string(i) + " is NaN or infinite", pos - 4);
            if (nonNegative && f < 0.0f)
                fail(std::string(what) + ": value " + std::to_string(i) + " is negative (" + number(f) + ")",
                     pos - 4);
            v[i] = f;
        }
        return v;
    }
    double finite(const char* what)
    {
        const std::size_t at = pos;
        const double d = f64(what);
        if (!std::isfinite(d))
            fail(std::string(what) + " is NaN or infinite", at);
        return d;
    }
};

}  // namespace

std::vector<std::uint8_t> checkpointToBytes(const Model& model, const TrainConfig& config, const TrainState& st,
                                            const std::string& runSettings)
{
    bin::Writer w;
    w.bytes(kCheckpointMagic, 8);
    w.u32(kCheckpointVersion);
    const std::vector<std::uint8_t> mb = modelToBytes(model);
    w.u64(mb.size());
    w.bytes(mb.data(), mb.size());
    w.str(config.describe());
    w.str(runSettings);
    w.u32(std::uint32_t(st.nextEpoch));
    w.u64(std::uint64_t(st.step));
    w.floats(st.params);
    w.floats(st.optM);
    w.floats(st.optV);
    w.u64(std::uint64_t(st.optSteps));
    w.f32(st.plateauScale);
    w.f64(st.plateauBest);
    w.u32(std::uint32_t(st.plateauBad));
    w.f64(st.bestValLoss);
    w.f64(st.bestValAccuracy);
    w.u32(std::uint32_t(st.epochsWithoutImprovement));
    w.floats(st.bestParams);
    w.u32(crc32(w.out().data(), w.out().size()));
    return std::move(w.out());
}

void saveCheckpoint(const std::string& path, const Model& model, const TrainConfig& config, const TrainState& st,
                    const std::string& runSettings)
{
    const std::vector<std::uint8_t> b = checkpointToBytes(model, config, st, runSettings);
    writeFileAtomic(path, b.data(), b.size());
}

std::pair<Model, TrainState> loadCheckpointFromBytes(const std::uint8_t* bytes, std::size_t size,
                                                     const std::string& path, std::string* runSettings)
{
    // Magic and version before the checksum: a foreign or newer file deserves
    // its own message, not "checksum mismatch".
    if (size >= 8 && std::memcmp(bytes, kModelMagic, 8) == 0)
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "not a DigitPad checkpoint (wrong magic): it is a model "
                                                          "file, which holds no training state")),
                        0);
    if (size == 0 || std::memcmp(bytes, kCheckpointMagic, std::min(size, sizeof kCheckpointMagic)) != 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "not a DigitPad checkpoint (wrong magic)")), 0);
    if (size < kCheckpointHead + 4)
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated checkpoint: the file is only %1 bytes long"), size));
    Reader r{bytes, size - 4, 8, path};
    const std::uint32_t version = r.u32("the format version");
    if (version > kCheckpointVersion)
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "checkpoint format version %1 is newer than this program "
                                                          "supports (%2)"),
                               version, kCheckpointVersion),
                        8);
    if (version == 0)
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "checkpoint format version 0 is not valid")), 8);
    const std::uint32_t stored = bin::getU32(bytes + size - 4);
    const std::size_t lengthAt = r.pos;
    const std::uint64_t modelLen = r.u64("the model length");
    const std::uint32_t computed = crc32(bytes, size - 4);
    if (stored != computed) {
        // A file cut short says so; other damage is what the checksum is for.
        if (modelLen > r.n - r.pos && modelLen < kMaxCheckpointSize)
            throw FileError(path,
                            uiText(DIGITPAD_UI_TEXT("nn::ui", "truncated checkpoint: its model takes %1 bytes, only "
                                                              "%2 follow (the file was cut short)"),
                                   modelLen, size - r.pos),
                            std::int64_t(lengthAt));
        throw FileError(path,
                        uiText(DIGITPAD_UI_TEXT("nn::ui", "checkpoint checksum mismatch: stored %1, computed %2 (the "
                                                          "file is damaged)"),
                               hex32(stored), hex32(computed)),
                        std::int64_t(size - 4));
    }

    if (modelLen == 0)
        r.fail("the checkpoint holds no model (its length is 0)", lengthAt);
    r.need(modelLen, "the model");
    const std::size_t modelAt = r.pos;
    std::optional<Model> model;
    try {
        model.emplace(loadModelFromBytes(bytes + modelAt, std::size_t(modelLen), path, {0, 0, 0}));
    } catch (const FileError& e) {
        // Offsets in the whole file, so a hex dump of the checkpoint finds them.
        throw FileError(path, uiText(DIGITPAD_UI_TEXT("nn::ui", "the model in the checkpoint: %1"), e.detailText()),
                        e.offset() >= 0 ? std::int64_t(modelAt) + e.offset() : -1);
    }
    r.pos += std::size_t(modelLen);
    r.str("the training settings");  // informative: config.describe()
    std::string settings = version >= 2 ? r.str("the run settings") : std::string();
    if (runSettings)
        *runSettings = std::move(settings);

    const std::size_t n = model->params().size();
    TrainState st;
    st.nextEpoch = r.count32("the next epoch");
    st.step = r.count64("the step count");
    st.params = r.floats("the parameters", n, false);
    st.optM = r.floats("the optimizer's first moments", n, true);
    st.optV = r.floats("the optimizer's second moments", n, true, true);
    st.optSteps = r.count64("the optimizer's step count");
    {
        const std::size_t at = r.pos;
        st.plateauScale = r.f32("the learning-rate scale");
        if (!std::isfinite(st.plateauScale) || !(st.plateauScale > 0.0f))
            r.fail("the learning-rate scale is " + number(st.plateauScale) + ", it must be a positive number", at);
    }
    st.plateauBest = r.finite("the plateau schedule's best loss");
    st.plateauBad = r.count32("the plateau schedule's epochs without improvement");
    st.bestValLoss = r.finite("the best validation loss");
    {
        const std::size_t at = r.pos;
        st.bestValAccuracy = r.finite("the best validation accuracy");
        if (st.bestValAccuracy != -1.0 && !(st.bestValAccuracy >= 0.0 && st.bestValAccuracy <= 1.0))
            r.fail("the best validation accuracy is " + number(st.bestValAccuracy) +
                       ", it must be between 0 and 1 (or -1 for none yet)",
                   at);
    }
    st.epochsWithoutImprovement = r.count32("the epochs without improvement");
    st.bestParams = r.floats("the best parameters", n, true);
    if (r.pos != r.n)
        r.fail(std::to_string(r.n - r.pos) + " unexpected bytes after the training state", r.pos);
    return {std::move(*model), std::move(st)};
}

std::pair<Model, TrainState> loadCheckpoint(const std::string& path, std::string* runSettings)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, kMaxCheckpointSize);
    return loadCheckpointFromBytes(bytes.data(), bytes.size(), path, runSettings);
}

}  // namespace nn
