#pragma once
// What the run history keeps of one training run, as plain values: the
// settings it ran with, its curves, how it ended and its final metrics.
// A TrainingSession fills one for every run (SessionResult::record), so the
// GUI and `digitpad-cli train` record the same thing; the front end adds what
// only it knows (the model file it saved, the pad's prediction latencies) and
// hands it to the run store (app/common/run_store.*).
#include "metrics.h"
#include "trainer.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace nn {

struct SessionInfo;

// The current time in UTC as ISO 8601 ("2026-12-01T14:42:03Z"): when a run
// started, and a saved model's date.
std::string utcNow();

// One point of the per-batch curve.
struct RunBatchPoint {
    long long step = 0;
    int epoch = 0;  // 0-based
    double loss = 0, accuracy = 0;
    float lr = 0;
};

struct RunRecord {
    long long id = 0;             // the store's; 0 until stored
    std::string startedAt;        // UTC, "2026-12-01T12:00:00Z"
    std::string frontEnd;         // "gui" or "cli"
    std::string command;          // the CLI's command line; empty in the GUI
    // Settings.
    std::string spec;             // canonical architecture
    long long parameters = 0;
    std::string settings;         // encodeRunSettings: optimizer, schedule, augmentation, seed, threads, data
    std::string data;             // what was trained on, one line
    std::string dataDir;          // the MNIST folder; empty without MNIST
    std::string dataCrc;          // of the training set
    int trainSize = 0, validationSize = 0, testSize = 0;
    int threads = 0;
    std::string cpu;              // CPU model and level when known
    bool fineTune = false, resumed = false;
    // How it ended.
    std::string status = "finished";  // statusName(): finished, stopped, early-stopped, diverged
    std::string message;
    int epochs = 0;               // planned
    int epochsCompleted = 0;
    long long steps = 0;
    // Metrics; -1: not measured.
    double valAccuracy = -1, bestValAccuracy = -1, bestValLoss = -1;
    double testAccuracy = -1, testLoss = -1;
    int userHeldOut = 0;
    double userBefore = -1, userAfter = -1;
    double seconds = 0, trainSeconds = 0, imagesPerSecond = 0;
    // Error rate per class (1 - recall) on `classErrorSet` ("test"); empty: not measured.
    std::string classErrorSet;
    std::vector<double> classError;
    // Curves.
    std::vector<EpochReport> epochCurve;
    std::vector<RunBatchPoint> batchCurve;  // thinned, see RunRecorder
    // The model file the run produced (may be missing later); empty: none saved.
    std::string modelPath;
    // The pad's prediction latencies while the run trained (GUI), milliseconds.
    std::vector<double> latencyMs;
    // A trial of a hyperparameter search (nn/search.h): the search's id, the
    // trial (0-based) and the cross-validation fold (0-based); empty id and -1
    // outside a search.
    std::string searchId;
    int searchTrial = -1, searchFold = -1;

    // Name for legends and lists: "#12 cnn adam lr 0.001".
    std::string label() const;
    // A value of the settings line (encodeRunSettings), or `fallback`.
    std::string setting(const std::string& key, const std::string& fallback = {}) const;
};

// A run continued from its checkpoint (successive halving's next rung) added
// to the record of its first part: the curves are appended, how it ended and
// its metrics are the continuation's, the times add up.
void appendContinuation(RunRecord& run, const RunRecord& continuation);

// Collects a run's curves from the session's callbacks. The batch curve is
// thinned to at most `maxBatchPoints`: once full, every second point is
// dropped and only every second batch after that is kept, so a long run keeps
// evenly spaced points over its whole length.
class RunRecorder {
public:
    static constexpr std::size_t kMaxBatchPoints = 2000;
    static constexpr std::size_t kMaxLatencySamples = 20000;

    explicit RunRecorder(std::size_t maxBatchPoints = kMaxBatchPoints);

    void started(const SessionInfo& info, const std::string& settingsLine);
    void batch(const BatchReport& r);
    void epoch(const EpochReport& e);
    // The error rate per class from a confusion matrix.
    void classErrors(const Metrics& m, const std::string& set);

    RunRecord& record() { return m_record; }
    const RunRecord& record() const { return m_record; }

private:
    RunRecord m_record;
    std::size_t m_max;
    long long m_stride = 1;  // keep every m_stride-th batch
    long long m_seen = 0;
};

// Appends latencies, keeping at most `max` of them evenly over the run (the
// same halving as the batch curve).
void thinAppend(std::vector<double>& samples, double value, std::size_t max, long long& stride, long long& seen);

// Percentile (0..100) of a set of samples by linear interpolation; -1 when empty.
double percentile(std::vector<double> samples, double p);

}  // namespace nn
