#include "session.h"

#include "errors.h"
#include "uierror.h"
#include "fileio.h"
#include "metrics.h"
#include "parallel.h"
#include "serialize.h"
#include "synth.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <utility>

namespace nn {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <typename T>
std::string num(T v)
{
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that round-trips
    return std::string(buf, end);
}

std::string fixed(double v, int digits)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string percent(double v) { return fixed(100.0 * v, 2) + "%"; }

std::map<std::string, std::string> parsePairs(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::istringstream words(text);
    std::string w;
    while (words >> w) {
        const auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("malformed setting '" + w + "' (expected key=value)");
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
        throw Error("setting '" + key + "' has the malformed value '" + s + "'");
    return v;
}

std::uint32_t dataCrc(const Dataset& d)
{
    const std::uint32_t a = crc32(d.labels.data(), d.labels.size());
    const std::uint32_t b = crc32(d.images.data(), d.images.size());
    return a ^ (b * 0x9E3779B1u);
}

// What the run history keeps of how a run ended.
void fillRecord(RunRecord& r, const SessionResult& out)
{
    r.status = statusName(out.status);
    r.message = toString(out.message);
    r.epochsCompleted = out.epochsCompleted;
    r.steps = out.steps;
    r.valAccuracy = out.valAccuracy;
    r.bestValAccuracy = out.bestValAccuracy;
    r.bestValLoss = out.bestValLoss;
    r.testAccuracy = out.testAccuracy;
    r.testLoss = out.testAccuracy >= 0 ? out.testLoss : -1;
    r.userHeldOut = out.userHeldOut;
    r.userBefore = out.userBefore;
    r.userAfter = out.userAfter;
    r.seconds = out.seconds;
    r.trainSeconds = out.trainSeconds;
    r.imagesPerSecond = out.imagesPerSecond;
}

// Metadata keys of format-1 checkpoints written by the GUI.
constexpr const char* kMetaConfig = "checkpoint.config";
constexpr const char* kMetaData = "checkpoint.data";
constexpr const char* kMetaDataCrc = "checkpoint.data_crc";
constexpr const char* kMetaOrigin = "checkpoint.origin";

}  // namespace

const char* statusName(TrainResult::Status s)
{
    switch (s) {
    case TrainResult::Finished: return DIGITPAD_UI_TEXT("nn::ui", "finished");
    case TrainResult::Stopped: return DIGITPAD_UI_TEXT("nn::ui", "stopped");
    case TrainResult::EarlyStopped: return DIGITPAD_UI_TEXT("nn::ui", "early-stopped");
    case TrainResult::Diverged: return DIGITPAD_UI_TEXT("nn::ui", "diverged");
    }
    return DIGITPAD_UI_TEXT("nn::ui", "ended");
}

std::string epochsText(int completed, long long partialSamples, long long epochSamples)
{
    std::string text = std::to_string(completed);
    if (partialSamples > 0 && epochSamples > 0)
        text += " + " + groupedCount(partialSamples) + " of " + groupedCount(epochSamples) + " samples of epoch " +
                std::to_string(completed + 1);
    return text;
}

// ---- Settings ----------------------------------------------------------------

std::string specWithDropout(const std::string& spec, float dropout, bool mayInsert)
{
    const auto layers = parseSpec(spec);
    if (dropout < 0.0f)
        return spec;
    if (!(dropout < 1.0f))
        throw SpecError("dropout must be below 1, got " + num(dropout));
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

std::string encodeConfig(const TrainConfig& c)
{
    std::ostringstream s;
    s << "epochs=" << c.epochs << " batch=" << c.batchSize << " lr=" << num(c.learningRate)
      << " opt=" << OptimizerConfig::kindName(c.optimizer.kind) << " momentum=" << num(c.optimizer.momentum)
      << " nesterov=" << (c.optimizer.nesterov ? 1 : 0) << " beta1=" << num(c.optimizer.beta1)
      << " beta2=" << num(c.optimizer.beta2) << " eps=" << num(c.optimizer.eps)
      << " rho=" << num(c.optimizer.rho) << " wd=" << num(c.optimizer.weightDecay)
      << " l1=" << num(c.optimizer.l1) << " schedule=" << ScheduleConfig::kindName(c.schedule.kind)
      << " step_epochs=" << c.schedule.stepEpochs << " gamma=" << num(c.schedule.gamma)
      << " min_lr=" << num(c.schedule.minLr) << " plateau_patience=" << c.schedule.patience
      << " factor=" << num(c.schedule.factor) << " warmup=" << c.schedule.warmupBatches
      << " loss=" << (c.loss == LossKind::CrossEntropy ? "ce" : "mse") << " seed=" << c.seed
      << " threads=" << c.threads << " patience=" << c.earlyStopPatience << " max_batches=" << c.maxBatchesPerEpoch
      << " augment=" << (c.augment.enabled ? c.augment.toString() : std::string("none"));
    if (c.outlierBatch > 0) {
        s << " oe_batch=" << c.outlierBatch << " oe_weight=" << num(c.outlierWeight);
        if (c.outlierLoss == TrainConfig::OutlierLoss::Energy)
            s << " oe_loss=energy oe_in=" << num(c.energyInMargin) << " oe_out=" << num(c.energyOutMargin);
    }
    if (c.adversarialEps > 0)
        s << " adv_eps=" << num(c.adversarialEps) << " adv_steps=" << c.adversarialSteps
          << " adv_fraction=" << num(c.adversarialFraction);
    return s.str();
}

TrainConfig decodeConfig(const std::string& text)
{
    const auto kv = parsePairs(text);
    TrainConfig c;
    c.epochs = parseNumber(kv, "epochs", c.epochs);
    c.batchSize = parseNumber(kv, "batch", c.batchSize);
    c.learningRate = parseNumber(kv, "lr", c.learningRate);
    if (auto it = kv.find("opt"); it != kv.end())
        c.optimizer.kind = OptimizerConfig::parseKind(it->second);
    c.optimizer.momentum = parseNumber(kv, "momentum", c.optimizer.momentum);
    c.optimizer.nesterov = parseNumber(kv, "nesterov", 0) != 0;
    c.optimizer.beta1 = parseNumber(kv, "beta1", c.optimizer.beta1);
    c.optimizer.beta2 = parseNumber(kv, "beta2", c.optimizer.beta2);
    c.optimizer.eps = parseNumber(kv, "eps", c.optimizer.eps);
    c.optimizer.rho = parseNumber(kv, "rho", c.optimizer.rho);
    c.optimizer.weightDecay = parseNumber(kv, "wd", c.optimizer.weightDecay);
    c.optimizer.l1 = parseNumber(kv, "l1", c.optimizer.l1);
    if (auto it = kv.find("schedule"); it != kv.end())
        c.schedule.kind = ScheduleConfig::parseKind(it->second);
    c.schedule.stepEpochs = parseNumber(kv, "step_epochs", c.schedule.stepEpochs);
    c.schedule.gamma = parseNumber(kv, "gamma", c.schedule.gamma);
    c.schedule.minLr = parseNumber(kv, "min_lr", c.schedule.minLr);
    c.schedule.patience = parseNumber(kv, "plateau_patience", c.schedule.patience);
    c.schedule.factor = parseNumber(kv, "factor", c.schedule.factor);
    c.schedule.warmupBatches = parseNumber(kv, "warmup", c.schedule.warmupBatches);
    if (auto it = kv.find("loss"); it != kv.end()) {
        if (it->second != "ce" && it->second != "mse")
            throw Error("setting 'loss' must be ce or mse, got '" + it->second + "'");
        c.loss = it->second == "ce" ? LossKind::CrossEntropy : LossKind::MSE;
    }
    c.seed = parseNumber(kv, "seed", c.seed);
    c.threads = parseNumber(kv, "threads", c.threads);
    c.earlyStopPatience = parseNumber(kv, "patience", c.earlyStopPatience);
    c.maxBatchesPerEpoch = parseNumber(kv, "max_batches", c.maxBatchesPerEpoch);
    if (auto it = kv.find("augment"); it != kv.end())
        c.augment = AugmentParams::parse(it->second);
    c.outlierBatch = parseNumber(kv, "oe_batch", c.outlierBatch);
    c.outlierWeight = parseNumber(kv, "oe_weight", c.outlierWeight);
    if (auto it = kv.find("oe_loss"); it != kv.end())
        c.outlierLoss = TrainConfig::parseOutlierLoss(it->second);
    c.energyInMargin = parseNumber(kv, "oe_in", c.energyInMargin);
    c.energyOutMargin = parseNumber(kv, "oe_out", c.energyOutMargin);
    c.adversarialEps = parseNumber(kv, "adv_eps", c.adversarialEps);
    c.adversarialSteps = parseNumber(kv, "adv_steps", c.adversarialSteps);
    c.adversarialFraction = parseNumber(kv, "adv_fraction", c.adversarialFraction);
    return c;
}

namespace {

std::string encodeData(const RunSettings& s)
{
    return "mnist=" + std::to_string(s.useMnist ? 1 : 0) + " limit=" + std::to_string(s.mnistLimit) +
           " val=" + num(s.validationFraction) + " user_share=" + num(s.userMinShare) +
           (s.styles > 0 || s.outliers > 0
                ? " styles=" + std::to_string(s.styles) + " outliers=" + std::to_string(s.outliers) +
                      " synth_seed=" + std::to_string(s.synthSeed)
                : std::string());
}

void decodeData(const std::string& text, RunSettings& s)
{
    const auto kv = parsePairs(text);
    s.useMnist = parseNumber(kv, "mnist", 1) != 0;
    s.mnistLimit = parseNumber(kv, "limit", 0);
    s.validationFraction = parseNumber(kv, "val", s.validationFraction);
    s.userMinShare = parseNumber(kv, "user_share", s.userMinShare);
    s.styles = parseNumber(kv, "styles", 0);
    s.outliers = parseNumber(kv, "outliers", 0);
    s.synthSeed = parseNumber(kv, "synth_seed", std::uint64_t(1));
}

}  // namespace

std::string encodeRunSettings(const RunSettings& s)
{
    return encodeConfig(s.config) + " " + encodeData(s) + " origin=" + (s.fineTune ? "fine-tune" : "scratch") +
           (s.dataCrc.empty() ? std::string() : " data_crc=" + s.dataCrc);
}

RunSettings decodeRunSettings(const std::string& text)
{
    RunSettings s;
    s.config = decodeConfig(text);  // ignores the data keys
    decodeData(text, s);
    const auto kv = parsePairs(text);
    if (auto it = kv.find("origin"); it != kv.end())
        s.fineTune = it->second == "fine-tune";
    if (auto it = kv.find("data_crc"); it != kv.end())
        s.dataCrc = it->second;
    return s;
}

ResumePoint loadResumePoint(const std::string& path)
{
    std::string stored;
    auto [model, state] = loadCheckpoint(path, &stored);
    RunSettings s;
    if (!stored.empty()) {
        s = decodeRunSettings(stored);
    } else {
        // Format 1, written by the GUI: the settings sit in the model's metadata.
        const auto& meta = model.metadata();
        auto it = meta.find(kMetaConfig);
        if (it == meta.end())
            throw UiError(uiText(DIGITPAD_UI_TEXT("nn::ui", "%1: this checkpoint holds no training settings (it was "
                                                            "written without a training session), so it cannot be "
                                                            "resumed exactly"),
                                 path));
        s.config = decodeConfig(it->second);
        if (auto dit = meta.find(kMetaData); dit != meta.end())
            decodeData(dit->second, s);
        if (auto oit = meta.find(kMetaOrigin); oit != meta.end())
            s.fineTune = oit->second == "fine-tune";
        if (auto cit = meta.find(kMetaDataCrc); cit != meta.end())
            s.dataCrc = cit->second;
    }
    return {std::move(model), std::move(state), std::move(s)};
}

// ---- Session -------------------------------------------------------------------

struct TrainingSession::Data {
    Dataset train, validation;
    Dataset outliers;  // for outlier exposure; empty without it
    std::shared_ptr<const Dataset> test;
    UiText description;
    UiText validationNote, testNote;  // why there is none
    int userTrain = 0, userRepeats = 0;
};

TrainingSession::TrainingSession(SessionRequest request, SessionEvents events, RunControl* control)
    : m_req(std::move(request)),
      m_events(std::move(events)),
      m_control(control ? control : &m_ownControl),
      m_phase(DIGITPAD_UI_TEXT("nn::ui", "preparing the run"))
{
}

void TrainingSession::log(const UiText& line) const
{
    if (m_events.log)
        m_events.log(line);
}

void TrainingSession::warn(const UiText& line) const
{
    if (m_events.warning)
        m_events.warning(line);
    else
        log(line);
}

std::shared_ptr<const Dataset> TrainingSession::mnist(Split split)
{
    if (m_req.mnistSource)
        return m_req.mnistSource(m_req.dataDir, split);
    return std::make_shared<const Dataset>(Dataset::loadMnist(m_req.dataDir, split));
}

void TrainingSession::prepareModel()
{
    if (m_req.resume) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "reading the checkpoint");
        ResumePoint p = loadResumePoint(m_req.checkpoint);
        m_settings = std::move(p.settings);
        m_cfg = m_settings.config;
        m_fineTune = m_settings.fineTune;
        m_state = std::move(p.state);
        if (m_state.nextEpoch >= m_cfg.epochs)
            throw UiError(uiText(DIGITPAD_UI_TEXT("nn::ui", "the checkpoint %1 is from a run that completed all %2 "
                                                            "epochs: there is nothing left to resume"),
                                 m_req.checkpoint, m_cfg.epochs));
        m_model = std::make_shared<Model>(std::move(p.model));
        m_resumed = true;
        return;
    }
    m_cfg = m_req.config;
    if (m_cfg.threads <= 0)
        m_cfg.threads = ThreadPool::hardwareThreads();
    m_fineTune = m_req.initial != nullptr;
    m_settings.config = m_cfg;
    m_settings.useMnist = m_req.useMnist;
    m_settings.mnistLimit = m_req.mnistLimit;
    m_settings.validationFraction = m_req.validationFraction;
    m_settings.userMinShare = m_req.userMinShare;
    m_settings.styles = m_req.styles;
    m_settings.outliers = m_req.outliers;
    m_settings.synthSeed = m_req.synthSeed;
    m_settings.fineTune = m_fineTune;
    m_phase = DIGITPAD_UI_TEXT("nn::ui", "building the model");
    if (m_req.initial) {
        const Model& init = *m_req.initial;
        Model m = Model::fromSpec(specWithDropout(init.spec(), m_req.dropout, false), init.inputShape(), init.outputs());
        if (m.params().size() != init.params().size())
            throw Error("internal: the fine-tuned architecture changed its parameter count");
        m.params() = init.params();
        m_model = std::make_shared<Model>(std::move(m));
    } else {
        m_model = std::make_shared<Model>(Model::fromSpec(specWithDropout(m_req.spec, m_req.dropout, true)));
        m_model->initialize(m_cfg.seed);
    }
}

TrainingSession::Data TrainingSession::buildData()
{
    Data d;
    std::vector<UiText> parts;
    std::shared_ptr<const Dataset> user = m_req.userTrain;  // without MNIST: less its validation part
    const bool haveUser = user && user->size() > 0;
    if (m_req.trainOverride) {
        d.train = *m_req.trainOverride;
        if (m_req.validationOverride)
            d.validation = *m_req.validationOverride;
        parts.push_back(uiText(DIGITPAD_UI_TEXT("nn::ui", "given data: %1 training, %2 validation images"),
                               d.train.size(), d.validation.size()));
    } else if (m_settings.useMnist) {
        const std::string& dir = m_req.dataDir;
        if (!m_req.mnistRequired && !mnistPresent(dir, Split::Train)) {
            if (!haveUser)
                throw UiError(uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST was not found in %1 and there are no digits "
                                                                "of your own to train on. Fetch MNIST with "
                                                                "scripts/fetch-mnist (or set DIGITPAD_DATA to its "
                                                                "folder)."),
                                     dir));
            log(uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST was not found in %1: training on my digits only"), dir));
        } else {
            log(uiText(DIGITPAD_UI_TEXT("nn::ui", "using MNIST from %1"), dir));
            std::shared_ptr<const Dataset> all = mnist(Split::Train);
            Dataset limited;
            const Dataset* source = all.get();
            const int limit = m_settings.mnistLimit;
            if (limit > 0 && limit < all->size()) {
                std::vector<int> first(static_cast<std::size_t>(limit));
                for (int i = 0; i < limit; ++i)
                    first[std::size_t(i)] = i;
                limited = all->subset(first);
                source = &limited;
            }
            auto [train, val] = source->splitValidation(m_settings.validationFraction, m_cfg.seed);
            d.train = std::move(train);
            d.validation = std::move(val);
            parts.push_back(limit > 0 ? uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST: %1 training, %2 validation "
                                                                          "images (first %3)"),
                                               d.train.size(), d.validation.size(), limit)
                                      : uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST: %1 training, %2 validation images"),
                                               d.train.size(), d.validation.size()));
            if (d.validation.size() == 0)
                d.validationNote = uiText(DIGITPAD_UI_TEXT("nn::ui", "the validation split is 0%"));
        }
    }
    if (!m_req.trainOverride) {
        // Also when MNIST is not trained on: fine-tuning on my digits must
        // show whether the model got worse on MNIST.
        const std::string& dir = m_req.dataDir;
        if (!m_req.evaluateTest)
            d.testNote = uiText(DIGITPAD_UI_TEXT("nn::ui", "not asked for"));
        else if ((m_req.mnistRequired && m_settings.useMnist) || mnistPresent(dir, Split::Test))
            d.test = mnist(Split::Test);
        else
            d.testNote = uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST's test set was not found in %1"), dir);
    } else {
        d.testNote = uiText(DIGITPAD_UI_TEXT("nn::ui", "training on given data, not MNIST"));
    }
    bool userValidation = false;
    if (haveUser && d.train.size() == 0 && d.validation.size() == 0 && !m_req.trainOverride) {
        // My digits only: the validation split comes from them (never
        // repeated), so that "validation" is measured on digits not trained on.
        auto [t, v] = user->splitValidation(m_settings.validationFraction, m_cfg.seed);
        if (v.size() > 0 && t.size() > 0) {
            d.validation = std::move(v);
            user = std::make_shared<const Dataset>(std::move(t));
            userValidation = true;
        } else {
            d.validationNote = m_settings.validationFraction > 0
                                   ? uiText(DIGITPAD_UI_TEXT("nn::ui", "%1% of your %2 training digits is less "
                                                                       "than one digit"),
                                            fixed(100.0 * m_settings.validationFraction, 0), user->size())
                                   : uiText(DIGITPAD_UI_TEXT("nn::ui", "the validation split is 0%"));
        }
    }
    if (haveUser) {
        const int u = user->size();
        int repeats = 1;
        if (d.train.size() > 0 && m_settings.userMinShare > 0) {
            // u * k >= share * (base + u * k)  <=>  k >= share * base / (u * (1 - share))
            const double share = std::min(0.5, m_settings.userMinShare);
            repeats = int(std::ceil(share * d.train.size() / (u * (1.0 - share))));
            repeats = std::clamp(repeats, 1, 500);
        }
        if (d.train.size() == 0) {
            d.train.rows = user->rows;
            d.train.cols = user->cols;
        }
        for (int k = 0; k < repeats; ++k)
            d.train.append(*user);
        d.userTrain = u;
        d.userRepeats = repeats;
        UiText mine = repeats > 1 ? uiText(DIGITPAD_UI_TEXT("nn::ui", "my digits: %1 x%2"), u, repeats)
                                  : uiText(DIGITPAD_UI_TEXT("nn::ui", "my digits: %1"), u);
        if (userValidation)
            mine += uiText(DIGITPAD_UI_TEXT("nn::ui", ", %1 for validation"), d.validation.size());
        parts.push_back(std::move(mine));
    }
    if (m_settings.styles > 0) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "drawing the synthetic digit styles");
        Dataset styles = synthesizeStyles(m_settings.styles, m_settings.synthSeed, m_cfg.threads);
        if (d.train.size() == 0) {
            d.train.rows = styles.rows;
            d.train.cols = styles.cols;
        }
        d.train.append(styles);
        parts.push_back(uiText(DIGITPAD_UI_TEXT("nn::ui", "digit styles: %1 synthetic"), m_settings.styles));
    }
    if (m_settings.outliers > 0) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "drawing the synthetic non-digits");
        d.outliers = synthesizeOutliers(m_settings.outliers, m_settings.synthSeed ^ 0x4E4F4E44ull, m_cfg.threads);
        parts.push_back(
            m_cfg.outlierLoss == TrainConfig::OutlierLoss::Energy
                ? uiText(DIGITPAD_UI_TEXT("nn::ui", "non-digits: %1 synthetic, %2 per batch (outlier exposure, "
                                                    "energy margins %3:%4, weight %5)"),
                         m_settings.outliers, m_cfg.outlierBatch, num(m_cfg.energyInMargin),
                         num(m_cfg.energyOutMargin), num(m_cfg.outlierWeight))
                : uiText(DIGITPAD_UI_TEXT("nn::ui", "non-digits: %1 synthetic, %2 per batch (outlier exposure, "
                                                    "weight %3)"),
                         m_settings.outliers, m_cfg.outlierBatch, num(m_cfg.outlierWeight)));
    }
    if (m_cfg.outlierBatch > 0 && d.outliers.size() == 0)
        throw UiError(uiText(DIGITPAD_UI_TEXT("nn::ui", "outlier exposure (%1 non-digits per batch) needs synthetic "
                                                        "non-digits: set their number"),
                             m_cfg.outlierBatch));
    if (d.validation.size() == 0 && d.validationNote.empty())
        d.validationNote = m_req.trainOverride ? uiText(DIGITPAD_UI_TEXT("nn::ui", "none was given"))
                                               : uiText(DIGITPAD_UI_TEXT("nn::ui", "none"));
    if (d.train.size() == 0)
        throw UiError(m_settings.useMnist || m_req.trainOverride
                          ? uiText(DIGITPAD_UI_TEXT("nn::ui", "no training images left after the validation split "
                                                              "(%1 validation images)"),
                                   d.validation.size())
                          : uiText(DIGITPAD_UI_TEXT("nn::ui", "there is nothing to train on: no MNIST and none of my "
                                                              "digits selected")));
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            d.description += uiText(DIGITPAD_UI_TEXT("nn::ui", "; "));
        d.description += std::move(parts[i]);
    }
    return d;
}

SessionResult TrainingSession::run()
{
    const auto runStart = Clock::now();
    prepareModel();
    m_cfg.progressIntervalSec = 0.0;  // every batch reaches the callback; front ends throttle
    // What the front end shows, not a setting of the run: also when resuming.
    m_cfg.healthIntervalSec = m_req.config.healthIntervalSec;
    m_cfg.healthProbeImages = m_req.config.healthProbeImages;
    if (m_control->stopRequested())
        throw UiError(uiText(DIGITPAD_UI_TEXT("nn::ui", "stopped before training began")));
    m_phase = DIGITPAD_UI_TEXT("nn::ui", "loading the training data");
    Data data = buildData();

    Model& net = *m_model;
    const std::string crc = std::to_string(dataCrc(data.train));
    if (m_resumed && !m_settings.dataCrc.empty() && m_settings.dataCrc != crc)
        warn(uiText(DIGITPAD_UI_TEXT("nn::ui", "warning: the training data differ from those of the checkpoint (my "
                                               "digits or MNIST changed), so the resumed run will not match an "
                                               "uninterrupted one exactly")));
    m_settings.dataCrc = crc;
    const std::string settingsLine = encodeRunSettings(m_settings);

    SessionResult out;
    RunRecorder recorder;
    const Dataset* held = m_req.userHeldOut && m_req.userHeldOut->size() > 0 ? m_req.userHeldOut.get() : nullptr;
    if (held) {
        // "Before" is the model the result would replace when there is one
        // (from scratch, the untrained weights say nothing to the person).
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "measuring my held-out digits");
        out.userHeldOut = held->size();
        const Model& before = comparable(m_req.baseline.get()) ? *m_req.baseline : net;
        out.userBefore = computeMetrics(evaluate(before, *held, m_cfg.threads)).accuracy;
    }
    out.validationSize = data.validation.size();
    out.validationNote = data.validationNote;
    out.testNote = data.testNote;
    measureBaseline(data, out);

    m_phase = DIGITPAD_UI_TEXT("nn::ui", "setting up the trainer");
    Trainer trainer(net, m_cfg);
    if (data.outliers.size() > 0)
        trainer.setOutliers(&data.outliers);
    if (m_resumed) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "resuming from the checkpoint");
        try {
            trainer.restore(m_state);
        } catch (const Error& e) {
            // The state does not fit the settings it was saved with (an SGD
            // state under Adam settings): name the file it came from.
            throw Error(m_req.checkpoint + ": " + e.what());
        }
    }
    long long step = m_resumed ? m_state.step : 0;

    SessionInfo info;
    info.spec = net.spec();
    info.parameters = (long long)net.params().size();
    info.hyperparameters = m_cfg.describe();
    info.data = data.description;
    info.dataDir = m_settings.useMnist && !m_req.trainOverride ? m_req.dataDir : std::string();
    info.trainSize = data.train.size();
    info.validationSize = data.validation.size();
    info.testSize = data.test ? data.test->size() : 0;
    info.userTrain = data.userTrain;
    info.userRepeats = data.userRepeats;
    info.styles = m_settings.styles;
    info.outliers = data.outliers.size();
    info.userHeldOut = held ? held->size() : 0;
    info.validationNote = data.validationNote;
    info.threads = m_cfg.threads;
    info.batchSize = m_cfg.batchSize;
    info.epochs = m_cfg.epochs;
    info.firstEpoch = m_resumed ? m_state.nextEpoch : 0;
    info.firstStep = step;
    info.fineTune = m_fineTune;
    info.resumed = m_resumed;
    recorder.started(info, settingsLine);
    if (m_events.started)
        m_events.started(info);
    if (m_resumed)
        log(uiText(DIGITPAD_UI_TEXT("nn::ui", "resuming from %1 at epoch %2 of %3 (step %4)"), m_req.checkpoint,
                   m_state.nextEpoch + 1, m_cfg.epochs, m_state.step));
    log(m_fineTune ? uiText(DIGITPAD_UI_TEXT("nn::ui", "fine-tuning %1 (%2 parameters)"), info.spec, info.parameters)
                   : uiText(DIGITPAD_UI_TEXT("nn::ui", "training from scratch %1 (%2 parameters)"), info.spec,
                            info.parameters));
    log(uiText(DIGITPAD_UI_TEXT("nn::ui", "data: %1"), data.description));
    if (data.validation.size() == 0)
        log(uiText(DIGITPAD_UI_TEXT("nn::ui", "no validation set: %1"), data.validationNote));
    if (!data.test)
        log(uiText(DIGITPAD_UI_TEXT("nn::ui", "no MNIST test accuracy: %1"), data.testNote));
    if (out.baselineValAccuracy >= 0 || out.baselineTestAccuracy >= 0) {
        UiText measured;
        if (out.baselineValAccuracy >= 0)
            measured += uiText(DIGITPAD_UI_TEXT("nn::ui", "validation %1"), percent(out.baselineValAccuracy));
        if (out.baselineValAccuracy >= 0 && out.baselineTestAccuracy >= 0)
            measured += uiText(DIGITPAD_UI_TEXT("nn::ui", ", "));
        if (out.baselineTestAccuracy >= 0)
            measured += uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST test %1"), percent(out.baselineTestAccuracy));
        log(m_fineTune ? uiText(DIGITPAD_UI_TEXT("nn::ui", "before fine-tuning: %1"), std::move(measured))
                       : uiText(DIGITPAD_UI_TEXT("nn::ui", "the current model: %1"), std::move(measured)));
    }
    log(uiText(DIGITPAD_UI_TEXT("nn::ui", "settings: %1, %2 threads"), info.hyperparameters, m_cfg.threads));
    if (held)
        log(uiText(DIGITPAD_UI_TEXT("nn::ui", "my held-out digits before: %1 of %2 right (%3)"),
                   std::lround(out.userBefore * held->size()), held->size(), percent(out.userBefore)));

    double lastValAccuracy = -1;
    BatchReport lastBatch;  // where a stop left the epoch
    lastBatch.epoch = -1;
    const auto onBatch = [&](const BatchReport& rep) {
        step = rep.step;
        lastBatch = rep;
        recorder.batch(rep);
        if (m_events.batch)
            m_events.batch(rep);
    };
    const auto onEpoch = [&](const EpochReport& e, const TrainState& st) {
        lastValAccuracy = e.valAccuracy;
        UiText line = uiText(DIGITPAD_UI_TEXT("nn::ui", "epoch %1/%2: train loss %3, accuracy %4"), e.epoch + 1,
                             e.epochs, fixed(e.trainLoss, 4), percent(e.trainAccuracy));
        if (e.outlierLoss >= 0)
            line += uiText(m_cfg.outlierLoss == TrainConfig::OutlierLoss::Energy
                               ? DIGITPAD_UI_TEXT("nn::ui", "; energy margins' loss %1")
                               : DIGITPAD_UI_TEXT("nn::ui", "; non-digits' loss to uniform %1"),
                           fixed(e.outlierLoss, 4));
        if (e.valLoss >= 0)
            line += uiText(DIGITPAD_UI_TEXT("nn::ui", "; validation loss %1, accuracy %2"), fixed(e.valLoss, 4),
                           percent(e.valAccuracy));
        char lr[32];
        std::snprintf(lr, sizeof lr, "%.3g", double(e.lr));
        line += uiText(DIGITPAD_UI_TEXT("nn::ui", "; lr %1; %2 s, %3 img/s"), lr, fixed(e.seconds, 1),
                       std::llround(e.imagesPerSecond));
        if (e.best)
            line += uiText(DIGITPAD_UI_TEXT("nn::ui", " (best)"));
        log(line);
        if (!m_req.checkpoint.empty()) {
            try {
                saveCheckpoint(m_req.checkpoint, net, m_cfg, st, settingsLine);
            } catch (const Error& err) {
                warn(uiText(DIGITPAD_UI_TEXT("nn::ui", "could not save the checkpoint: %1"), err.what()));
            }
        }
        recorder.epoch(e);
        if (m_events.epoch)
            m_events.epoch(e);
    };

    if (!m_req.checkpoint.empty()) {
        std::error_code ec;  // a failure shows when the first checkpoint cannot be written
        std::filesystem::create_directories(std::filesystem::path(m_req.checkpoint).parent_path(), ec);
    }
    m_phase = DIGITPAD_UI_TEXT("nn::ui", "training");
    const auto trainStart = Clock::now();
    const TrainResult result = trainer.run(data.train, data.validation, onBatch, onEpoch, m_control);
    out.trainSeconds = secondsSince(trainStart);
    out.status = result.status;
    out.message = result.message;
    out.epochsCompleted = std::max(result.epochsCompleted, m_resumed ? m_state.nextEpoch : 0);
    out.steps = step;
    if (data.validation.size() > 0) {  // (the trainer monitors the training set without one)
        out.bestValLoss = result.bestValLoss;
        out.bestValAccuracy = result.bestValAccuracy;
    }
    if (result.status == TrainResult::Stopped && lastBatch.epoch == out.epochsCompleted && lastBatch.batch > 0 &&
        lastBatch.batch < lastBatch.batches) {
        out.epochSamples = std::min<long long>(data.train.size(), (long long)lastBatch.batches * m_cfg.batchSize);
        out.partialSamples = std::min<long long>(out.epochSamples, (long long)lastBatch.batch * m_cfg.batchSize);
    }
    out.imagesPerSecond = result.imagesPerSecond;
    // (The message says how it ended: "finished 2 epochs", "early stop after ...".)
    log(uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 (%2 img/s)"), out.message, std::llround(result.imagesPerSecond)));
    if (m_events.trained)
        m_events.trained(result, out.trainSeconds);

    // The final weights: those of the last epoch's validation when it ran to
    // the end, the best ones after an early stop; otherwise measured again.
    const bool stopped = m_control->stopRequested();
    const bool evaluate_ = !stopped || m_req.evaluateAfterStop;
    bool cancelled = false;
    const auto keepGoing = [&](int, int) {
        cancelled = cancelled || (m_events.keepEvaluating && !m_events.keepEvaluating());
        return !cancelled;
    };
    if (held) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "measuring my held-out digits");
        out.userAfter = computeMetrics(evaluate(net, *held, m_cfg.threads)).accuracy;
        log(uiText(DIGITPAD_UI_TEXT("nn::ui", "my held-out digits: %1 before, %2 after (%3 digits)"),
                   percent(out.userBefore), percent(out.userAfter), held->size()));
    }
    if (data.validation.size() > 0) {
        if (result.status == TrainResult::Finished && lastValAccuracy >= 0)
            out.valAccuracy = lastValAccuracy;
        else if (result.status == TrainResult::EarlyStopped)
            out.valAccuracy = result.bestValAccuracy;
        else if (evaluate_) {
            m_phase = DIGITPAD_UI_TEXT("nn::ui", "evaluating on the validation set");
            const Evaluation e = evaluate(net, data.validation, m_cfg.threads, keepGoing);
            if (!cancelled && e.size() == data.validation.size())
                out.valAccuracy = computeMetrics(e).accuracy;
        }
    }
    if (data.test && evaluate_ && !cancelled) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "evaluating on the MNIST test set");
        const Evaluation e = evaluate(net, *data.test, m_cfg.threads, keepGoing);
        if (!cancelled && e.size() == data.test->size()) {
            const Metrics m = computeMetrics(e);
            out.testAccuracy = m.accuracy;
            recorder.classErrors(m, "test");
            out.testLoss = e.loss;
            out.testSize = data.test->size();
            log(uiText(DIGITPAD_UI_TEXT("nn::ui", "MNIST test accuracy %1 (loss %2) on %3 images"),
                       percent(out.testAccuracy), fixed(e.loss, 4), out.testSize));
        }
    }
    out.seconds = secondsSince(runStart);
    stampMetadata(data, out, result);
    out.record = std::move(recorder.record());
    fillRecord(out.record, out);
    out.model = std::move(m_model);
    return out;
}

bool TrainingSession::comparable(const Model* other) const
{
    return other && other->inputShape() == m_model->inputShape() && other->outputs() == m_model->outputs();
}

void TrainingSession::measureBaseline(const Data& data, SessionResult& out)
{
    const Model* base = m_req.baseline.get();
    if (!comparable(base))
        return;
    const auto keepGoing = [this](int, int) { return !m_control->stopRequested(); };
    if (data.validation.size() > 0 || data.test)
        log(data.test ? uiText(DIGITPAD_UI_TEXT("nn::ui", "measuring the current model, to compare the result with it "
                                                          "(%1 validation, %2 MNIST test images)"),
                               groupedCount(data.validation.size()), groupedCount(data.test->size()))
                      : uiText(DIGITPAD_UI_TEXT("nn::ui", "measuring the current model, to compare the result with it "
                                                          "(%1 validation images)"),
                               groupedCount(data.validation.size())));
    if (data.validation.size() > 0) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "measuring the current model on the validation set");
        const Evaluation e = evaluate(*base, data.validation, m_cfg.threads, keepGoing);
        if (e.size() == data.validation.size())
            out.baselineValAccuracy = computeMetrics(e).accuracy;
    }
    if (data.test) {
        m_phase = DIGITPAD_UI_TEXT("nn::ui", "measuring the current model on the MNIST test set");
        const Evaluation e = evaluate(*base, *data.test, m_cfg.threads, keepGoing);
        if (e.size() == data.test->size())
            out.baselineTestAccuracy = computeMetrics(e).accuracy;
    }
}

void TrainingSession::stampMetadata(const Data& data, const SessionResult& out, const TrainResult& result)
{
    auto& meta = m_model->metadata();
    meta.clear();
    meta["data"] = toString(data.description);
    meta["epochs"] = epochsText(out.epochsCompleted, out.partialSamples, out.epochSamples);
    meta["hyperparameters"] = m_cfg.describe();
    meta["trained_by"] = std::string("DigitPad (") + (m_fineTune ? "fine-tuned " : "trained ") + m_req.frontEnd + ")";
    if (out.valAccuracy >= 0)
        meta["val_accuracy"] = fixed(out.valAccuracy, 4);
    if (out.testAccuracy >= 0)
        meta["test_accuracy"] = fixed(out.testAccuracy, 4);
    if (out.userHeldOut > 0) {
        meta["user_digits_before"] = fixed(out.userBefore, 4);
        meta["user_digits_after"] = fixed(out.userAfter, 4);
    }
    if (out.status != TrainResult::Finished)
        meta["status"] = std::string(statusName(out.status)) + ": " + toString(result.message);
    meta["date"] = utcNow();
    meta["train_seconds"] = fixed(out.trainSeconds, 1);
    meta["train_images_per_second"] = std::to_string(std::llround(result.imagesPerSecond));
    for (const auto& [k, v] : m_req.extraMetadata)
        meta[k] = v;
}

}  // namespace nn
