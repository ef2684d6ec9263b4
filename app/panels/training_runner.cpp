#include "training_runner.h"

#include "training_settings.h"

#include <nn/estimate.h>
#include <nn/model.h>

#include <QDir>

namespace app {

TrainingRunner::TrainingRunner(QObject* parent) : QObject(parent), m_controller(new TrainingController(this))
{
    connect(m_controller, &TrainingController::started, this, [this](const RunInfo& info) {
        m_runThreads = info.threads;
        emit started(info);
    });
    connect(m_controller, &TrainingController::batchProgress, this, [this](const nn::BatchReport& r) {
        m_rates.add(r.imagesPerSecond);
        emit batchProgress(r, isPaused());
    });
    connect(m_controller, &TrainingController::epochFinished, this, &TrainingRunner::epochFinished);
    connect(m_controller, &TrainingController::logMessage, this, &TrainingRunner::logMessage);
    connect(m_controller, &TrainingController::finished, this, &TrainingRunner::onFinished);
    connect(m_controller, &TrainingController::failed, this, [this](const QString& message) {
        emit logMessage(tr("error: %1").arg(message));
        showOnPad(m_result.failed());
        emit failed(message);
    });
    connect(m_controller, &TrainingController::snapshot, this,
            [this](std::shared_ptr<const nn::Model> model) { showOnPad(m_result.snapshot(std::move(model), m_follow)); });
    connect(m_controller, &TrainingController::runningChanged, this, &TrainingRunner::runningChanged);
    connect(m_controller, &TrainingController::pausedChanged, this, &TrainingRunner::pausedChanged);
}

QString TrainingRunner::startLine(const TrainingRequest& r)
{
    if (r.resume)
        return tr("continuing the run saved in %1").arg(QDir::toNativeSeparators(r.checkpointPath));
    return tr("start: %1").arg(r.initial ? tr("fine-tuning the current model")
                                         : tr("new model %1").arg(QString::fromStdString(r.spec)));
}

bool TrainingRunner::start(TrainingRequest request, bool follow)
{
    if (isRunning())
        return false;
    emit logMessage(startLine(request));
    discard();
    m_result.runStarting();
    m_rates.clear();
    m_follow = follow;
    m_controller->setFollowInterval(follow ? 3.0 : 0.0);
    return m_controller->start(std::move(request));
}

void TrainingRunner::pause()
{
    if (!isRunning() || isPaused())
        return;
    m_controller->pause();
    emit logMessage(tr("paused"));
}

void TrainingRunner::resume()
{
    if (!isPaused())
        return;
    m_controller->resume();
    emit logMessage(tr("resumed"));
}

bool TrainingRunner::stop()
{
    if (!isRunning())
        return false;
    m_controller->stop();
    emit logMessage(tr("stop requested"));
    return true;
}

std::shared_ptr<const nn::Model> TrainingRunner::stopForClose(int timeoutMs)
{
    if (isRunning()) {
        emit logMessage(tr("stopping: the window is closing"));
        if (!m_controller->stopAndWait(timeoutMs))
            return nullptr;
    }
    return m_result.pending();
}

void TrainingRunner::setFollow(bool on)
{
    m_follow = on;
    m_controller->setFollowInterval(on ? 3.0 : 0.0);
    if (!on)
        showOnPad(m_result.followOff(isRunning()));  // back to the model the pad had
}

bool TrainingRunner::keep()
{
    if (!m_result.keep())
        return false;
    emit logMessage(tr("the new model is now in use"));
    return true;
}

bool TrainingRunner::discard()
{
    bool had = false;
    const PadUpdate pad = m_result.discard(&had);
    if (!had)
        return false;
    emit logMessage(tr("the new model was discarded"));
    showOnPad(pad);
    return true;
}

void TrainingRunner::onFinished(const TrainingOutcome& o, std::shared_ptr<const nn::Model> model)
{
    // Calibrates the next estimates to this machine: smoothed over runs, so
    // that one run beside a busy program does not swing the next estimate.
    if (const double rate = model ? m_rates.macsPerThread(model->flopsPerSample(), m_runThreads) : 0; rate > 0) {
        nn::SmoothedRate smoothed(kRunRateWeight, TrainingSettings::lastRunRate());
        smoothed.add(rate);
        TrainingSettings::setLastRunRate(smoothed.value());
    }
    const PadUpdate pad = m_result.finished(std::move(model));
    emit finished(o, m_result.pending() != nullptr);
    showOnPad(pad);
}

void TrainingRunner::showOnPad(const PadUpdate& update)
{
    if (update.send)
        emit followSnapshot(update.model);
}

}  // namespace app
