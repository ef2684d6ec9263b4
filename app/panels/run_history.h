#pragma once
// The GUI's side of the run history: one RunStore on the GUI thread, shared
// by the Runs page and the recording of the GUI's own training runs. Records
// each run the TrainingController finishes (its nn::RunRecord, with the
// pad's prediction latencies while it trained) and, when the person keeps
// the trained model, the file it was saved to. No widgets: a test drives it.
#include "common/run_store.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace app {

class TrainingController;
struct Prediction;
struct TrainingOutcome;

class RunHistory : public QObject {
    Q_OBJECT
public:
    // `path`: the database; empty: RunStore::defaultPath(). Opened at first use.
    explicit RunHistory(QString path = {}, QObject* parent = nullptr);
    ~RunHistory() override;

    const QString& path() const { return m_path; }
    // Null when the database cannot be opened; problem() then says why.
    RunStore* store();

    std::vector<nn::RunRecord> list();
    std::optional<nn::RunRecord> load(long long id);
    bool remove(long long id);
    // Stores a run (GUI or, in tests, any); returns its id, 0 on failure.
    long long add(nn::RunRecord record);

    // Records every run of `controller` that ends (finished, stopped,
    // early-stopped, diverged); a failed run leaves nothing to record.
    void watch(TrainingController* controller);
    // The last run recorded from the GUI (0: none yet).
    long long lastRecorded() const { return m_lastId; }

public slots:
    // The pad predicted: while a run trains, its latency is kept.
    void padPredicted(const app::Prediction& prediction);
    // The person kept `model` and it was saved at `path`.
    void modelSaved(std::shared_ptr<const nn::Model> model, const QString& path);

signals:
    void changed();
    // Something the person should read: a damaged database set aside, a
    // database that cannot be opened or written.
    void problem(const QString& message);

private:
    void onFinished(const TrainingOutcome& outcome, std::shared_ptr<const nn::Model> model);
    void fail(const QString& what, const std::exception& e);

    QString m_path;
    std::unique_ptr<RunStore> m_store;
    bool m_training = false;
    std::vector<double> m_latency;
    long long m_latencyStride = 1, m_latencySeen = 0;
    long long m_lastId = 0;
    std::weak_ptr<const nn::Model> m_lastModel;
};

}  // namespace app
