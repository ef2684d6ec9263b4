#include "evaluation_worker.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <exception>

namespace app {

void EvaluationWorker::run(const EvaluationJob& job)
{
    if (job.id <= m_cancelledUpTo->load())
        return;  // cancelled while queued
    try {
        if (!job.model || !job.data)
            throw nn::Error("nothing to evaluate: no model or no data");
        QElapsedTimer timer;
        timer.start();
        qint64 lastReport = -1000;
        auto onProgress = [&](int done, int total) {
            if (job.id <= m_cancelledUpTo->load())
                return false;
            const qint64 now = timer.elapsed();
            if (now - lastReport >= 50 || done == total) {
                lastReport = now;
                emit progress(job.id, done, total);
            }
            return true;
        };
        auto evaluation =
            std::make_shared<nn::Evaluation>(nn::evaluate(*job.model, *job.data, job.threads, onProgress));
        if (job.id <= m_cancelledUpTo->load())
            return;
        EvaluationResult r;
        r.id = job.id;
        r.tag = job.tag;
        r.model = job.model;
        r.data = job.data;
        r.evaluation = std::move(evaluation);
        r.seconds = timer.nsecsElapsed() * 1e-9;
        emit finished(r);
    } catch (const std::exception& e) {
        emit failed(job.id, QString::fromStdString(e.what()));
    }
}

EvaluationRunner::EvaluationRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<app::EvaluationJob>();
    qRegisterMetaType<app::EvaluationResult>();
    m_worker = new EvaluationWorker(&m_cancelledUpTo);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &EvaluationWorker::progress, this, [this](int id, int done, int total) {
        if (id == m_current && m_running)
            emit progress(m_tag, done, total);
    });
    connect(m_worker, &EvaluationWorker::finished, this, [this](const EvaluationResult& r) {
        if (r.id != m_current || !m_running)
            return;
        m_running = false;
        emit finished(r);
    });
    connect(m_worker, &EvaluationWorker::failed, this, [this](int id, const QString& message) {
        if (id != m_current || !m_running)
            return;
        m_running = false;
        emit failed(m_tag, message);
    });
    m_thread.setObjectName(QStringLiteral("evaluation"));
    m_thread.start();
}

EvaluationRunner::~EvaluationRunner()
{
    m_cancelledUpTo.store(m_nextId);
    m_thread.quit();
    m_thread.wait();
}

int EvaluationRunner::start(std::shared_ptr<const nn::Model> model, std::shared_ptr<const nn::Dataset> data,
                            const QString& tag, int threads)
{
    m_cancelledUpTo.store(m_current);  // the job in flight, if any
    EvaluationJob job;
    job.id = m_nextId++;
    job.tag = tag;
    job.model = std::move(model);
    job.data = std::move(data);
    job.threads = threads;
    m_current = job.id;
    m_tag = tag;
    m_running = true;
    EvaluationWorker* worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, job] { worker->run(job); }, Qt::QueuedConnection);
    return job.id;
}

void EvaluationRunner::cancel()
{
    m_cancelledUpTo.store(m_current);
    m_running = false;
}

}  // namespace app
