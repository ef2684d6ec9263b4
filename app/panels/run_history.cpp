#include "run_history.h"

#include "common/language.h"
#include "workers/prediction_controller.h"
#include "workers/training_controller.h"

#include <nn/errors.h>

#include <QFileInfo>

namespace app {

RunHistory::RunHistory(QString path, QObject* parent)
    : QObject(parent), m_path(path.isEmpty() ? RunStore::defaultPath() : std::move(path))
{
}

RunHistory::~RunHistory() = default;

void RunHistory::fail(const QString& what, const std::exception& e)
{
    emit problem(QStringLiteral("%1: %2").arg(what, errorText(e)));
}

RunStore* RunHistory::store()
{
    if (m_store)
        return m_store.get();
    try {
        m_store = std::make_unique<RunStore>(m_path);
    } catch (const std::exception& e) {
        fail(tr("The run history cannot be opened"), e);
        return nullptr;
    }
    if (!m_store->notice().isEmpty())
        emit problem(m_store->notice());
    return m_store.get();
}

std::vector<nn::RunRecord> RunHistory::list()
{
    RunStore* s = store();
    try {
        return s ? s->list() : std::vector<nn::RunRecord>{};
    } catch (const std::exception& e) {
        fail(tr("The run history cannot be read"), e);
        return {};
    }
}

std::optional<nn::RunRecord> RunHistory::load(long long id)
{
    RunStore* s = store();
    try {
        return s ? s->load(id) : std::nullopt;
    } catch (const std::exception& e) {
        fail(tr("The run history cannot be read"), e);
        return std::nullopt;
    }
}

bool RunHistory::remove(long long id)
{
    RunStore* s = store();
    try {
        const bool ok = s && s->remove(id);
        if (ok)
            emit changed();
        return ok;
    } catch (const std::exception& e) {
        fail(tr("The run could not be deleted"), e);
        return false;
    }
}

long long RunHistory::add(nn::RunRecord record)
{
    RunStore* s = store();
    if (!s)
        return 0;
    try {
        const long long id = s->add(record);
        emit changed();
        return id;
    } catch (const std::exception& e) {
        fail(tr("The run was not recorded"), e);
        return 0;
    }
}

void RunHistory::watch(TrainingController* controller)
{
    connect(controller, &TrainingController::started, this, [this] {
        m_training = true;
        m_latency.clear();
        m_latencyStride = 1;
        m_latencySeen = 0;
    });
    connect(controller, &TrainingController::finished, this, &RunHistory::onFinished);
    connect(controller, &TrainingController::failed, this, [this] { m_training = false; });
}

void RunHistory::padPredicted(const Prediction& p)
{
    if (!m_training || !p.valid || p.empty())
        return;
    const double ms = std::chrono::duration<double, std::milli>(p.finished - p.started).count();
    if (ms >= 0)
        nn::thinAppend(m_latency, ms, nn::RunRecorder::kMaxLatencySamples, m_latencyStride, m_latencySeen);
}

void RunHistory::onFinished(const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model)
{
    m_training = false;
    if (!outcome.record)
        return;
    nn::RunRecord r = *outcome.record;
    r.frontEnd = "gui";
    r.latencyMs = std::move(m_latency);
    m_latency.clear();
    if (const long long id = add(std::move(r))) {
        m_lastId = id;
        m_lastModel = model;
    }
}

void RunHistory::modelSaved(std::shared_ptr<const nn::Model> model, const QString& path)
{
    if (!m_lastId || !model || m_lastModel.lock() != model)
        return;
    RunStore* s = store();
    try {
        if (s && s->setModelPath(m_lastId, QFileInfo(path).absoluteFilePath()))
            emit changed();
    } catch (const std::exception& e) {
        fail(tr("The run's model file was not recorded"), e);
    }
}

}  // namespace app
