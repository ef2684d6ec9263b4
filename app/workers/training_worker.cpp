#include "training_worker.h"

#include "common/defaultmodel.h"

#include <nn/errors.h>
#include <nn/metrics.h>
#include <nn/parallel.h>
#include <nn/serialize.h>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <new>
#include <optional>
#include <sstream>

namespace app {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Metadata keys that make a checkpoint resumable with the same settings.
constexpr const char* kMetaConfig = "checkpoint.config";
constexpr const char* kMetaData = "checkpoint.data";
constexpr const char* kMetaDataCrc = "checkpoint.data_crc";
constexpr const char* kMetaOrigin = "checkpoint.origin";

template <typename T>
std::string num(T v)
{
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that round-trips
    return std::string(buf, end);
}

std::map<std::string, std::string> parsePairs(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::istringstream words(text);
    std::string w;
    while (words >> w) {
        const auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            throw nn::Error("malformed setting '" + w + "' (expected key=value)");
        out[w.substr(0, eq)] = w.substr(eq + 1);
    }
    return out;
}

template <typename T>
T parseNumber(const std::map<std::string, std::string>& kv, const std::string& key, T fallback)
{
    auto it = kv.find(key);
    if (it == kv.end())
        return fallback;
    T v{};
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        throw nn::Error("setting '" + key + "' has the malformed value '" + s + "'");
    return v;
}

QString percent(double v) { return QString::number(100.0 * v, 'f', 2) + QLatin1Char('%'); }

QString statusWord(nn::TrainResult::Status s)
{
    switch (s) {
    case nn::TrainResult::Finished: return QStringLiteral("finished");
    case nn::TrainResult::Stopped: return QStringLiteral("stopped");
    case nn::TrainResult::EarlyStopped: return QStringLiteral("early-stopped");
    case nn::TrainResult::Diverged: return QStringLiteral("diverged");
    }
    return QStringLiteral("ended");
}

std::uint32_t dataCrc(const nn::Dataset& d)
{
    std::vector<std::uint8_t> head(d.labels);
    const std::uint32_t a = nn::crc32(head.data(), head.size());
    const std::uint32_t b = nn::crc32(d.images.data(), d.images.size());
    return a ^ (b * 0x9E3779B1u);
}

}  // namespace

// ---- Settings --------------------------------------------------------------

std::string specWithDropout(const std::string& spec, float dropout, bool mayInsert)
{
    const auto layers = nn::parseSpec(spec);
    if (dropout < 0.0f)
        return spec;
    if (!(dropout < 1.0f))
        throw nn::SpecError("dropout must be below 1, got " + num(dropout));
    std::vector<std::string> parts;
    int lastDense = -1;
    bool any = false;
    for (const auto& l : layers) {
        if (l->kind() == "dropout") {
            any = true;
            parts.push_back("dropout " + num(dropout));
        } else {
            if (l->kind() == "dense")
                lastDense = int(parts.size());
            parts.push_back(l->spec());
        }
    }
    if (!any && mayInsert && dropout > 0.0f && lastDense >= 0)
        parts.insert(parts.begin() + lastDense, "dropout " + num(dropout));
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? " | " : "") + parts[i];
    return out;
}

std::string encodeConfig(const nn::TrainConfig& c)
{
    std::ostringstream s;
    s << "epochs=" << c.epochs << " batch=" << c.batchSize << " lr=" << num(c.learningRate)
      << " opt=" << nn::OptimizerConfig::kindName(c.optimizer.kind) << " momentum=" << num(c.optimizer.momentum)
      << " nesterov=" << (c.optimizer.nesterov ? 1 : 0) << " beta1=" << num(c.optimizer.beta1)
      << " beta2=" << num(c.optimizer.beta2) << " eps=" << num(c.optimizer.eps)
      << " wd=" << num(c.optimizer.weightDecay) << " schedule=" << nn::ScheduleConfig::kindName(c.schedule.kind)
      << " step_epochs=" << c.schedule.stepEpochs << " gamma=" << num(c.schedule.gamma)
      << " min_lr=" << num(c.schedule.minLr) << " plateau_patience=" << c.schedule.patience
      << " factor=" << num(c.schedule.factor) << " warmup=" << c.schedule.warmupBatches
      << " loss=" << (c.loss == nn::LossKind::CrossEntropy ? "ce" : "mse") << " seed=" << c.seed
      << " threads=" << c.threads << " patience=" << c.earlyStopPatience << " max_batches=" << c.maxBatchesPerEpoch
      << " augment=" << (c.augment.enabled ? c.augment.toString() : std::string("none"));
    return s.str();
}

nn::TrainConfig decodeConfig(const std::string& text)
{
    const auto kv = parsePairs(text);
    nn::TrainConfig c;
    c.epochs = parseNumber(kv, "epochs", c.epochs);
    c.batchSize = parseNumber(kv, "batch", c.batchSize);
    c.learningRate = parseNumber(kv, "lr", c.learningRate);
    if (auto it = kv.find("opt"); it != kv.end())
        c.optimizer.kind = nn::OptimizerConfig::parseKind(it->second);
    c.optimizer.momentum = parseNumber(kv, "momentum", c.optimizer.momentum);
    c.optimizer.nesterov = parseNumber(kv, "nesterov", 0) != 0;
    c.optimizer.beta1 = parseNumber(kv, "beta1", c.optimizer.beta1);
    c.optimizer.beta2 = parseNumber(kv, "beta2", c.optimizer.beta2);
    c.optimizer.eps = parseNumber(kv, "eps", c.optimizer.eps);
    c.optimizer.weightDecay = parseNumber(kv, "wd", c.optimizer.weightDecay);
    if (auto it = kv.find("schedule"); it != kv.end())
        c.schedule.kind = nn::ScheduleConfig::parseKind(it->second);
    c.schedule.stepEpochs = parseNumber(kv, "step_epochs", c.schedule.stepEpochs);
    c.schedule.gamma = parseNumber(kv, "gamma", c.schedule.gamma);
    c.schedule.minLr = parseNumber(kv, "min_lr", c.schedule.minLr);
    c.schedule.patience = parseNumber(kv, "plateau_patience", c.schedule.patience);
    c.schedule.factor = parseNumber(kv, "factor", c.schedule.factor);
    c.schedule.warmupBatches = parseNumber(kv, "warmup", c.schedule.warmupBatches);
    if (auto it = kv.find("loss"); it != kv.end()) {
        if (it->second != "ce" && it->second != "mse")
            throw nn::Error("setting 'loss' must be ce or mse, got '" + it->second + "'");
        c.loss = it->second == "ce" ? nn::LossKind::CrossEntropy : nn::LossKind::MSE;
    }
    c.seed = parseNumber(kv, "seed", c.seed);
    c.threads = parseNumber(kv, "threads", c.threads);
    c.earlyStopPatience = parseNumber(kv, "patience", c.earlyStopPatience);
    c.maxBatchesPerEpoch = parseNumber(kv, "max_batches", c.maxBatchesPerEpoch);
    if (auto it = kv.find("augment"); it != kv.end())
        c.augment = nn::AugmentParams::parse(it->second);
    return c;
}

// ---- Worker ----------------------------------------------------------------

struct TrainingWorker::Data {
    nn::Dataset train, validation;
    QString description;
    bool mnist = false;
    QString mnistDir;
    int userTrain = 0, userRepeats = 0;
};

TrainingWorker::TrainingWorker(std::shared_ptr<TrainingShared> shared, TrainingEvents events)
    : m_shared(std::move(shared)), m_events(std::move(events))
{
}

TrainingWorker::~TrainingWorker() = default;

std::shared_ptr<const nn::Dataset> TrainingWorker::mnist(const QString& dir, nn::Split split)
{
    if (dir != m_mnistDir) {
        m_mnistTrain.reset();
        m_mnistTest.reset();
        m_mnistDir = dir;
    }
    auto& slot = split == nn::Split::Train ? m_mnistTrain : m_mnistTest;
    if (!slot)
        slot = std::make_shared<const nn::Dataset>(nn::Dataset::loadMnist(dir.toStdString(), split));
    return slot;
}

TrainingWorker::Data TrainingWorker::buildData(const TrainingRequest& r, int runId, std::uint64_t seed,
                                               double valFraction, bool useMnist, int mnistLimit)
{
    Data d;
    QStringList parts;
    if (r.trainOverride) {
        d.train = *r.trainOverride;
        if (r.validationOverride)
            d.validation = *r.validationOverride;
        parts << QStringLiteral("given data: %1 training, %2 validation images").arg(d.train.size()).arg(d.validation.size());
    } else if (useMnist) {
        d.mnistDir = r.mnistDir.isEmpty() ? resolveDataDir() : r.mnistDir;
        const bool present = !nn::findMnistFile(d.mnistDir.toStdString(), "train-images-idx3-ubyte").empty() &&
                             !nn::findMnistFile(d.mnistDir.toStdString(), "train-labels-idx1-ubyte").empty();
        if (!present) {
            const QString where = QDir::toNativeSeparators(d.mnistDir);
            if (!r.userTrain || r.userTrain->size() == 0)
                throw nn::Error("MNIST was not found in " + where.toStdString() +
                                " and there are no digits of your own to train on. Fetch MNIST with "
                                "scripts/fetch-mnist (or set DIGITPAD_DATA to its folder).");
            m_events.logMessage(runId, QStringLiteral("MNIST was not found in %1: training on my digits only").arg(where));
        } else {
            if (!m_mnistTrain || m_mnistDir != d.mnistDir)
                m_events.logMessage(runId, QStringLiteral("loading MNIST from %1").arg(QDir::toNativeSeparators(d.mnistDir)));
            std::shared_ptr<const nn::Dataset> all = mnist(d.mnistDir, nn::Split::Train);
            d.mnist = true;
            nn::Dataset limited;
            const nn::Dataset* source = all.get();
            if (mnistLimit > 0 && mnistLimit < all->size()) {
                std::vector<int> first(static_cast<std::size_t>(mnistLimit));
                for (int i = 0; i < mnistLimit; ++i)
                    first[std::size_t(i)] = i;
                limited = all->subset(first);
                source = &limited;
            }
            auto [train, val] = source->splitValidation(valFraction, seed);
            d.train = std::move(train);
            d.validation = std::move(val);
            parts << QStringLiteral("MNIST: %1 training, %2 validation images%3")
                         .arg(d.train.size())
                         .arg(d.validation.size())
                         .arg(mnistLimit > 0 ? QStringLiteral(" (first %1)").arg(mnistLimit) : QString());
        }
    }
    if (r.userTrain && r.userTrain->size() > 0) {
        const int u = r.userTrain->size();
        int repeats = 1;
        if (d.train.size() > 0 && r.userMinShare > 0) {
            // u * k >= share * (base + u * k)  <=>  k >= share * base / (u * (1 - share))
            const double share = std::min(0.5, r.userMinShare);
            repeats = int(std::ceil(share * d.train.size() / (u * (1.0 - share))));
            repeats = std::clamp(repeats, 1, 500);
        }
        if (d.train.size() == 0) {
            d.train.rows = r.userTrain->rows;
            d.train.cols = r.userTrain->cols;
        }
        for (int k = 0; k < repeats; ++k)
            d.train.append(*r.userTrain);
        d.userTrain = u;
        d.userRepeats = repeats;
        parts << (repeats > 1 ? QStringLiteral("my digits: %1 x%2").arg(u).arg(repeats)
                              : QStringLiteral("my digits: %1").arg(u));
    }
    if (d.train.size() == 0)
        throw nn::Error("there is nothing to train on: no MNIST and none of my digits selected");
    d.description = parts.join(QStringLiteral("; "));
    return d;
}

void TrainingWorker::publish(int runId, bool ok, const TrainingOutcome& outcome,
                             std::shared_ptr<const nn::Model> model, const QString& error)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->doneRun = runId;
        m_shared->ok = ok;
        m_shared->outcome = outcome;
        m_shared->model = std::move(model);
        m_shared->error = error;
    }
    m_shared->cv.notify_all();
}

void TrainingWorker::run(const TrainingRequest& r, int runId)
{
    const auto runStart = Clock::now();
    QString phase = QStringLiteral("preparing the run");
    auto log = [&](const QString& line) { m_events.logMessage(runId, line); };
    TrainingShared& sh = *m_shared;
    try {
        nn::TrainConfig cfg;
        std::optional<nn::Model> model;
        nn::TrainState state;
        bool resumed = false, fineTune = r.initial != nullptr;
        double valFraction = r.validationFraction;
        bool useMnist = r.useMnist;
        int mnistLimit = r.mnistLimit;
        double userShare = r.userMinShare;

        if (r.resume) {
            phase = QStringLiteral("reading the checkpoint");
            auto loaded = nn::loadCheckpoint(QDir::toNativeSeparators(r.checkpointPath).toStdString());
            const auto& meta = loaded.first.metadata();
            auto it = meta.find(kMetaConfig);
            if (it == meta.end())
                throw nn::Error(r.checkpointPath.toStdString() +
                                ": this checkpoint holds no training settings (it was not written by the GUI "
                                "trainer), so it cannot be resumed exactly");
            cfg = decodeConfig(it->second);
            if (auto dit = meta.find(kMetaData); dit != meta.end()) {
                const auto kv = parsePairs(dit->second);
                useMnist = parseNumber(kv, "mnist", 1) != 0;
                mnistLimit = parseNumber(kv, "limit", 0);
                valFraction = parseNumber(kv, "val", valFraction);
                userShare = parseNumber(kv, "user_share", userShare);
            }
            if (auto oit = meta.find(kMetaOrigin); oit != meta.end())
                fineTune = oit->second == "fine-tune";
            state = std::move(loaded.second);
            if (state.nextEpoch >= cfg.epochs)
                throw nn::Error("the checkpoint " + r.checkpointPath.toStdString() + " is from a run that completed all " +
                                std::to_string(cfg.epochs) + " epochs: there is nothing left to resume");
            model.emplace(std::move(loaded.first));
            resumed = true;
        } else {
            cfg = r.config;
            if (cfg.threads <= 0)
                cfg.threads = nn::ThreadPool::hardwareThreads();
            phase = QStringLiteral("building the model");
            if (r.initial) {
                const std::string spec = specWithDropout(r.initial->spec(), r.dropout, false);
                nn::Model m = nn::Model::fromSpec(spec, r.initial->inputShape(), r.initial->outputs());
                if (m.params().size() != r.initial->params().size())
                    throw nn::Error("internal: the fine-tuned architecture changed its parameter count");
                m.params() = r.initial->params();
                model.emplace(std::move(m));
            } else {
                model.emplace(nn::Model::fromSpec(specWithDropout(r.spec, r.dropout, true)));
                model->initialize(cfg.seed);
            }
        }
        cfg.progressIntervalSec = 0.0;  // every batch reaches the callback; throttled below

        if (sh.control.stopRequested())
            throw nn::Error("stopped before training began");
        phase = QStringLiteral("loading the training data");
        Data data = buildData(r, runId, cfg.seed, valFraction, useMnist, mnistLimit);

        nn::Model& net = *model;
        const std::uint32_t crc = dataCrc(data.train);
        if (resumed) {
            auto cit = net.metadata().find(kMetaDataCrc);
            if (cit != net.metadata().end() && cit->second != std::to_string(crc))
                log(QStringLiteral("warning: the training data differ from those of the checkpoint (my digits or "
                                   "MNIST changed), so the resumed run will not match an uninterrupted one exactly"));
        } else {
            auto& meta = net.metadata();
            meta.clear();
            meta[kMetaConfig] = encodeConfig(cfg);
            meta[kMetaData] = "mnist=" + std::to_string(useMnist ? 1 : 0) + " limit=" + std::to_string(mnistLimit) +
                              " val=" + num(valFraction) + " user_share=" + num(userShare);
            meta[kMetaDataCrc] = std::to_string(crc);
            meta[kMetaOrigin] = fineTune ? "fine-tune" : "scratch";
        }

        // My digits before training (meaningful when fine-tuning).
        TrainingOutcome out;
        const nn::Dataset* held = r.userHeldOut && r.userHeldOut->size() > 0 ? r.userHeldOut.get() : nullptr;
        if (held) {
            phase = QStringLiteral("measuring my held-out digits");
            out.userHeldOut = held->size();
            out.userBefore = nn::computeMetrics(nn::evaluate(net, *held, cfg.threads)).accuracy;
        }

        phase = QStringLiteral("setting up the trainer");
        nn::Trainer trainer(net, cfg);
        if (resumed) {
            phase = QStringLiteral("resuming from the checkpoint");
            try {
                trainer.restore(state);
            } catch (const nn::Error& e) {
                // The state does not fit the settings it was saved with (an
                // SGD state under Adam settings): name the file it came from.
                throw nn::Error(r.checkpointPath.toStdString() + ": " + e.what());
            }
        }
        sh.step.store(resumed ? state.step : 0);

        RunInfo info;
        info.spec = QString::fromStdString(net.spec());
        info.parameters = qint64(net.params().size());
        info.hyperparameters = QString::fromStdString(cfg.describe());
        info.data = data.description;
        info.trainSize = data.train.size();
        info.validationSize = data.validation.size();
        info.userTrain = data.userTrain;
        info.userRepeats = data.userRepeats;
        info.userHeldOut = held ? held->size() : 0;
        info.threads = cfg.threads;
        info.epochs = cfg.epochs;
        info.firstEpoch = resumed ? state.nextEpoch : 0;
        info.fineTune = fineTune;
        info.resumed = resumed;
        m_events.started(runId, info);
        if (resumed)
            log(QStringLiteral("resuming from %1 at epoch %2 of %3 (step %4)")
                    .arg(QDir::toNativeSeparators(r.checkpointPath))
                    .arg(state.nextEpoch + 1)
                    .arg(cfg.epochs)
                    .arg(state.step));
        log(QStringLiteral("%1 %2 (%3 parameters)")
                .arg(fineTune ? QStringLiteral("fine-tuning") : QStringLiteral("training from scratch"), info.spec)
                .arg(info.parameters));
        log(QStringLiteral("data: %1").arg(data.description));
        log(QStringLiteral("settings: %1, %2 threads").arg(info.hyperparameters).arg(cfg.threads));
        if (held)
            log(QStringLiteral("my held-out digits before: %1 of %2 right (%3)")
                    .arg(std::lround(out.userBefore * held->size()))
                    .arg(held->size())
                    .arg(percent(out.userBefore)));

        // Batch callback: every batch; forwards at most every 50 ms (and each
        // epoch's last batch), aggregating the batches in between.
        auto lastEmit = Clock::now();
        auto lastSnapshot = Clock::now();
        long long lastEmitStep = sh.step.load();
        bool firstBatch = true;
        bool snapshotClockStarted = false;  // once per run: short epochs must not reset it
        double sumLoss = 0, sumAcc = 0;
        int count = 0;
        double rate = 0;  // images per second, recent
        const auto onBatch = [&](const nn::BatchReport& rep) {
            sh.step.store(rep.step, std::memory_order_relaxed);
            sumLoss += rep.loss;
            sumAcc += rep.accuracy;
            ++count;
            const auto now = Clock::now();
            if (firstBatch) {
                firstBatch = false;
                lastEmit = now;
                lastEmitStep = rep.step - 1;
                if (!snapshotClockStarted) {
                    snapshotClockStarted = true;
                    lastSnapshot = now;
                }
            }
            const double dt = std::chrono::duration<double>(now - lastEmit).count();
            if (dt >= 0.05 || rep.batch == rep.batches || rep.batch == 1) {
                nn::BatchReport o = rep;
                o.loss = sumLoss / count;
                o.accuracy = sumAcc / count;
                const double images = double(rep.step - lastEmitStep) * cfg.batchSize;
                // A long gap is a pause (or validation): keep the old rate.
                if (dt > 0 && dt < 2.0 && images > 0)
                    rate = rate <= 0 ? images / dt : 0.8 * rate + 0.2 * images / dt;
                o.imagesPerSecond = rate > 0 ? rate : rep.imagesPerSecond;
                const double left = double(rep.epochs - rep.epoch - 1) * rep.batches + (rep.batches - rep.batch);
                o.etaSeconds = o.imagesPerSecond > 0 ? left * cfg.batchSize / o.imagesPerSecond : rep.etaSeconds;
                m_events.batchProgress(runId, o);
                lastEmit = now;
                lastEmitStep = rep.step;
                sumLoss = sumAcc = 0;
                count = 0;
            }
            // Follow training: a copy of the weights at this batch boundary.
            const int follow = sh.followMs.load(std::memory_order_relaxed);
            if (follow > 0 && std::chrono::duration<double, std::milli>(now - lastSnapshot).count() >= follow) {
                lastSnapshot = now;
                m_events.snapshot(runId, std::make_shared<const nn::Model>(net));
            }
        };
        const std::string ckpt = QDir::toNativeSeparators(r.checkpointPath).toStdString();
        if (!ckpt.empty())
            QDir().mkpath(QFileInfo(r.checkpointPath).absolutePath());
        const auto onEpoch = [&](const nn::EpochReport& e, const nn::TrainState& st) {
            m_events.epochFinished(runId, e);
            QString line = QStringLiteral("epoch %1/%2: train loss %3, accuracy %4")
                               .arg(e.epoch + 1)
                               .arg(e.epochs)
                               .arg(e.trainLoss, 0, 'f', 4)
                               .arg(percent(e.trainAccuracy));
            if (e.valLoss >= 0)
                line += QStringLiteral("; validation loss %1, accuracy %2")
                            .arg(e.valLoss, 0, 'f', 4)
                            .arg(percent(e.valAccuracy));
            line += QStringLiteral("; lr %1; %2 s, %3 img/s%4")
                        .arg(double(e.lr), 0, 'g', 3)
                        .arg(e.seconds, 0, 'f', 1)
                        .arg(std::llround(e.imagesPerSecond))
                        .arg(e.best ? QStringLiteral(" (best)") : QString());
            log(line);
            if (!ckpt.empty()) {
                try {
                    nn::saveCheckpoint(ckpt, net, cfg, st);
                } catch (const nn::Error& err) {
                    log(QStringLiteral("could not save the checkpoint: %1").arg(QString::fromStdString(err.what())));
                }
            }
            firstBatch = true;  // the validation pass is not training time
        };

        phase = QStringLiteral("training");
        const nn::TrainResult result = trainer.run(data.train, data.validation, onBatch, onEpoch, &sh.control);
        const QString dataDescription = data.description;
        data = Data{};  // free the copies before evaluating

        out.status = result.status;
        out.message = QString::fromStdString(result.message);
        out.epochsCompleted = std::max(result.epochsCompleted, resumed ? state.nextEpoch : 0);  // epochs are absolute
        out.steps = sh.step.load();
        out.bestValLoss = result.bestValLoss;
        out.bestValAccuracy = result.bestValAccuracy;
        out.imagesPerSecond = result.imagesPerSecond;
        log(QStringLiteral("%1: %2 (%3 img/s)").arg(statusWord(result.status), out.message).arg(std::llround(result.imagesPerSecond)));

        const bool stopped = sh.control.stopRequested();
        const auto keepGoing = [&](int, int) { return !sh.control.stopRequested(); };
        if (held) {
            phase = QStringLiteral("measuring my held-out digits");
            out.userAfter = nn::computeMetrics(nn::evaluate(net, *held, cfg.threads)).accuracy;
            log(QStringLiteral("my held-out digits: %1 before, %2 after (%3 digits)")
                    .arg(percent(out.userBefore), percent(out.userAfter))
                    .arg(held->size()));
        }
        QString mnistDir = r.mnistDir.isEmpty() ? resolveDataDir() : r.mnistDir;
        if (!stopped && r.evaluateTest && useMnist && !r.trainOverride &&
            !nn::findMnistFile(mnistDir.toStdString(), "t10k-images-idx3-ubyte").empty()) {
            phase = QStringLiteral("evaluating on the MNIST test set");
            std::shared_ptr<const nn::Dataset> test = mnist(mnistDir, nn::Split::Test);
            const nn::Evaluation e = nn::evaluate(net, *test, cfg.threads, keepGoing);
            if (e.size() == test->size()) {
                out.testAccuracy = nn::computeMetrics(e).accuracy;
                log(QStringLiteral("MNIST test accuracy %1 (loss %2) on %3 images")
                        .arg(percent(out.testAccuracy))
                        .arg(e.loss, 0, 'f', 4)
                        .arg(test->size()));
            }
        }
        out.seconds = secondsSince(runStart);

        auto& meta = net.metadata();
        meta.clear();
        meta["data"] = dataDescription.toStdString();
        meta["epochs"] = std::to_string(out.epochsCompleted);
        meta["hyperparameters"] = cfg.describe();
        meta["trained_by"] = fineTune ? "DigitPad (fine-tuned in the GUI)" : "DigitPad (trained in the GUI)";
        if (out.bestValAccuracy >= 0)
            meta["val_accuracy"] = num(std::round(out.bestValAccuracy * 1e4) / 1e4);
        if (out.testAccuracy >= 0)
            meta["test_accuracy"] = num(std::round(out.testAccuracy * 1e4) / 1e4);
        if (held) {
            meta["user_digits_before"] = num(std::round(out.userBefore * 1e4) / 1e4);
            meta["user_digits_after"] = num(std::round(out.userAfter * 1e4) / 1e4);
        }
        if (out.status != nn::TrainResult::Finished)
            meta["status"] = statusWord(out.status).toStdString() + ": " + result.message;
        meta["date"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
        meta["train_images_per_second"] = std::to_string(std::llround(result.imagesPerSecond));

        auto finalModel = std::make_shared<const nn::Model>(std::move(net));
        model.reset();
        publish(runId, true, out, finalModel, {});
        m_events.finished(runId, out, finalModel);
        return;
    } catch (const nn::Error& e) {
        const QString msg = QString::fromStdString(e.what());
        const QString text = phase == QLatin1String("training")
                                 ? msg
                                 : QStringLiteral("while %1: %2").arg(phase, msg);
        publish(runId, false, {}, nullptr, text);
        m_events.failed(runId, text);
    } catch (const std::bad_alloc&) {
        const QString text = QStringLiteral("not enough memory while %1; try a smaller batch or model").arg(phase);
        publish(runId, false, {}, nullptr, text);
        m_events.failed(runId, text);
    } catch (const std::exception& e) {
        const QString text =
            QStringLiteral("internal error while %1 (%2); please report it").arg(phase, QString::fromLocal8Bit(e.what()));
        publish(runId, false, {}, nullptr, text);
        m_events.failed(runId, text);
    }
}

}  // namespace app
