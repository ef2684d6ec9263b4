#pragma once
// Hyperparameter search (issue 17): a search space parsed from the CLI's
// syntax (--grid "lr=1e-3,3e-3 batch=32,64" --random "wd=log:1e-6:1e-3"),
// seeded trials drawn from it, stratified k-fold splits, and a search that
// runs every trial -- each fold a normal training run through
// TrainingSession, recorded like any run -- with optional successive halving
// (Jamieson & Talwalkar 2016, "Non-stochastic best arm identification and
// hyperparameter optimization") under an epoch or time budget.
#include "data/dataset.h"
#include "run_record.h"
#include "session.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nn {

// One searchable setting. The table of all of them drives parsing, applying
// and the CLI's help text.
struct SearchParam {
    const char* key;  // "lr"
    enum Type { Real, Integer, Choice } type;
    double min, max;  // Real and Integer: the accepted range
    bool minExcluded;
    bool logAllowed;  // log:lo:hi is accepted (positive ranges)
    const char* help;  // "learning rate (> 0)"
};
const std::vector<SearchParam>& searchParams();
const SearchParam* searchParam(const std::string& key);
// "lr, batch, opt, ..." for messages.
std::string searchParamNames();

struct SearchDim {
    std::string key;
    enum Kind { List, Uniform, LogUniform } kind = List;
    std::vector<std::string> values;  // List: canonical values
    double lo = 0, hi = 0;            // Uniform, LogUniform
    std::string text;                 // as written: "wd=log:1e-6:1e-3"
};

// A trial's settings: key=value pairs in the order of the space's dimensions
// (grid first, then random).
struct TrialPoint {
    std::vector<std::pair<std::string, std::string>> values;
    std::string describe() const;  // "lr=0.001 batch=32 wd=1.2e-05"; "(base settings)" when empty
    std::string value(const std::string& key) const;  // empty when not set
    bool operator==(const TrialPoint&) const = default;
};

class SearchSpace {
public:
    // Parses both options. Throws Error naming the option and the token,
    // e.g. "--grid: unknown parameter 'lrr' in 'lrr=1e-3' (known: lr, ...)",
    // "--random: 'wd=log:0:1e-3': log needs a range above 0".
    static SearchSpace parse(const std::string& grid, const std::string& random);

    const std::vector<SearchDim>& grid() const { return m_grid; }
    const std::vector<SearchDim>& random() const { return m_random; }
    // Points of the grid (1 when there is none).
    std::size_t gridSize() const;
    bool hasRandom() const { return !m_random.empty(); }

    // `count` trials. Trial i takes grid point i mod gridSize() (the last
    // dimension varying fastest) and draws each random dimension from
    // (seed, i) alone, so trial i is the same whatever the count.
    std::vector<TrialPoint> trials(int count, std::uint64_t seed) const;

private:
    std::vector<SearchDim> m_grid, m_random;
};

// The settings a trial changes, applied onto the base ones.
struct TrialSetup {
    std::string spec;    // architecture spec (a preset resolved)
    float dropout = -1;  // SessionRequest::dropout
    TrainConfig config;
};
// Throws Error naming the key and the value.
void applyTrial(const TrialPoint& point, TrialSetup& setup);

// Stratified k-fold cross-validation: the fold (0..k-1) of every sample.
// Each class's samples, in a seeded order, are dealt to the folds in turn,
// continuing where the previous class stopped, so every fold holds each
// class's count / k samples give or take one, and the folds' sizes differ by
// at most one. Throws Error when k < 2 or there are fewer samples than folds.
std::vector<int> stratifiedFolds(const std::vector<std::uint8_t>& labels, int k, std::uint64_t seed);
// Fold f as validation, the others as training.
std::pair<Dataset, Dataset> foldSplit(const Dataset& data, const std::vector<int>& folds, int f);

// Successive halving's rungs: minEpochs, minEpochs * eta, ... (each below
// maxEpochs), then maxEpochs. Throws Error for eta < 2 or minEpochs < 1.
std::vector<int> halvingRungs(int maxEpochs, int eta, int minEpochs);
// How many of n trials go on to the next rung: ceil(n / eta), at least 1.
int halvingKeep(int n, int eta);

// A search's budget: wall-clock seconds and/or training epochs (each fold's
// epochs count). 0: none.
struct SearchBudget {
    double seconds = 0;
    long long epochs = 0;
};
// "30m", "90s", "2h", "1h30m", "45" (seconds); "40e" or "40epochs" for
// epochs. Throws Error naming the text.
SearchBudget parseBudget(const std::string& text);

// Asked from another thread (a signal watcher, the GUI): stop once the
// current trial is done, or at the next batch boundary (that trial's
// unfinished runs are discarded).
class SearchControl {
public:
    void stopAfterTrial() { m_afterTrial.store(true); }
    void stopNow()
    {
        m_afterTrial.store(true);
        m_now.store(true);
    }
    // Before a new search (no search may be using it then).
    void reset()
    {
        m_afterTrial.store(false);
        m_now.store(false);
    }
    bool afterTrialRequested() const { return m_afterTrial.load(); }
    bool nowRequested() const { return m_now.load(); }

private:
    std::atomic<bool> m_afterTrial{false}, m_now{false};
};

struct SearchRequest {
    // The base of every trial: spec, dropout, config (config.epochs is a
    // trial's full length), threads, frontEnd, extraMetadata. Its data
    // settings are not used: the trials train on `data`.
    SessionRequest base;
    std::vector<TrialPoint> trials;
    // Every image the search may use; the folds (or the validation split) come from it.
    std::shared_ptr<const Dataset> data;
    std::string dataLabel = "given data";  // "MNIST (first 10,000)", for each run's record
    int folds = 1;                    // 1: a seeded `validationFraction` is held out once
    double validationFraction = 0.1;
    std::uint64_t foldSeed = 1;
    int halvingEta = 0;  // 0: off; otherwise >= 2
    int minEpochs = 1;   // the first rung
    SearchBudget budget;
    std::string searchId;  // goes into every run's record
    std::string workDir;   // checkpoints between rungs (halving); must exist
};

struct TrialOutcome {
    int trial = 0;  // 0-based, into SearchRequest::trials
    TrialPoint point;
    // "finished", "halved" (stopped by successive halving), "diverged",
    // "stopped" (the search ended before its last rung)
    std::string status;
    int epochs = 0;  // epochs trained (the rung reached)
    std::vector<double> foldAccuracy;  // validation accuracy per fold; -1: none
    double mean = -1, std = 0;         // over the folds; mean -1: none (diverged)
    double seconds = 0;
    std::vector<long long> runIds;  // in the run history, per fold (0: not stored)
    std::string message;
};

struct SearchEvents {
    // Before each run: trial, fold (0-based), rung (0-based) and the epochs it trains to.
    std::function<void(const TrialPoint&, int trial, int fold, int rung, int epochs)> runStarted;
    std::function<void(const BatchReport&)> batch;
    std::function<void(const EpochReport&)> epoch;
    // A run's record, once it is final: store it and return its id (0: not stored).
    std::function<long long(RunRecord&)> record;
    // A trial finished a rung (every fold); called again at later rungs.
    std::function<void(const TrialOutcome&)> trialEnded;
    std::function<void(const std::string&)> log;
};

struct SearchResult {
    std::vector<TrialOutcome> trials;  // the trials that ran, best first (rankTrials)
    int planned = 0;
    bool interrupted = false;  // SearchControl
    bool budgetSpent = false;
    std::string discarded;     // the trial discarded by stopNow(), described; empty: none
    double seconds = 0;
    long long epochsTrained = 0;  // over every fold
};

// Best first: trials with a metric before those without (diverged), then
// those that got further (more epochs), then the higher mean, then the
// lower standard deviation, then the trial number.
void rankTrials(std::vector<TrialOutcome>& trials);

// Mean and (sample) standard deviation of the values >= 0; mean -1 when none.
std::pair<double, double> meanStd(const std::vector<double>& values);

// Runs the search. Throws Error for a request that cannot run (no trials,
// too few images for the folds, a trial setting the engine refuses).
SearchResult runSearch(const SearchRequest& request, const SearchEvents& events, SearchControl* control = nullptr);

}  // namespace nn
