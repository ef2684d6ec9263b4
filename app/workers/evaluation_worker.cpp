#include "evaluation_worker.h"

#include "common/language.h"

#include <QElapsedTimer>

#include <exception>

namespace app {

void EvaluationRunner::run(const EvaluationJob& job)
{
    if (job.id <= m_cancelledUpTo.load())
        return;  // cancelled while queued
    try {
        if (!job.model || !job.data)
            throw nn::Error("nothing to evaluate: no model or no data");
        QElapsedTimer timer;
        timer.start();
        qint64 lastReport = -1000;
        auto onProgress = [&](int done, int total) {
            if (job.id <= m_cancelledUpTo.load())
                return false;
            const qint64 now = timer.elapsed();
            if (now - lastReport >= 50 || done == total) {
                lastReport = now;
                m_inbox.post([this, id = job.id, done, total] {
                    if (id == m_current && m_running)
                        emit progress(m_tag, done, total);
                });
            }
            return true;
        };
        auto evaluation =
            std::make_shared<nn::Evaluation>(nn::evaluate(*job.model, *job.data, job.threads, onProgress));
        if (job.id <= m_cancelledUpTo.load())
            return;
        EvaluationResult r;
        r.id = job.id;
        r.tag = job.tag;
        r.model = job.model;
        r.data = job.data;
        r.evaluation = std::move(evaluation);
        r.seconds = timer.nsecsElapsed() * 1e-9;
        m_inbox.post([this, r = std::move(r)] {
            if (r.id != m_current || !m_running)
                return;
            m_running = false;
            emit finished(r);
        });
    } catch (const std::exception& e) {
        m_inbox.post([this, id = job.id, message = errorText(e)] {
            if (id != m_current || !m_running)
                return;
            m_running = false;
            emit failed(m_tag, message);
        });
    }
}

EvaluationRunner::EvaluationRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<app::EvaluationJob>();
    qRegisterMetaType<app::EvaluationResult>();
}

EvaluationRunner::~EvaluationRunner()
{
    m_cancelledUpTo.store(m_nextId);  // the job in flight stops at its next chunk
    m_thread.clearPending();
    m_thread.waitForIdle();
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
    m_thread.post([this, job] { run(job); });
    return job.id;
}

void EvaluationRunner::cancel()
{
    m_cancelledUpTo.store(m_current);
    m_running = false;
}

}  // namespace app
