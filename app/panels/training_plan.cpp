#include "training_plan.h"

#include "common/language.h"
#include "training_run_view.h"  // durationText

#include "common/defaultmodel.h"
#include "common/mnist_store.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/estimate.h>
#include <nn/model.h>
#include <nn/parallel.h>

#include <QCoreApplication>
#include <QDir>
#include <QLocale>

#include <algorithm>

namespace app {

namespace {

// The page's texts, under the Train page's translation context (a free
// tr() would land in context "app" for lupdate but not at run time).
struct PlanText {
    Q_DECLARE_TR_FUNCTIONS(app::TrainingPanel)
};

}  // namespace

// ---- Spec ------------------------------------------------------------------------

SpecCheck SpecCheck::forSpec(const QString& specText, float dropout, double maxParams)
{
    SpecCheck c;
    try {
        const std::string spec = specWithDropout(specText.toStdString(), dropout, true);
        // Checked without building it: a huge spec is refused before its
        // parameters would be allocated.
        const nn::Model::SpecSummary summary = nn::Model::checkSpec(spec);
        if (double(summary.params) > maxParams) {
            c.error = PlanText::tr("the model would have %1 parameters; the GUI trains models of up to %2")
                          .arg(QLocale().toString(double(summary.params), 'f', 0), QLocale().toString(maxParams, 'f', 0));
            return c;
        }
        c.params = qint64(summary.params);
        c.flops = summary.flops;
        c.valid = true;
    } catch (const nn::Error& e) {
        c.error = errorText(e);
    }
    return c;
}

SpecCheck SpecCheck::forModel(const nn::Model* current)
{
    SpecCheck c;
    if (!current) {
        c.error = PlanText::tr("There is no current model to fine-tune");
        return c;
    }
    c.params = qint64(current->params().size());
    c.flops = current->flopsPerSample();
    c.valid = true;
    return c;
}

QString SpecCheck::summary(double secs, bool rateFromLastRun) const
{
    if (!valid)
        return {};
    QString text = PlanText::tr("%1 parameters · %2 M multiply-adds per image")
                       .arg(QLocale().toString(params))
                       .arg(flops / 1e6, 0, 'f', 2);
    if (secs > 0)
        text += PlanText::tr("\n≈ %1 per epoch (%2)")
                    .arg(secs < 0.05  ? PlanText::tr("under 0.1 s")
                         : secs < 60 ? PlanText::tr("%1 s").arg(secs, 0, 'f', secs < 10 ? 1 : 0)
                                     : durationText(secs))
                    .arg(rateFromLastRun ? PlanText::tr("from this machine's last run")
                                         : PlanText::tr("measured on this machine"));
    return text;
}

// ---- Sources, request, estimate ---------------------------------------------------

bool TrainingSources::haveData(const TrainingSettings& s) const
{
    return trainOverride != nullptr || s.useMnist || (s.includeUserDigits && haveUserDigits());
}

TrainingRequest makeTrainingRequest(const TrainingSettings& t, const QString& specText, const TrainingSources& src)
{
    TrainingRequest r;
    r.spec = specText.toStdString();
    if (t.fineTune)
        r.initial = src.current;
    r.dropout = t.dropout < 0 ? -1.0f : float(t.dropout);
    nn::TrainConfig& c = r.config;
    c.epochs = t.epochs;
    c.batchSize = t.batchSize;
    c.learningRate = float(t.learningRate);
    c.optimizer.kind = nn::OptimizerConfig::parseKind(t.optimizer.toStdString());
    c.optimizer.momentum = nn::OptimizerConfig::defaultMomentum(c.optimizer.kind);
    c.optimizer.weightDecay = float(t.weightDecay);
    c.optimizer.l1 = float(t.l1);
    c.schedule.kind = nn::ScheduleConfig::parseKind(t.schedule.toStdString());
    c.augment = t.augment;
    c.seed = std::uint64_t(t.seed);
    c.threads = t.threads;
    c.earlyStopPatience = t.patience;
    c.adversarialEps = float(t.adversarialEps);
    c.adversarialSteps = t.adversarialSteps;
    c.adversarialFraction = float(t.adversarialFraction);
    c.maxBatchesPerEpoch = src.maxBatchesPerEpoch;
    r.useMnist = t.useMnist;
    r.mnistDir = src.mnistDir;
    r.validationFraction = t.validationPercent / 100.0;
    r.trainOverride = src.trainOverride;
    r.validationOverride = src.validationOverride;
    if (t.includeUserDigits)
        r.userTrain = src.userTrain;
    r.userHeldOut = src.userHeldOut;
    r.baseline = src.current;      // the result is judged against the pad's model
    r.evaluateAfterStop = true;    // a stopped run's figures decide whether to use it
    r.checkpointPath = src.checkpointPath;
    return r;
}

EpochImages epochImages(const TrainingSettings& t, const TrainingSources& src)
{
    EpochImages e;
    if (src.trainOverride) {
        e.train = src.trainOverride->size();
        e.validation = src.validationOverride ? src.validationOverride->size() : 0;
    } else {
        if (t.useMnist) {
            e.train = 60000.0 * (1.0 - t.validationPercent / 100.0);
            e.validation = 60000.0 - e.train;
        }
        // My digits are repeated to 5% of the MNIST images (all of them without MNIST).
        if (t.includeUserDigits && src.haveUserDigits())
            e.train += e.train > 0 ? e.train * 0.05 / 0.95 : src.userCount;
    }
    if (src.maxBatchesPerEpoch > 0)
        e.train = std::min(e.train, double(src.maxBatchesPerEpoch) * t.batchSize);
    return e;
}

double estimateEpochSeconds(const SpecCheck& spec, const TrainingSettings& t, const TrainingSources& src,
                            double macsPerThread)
{
    if (!spec.valid || spec.flops <= 0)
        return -1;
    const EpochImages e = epochImages(t, src);
    return nn::estimateEpochSeconds(spec.flops, e.train, e.validation, t.threads, macsPerThread);
}

// ---- Labels ----------------------------------------------------------------------

DataLabel mnistLabel(const TrainingSources& src)
{
    if (src.trainOverride)
        return {PlanText::tr("Training on a given set of %1 images (MNIST is not used).").arg(src.trainOverride->size()),
                true};
    const QString dir = src.mnistDir.isEmpty() ? resolveDataDir() : src.mnistDir;
    if (MnistStore::present(dir, nn::Split::Train))
        return {PlanText::tr("Found in %1").arg(QDir::toNativeSeparators(dir)), true};
    return {PlanText::tr("<b>MNIST was not found</b> in %1. Fetch it with <tt>scripts/fetch-mnist</tt> (or set "
               "DIGITPAD_DATA). Until then you can train on your own digits only.")
                .arg(QDir::toNativeSeparators(dir).toHtmlEscaped()),
            false};
}

DataLabel userDigitsLabel(int count, int held)
{
    if (count <= 0)
        return {PlanText::tr("My digits (none yet)"), false};
    return {PlanText::tr("My digits: %1 to train on, %2 held out").arg(count - held).arg(held), true};
}

// ---- The run's figures ----------------------------------------------------------------

namespace {

QString percent(double v) { return QString::number(100.0 * v, 'f', 2) + QLatin1Char('%'); }

QString howFar(const TrainingOutcome& o)
{
    switch (o.status) {
    case nn::TrainResult::Finished: return PlanText::tr("Finished %n epoch(s)", nullptr, o.epochsCompleted);
    case nn::TrainResult::EarlyStopped:
        return PlanText::tr("Stopped early after %n epoch(s) (best weights restored)", nullptr, o.epochsCompleted);
    case nn::TrainResult::Stopped:
        if (o.partialSamples > 0 && o.epochSamples > 0)
            return PlanText::tr("Stopped after %n complete epoch(s) and %1 of %2 images of epoch %3", nullptr, o.epochsCompleted)
                .arg(QLocale().toString(o.partialSamples), QLocale().toString(o.epochSamples))
                .arg(o.epochsCompleted + 1);
        return PlanText::tr("Stopped after %n complete epoch(s)", nullptr, o.epochsCompleted);
    case nn::TrainResult::Diverged: return PlanText::tr("Diverged (weights of the last good batch kept)");
    }
    return {};
}

// "validation 97.10% (current model 99.00%)", or why there is none.
QString versus(const QString& what, double value, double baseline, const QString& missing, const QString& on = {})
{
    if (value < 0)
        return missing;
    QString text = QStringLiteral("%1 %2%3").arg(what, percent(value), on);
    if (baseline >= 0)
        text += PlanText::tr(" (current model %1)").arg(percent(baseline));
    return text;
}

}  // namespace

QString resultSummary(const TrainingOutcome& o)
{
    QStringList parts{howFar(o)};
    const QString noValidation = o.validationSize > 0 ? PlanText::tr("validation not measured")
                                                      : PlanText::tr("no validation set (%1)").arg(o.validationNote);
    // The size says what a validation figure is worth (a few of one's own digits, or 6,000 MNIST images).
    parts << versus(PlanText::tr("validation"), o.valAccuracy, o.baselineValAccuracy, noValidation,
                    PlanText::tr(" on %n image(s)", nullptr, o.validationSize));
    parts << versus(PlanText::tr("MNIST test"), o.testAccuracy, o.baselineTestAccuracy,
                    o.testNote.isEmpty() ? PlanText::tr("MNIST test not measured")
                                         : PlanText::tr("no MNIST test accuracy (%1)").arg(o.testNote));
    if (o.userHeldOut > 0 && o.userBefore >= 0 && o.userAfter >= 0)
        parts << PlanText::tr("your held-out digits %1 → %2").arg(percent(o.userBefore), percent(o.userAfter));
    return parts.join(QStringLiteral(" · ")) + PlanText::tr(". Use the new model?");
}

QString myDigitsRunSummary(const TrainingOutcome& o)
{
    QString text;
    if (o.userHeldOut > 0 && o.userBefore >= 0 && o.userAfter >= 0)
        text = PlanText::tr("Last training run, on your %1 held-out digits: %2 before, %3 after.")
                   .arg(o.userHeldOut)
                   .arg(percent(o.userBefore), percent(o.userAfter));
    else
        text = PlanText::tr("Last training run: no digits of yours were held out to measure it.");
    if (o.testAccuracy >= 0 && o.baselineTestAccuracy >= 0)
        text += PlanText::tr(" MNIST test: %1 with the current model, %2 with the new one.")
                    .arg(percent(o.baselineTestAccuracy), percent(o.testAccuracy));
    else if (o.testAccuracy >= 0)
        text += PlanText::tr(" MNIST test: %1 with the new model.").arg(percent(o.testAccuracy));
    else
        text += PlanText::tr(" MNIST test: not measured (%1).")
                    .arg(o.testNote.isEmpty() ? PlanText::tr("the evaluation was skipped") : o.testNote);
    return text;
}

QString checkpointToolTip(const CheckpointInfo& info, const QString& path)
{
    if (info.resumable())
        return PlanText::tr("Continue the interrupted run saved on %1: epoch %2 of %3, %4\n%5\n%6")
            .arg(QLocale().toString(info.saved, QLocale::ShortFormat))
            .arg(info.nextEpoch + 1)
            .arg(info.epochs)
            .arg(info.spec, info.hyperparameters, QDir::toNativeSeparators(path));
    if (info.valid)
        return PlanText::tr("The last checkpoint is from a run that completed all its epochs");
    return PlanText::tr("No interrupted run to continue (%1)").arg(info.error);
}

// ---- Rates -----------------------------------------------------------------------

void RunRates::add(double imagesPerSecond)
{
    if (imagesPerSecond > 0 && m_rates.size() < 100000)
        m_rates.push_back(imagesPerSecond);
}

double RunRates::macsPerThread(double flopsPerSample, int threads) const
{
    if (m_rates.size() < 5 || flopsPerSample <= 0)
        return 0;
    std::vector<double> r = m_rates;
    std::nth_element(r.begin(), r.begin() + std::ptrdiff_t(r.size() / 2), r.end());
    const int used = std::clamp(threads, 1, nn::ThreadPool::hardwareThreads());
    return r[r.size() / 2] * 3.0 * flopsPerSample / used;
}

// ---- The run's result -------------------------------------------------------------

PadUpdate RunResult::backToCurrent()
{
    if (!m_followed)
        return {};
    m_followed = false;
    return {true, m_current};
}

PadUpdate RunResult::snapshot(std::shared_ptr<const nn::Model> model, bool follow)
{
    if (!follow)
        return {};
    m_followed = true;
    return {true, std::move(model)};
}

PadUpdate RunResult::followOff(bool running) { return running ? backToCurrent() : PadUpdate{}; }

PadUpdate RunResult::finished(std::shared_ptr<const nn::Model> model)
{
    m_pending = std::move(model);
    if (m_followed && m_pending)
        return {true, m_pending};  // the pad shows the final weights until keep/discard
    return {};
}

PadUpdate RunResult::failed() { return backToCurrent(); }

bool RunResult::keep()
{
    if (!m_pending)
        return false;
    m_current = std::move(m_pending);
    m_pending.reset();
    m_followed = false;
    return true;
}

PadUpdate RunResult::discard(bool* hadPending)
{
    if (hadPending)
        *hadPending = m_pending != nullptr;
    if (!m_pending)
        return {};
    m_pending.reset();
    return backToCurrent();
}

}  // namespace app
