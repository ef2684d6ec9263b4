#include "training_worker.h"

#include "common/language.h"
#include "common/defaultmodel.h"
#include "common/mnist_store.h"
#include "common/run_store.h"

#include <nn/estimate.h>

#include <QCoreApplication>
#include <QDir>

#include <chrono>
#include <new>
#include <string_view>

namespace app {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kHealthIntervalSec = 2.0;

// Forwards batch reports at most every 50 ms (and each epoch's first and last
// batch), averaging the batches in between and keeping a recent image rate.
class BatchThrottle {
public:
    explicit BatchThrottle(int batchSize) : m_batchSize(batchSize) {}

    // Returns true (and fills `out`) when this batch is to be forwarded.
    bool add(const nn::BatchReport& rep, Clock::time_point now, nn::BatchReport& out)
    {
        m_sumLoss += rep.loss;
        m_sumAcc += rep.accuracy;
        if (rep.health)
            m_health = rep.health;
        ++m_count;
        if (m_epochStart) {
            m_epochStart = false;
            m_lastEmit = now;
            m_lastEmitStep = rep.step - 1;
        }
        const double dt = std::chrono::duration<double>(now - m_lastEmit).count();
        if (!(dt >= 0.05 || rep.batch == rep.batches || rep.batch == 1))
            return false;
        out = rep;
        out.loss = m_sumLoss / m_count;
        out.accuracy = m_sumAcc / m_count;
        const double images = double(rep.step - m_lastEmitStep) * m_batchSize;
        // A long gap is a pause (or validation): keep the old rate.
        if (dt > 0 && dt < 2.0 && images > 0)
            m_rate.add(images / dt);
        out.imagesPerSecond = !m_rate.empty() ? m_rate.value() : rep.imagesPerSecond;
        const double left = double(rep.epochs - rep.epoch - 1) * rep.batches + (rep.batches - rep.batch);
        out.etaSeconds = out.imagesPerSecond > 0 ? left * m_batchSize / out.imagesPerSecond : rep.etaSeconds;
        out.health = m_health;  // the latest, also when measured at a batch not forwarded
        m_health.reset();
        m_lastEmit = now;
        m_lastEmitStep = rep.step;
        m_sumLoss = m_sumAcc = 0;
        m_count = 0;
        return true;
    }
    // The validation pass after an epoch is not training time.
    void epochEnded() { m_epochStart = true; }

private:
    int m_batchSize;
    bool m_epochStart = true;
    Clock::time_point m_lastEmit;
    long long m_lastEmitStep = 0;
    double m_sumLoss = 0, m_sumAcc = 0;
    int m_count = 0;
    nn::SmoothedRate m_rate{0.2};  // images per second, recent
    std::shared_ptr<const nn::TrainingHealth> m_health;
};

RunInfo toRunInfo(const nn::SessionInfo& i)
{
    RunInfo r;
    r.spec = QString::fromStdString(i.spec);
    r.parameters = qint64(i.parameters);
    r.hyperparameters = QString::fromStdString(i.hyperparameters);
    r.data = translated(i.data);
    r.trainSize = i.trainSize;
    r.validationSize = i.validationSize;
    r.userTrain = i.userTrain;
    r.userHeldOut = i.userHeldOut;
    r.userRepeats = i.userRepeats;
    r.validationNote = translated(i.validationNote);
    r.threads = i.threads;
    r.epochs = i.epochs;
    r.firstEpoch = i.firstEpoch;
    r.fineTune = i.fineTune;
    r.resumed = i.resumed;
    return r;
}

TrainingOutcome toOutcome(const nn::SessionResult& s)
{
    TrainingOutcome o;
    o.status = s.status;
    o.message = translated(s.message);
    o.epochsCompleted = s.epochsCompleted;
    o.partialSamples = s.partialSamples;
    o.epochSamples = s.epochSamples;
    o.steps = s.steps;
    o.bestValLoss = s.bestValLoss;
    o.bestValAccuracy = s.bestValAccuracy;
    o.valAccuracy = s.valAccuracy;
    o.validationSize = s.validationSize;
    o.validationNote = translated(s.validationNote);
    o.testAccuracy = s.testAccuracy;
    o.testNote = translated(s.testNote);
    o.baselineValAccuracy = s.baselineValAccuracy;
    o.baselineTestAccuracy = s.baselineTestAccuracy;
    o.imagesPerSecond = s.imagesPerSecond;
    o.seconds = s.seconds;
    o.userHeldOut = s.userHeldOut;
    o.userBefore = s.userBefore;
    o.userAfter = s.userAfter;
    o.record = std::make_shared<const nn::RunRecord>(s.record);
    return o;
}

}  // namespace

TrainingWorker::TrainingWorker(std::shared_ptr<TrainingShared> shared, TrainingEvents events)
    : m_shared(std::move(shared)), m_events(std::move(events))
{
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::publish(int runId, bool ok, const TrainingOutcome& outcome,
                             std::shared_ptr<const nn::Model> model, const QString& error)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->doneRun = runId;
        m_shared->ok = ok;
        m_shared->outcome = outcome;
        m_shared->model = std::move(model);
        m_shared->error = error;
    }
    m_shared->cv.notify_all();
}

void TrainingWorker::run(const TrainingRequest& r, int runId)
{
    TrainingShared& sh = *m_shared;
    nn::SessionRequest req = r;
    // The Layers page's training health: every 2 s (a 64-image probe for
    // dead ReLUs and a pass over the gradient: about 2% of training time).
    req.config.healthIntervalSec = kHealthIntervalSec;
    req.dataDir = QDir::toNativeSeparators(r.mnistDir.isEmpty() ? resolveDataDir() : r.mnistDir).toStdString();
    req.checkpoint = QDir::toNativeSeparators(r.checkpointPath).toStdString();
    req.mnistSource = [](const std::string& dir, nn::Split split) { return mnistStore().get(dir, split); };
    req.frontEnd = "in the GUI";

    std::unique_ptr<nn::TrainingSession> session;
    BatchThrottle throttle(r.config.batchSize);
    auto lastSnapshot = Clock::now();
    bool snapshotClockStarted = false;  // once per run: short epochs must not reset it

    nn::SessionEvents ev;
    ev.log = [&](const nn::UiText& line) { m_events.logMessage(runId, translated(line)); };
    // A stopped run is evaluated (the person decides on its figures) unless the window is closing.
    ev.keepEvaluating = [&sh] { return !sh.skipEvaluation.load(); };
    ev.started = [&](const nn::SessionInfo& info) {
        sh.step.store(info.firstStep);
        throttle = BatchThrottle(info.batchSize);  // the checkpoint's when resuming
        m_events.started(runId, toRunInfo(info));
    };
    ev.batch = [&](const nn::BatchReport& rep) {
        sh.step.store(rep.step, std::memory_order_relaxed);
        const auto now = Clock::now();
        if (!snapshotClockStarted) {
            snapshotClockStarted = true;
            lastSnapshot = now;
        }
        nn::BatchReport out;
        if (throttle.add(rep, now, out))
            m_events.batchProgress(runId, out);
        // Follow training: a copy of the weights at this batch boundary.
        const int follow = sh.followMs.load(std::memory_order_relaxed);
        if (follow > 0 && std::chrono::duration<double, std::milli>(now - lastSnapshot).count() >= follow) {
            lastSnapshot = now;
            m_events.snapshot(runId, std::make_shared<const nn::Model>(session->model()));
        }
    };
    ev.epoch = [&](const nn::EpochReport& e) {
        m_events.epochFinished(runId, e);
        throttle.epochEnded();
    };

    session = std::make_unique<nn::TrainingSession>(std::move(req), std::move(ev), &sh.control);
    QString failure;
    try {
        nn::SessionResult result = session->run();
        const TrainingOutcome out = toOutcome(result);
        auto model = std::shared_ptr<const nn::Model>(std::move(result.model));
        publish(runId, true, out, model, {});
        m_events.finished(runId, out, model);
        return;
    } catch (const nn::Error& e) {
        const QString msg = errorText(e);
        // The phase is translated; so are the errors a person meets in the
        // normal course (nn::UiError), the others are English.
        failure = std::string_view(session->phase()) == "training"
                      ? msg
                      : QCoreApplication::translate("app::TrainingWorker", "while %1: %2").arg(engineText(session->phase()), msg);
    } catch (const std::bad_alloc&) {
        failure = QCoreApplication::translate("app::TrainingWorker", "not enough memory while %1; try a smaller batch or model")
                      .arg(engineText(session->phase()));
    } catch (const std::exception& e) {
        failure = QCoreApplication::translate("app::TrainingWorker", "internal error while %1 (%2); please report it")
                      .arg(engineText(session->phase()), errorText(e));
    }
    publish(runId, false, {}, nullptr, failure);
    m_events.failed(runId, failure);
}

void TrainingWorker::runSearch(const SearchJob& job, int runId)
{
    TrainingShared& sh = *m_shared;
    QString failure;
    try {
        nn::SearchRequest req = job.request;
        if (!req.data) {
            const QString dir = QDir::toNativeSeparators(job.mnistDir.isEmpty() ? resolveDataDir() : job.mnistDir);
            std::shared_ptr<const nn::Dataset> all = mnistStore().get(dir.toStdString(), nn::Split::Train);
            req.dataLabel = "MNIST";
            if (job.limit > 0 && job.limit < all->size()) {
                std::vector<int> first(std::size_t(job.limit));
                for (int i = 0; i < job.limit; ++i)
                    first[std::size_t(i)] = i;
                all = std::make_shared<const nn::Dataset>(all->subset(first));
                req.dataLabel = "MNIST (first " + std::to_string(job.limit) + ")";
            }
            req.data = all;
        }
        // Its own connection, on this thread (see RunStore); a history that
        // cannot be opened leaves the search unrecorded, not failed.
        std::unique_ptr<RunStore> store;
        if (!job.runsDb.isEmpty()) {
            try {
                store = std::make_unique<RunStore>(job.runsDb);
            } catch (const nn::Error& e) {
                m_events.logMessage(runId, errorText(e));
            }
        }
        auto lastReport = Clock::now() - std::chrono::seconds(1);
        nn::SearchEvents ev;
        ev.runStarted = [&](const nn::TrialPoint&, int trial, int fold, int rung, int epochs) {
            m_events.searchRunStarted(runId, trial, fold, rung, epochs);
        };
        ev.batch = [&](const nn::BatchReport& r) {
            sh.step.store(r.step, std::memory_order_relaxed);
            const auto now = Clock::now();
            if (now - lastReport < std::chrono::milliseconds(50) && r.batch != r.batches)
                return;
            lastReport = now;
            m_events.searchProgress(runId, r);
        };
        ev.record = [&](nn::RunRecord& r) -> long long {
            if (!store)
                return 0;
            r.frontEnd = "gui";
            try {
                const long long id = store->add(r);
                m_events.searchRecorded(runId, id);
                return id;
            } catch (const nn::Error& e) {
                m_events.logMessage(runId, errorText(e));
                store.reset();
                return 0;
            }
        };
        ev.trialEnded = [&](const nn::TrialOutcome& t) { m_events.searchTrial(runId, t); };
        const nn::SearchResult result = nn::runSearch(req, ev, &sh.search);
        m_events.searchFinished(runId, result);
        publish(runId, true, {}, nullptr, {});
        return;
    } catch (const nn::Error& e) {
        failure = errorText(e);
    } catch (const std::bad_alloc&) {
        failure = QCoreApplication::translate("app::TrainingWorker", "not enough memory for the search; try fewer images or a smaller model");
    } catch (const std::exception& e) {
        failure = QCoreApplication::translate("app::TrainingWorker", "internal error in the search (%1); please report it")
                      .arg(errorText(e));
    }
    m_events.searchFailed(runId, failure);
    publish(runId, false, {}, nullptr, failure);
}

}  // namespace app
