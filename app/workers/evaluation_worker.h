#pragma once
// Runs nn::evaluate off the GUI thread. EvaluationRunner is the controller
// that panels own: it keeps one WorkerThread, posts jobs to it, forwards
// throttled progress and delivers one result value per job (through an
// Inbox: see handoff.h). Starting a new job cancels the one in flight, whose
// result is then dropped: a panel only ever sees the answer to its latest
// question. The destructor cancels, quits and waits.
#include "handoff.h"

#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace app {

struct EvaluationJob {
    int id = 0;
    QString tag;  // the caller's name for the set, e.g. "test"; echoed in the result
    std::shared_ptr<const nn::Model> model;
    std::shared_ptr<const nn::Dataset> data;
    int threads = 0;  // 0: all hardware threads
};

struct EvaluationResult {
    int id = 0;
    QString tag;
    std::shared_ptr<const nn::Model> model;       // the snapshot that was evaluated
    std::shared_ptr<const nn::Dataset> data;      // the set (indices in the evaluation refer to it)
    std::shared_ptr<const nn::Evaluation> evaluation;
    double seconds = 0;
};

class EvaluationRunner : public QObject {
    Q_OBJECT
public:
    explicit EvaluationRunner(QObject* parent = nullptr);
    ~EvaluationRunner() override;

    // Evaluates `model` on `data` on the worker thread. Cancels any job in
    // flight (its result will not be delivered). Returns the job's id.
    int start(std::shared_ptr<const nn::Model> model, std::shared_ptr<const nn::Dataset> data,
              const QString& tag = {}, int threads = 0);
    // Cancels the job in flight; nothing more is delivered for it.
    void cancel();
    bool isRunning() const { return m_running; }
    int currentJob() const { return m_current; }

signals:
    // At most every ~50 ms, and once at the end.
    void progress(const QString& tag, int done, int total);
    void finished(const app::EvaluationResult& result);
    void failed(const QString& tag, const QString& message);

private:
    // On the worker thread.
    void run(const EvaluationJob& job);

    Inbox m_inbox;
    std::atomic<int> m_cancelledUpTo{0};
    int m_current = 0;
    int m_nextId = 1;
    bool m_running = false;
    QString m_tag;
    WorkerThread m_thread{"evaluation"};  // last: joined before the rest goes
};

}  // namespace app

Q_DECLARE_METATYPE(app::EvaluationJob)
Q_DECLARE_METATYPE(app::EvaluationResult)
