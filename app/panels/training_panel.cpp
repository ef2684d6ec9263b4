#include "training_panel.h"

#include "curves_panel.h"
#include "save_dialog.h"
#include "training_form.h"
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

#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

// Larger models are refused in the editor (the validation itself would
// allocate them).
constexpr double kMaxParams = 20e6;

QString duration(double s)
{
    if (!(s >= 0) || !std::isfinite(s))
        return QStringLiteral("–");
    const qint64 t = qint64(std::llround(s));
    if (t >= 3600)
        return QStringLiteral("%1:%2:%3").arg(t / 3600).arg(t / 60 % 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

QString percent(double v) { return QString::number(100.0 * v, 'f', 2) + QLatin1Char('%'); }

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
            m_status->setText(m_status->text() + tr(" · paused"));
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

    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setToolTip(tr("Train with these settings (the drawing pad keeps working meanwhile)"));
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setToolTip(tr("Hold the training after the current batch"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setToolTip(tr("Continue a paused run"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setToolTip(tr("End the run after the current batch, keeping the weights trained so far"));
    m_continue = new QPushButton(tr("Continue checkpoint"), this);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    connect(m_start, &QPushButton::clicked, this, &TrainingPanel::start);
    connect(m_pause, &QPushButton::clicked, this, &TrainingPanel::pause);
    connect(m_resume, &QPushButton::clicked, this, &TrainingPanel::resume);
    connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stop);
    connect(m_continue, &QPushButton::clicked, this, &TrainingPanel::continueFromCheckpoint);

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_start, m_pause, m_resume, m_stop})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_continue);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    m_status = new QLabel(tr("Ready."), this);
    m_status->setObjectName(QStringLiteral("statusLabel"));

    m_resultBar = new QWidget(this);
    m_resultBar->setObjectName(QStringLiteral("resultBar"));
    m_resultText = new QLabel(m_resultBar);
    m_resultText->setWordWrap(true);
    auto* keep = new QPushButton(tr("Use this model"), m_resultBar);
    keep->setObjectName(QStringLiteral("keepButton"));
    keep->setToolTip(tr("The drawing pad predicts with the new weights from now on"));
    auto* save = new QPushButton(tr("Save as…"), m_resultBar);
    save->setToolTip(tr("Write the new model to a file (it can be loaded later or with digitpad-cli)"));
    auto* discard = new QPushButton(tr("Discard"), m_resultBar);
    discard->setObjectName(QStringLiteral("discardButton"));
    discard->setToolTip(tr("Forget the new weights; the pad keeps the model it had"));
    connect(keep, &QPushButton::clicked, this, &TrainingPanel::keepResult);
    connect(save, &QPushButton::clicked, this, &TrainingPanel::saveResultDialog);
    connect(discard, &QPushButton::clicked, this, &TrainingPanel::discardResult);
    auto* rl = new QHBoxLayout(m_resultBar);
    rl->setContentsMargins(6, 4, 6, 4);
    rl->addWidget(m_resultText, 1);
    rl->addWidget(keep);
    rl->addWidget(save);
    rl->addWidget(discard);
    m_resultBar->setStyleSheet(QStringLiteral("#resultBar { background: palette(alternate-base); border: 1px solid palette(mid); border-radius: 4px; }"));
    m_resultBar->hide();

    m_curves = new CurvesPanel(this);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(10000);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono(QStringLiteral("Monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    mono.setPointSizeF(font().pointSizeF() * 0.9);
    m_log->setFont(mono);
    auto* saveLog = new QPushButton(tr("Save log…"), this);
    connect(saveLog, &QPushButton::clicked, this, &TrainingPanel::saveLogDialog);
    auto* logBox = new QWidget(this);
    auto* ll = new QVBoxLayout(logBox);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(m_log, 1);
    auto* lb = new QHBoxLayout;
    lb->addStretch(1);
    lb->addWidget(saveLog);
    ll->addLayout(lb);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_curves);
    split->addWidget(logBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* right = new QVBoxLayout;
    right->addLayout(buttons);
    right->addWidget(m_progress);
    right->addWidget(m_status);
    right->addWidget(m_resultBar);
    right->addWidget(split, 1);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scroll);
    layout->addLayout(right, 1);
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
                    .arg(secs < 60 ? tr("%1 s").arg(secs, 0, 'f', secs < 10 ? 1 : 0) : duration(secs))
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
    m_continue->setEnabled(!isRunning() && m_checkpointResumable);
    if (info.resumable())
        m_continue->setToolTip(tr("Continue the interrupted run saved on %1: epoch %2 of %3, %4\n%5\n%6")
                                   .arg(QLocale().toString(info.saved, QLocale::ShortFormat))
                                   .arg(info.nextEpoch + 1)
                                   .arg(info.epochs)
                                   .arg(info.spec, info.hyperparameters, QDir::toNativeSeparators(m_checkpointPath)));
    else if (info.valid)
        m_continue->setToolTip(tr("The last checkpoint is from a run that completed all its epochs"));
    else
        m_continue->setToolTip(tr("No interrupted run to continue (%1)").arg(info.error));
}

void TrainingPanel::updateButtons()
{
    const bool running = isRunning();
    const bool paused = isPaused();
    bool haveData = m_trainOverride != nullptr || m_form->useMnist() ||
                    (m_form->includeUserDigits() && m_userDigits && m_userDigits->count() > 0);
    m_start->setEnabled(!running && m_specValid && haveData);
    m_pause->setEnabled(running && !paused);
    m_resume->setEnabled(running && paused);
    m_stop->setEnabled(running);
    m_continue->setEnabled(!running && m_checkpointResumable);
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

QString TrainingPanel::logText() const { return m_log->toPlainText(); }

bool TrainingPanel::saveLog(const QString& path, QString* error) const
{
    QSaveFile f(path);
    const QByteArray bytes = (m_log->toPlainText() + QLatin1Char('\n')).toUtf8();
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

// ---- Run control ---------------------------------------------------------------------

void TrainingPanel::launch(TrainingRequest request)
{
    if (m_pending)
        discardResult();
    m_resultBar->hide();
    m_followed = false;
    m_rates.clear();
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_status->setText(tr("Preparing…"));
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
    m_stop->setEnabled(false);
    m_status->setText(tr("Stopping after the current batch…"));
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
    m_resultBar->hide();
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
    m_resultBar->hide();
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
    m_status->setText(tr("Training %1 images%2…")
                          .arg(QLocale().toString(info.trainSize))
                          .arg(info.validationSize > 0 ? tr(", validating on %1").arg(QLocale().toString(info.validationSize))
                                                       : QString()));
}

void TrainingPanel::onBatch(const nn::BatchReport& r)
{
    m_curves->addBatch(r);
    if (r.imagesPerSecond > 0 && m_rates.size() < 100000)
        m_rates.push_back(r.imagesPerSecond);
    const double done = (r.epoch + double(r.batch) / std::max(1, r.batches)) / std::max(1, r.epochs);
    m_progress->setValue(int(std::lround(1000.0 * done)));
    m_progress->setFormat(tr("epoch %1/%2 · batch %3/%4").arg(r.epoch + 1).arg(r.epochs).arg(r.batch).arg(r.batches));
    m_status->setText(tr("Epoch %1/%2 · batch %3/%4 · %5 images/s · ETA %6 · loss %7 · lr %8%9")
                          .arg(r.epoch + 1)
                          .arg(r.epochs)
                          .arg(r.batch)
                          .arg(r.batches)
                          .arg(QLocale().toString(qint64(std::llround(r.imagesPerSecond))))
                          .arg(duration(r.etaSeconds))
                          .arg(r.smoothedLoss, 0, 'f', 4)
                          .arg(double(r.lr), 0, 'g', 3)
                          .arg(isPaused() ? tr(" · paused") : QString()));
}

void TrainingPanel::onEpoch(const nn::EpochReport& r) { m_curves->addEpoch(r); }

void TrainingPanel::onSnapshot(std::shared_ptr<const nn::Model> model)
{
    if (!m_form->follow())
        return;
    m_followed = true;
    emit followSnapshot(std::move(model));
}

void TrainingPanel::onFinished(const TrainingOutcome& o, std::shared_ptr<const nn::Model> model)
{
    m_curves->flush();
    m_pending = std::move(model);
    if (m_rates.size() >= 5 && m_pending && m_pending->flopsPerSample() > 0) {
        // Calibrates the next estimates to this machine: the median training
        // rate of the run (validation and pauses excluded).
        std::nth_element(m_rates.begin(), m_rates.begin() + std::ptrdiff_t(m_rates.size() / 2), m_rates.end());
        const double rate = m_rates[m_rates.size() / 2];
        const int threads = std::clamp(m_runThreads, 1, nn::ThreadPool::hardwareThreads());
        TrainingSettings::setLastRunRate(rate * 3.0 * m_pending->flopsPerSample() / threads);
    }
    if (o.status == nn::TrainResult::Finished || o.status == nn::TrainResult::EarlyStopped)
        m_progress->setValue(1000);
    switch (o.status) {
    case nn::TrainResult::Finished: m_progress->setFormat(tr("finished: %n epoch(s)", "", o.epochsCompleted)); break;
    case nn::TrainResult::EarlyStopped: m_progress->setFormat(tr("stopped early after %n epoch(s)", "", o.epochsCompleted)); break;
    case nn::TrainResult::Stopped: m_progress->setFormat(tr("stopped")); break;
    case nn::TrainResult::Diverged: m_progress->setFormat(tr("diverged")); break;
    }
    m_status->setText(tr("%1 after %2.").arg(o.message).arg(duration(o.seconds)));
    if (o.userHeldOut > 0)
        emit heldOutResult(o.userBefore, o.userAfter, o.userHeldOut);
    showResultBar(o);
    if (m_followed && m_pending)
        emit followSnapshot(m_pending);  // the pad shows the final weights until keep/discard
    updateEstimate();
    updateCheckpointButton();
    updateButtons();
}

void TrainingPanel::onFailed(const QString& message)
{
    appendLog(tr("error: %1").arg(message));
    m_status->setText(tr("Training failed: %1").arg(message));
    m_progress->setFormat(QString());
    if (m_followed) {
        m_followed = false;
        emit followSnapshot(m_current);
    }
    updateCheckpointButton();
    updateButtons();
}

void TrainingPanel::showResultBar(const TrainingOutcome& o)
{
    if (!m_pending) {
        m_resultBar->hide();
        return;
    }
    QStringList parts;
    switch (o.status) {
    case nn::TrainResult::Finished: parts << tr("Finished %n epoch(s)", "", o.epochsCompleted); break;
    case nn::TrainResult::EarlyStopped: parts << tr("Stopped early after %n epoch(s) (best weights restored)", "", o.epochsCompleted); break;
    case nn::TrainResult::Stopped: parts << tr("Stopped after %n complete epoch(s)", "", o.epochsCompleted); break;
    case nn::TrainResult::Diverged: parts << tr("Diverged (weights of the last good batch kept)"); break;
    }
    if (o.bestValAccuracy >= 0)
        parts << tr("validation %1").arg(percent(o.bestValAccuracy));
    if (o.testAccuracy >= 0)
        parts << tr("MNIST test %1").arg(percent(o.testAccuracy));
    if (o.userHeldOut > 0)
        parts << tr("your held-out digits %1 → %2").arg(percent(o.userBefore), percent(o.userAfter));
    m_resultText->setText(parts.join(QStringLiteral(" · ")) + tr(". Use the new model?"));
    m_resultBar->show();
}

void TrainingPanel::appendLog(const QString& line)
{
    m_log->appendPlainText(QStringLiteral("[%1] %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

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
