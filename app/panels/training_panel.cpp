#include "training_panel.h"

#include "curves_panel.h"
#include "save_dialog.h"
#include "training_form.h"
#include "training_plan.h"
#include "training_runner.h"
#include "training_run_view.h"
#include "training_settings.h"
#include "user_digits_panel.h"

#include "common/settings.h"

#include <QDir>
#include <QHBoxLayout>
#include <QScrollArea>

#include <tuple>

namespace app {

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent)
{
    m_runner = new TrainingRunner(this);
    m_sources.checkpointPath = TrainingController::defaultCheckpointPath();
    buildUi();
    const TrainingSettings saved = TrainingSettings::load();
    m_form->setSettings(saved);  // emits nothing

    connect(m_runner, &TrainingRunner::logMessage, m_run, &TrainingRunView::appendLog);
    connect(m_runner, &TrainingRunner::started, m_run, &TrainingRunView::showStarted);
    connect(m_runner, &TrainingRunner::batchProgress, m_run, &TrainingRunView::showBatch);
    connect(m_runner, &TrainingRunner::batchProgress, this, [this](const nn::BatchReport& r) {
        if (r.health)
            emit healthMeasured(r.health);
    });
    connect(m_runner, &TrainingRunner::epochFinished, m_run, &TrainingRunView::showEpoch);
    connect(m_runner, &TrainingRunner::finished, this, &TrainingPanel::onFinished);
    connect(m_runner, &TrainingRunner::failed, this, &TrainingPanel::onFailed);
    connect(m_runner, &TrainingRunner::followSnapshot, this, &TrainingPanel::followSnapshot);
    connect(m_runner, &TrainingRunner::runningChanged, this, &TrainingPanel::updateButtons);
    connect(m_runner, &TrainingRunner::runningChanged, this, &TrainingPanel::runningChanged);
    connect(m_runner, &TrainingRunner::pausedChanged, this, &TrainingPanel::updateButtons);
    connect(m_runner, &TrainingRunner::pausedChanged, m_run, &TrainingRunView::showPaused);

    validateSpec();
    updateDataLabel();
    updateCheckpointButton();  // and the buttons
    for (const QString& line : saved.rejected)
        appendLog(line);
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
    connect(m_run, &TrainingRunView::pauseClicked, m_runner, &TrainingRunner::pause);
    connect(m_run, &TrainingRunView::resumeClicked, m_runner, &TrainingRunner::resume);
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
    connect(m_form, &TrainingForm::augmentEdited, this, &TrainingPanel::updateEstimate);
    connect(m_form, &TrainingForm::augmentEdited, this, [this] { emit augmentParamsChanged(augmentParams()); });
    connect(m_form, &TrainingForm::dataEdited, this, &TrainingPanel::refresh);
    connect(m_form, &TrainingForm::followToggled, this, &TrainingPanel::setFollowTraining);
    connect(m_form, &TrainingForm::edited, this, &TrainingPanel::saveSettings);
    return m_form;
}

// ---- Settings --------------------------------------------------------------------

void TrainingPanel::saveSettings() const { m_form->settings().save(); }

// ---- Spec, estimate, data -----------------------------------------------------------

void TrainingPanel::validateSpec()
{
    const bool fine = m_form->fineTune();
    const nn::Model* current = currentModel().get();
    m_spec = fine ? SpecCheck::forModel(current) : SpecCheck::forSpec(m_form->specText(), m_form->dropout());
    if (fine && current)
        m_form->showModelSpec(QString::fromStdString(current->spec()));
    m_form->showSpec(m_spec.error, fine);
    updateEstimate();
    updateButtons();
}

TrainingSources TrainingPanel::sources() const
{
    TrainingSources src = m_sources;
    src.current = currentModel();
    if (m_userDigits) {
        src.userCount = m_userDigits->count();
        src.userHeld = m_userDigits->store().heldOutCount();
    }
    return src;
}

double TrainingPanel::estimatedEpochSeconds() const
{
    // This machine's rate: from its last run when there was one, otherwise measured now (once).
    return estimateEpochSeconds(m_spec, m_form->settings(), sources(), TrainingSettings::lastRunRate());
}

void TrainingPanel::updateEstimate()
{
    m_form->setSpecInfo(m_spec.summary(estimatedEpochSeconds(), TrainingSettings::lastRunRate() > 0));
}

void TrainingPanel::refresh()
{
    updateDataLabel();
    updateEstimate();
    updateButtons();
}

void TrainingPanel::updateDataLabel()
{
    const TrainingSources src = sources();
    const DataLabel mnist = mnistLabel(src);
    m_form->setMnistText(mnist.text, mnist.ok);
    const DataLabel mine = userDigitsLabel(src.userCount, src.userHeld);
    m_form->setUserDigitsText(mine.text, mine.ok);
}

void TrainingPanel::updateCheckpointButton()
{
    const CheckpointInfo info = TrainingController::readCheckpointInfo(m_sources.checkpointPath);
    m_checkpointResumable = info.resumable();
    updateButtons();
    m_run->setContinueToolTip(checkpointToolTip(info, m_sources.checkpointPath));
}

void TrainingPanel::updateButtons()
{
    const bool running = isRunning();
    const bool paused = isPaused();
    const bool haveData = sources().haveData(m_form->settings());
    m_run->setButtons(!running && m_spec.valid && haveData, running && !paused, running && paused, running,
                      !running && m_checkpointResumable);
    m_form->setPresetEnabled(!running);
}

// ---- Public API ---------------------------------------------------------------------

void TrainingPanel::applySettings(const TrainingSettings& settings)
{
    m_form->setSettings(settings);
    refresh();
}

void TrainingPanel::setCurrentModel(std::shared_ptr<const nn::Model> model)
{
    m_runner->setCurrentModel(std::move(model));
    if (m_form->fineTune())
        validateSpec();
    m_form->setFineTuneAvailable(currentModel() != nullptr);
}

void TrainingPanel::setUserDigits(UserDigitsPanel* panel)
{
    if (m_userDigits)
        disconnect(m_userDigits, nullptr, this, nullptr);
    m_userDigits = panel;
    if (panel) {
        connect(panel, &UserDigitsPanel::changed, this, &TrainingPanel::refresh);
        connect(this, &TrainingPanel::myDigitsResult, panel, &UserDigitsPanel::showLastRun);
        connect(panel, &QObject::destroyed, this, [this] { m_userDigits = nullptr; });
    }
    refresh();
}

nn::AugmentParams TrainingPanel::augmentParams() const { return m_form->augmentParams(); }

void TrainingPanel::setAugmentParams(const nn::AugmentParams& p)
{
    m_form->setAugmentParams(p);  // one signal, not one per field
    saveSettings();
    emit augmentParamsChanged(augmentParams());
}

std::uint64_t TrainingPanel::seed() const { return std::uint64_t(m_form->settings().seed); }

void TrainingPanel::setSeed(std::uint64_t seed) { m_form->setSeed(quint64(seed)); }

void TrainingPanel::setCheckpointPath(const QString& path)
{
    m_sources.checkpointPath = path;
    updateCheckpointButton();
}

void TrainingPanel::setMnistDir(const QString& dir)
{
    m_sources.mnistDir = dir;
    updateDataLabel();
}

void TrainingPanel::setDataOverride(std::shared_ptr<const nn::Dataset> train, std::shared_ptr<const nn::Dataset> validation)
{
    m_sources.trainOverride = std::move(train);
    m_sources.validationOverride = std::move(validation);
    refresh();
}

TrainingRequest TrainingPanel::request() const
{
    TrainingSources src = sources();
    if (m_userDigits)
        std::tie(src.userTrain, src.userHeldOut) = m_userDigits->trainingSets();
    return makeTrainingRequest(m_form->settings(), m_form->specText(), src);
}

QString TrainingPanel::logText() const { return m_run->logText(); }

bool TrainingPanel::saveLog(const QString& path, QString* error) const { return m_run->saveLog(path, error); }

// ---- Run control ---------------------------------------------------------------------

void TrainingPanel::launch(TrainingRequest request)
{
    if (isRunning())
        return;
    if (pendingResult()) {  // never thrown away unasked
        const auto answer = m_run->askAboutResult();
        if (answer == TrainingRunView::PendingAnswer::Cancel)
            return;
        answer == TrainingRunView::PendingAnswer::Use ? keepResult() : discardResult();
    }
    m_run->runStarting();
    m_runUsedMyDigits = request.userTrain && request.userTrain->size() > 0;
    const QString label = request.resume ? tr("resumed run") : QString::fromStdString(request.spec);
    if (!m_runner->start(std::move(request), m_form->follow()))
        return;
    m_curves->beginRun(label);
    saveSettings();
}

void TrainingPanel::start()
{
    if (m_spec.valid)
        launch(request());
}

void TrainingPanel::continueFromCheckpoint()
{
    TrainingRequest r = request();
    r.resume = true;
    launch(std::move(r));
}

void TrainingPanel::stop()
{
    if (!m_runner->stop())
        return;
    m_run->setStopEnabled(false);
    m_run->setStatus(tr("Stopping after the current batch…"));
}

void TrainingPanel::setFollowTraining(bool on)
{
    if (m_form->follow() != on) {
        m_form->setFollow(on);  // re-enters through followToggled()
        return;
    }
    m_runner->setFollow(on);
    saveSettings();
}

void TrainingPanel::keepResult()
{
    if (!m_runner->keep())
        return;
    m_run->hideResult();
    m_form->setFineTuneAvailable(true);
    if (m_form->fineTune())
        validateSpec();
    emit modelTrained(currentModel());
}

void TrainingPanel::discardResult()
{
    if (m_runner->discard())
        m_run->hideResult();
}

// ---- The run's end -----------------------------------------------------------------------

void TrainingPanel::onFinished(const TrainingOutcome& o, bool haveModel)
{
    m_run->showFinished(o, haveModel);
    if (o.userHeldOut > 0 || m_runUsedMyDigits)
        emit myDigitsResult(myDigitsRunSummary(o));
    updateEstimate();
    updateCheckpointButton();  // and the buttons
}

void TrainingPanel::onFailed(const QString& message)
{
    m_run->showFailed(message);
    updateCheckpointButton();  // and the buttons
}

void TrainingPanel::appendLog(const QString& line) { m_run->appendLog(line); }

void TrainingPanel::saveResultDialog()
{
    if (!pendingResult())
        return;
    const QString path = saveWithDialog(
        this, {tr("Save the trained model"), QStringLiteral("model.dpm"), tr("DigitPad models (*.dpm);;All files (*)"), keys::kModelDir},
        modelWriter(pendingResult()));
    if (!path.isEmpty())
        appendLog(tr("saved the new model to %1").arg(QDir::toNativeSeparators(path)));
}

void TrainingPanel::saveLogDialog()
{
    saveWithDialog(this, {tr("Save the training log"), QStringLiteral("training.log"), tr("Text files (*.log *.txt);;All files (*)"), keys::kExportDir},
                   [this](const QString& path, QString* error) { return saveLog(path, error); });
}

}  // namespace app
