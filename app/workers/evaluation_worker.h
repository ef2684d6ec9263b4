#pragma once
// Runs nn::evaluate off the GUI thread. EvaluationRunner is the controller
// that panels own: it keeps one worker QObject on its own QThread, starts
// jobs through queued calls, forwards throttled progress and delivers one
// result value per job. Starting a new job cancels the one in flight, whose
// result is then dropped: a panel only ever sees the answer to its latest
// question. The destructor cancels, quits and waits.
#include <nn/data/dataset.h>
#include <nn/metrics.h>
#include <nn/model.h>

#include <QObject>
#include <QString>
#include <QThread>

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

// Lives on the runner's thread. Not used directly by panels.
class EvaluationWorker : public QObject {
    Q_OBJECT
public:
    explicit EvaluationWorker(const std::atomic<int>* cancelledUpTo) : m_cancelledUpTo(cancelledUpTo) {}

public slots:
    void run(const app::EvaluationJob& job);

signals:
    void progress(int id, int done, int total);
    void finished(const app::EvaluationResult& result);
    void failed(int id, const QString& message);

private:
    const std::atomic<int>* m_cancelledUpTo;
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
    QThread m_thread;
    EvaluationWorker* m_worker = nullptr;
    std::atomic<int> m_cancelledUpTo{0};
    int m_current = 0;
    int m_nextId = 1;
    bool m_running = false;
    QString m_tag;
};

}  // namespace app

Q_DECLARE_METATYPE(app::EvaluationJob)
Q_DECLARE_METATYPE(app::EvaluationResult)
