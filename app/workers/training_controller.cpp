#include "training_controller.h"

#include "common/language.h"
#include "common/defaultmodel.h"

#include <nn/errors.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <chrono>

namespace app {

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<TrainingShared>())
{
    qRegisterMetaType<app::TrainingRequest>();
    qRegisterMetaType<app::RunInfo>();
    qRegisterMetaType<app::TrainingOutcome>();
    qRegisterMetaType<nn::BatchReport>();
    qRegisterMetaType<nn::EpochReport>();
    qRegisterMetaType<std::shared_ptr<const nn::Model>>();
    qRegisterMetaType<nn::TrialOutcome>();
    qRegisterMetaType<nn::SearchResult>();

    // Each event is copied on the worker thread into a call that runs on
    // this (the GUI) thread.
    TrainingEvents events;
    events.started = [this](int id, const RunInfo& info) { m_inbox.post([this, id, info] { onStarted(id, info); }); };
    events.batchProgress = [this](int id, const nn::BatchReport& r) {
        m_inbox.post([this, id, r] { onBatch(id, r); });
    };
    events.epochFinished = [this](int id, const nn::EpochReport& r) {
        m_inbox.post([this, id, r] { onEpoch(id, r); });
    };
    events.snapshot = [this](int id, std::shared_ptr<const nn::Model> model) {
        m_inbox.post([this, id, model = std::move(model)] { onSnapshot(id, model); });
    };
    events.logMessage = [this](int id, const QString& line) { m_inbox.post([this, id, line] { onLog(id, line); }); };
    events.finished = [this](int id, const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model) {
        m_inbox.post([this, id, outcome, model = std::move(model)] { onFinished(id, outcome, model); });
    };
    events.failed = [this](int id, const QString& message) {
        m_inbox.post([this, id, message] { onFailed(id, message); });
    };
    // A search's events, the same way.
    events.searchRunStarted = [this](int id, int trial, int fold, int rung, int epochs) {
        m_inbox.post([this, id, trial, fold, rung, epochs] {
            if (current(id))
                emit searchRunStarted(trial, fold, rung, epochs);
        });
    };
    events.searchProgress = [this](int id, const nn::BatchReport& r) {
        m_inbox.post([this, id, r] {
            if (current(id))
                emit searchProgress(r);
        });
    };
    events.searchTrial = [this](int id, const nn::TrialOutcome& t) {
        m_inbox.post([this, id, t] {
            if (current(id))
                emit searchTrialEnded(t);
        });
    };
    events.searchRecorded = [this](int id, long long record) {
        m_inbox.post([this, id, record] {
            if (current(id))
                emit searchRunRecorded(record);
        });
    };
    events.searchFinished = [this](int id, const nn::SearchResult& r) {
        m_inbox.post([this, id, r] {
            if (!current(id))
                return;
            end();
            emit searchFinished(r);
        });
    };
    events.searchFailed = [this](int id, const QString& message) {
        m_inbox.post([this, id, message] {
            if (!current(id))
                return;
            end();
            emit searchFailed(message);
        });
    };
    m_worker = std::make_unique<TrainingWorker>(m_shared, std::move(events));
}

TrainingController::~TrainingController()
{
    m_shared->search.stopNow();
    m_shared->control.requestStop();  // also wakes a paused run
    m_thread.clearPending();
    m_thread.waitForIdle();           // the run ends before its next batch
}

bool TrainingController::start(TrainingRequest request)
{
    if (m_running)
        return false;
    m_shared->control.reset();
    m_shared->skipEvaluation.store(false);
    m_shared->step.store(0);
    m_running = true;
    m_searching = false;
    m_paused = false;
    const int id = ++m_runId;
    TrainingWorker* worker = m_worker.get();
    m_thread.post([worker, request = std::move(request), id] { worker->run(request, id); });
    emit runningChanged(true);
    return true;
}

bool TrainingController::startSearch(SearchJob job)
{
    if (m_running)
        return false;
    m_shared->search.reset();
    m_shared->step.store(0);
    m_running = true;
    m_searching = true;
    m_paused = false;
    const int id = ++m_runId;
    TrainingWorker* worker = m_worker.get();
    m_thread.post([worker, job = std::move(job), id] { worker->runSearch(job, id); });
    emit runningChanged(true);
    return true;
}

void TrainingController::stopSearch(bool now)
{
    if (!isSearching())
        return;
    if (now)
        m_shared->search.stopNow();
    else
        m_shared->search.stopAfterTrial();
}

void TrainingController::pause()
{
    if (!m_running || m_paused || m_searching)  // a search stops, it does not pause
        return;
    m_shared->control.pause();
    m_paused = true;
    emit pausedChanged(true);
}

void TrainingController::resume()
{
    if (!m_paused)
        return;
    m_shared->control.resume();
    m_paused = false;
    emit pausedChanged(false);
}

void TrainingController::stop()
{
    if (!m_running)
        return;
    if (m_searching)
        m_shared->search.stopNow();
    else
        m_shared->control.requestStop();
}

bool TrainingController::stopAndWait(int timeoutMs)
{
    if (!m_running)
        return true;
    m_shared->skipEvaluation.store(true);
    m_shared->control.requestStop();
    m_shared->search.stopNow();
    bool ok;
    TrainingOutcome outcome;
    std::shared_ptr<const nn::Model> model;
    QString error;
    {
        std::unique_lock lock(m_shared->mutex);
        const int id = m_runId;
        if (!m_shared->cv.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                   [&] { return m_shared->doneRun == id; }))
            return false;
        ok = m_shared->ok;
        outcome = m_shared->outcome;
        model = m_shared->model;
        error = m_shared->error;
    }
    // A search posted its end before publishing it: deliver what is queued.
    if (m_searching) {
        m_inbox.deliverNow();
        return true;
    }
    // Deliver now; the posted copies of these events will be ignored.
    if (ok)
        onFinished(m_runId, outcome, model);
    else
        onFailed(m_runId, error);
    return true;
}

void TrainingController::setFollowInterval(double seconds)
{
    m_shared->followMs.store(seconds > 0 ? std::max(1, int(seconds * 1000.0)) : 0);
}

void TrainingController::onStarted(int runId, const RunInfo& info)
{
    if (current(runId))
        emit started(info);
}

void TrainingController::onBatch(int runId, const nn::BatchReport& report)
{
    if (current(runId))
        emit batchProgress(report);
}

void TrainingController::onEpoch(int runId, const nn::EpochReport& report)
{
    if (current(runId))
        emit epochFinished(report);
}

void TrainingController::onSnapshot(int runId, std::shared_ptr<const nn::Model> model)
{
    // A snapshot that arrives after following was turned off is dropped.
    if (current(runId) && m_shared->followMs.load() > 0)
        emit snapshot(std::move(model));
}

void TrainingController::onLog(int runId, const QString& line)
{
    if (current(runId))
        emit logMessage(line);
}

void TrainingController::end()
{
    m_running = false;
    if (m_paused) {
        m_paused = false;
        emit pausedChanged(false);
    }
    emit runningChanged(false);
}

void TrainingController::onFinished(int runId, const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model)
{
    if (!current(runId))
        return;
    m_lastOutcome = outcome;
    m_lastModel = model;
    end();
    emit finished(outcome, std::move(model));
}

void TrainingController::onFailed(int runId, const QString& message)
{
    if (!current(runId))
        return;
    m_lastOutcome = TrainingOutcome{};
    m_lastModel.reset();
    end();
    emit failed(message);
}

QString TrainingController::defaultCheckpointPath()
{
    return appDataDir() + QStringLiteral("/checkpoints/last.ckpt");
}

CheckpointInfo TrainingController::readCheckpointInfo(const QString& path)
{
    CheckpointInfo info;
    const QFileInfo fi(path);
    if (!fi.exists()) {
        info.error = QStringLiteral("no checkpoint at %1").arg(QDir::toNativeSeparators(path));
        return info;
    }
    try {
        const nn::ResumePoint p = nn::loadResumePoint(QDir::toNativeSeparators(path).toStdString());
        info.spec = QString::fromStdString(p.model.spec());
        info.hyperparameters = QString::fromStdString(p.settings.config.describe());
        info.nextEpoch = p.state.nextEpoch;
        info.epochs = p.settings.config.epochs;
        info.step = p.state.step;
        info.fineTune = p.settings.fineTune;
        info.saved = fi.lastModified();
        info.valid = true;
    } catch (const nn::Error& e) {
        info.error = errorText(e);
    } catch (const std::exception& e) {
        info.error = tr("cannot read the checkpoint %1: %2")
                         .arg(QDir::toNativeSeparators(path), errorText(e));
    }
    return info;
}

}  // namespace app
