#include "training_panel.h"

#include "curves_panel.h"
#include "save_dialog.h"
#include "training_form.h"
#include "training_run_view.h"
#include "training_settings.h"
#include "user_digits_panel.h"

#include "common/defaultmodel.h"
#include "common/mnist_store.h"
#include "common/settings.h"

#include <nn/data/dataset.h>
#include <nn/errors.h>
#include <nn/estimate.h>
#include <nn/parallel.h>
#include <nn/serialize.h>

#include <QDir>
#include <QHBoxLayout>
#include <QLocale>
#include <QScrollArea>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

// Larger models are refused in the editor (the validation itself would
// allocate them).
constexpr double kMaxParams = 20e6;

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent)
{
    m_controller = new TrainingController(this);
    m_checkpointPath = TrainingController::defaultCheckpointPath();
    buildUi();
    loadSettings();

    connect(m_controller, &TrainingController::started, this, &TrainingPanel::onStarted);
    connect(m_controller, &TrainingController::batchProgress, this, &TrainingPanel::onBatch);
    connect(m_controller, &TrainingController::epochFinished, this, &TrainingPanel::onEpoch);
    connect(m_controller, &TrainingController::logMessage, this, &TrainingPanel::appendLog);
    connect(m_controller, &TrainingController::finished, this, &TrainingPanel::onFinished);
    connect(m_controller, &TrainingController::failed, this, &TrainingPanel::onFailed);
    connect(m_controller, &TrainingController::snapshot, this, &TrainingPanel::onSnapshot);
    connect(m_controller, &TrainingController::runningChanged, this, [this](bool running) {
        updateButtons();
        emit runningChanged(running);
    });
    connect(m_controller, &TrainingController::pausedChanged, this, [this](bool paused) {
        updateButtons();
        if (paused)
            m_run->setStatus(m_run->status() + tr(" · paused"));
    });

    validateSpec();
    updateDataLabel();
    updateCheckpointButton();
    updateButtons();
}

TrainingPanel::~TrainingPanel()
{
    // The controller (a child) stops, quits and waits in its destructor.
    saveSettings();
}

// ---- UI ------------------------------------------------------------------------

void TrainingPanel::buildUi()
{
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(buildForm());
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(scroll->widget()->sizeHint().width() + 24);

    m_run = new TrainingRunView(this);
    m_curves = m_run->curves();
    connect(m_run, &TrainingRunView::startClicked, this, &TrainingPanel::start);
    connect(m_run, &TrainingRunView::pauseClicked, this, &TrainingPanel::pause);
    connect(m_run, &TrainingRunView::resumeClicked, this, &TrainingPanel::resume);
    connect(m_run, &TrainingRunView::stopClicked, this, &TrainingPanel::stop);
    connect(m_run, &TrainingRunView::continueClicked, this, &TrainingPanel::continueFromCheckpoint);
    connect(m_run, &TrainingRunView::keepClicked, this, &TrainingPanel::keepResult);
    connect(m_run, &TrainingRunView::saveClicked, this, &TrainingPanel::saveResultDialog);
    connect(m_run, &TrainingRunView::discardClicked, this, &TrainingPanel::discardResult);
    connect(m_run, &TrainingRunView::saveLogClicked, this, &TrainingPanel::saveLogDialog);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scroll);
    layout->addWidget(m_run, 1);
}

QWidget* TrainingPanel::buildForm()
{
    m_form = new TrainingForm;
    connect(m_form, &TrainingForm::specEdited, this, &TrainingPanel::validateSpec);
    connect(m_form, &TrainingForm::numbersEdited, this, &TrainingPanel::updateEstimate);
    connect(m_form, &TrainingForm::seedChanged, this, &TrainingPanel::seedChanged);
    connect(m_form, &TrainingForm::augmentEdited, this, [this] {
        updateEstimate();
        emit augmentParamsChanged(augmentParams());
    });
    connect(m_form, &TrainingForm::dataEdited, this, [this] {
        updateDataLabel();
        updateEstimate();
        updateButtons();
    });
    connect(m_form, &TrainingForm::followToggled, this, &TrainingPanel::setFollowTraining);
    connect(m_form, &TrainingForm::edited, this, &TrainingPanel::saveSettings);
    return m_form;
}

// ---- Settings --------------------------------------------------------------------

void TrainingPanel::loadSettings()
{
    m_loading = true;
    m_form->setSettings(TrainingSettings::load());
    m_loading = false;
}

void TrainingPanel::saveSettings() const
{
    if (!m_loading)
        m_form->settings().save();
}

// ---- Spec, estimate, data -----------------------------------------------------------

QString TrainingPanel::specError() const { return m_specValid ? QString() : m_specErrorText; }

void TrainingPanel::validateSpec()
{
    const bool fine = m_form->fineTune();
    QString error;
    m_specValid = false;
    m_specParams = 0;
    m_specFlops = 0;
    if (fine) {
        if (!m_current) {
            error = tr("There is no current model to fine-tune");
        } else {
            m_form->showModelSpec(QString::fromStdString(m_current->spec()));
            m_specParams = qint64(m_current->params().size());
            m_specFlops = m_current->flopsPerSample();
            m_specValid = true;
        }
    } else {
        try {
            const std::string spec = specWithDropout(m_form->specText().toStdString(), m_form->dropout(), true);
            // Checked without building it: a huge spec is refused before its
            // parameters would be allocated.
            const nn::Model::SpecSummary summary = nn::Model::checkSpec(spec);
            if (double(summary.params) > kMaxParams)
                throw nn::SpecError("the model would have " +
                                    QLocale().toString(double(summary.params), 'f', 0).toStdString() +
                                    " parameters; the GUI trains models of up to " +
                                    QLocale().toString(kMaxParams, 'f', 0).toStdString());
            m_specParams = qint64(summary.params);
            m_specFlops = summary.flops;
            m_specValid = true;
        } catch (const nn::Error& e) {
            error = QString::fromStdString(e.what());
        }
    }
    m_specErrorText = error;
    m_form->showSpec(error, fine);
    updateEstimate();
    updateButtons();
}

double TrainingPanel::estimatedEpochSeconds() const
{
    if (!m_specValid || m_specFlops <= 0)
        return -1;
    const TrainingSettings t = m_form->settings();
    double images = 0, validation = 0;
    if (m_trainOverride) {
        images = m_trainOverride->size();
        validation = m_valOverride ? m_valOverride->size() : 0;
    } else {
        if (m_form->useMnist()) {
            images = 60000.0 * (1.0 - t.validationPercent / 100.0);
            validation = 60000.0 - images;
        }
        if (m_form->includeUserDigits() && m_userDigits && m_userDigits->count() > 0)
            images += images > 0 ? images * 0.05 / 0.95 : m_userDigits->count();
    }
    if (m_maxBatches > 0)
        images = std::min(images, double(m_maxBatches) * t.batchSize);
    // This machine's rate: from its last run when there was one, otherwise measured now (once).
    return nn::estimateEpochSeconds(m_specFlops, images, validation, t.threads,
                                    TrainingSettings::lastRunRate());
}

void TrainingPanel::updateEstimate()
{
    if (!m_form)
        return;
    if (!m_specValid) {
        m_form->setSpecInfo(QString());
        return;
    }
    const QLocale loc;
    const double secs = estimatedEpochSeconds();
    const bool measured = TrainingSettings::lastRunRate() > 0;
    QString text = tr("%1 parameters · %2 M multiply-adds per image")
                       .arg(loc.toString(m_specParams))
                       .arg(m_specFlops / 1e6, 0, 'f', 2);
    if (secs > 0)
        text += tr("\n≈ %1 per epoch (%2)")
                    .arg(secs < 60 ? tr("%1 s").arg(secs, 0, 'f', secs < 10 ? 1 : 0) : durationText(secs))
                    .arg(measured ? tr("from this machine's last run") : tr("measured on this machine"));
    m_form->setSpecInfo(text);
}

void TrainingPanel::updateDataLabel()
{
    if (!m_form)
        return;
    if (m_trainOverride) {
        m_form->setMnistText(tr("Training on a given set of %1 images (MNIST is not used).").arg(m_trainOverride->size()),
                             true);
    } else {
        const QString dir = m_mnistDir.isEmpty() ? resolveDataDir() : m_mnistDir;
        const bool present = MnistStore::present(dir, nn::Split::Train);
        if (present)
            m_form->setMnistText(tr("Found in %1").arg(QDir::toNativeSeparators(dir)), true);
        else
            m_form->setMnistText(
                tr("<b>MNIST was not found</b> in %1. Fetch it with <tt>scripts/fetch-mnist</tt> (or set "
                   "DIGITPAD_DATA). Until then you can train on your own digits only.")
                    .arg(QDir::toNativeSeparators(dir).toHtmlEscaped()),
                false);
    }
    if (m_userDigits && m_userDigits->count() > 0) {
        const int held = m_userDigits->store().heldOutCount();
        m_form->setUserDigitsText(tr("My digits: %1 to train on, %2 held out").arg(m_userDigits->count() - held).arg(held),
                                  true);
    } else {
        m_form->setUserDigitsText(tr("My digits (none yet)"), false);
    }
}

void TrainingPanel::updateCheckpointButton()
{
    const CheckpointInfo info = TrainingController::readCheckpointInfo(m_checkpointPath);
    m_checkpointResumable = info.resumable();
    updateButtons();
    if (info.resumable())
        m_run->setContinueToolTip(tr("Continue the interrupted run saved on %1: epoch %2 of %3, %4\n%5\n%6")
                                   .arg(QLocale().toString(info.saved, QLocale::ShortFormat))
                                   .arg(info.nextEpoch + 1)
                                   .arg(info.epochs)
                                   .arg(info.spec, info.hyperparameters, QDir::toNativeSeparators(m_checkpointPath)));
    else if (info.valid)
        m_run->setContinueToolTip(tr("The last checkpoint is from a run that completed all its epochs"));
    else
        m_run->setContinueToolTip(tr("No interrupted run to continue (%1)").arg(info.error));
}

void TrainingPanel::updateButtons()
{
    const bool running = isRunning();
    const bool paused = isPaused();
    bool haveData = m_trainOverride != nullptr || m_form->useMnist() ||
                    (m_form->includeUserDigits() && m_userDigits && m_userDigits->count() > 0);
    m_run->setButtons(!running && m_specValid && haveData, running && !paused, running && paused, running,
                      !running && m_checkpointResumable);
    m_form->setPresetEnabled(!running);
}

// ---- Public API ---------------------------------------------------------------------

void TrainingPanel::setCurrentModel(std::shared_ptr<const nn::Model> model)
{
    m_current = std::move(model);
    if (m_form->fineTune())
        validateSpec();
    m_form->setFineTuneAvailable(m_current != nullptr);
}

void TrainingPanel::setUserDigits(UserDigitsPanel* panel)
{
    if (m_userDigits)
        disconnect(m_userDigits, nullptr, this, nullptr);
    m_userDigits = panel;
    if (panel) {
        connect(panel, &UserDigitsPanel::changed, this, [this] {
            updateDataLabel();
            updateEstimate();
            updateButtons();
        });
        connect(this, &TrainingPanel::heldOutResult, panel, &UserDigitsPanel::showHeldOutResult);
        connect(panel, &QObject::destroyed, this, [this] { m_userDigits = nullptr; });
    }
    updateDataLabel();
    updateEstimate();
    updateButtons();
}

nn::AugmentParams TrainingPanel::augmentParams() const { return m_form->augmentParams(); }

void TrainingPanel::setAugmentParams(const nn::AugmentParams& p)
{
    m_form->setAugmentParams(p);  // one signal, not one per field
    if (!m_loading) {
        saveSettings();
        emit augmentParamsChanged(augmentParams());
    }
}

std::uint64_t TrainingPanel::seed() const { return std::uint64_t(m_form->settings().seed); }

bool TrainingPanel::isRunning() const { return m_controller->isRunning(); }
bool TrainingPanel::isPaused() const { return m_controller->isPaused(); }

void TrainingPanel::setCheckpointPath(const QString& path)
{
    m_checkpointPath = path;
    updateCheckpointButton();
    updateButtons();
}

void TrainingPanel::setMnistDir(const QString& dir)
{
    m_mnistDir = dir;
    updateDataLabel();
}

void TrainingPanel::setDataOverride(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> validation)
{
    m_trainOverride = std::move(train);
    m_valOverride = std::move(validation);
    updateDataLabel();
    updateEstimate();
    updateButtons();
}

TrainingRequest TrainingPanel::request() const
{
    const TrainingSettings t = m_form->settings();
    TrainingRequest r;
    r.spec = m_form->specText().toStdString();
    if (t.fineTune)
        r.initial = m_current;
    r.dropout = m_form->dropout();
    nn::TrainConfig& c = r.config;
    c.epochs = t.epochs;
    c.batchSize = t.batchSize;
    c.learningRate = float(t.learningRate);
    c.optimizer.kind = nn::OptimizerConfig::parseKind(t.optimizer.toStdString());
    c.optimizer.weightDecay = float(t.weightDecay);
    c.schedule.kind = nn::ScheduleConfig::parseKind(t.schedule.toStdString());
    c.augment = t.augment;
    c.seed = std::uint64_t(t.seed);
    c.threads = t.threads;
    c.earlyStopPatience = t.patience;
    c.maxBatchesPerEpoch = m_maxBatches;
    r.useMnist = t.useMnist;
    r.mnistDir = m_mnistDir;
    r.validationFraction = t.validationPercent / 100.0;
    r.trainOverride = m_trainOverride;
    r.validationOverride = m_valOverride;
    if (m_userDigits) {
        auto [train, held] = m_userDigits->trainingSets();
        if (t.includeUserDigits)
            r.userTrain = train;
        r.userHeldOut = held;
    }
    r.checkpointPath = m_checkpointPath;
    return r;
}

QString TrainingPanel::logText() const { return m_run->logText(); }

bool TrainingPanel::saveLog(const QString& path, QString* error) const { return m_run->saveLog(path, error); }

// ---- Run control ---------------------------------------------------------------------

void TrainingPanel::launch(TrainingRequest request)
{
    if (m_pending)
        discardResult();
    m_followed = false;
    m_rates.clear();
    m_run->runStarting();
    m_controller->setFollowInterval(m_form->follow() ? 3.0 : 0.0);
    const QString label = request.resume ? tr("resumed run") : QString::fromStdString(request.spec);
    if (!m_controller->start(std::move(request)))
        return;
    m_curves->beginRun(label);
    saveSettings();
}

void TrainingPanel::start()
{
    if (isRunning() || !m_specValid)
        return;
    appendLog(tr("start: %1").arg(m_form->fineTune() ? tr("fine-tuning the current model")
                                                     : tr("new model %1").arg(m_form->specText())));
    launch(request());
}

void TrainingPanel::continueFromCheckpoint()
{
    if (isRunning())
        return;
    TrainingRequest r = request();
    r.resume = true;
    appendLog(tr("continuing the run saved in %1").arg(QDir::toNativeSeparators(m_checkpointPath)));
    launch(std::move(r));
}

void TrainingPanel::pause()
{
    if (!isRunning() || isPaused())
        return;
    m_controller->pause();
    appendLog(tr("paused"));
}

void TrainingPanel::resume()
{
    if (!isPaused())
        return;
    m_controller->resume();
    appendLog(tr("resumed"));
}

void TrainingPanel::stop()
{
    if (!isRunning())
        return;
    m_controller->stop();
    m_run->setStopEnabled(false);
    m_run->setStatus(tr("Stopping after the current batch…"));
    appendLog(tr("stop requested"));
}

std::shared_ptr<const nn::Model> TrainingPanel::stopForClose(int timeoutMs)
{
    if (isRunning()) {
        appendLog(tr("stopping: the window is closing"));
        if (!m_controller->stopAndWait(timeoutMs))
            return nullptr;
    }
    return m_pending;
}

void TrainingPanel::setFollowTraining(bool on)
{
    if (m_form->follow() != on) {
        m_form->setFollow(on);  // re-enters through followToggled()
        return;
    }
    m_controller->setFollowInterval(on ? 3.0 : 0.0);
    if (!on && m_followed && isRunning()) {
        m_followed = false;
        emit followSnapshot(m_current);  // back to the model the pad had
    }
    saveSettings();
}

void TrainingPanel::keepResult()
{
    if (!m_pending)
        return;
    m_current = std::move(m_pending);
    m_pending.reset();
    m_followed = false;
    m_run->hideResult();
    appendLog(tr("the new model is now in use"));
    m_form->setFineTuneAvailable(true);
    if (m_form->fineTune())
        validateSpec();
    emit modelTrained(m_current);
}

void TrainingPanel::discardResult()
{
    if (!m_pending)
        return;
    m_pending.reset();
    m_run->hideResult();
    appendLog(tr("the new model was discarded"));
    if (m_followed) {
        m_followed = false;
        emit followSnapshot(m_current);
    }
}

// ---- Worker signals --------------------------------------------------------------------

void TrainingPanel::onStarted(const RunInfo& info)
{
    m_runThreads = info.threads;
    m_run->showStarted(info);
}

void TrainingPanel::onBatch(const nn::BatchReport& r)
{
    if (r.imagesPerSecond > 0 && m_rates.size() < 100000)
        m_rates.push_back(r.imagesPerSecond);
    m_run->showBatch(r, isPaused());
}

void TrainingPanel::onEpoch(const nn::EpochReport& r) { m_run->showEpoch(r); }

void TrainingPanel::onSnapshot(std::shared_ptr<const nn::Model> model)
{
    if (!m_form->follow())
        return;
    m_followed = true;
    emit followSnapshot(std::move(model));
}

void TrainingPanel::onFinished(const TrainingOutcome& o, std::shared_ptr<const nn::Model> model)
{
    m_pending = std::move(model);
    if (m_rates.size() >= 5 && m_pending && m_pending->flopsPerSample() > 0) {
        // Calibrates the next estimates to this machine: the median training
        // rate of the run (validation and pauses excluded).
        std::nth_element(m_rates.begin(), m_rates.begin() + std::ptrdiff_t(m_rates.size() / 2), m_rates.end());
        const double rate = m_rates[m_rates.size() / 2];
        const int threads = std::clamp(m_runThreads, 1, nn::ThreadPool::hardwareThreads());
        TrainingSettings::setLastRunRate(rate * 3.0 * m_pending->flopsPerSample() / threads);
    }
    m_run->showFinished(o, m_pending != nullptr);
    if (o.userHeldOut > 0)
        emit heldOutResult(o.userBefore, o.userAfter, o.userHeldOut);
    if (m_followed && m_pending)
        emit followSnapshot(m_pending);  // the pad shows the final weights until keep/discard
    updateEstimate();
    updateCheckpointButton();
    updateButtons();
}

void TrainingPanel::onFailed(const QString& message)
{
    appendLog(tr("error: %1").arg(message));
    m_run->showFailed(message);
    if (m_followed) {
        m_followed = false;
        emit followSnapshot(m_current);
    }
    updateCheckpointButton();
    updateButtons();
}

void TrainingPanel::appendLog(const QString& line) { m_run->appendLog(line); }

void TrainingPanel::saveResultDialog()
{
    if (!m_pending)
        return;
    const QString path = saveWithDialog(
        this, {tr("Save the trained model"), QStringLiteral("model.dpm"), tr("DigitPad models (*.dpm);;All files (*)"), keys::kModelDir},
        [this](const QString& path, QString* error) {
            try {
                nn::saveModel(*m_pending, QDir::toNativeSeparators(path).toStdString());
                return true;
            } catch (const nn::Error& e) {
                *error = QString::fromStdString(e.what());
                return false;
            }
        });
    if (!path.isEmpty())
        appendLog(tr("saved the new model to %1").arg(QDir::toNativeSeparators(path)));
}

void TrainingPanel::saveLogDialog()
{
    saveWithDialog(this, {tr("Save the training log"), QStringLiteral("training.log"), tr("Text files (*.log *.txt);;All files (*)"), keys::kExportDir},
                   [this](const QString& path, QString* error) { return saveLog(path, error); });
}

}  // namespace app
