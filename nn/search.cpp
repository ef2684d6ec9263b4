#include "search.h"

#include "augment.h"
#include "errors.h"
#include "model.h"
#include "optim.h"
#include "random.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <tuple>

namespace nn {

namespace {

using Clock = std::chrono::steady_clock;

std::string shortest(double v)
{
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, float(v));  // applied as float
    return std::string(buf, end);
}

// Three significant digits: what a random draw is rounded to, so that the
// value shown is the value trained with.
double round3(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return std::strtod(buf, nullptr);
}

bool parseDouble(const std::string& s, double& v)
{
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+')
        ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    return ec == std::errc() && p == e && std::isfinite(v);
}

const std::vector<SearchParam> kParams = {
    {"lr", SearchParam::Real, 0.0, 100.0, true, true, "learning rate (above 0, at most 100)"},
    {"batch", SearchParam::Integer, 1, 65536, false, true, "batch size (1 to 65536)"},
    {"opt", SearchParam::Choice, 0, 0, false, false, "optimizer: sgd, adam, adamw, rmsprop (lr is kept)"},
    {"momentum", SearchParam::Real, 0.0, 0.9999, false, false, "momentum of sgd and rmsprop (0 to 0.9999)"},
    {"wd", SearchParam::Real, 0.0, 1.0, false, true, "L2 weight decay (0 to 1)"},
    {"l1", SearchParam::Real, 0.0, 1.0, false, true, "L1 regularisation (0 to 1)"},
    {"dropout", SearchParam::Real, 0.0, 0.95, false, false,
     "dropout rate of every dropout layer, one added if none (0 to 0.95)"},
    {"augment", SearchParam::Real, 0.0, 3.0, false, false,
     "augmentation strength: 0 off, 1 standard, 2 twice its ranges (0 to 3)"},
    {"arch", SearchParam::Choice, 0, 0, false, false,
     "architecture: a preset (mlp, lenet5, cnn, ref) or a quoted spec"},
};

std::string rangeText(const SearchParam& p)
{
    return std::string(p.minExcluded ? "above " : "") + shortest(p.min) + " to " + shortest(p.max);
}

// Splits on `sep` (whitespace when sep is ' ') outside single or double
// quotes; quotes are removed unless `keepQuotes`. Throws on an unclosed quote.
std::vector<std::string> splitQuoted(const std::string& text, char sep, const std::string& where, bool keepQuotes = false)
{
    std::vector<std::string> out;
    std::string cur;
    bool any = false;
    char quote = 0;
    for (char c : text) {
        if (quote) {
            const bool closing = c == quote;
            if (closing)
                quote = 0;
            if (!closing || keepQuotes)
                cur += c;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            any = true;
            if (keepQuotes)
                cur += c;
            continue;
        }
        const bool isSep = sep == ' ' ? (c == ' ' || c == '\t' || c == '\n') : c == sep;
        if (isSep) {
            if (sep != ' ' || any || !cur.empty())
                out.push_back(cur);
            cur.clear();
            any = false;
            continue;
        }
        cur += c;
        any = true;
    }
    if (quote)
        throw Error(where + ": unclosed quote (" + std::string(1, quote) + ") in '" + text + "'");
    if (sep != ' ' || any || !cur.empty())
        out.push_back(cur);
    return out;
}

// The canonical text of one value of `p`; throws naming the token.
std::string checkValue(const SearchParam& p, const std::string& raw, const std::string& where)
{
    std::string v = raw;
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.erase(v.begin());
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.pop_back();
    if (v.empty())
        throw Error(where + ": an empty value");
    const std::string key = p.key;
    if (p.type == SearchParam::Choice) {
        try {
            if (key == "opt") {
                std::string lower = v;
                std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
                return OptimizerConfig::kindName(OptimizerConfig::parseKind(lower));
            }
            // arch: a preset name, or a spec that must build.
            const auto names = Model::presetNames();
            if (std::find(names.begin(), names.end(), v) != names.end())
                return v;
            return Model::fromSpec(v).spec();
        } catch (const Error& e) {
            throw Error(where + ": " + e.what());
        }
    }
    double x = 0;
    if (!parseDouble(v, x))
        throw Error(where + ": '" + v + "' is not a number");
    if (p.type == SearchParam::Integer && x != std::floor(x))
        throw Error(where + ": '" + v + "' is not a whole number");
    if ((p.minExcluded ? !(x > p.min) : !(x >= p.min)) || !(x <= p.max))
        throw Error(where + ": " + v + " is out of range for " + key + " (" + rangeText(p) + ")");
    return p.type == SearchParam::Integer ? std::to_string((long long)x) : shortest(x);
}

SearchDim parseDim(const std::string& token, bool random, std::vector<std::string>& seen, const std::string& option)
{
    const std::string where = option + ": '" + token + "'";
    const auto eq = token.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error(where + " is not key=value (e.g. " + (random ? "wd=log:1e-6:1e-3" : "lr=1e-3,3e-3") + ")");
    SearchDim d;
    d.key = token.substr(0, eq);
    d.text = token;
    const SearchParam* p = searchParam(d.key);
    if (!p)
        throw Error(option + ": unknown parameter '" + d.key + "' in '" + token + "' (known: " + searchParamNames() +
                    ")");
    if (std::find(seen.begin(), seen.end(), d.key) != seen.end())
        throw Error(where + ": " + d.key + " is given twice (in --grid or --random)");
    seen.push_back(d.key);
    const std::string value = token.substr(eq + 1);
    if (value.empty())
        throw Error(where + " has no values");
    const bool range = p->type != SearchParam::Choice && value.find(':') != std::string::npos;
    if (!range) {
        for (const std::string& v : splitQuoted(value, ',', where))
            d.values.push_back(checkValue(*p, v, where));
        return d;
    }
    if (!random)
        throw Error(where + ": a grid takes a list of values (a range such as " + value + " belongs in --random)");
    std::vector<std::string> parts = splitQuoted(value, ':', where);
    d.kind = SearchDim::Uniform;
    if (!parts.empty() && parts.front() == "log") {
        d.kind = SearchDim::LogUniform;
        parts.erase(parts.begin());
        if (!p->logAllowed)
            throw Error(where + ": " + d.key + " has no log scale (use LOW:HIGH)");
    }
    if (parts.size() != 2)
        throw Error(where + ": expected " + std::string(d.kind == SearchDim::LogUniform ? "log:" : "") +
                    "LOW:HIGH or a list of values");
    d.lo = std::stod(checkValue(*p, parts[0], where));
    d.hi = std::stod(checkValue(*p, parts[1], where));
    if (!(d.lo < d.hi))
        throw Error(where + ": LOW must be below HIGH");
    if (d.kind == SearchDim::LogUniform && !(d.lo > 0))
        throw Error(where + ": log needs a range above 0");
    return d;
}

std::vector<SearchDim> parseDims(const std::string& text, bool random, std::vector<std::string>& seen)
{
    const std::string option = random ? "--random" : "--grid";
    std::vector<SearchDim> out;
    for (const std::string& token : splitQuoted(text, ' ', option, true))
        out.push_back(parseDim(token, random, seen, option));
    return out;
}

std::string draw(const SearchDim& d, SplitMix64& rng)
{
    const SearchParam& p = *searchParam(d.key);
    if (d.kind == SearchDim::List)
        return d.values[rng.below(d.values.size())];
    const double u = double(rng.next() >> 11) * 0x1.0p-53;  // [0, 1)
    double x = d.kind == SearchDim::LogUniform ? std::exp(std::log(d.lo) + u * (std::log(d.hi) - std::log(d.lo)))
                                               : d.lo + u * (d.hi - d.lo);
    if (p.type == SearchParam::Integer)
        return std::to_string((long long)std::clamp(std::round(x), d.lo, d.hi));
    x = std::clamp(round3(x), d.lo, d.hi);
    return shortest(x);
}

// The standard augmentation with every range `s` times as wide around the
// identity (0: off), clamped to what each field accepts.
AugmentParams augmentAtStrength(float s)
{
    AugmentParams p = AugmentParams::standard();
    if (!(s > 0.0f)) {
        p.enabled = false;
        return p;
    }
    const AugmentParams identity = [] {
        AugmentParams a;
        a.elasticSigma = AugmentParams::standard().elasticSigma;
        return a;
    }();
    for (const AugmentField& f : augmentFields()) {
        float& v = p.*f.member;
        float x = identity.*f.member + s * (v - identity.*f.member);
        const float eps = 1e-4f;
        x = std::clamp(x, f.minExcluded ? f.validMin + eps : f.validMin, f.maxExcluded ? f.validMax - eps : f.validMax);
        v = x;
    }
    p.enabled = true;
    return p;
}

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

const std::vector<SearchParam>& searchParams() { return kParams; }

const SearchParam* searchParam(const std::string& key)
{
    for (const SearchParam& p : kParams)
        if (key == p.key)
            return &p;
    return nullptr;
}

std::string searchParamNames()
{
    std::string s;
    for (const SearchParam& p : kParams)
        s += (s.empty() ? "" : ", ") + std::string(p.key);
    return s;
}

std::string TrialPoint::describe() const
{
    std::string s;
    for (const auto& [k, v] : values) {
        const bool quote = v.find(' ') != std::string::npos;
        s += (s.empty() ? "" : " ") + k + "=" + (quote ? "'" + v + "'" : v);
    }
    return s.empty() ? "(base settings)" : s;
}

std::string TrialPoint::value(const std::string& key) const
{
    for (const auto& [k, v] : values)
        if (k == key)
            return v;
    return {};
}

SearchSpace SearchSpace::parse(const std::string& grid, const std::string& random)
{
    SearchSpace s;
    std::vector<std::string> seen;
    s.m_grid = parseDims(grid, false, seen);
    s.m_random = parseDims(random, true, seen);
    return s;
}

std::size_t SearchSpace::gridSize() const
{
    std::size_t n = 1;
    for (const SearchDim& d : m_grid)
        n *= d.values.size();
    return n;
}

std::vector<TrialPoint> SearchSpace::trials(int count, std::uint64_t seed) const
{
    std::vector<TrialPoint> out;
    const std::size_t g = gridSize();
    for (int i = 0; i < count; ++i) {
        TrialPoint t;
        std::size_t at = std::size_t(i) % g;
        std::vector<std::string> gv(m_grid.size());
        for (std::size_t d = m_grid.size(); d-- > 0;) {  // the last dimension varies fastest
            gv[d] = m_grid[d].values[at % m_grid[d].values.size()];
            at /= m_grid[d].values.size();
        }
        for (std::size_t d = 0; d < m_grid.size(); ++d)
            t.values.emplace_back(m_grid[d].key, gv[d]);
        SplitMix64 rng{mix64(seed ^ mix64(std::uint64_t(i) + 0x5EA4C4ull))};
        for (const SearchDim& d : m_random)
            t.values.emplace_back(d.key, draw(d, rng));
        out.push_back(std::move(t));
    }
    return out;
}

void applyTrial(const TrialPoint& point, TrialSetup& s)
{
    for (const auto& [key, value] : point.values) {
        const SearchParam* p = searchParam(key);
        if (!p)
            throw Error("unknown search parameter '" + key + "'");
        const std::string v = checkValue(*p, value, key + "=" + value);
        if (key == "arch") {
            const auto names = Model::presetNames();
            s.spec = std::find(names.begin(), names.end(), v) != names.end() ? Model::presetSpec(v) : v;
            continue;
        }
        if (key == "opt") {
            s.config.optimizer.kind = OptimizerConfig::parseKind(v);
            continue;
        }
        const double x = std::stod(v);
        if (key == "lr")
            s.config.learningRate = float(x);
        else if (key == "batch")
            s.config.batchSize = int(x);
        else if (key == "momentum")
            s.config.optimizer.momentum = float(x);
        else if (key == "wd")
            s.config.optimizer.weightDecay = float(x);
        else if (key == "l1")
            s.config.optimizer.l1 = float(x);
        else if (key == "dropout")
            s.dropout = float(x);
        else if (key == "augment")
            s.config.augment = augmentAtStrength(float(x));
    }
}

// ---- Cross-validation --------------------------------------------------------

std::vector<int> stratifiedFolds(const std::vector<std::uint8_t>& labels, int k, std::uint64_t seed)
{
    if (k < 2)
        throw Error("cross-validation needs at least 2 folds, got " + std::to_string(k));
    if (labels.size() < std::size_t(k))
        throw Error(std::to_string(k) + " folds need at least " + std::to_string(k) + " images, there are " +
                    std::to_string(labels.size()));
    std::vector<std::vector<int>> byClass(256);
    for (std::size_t i = 0; i < labels.size(); ++i)
        byClass[labels[i]].push_back(int(i));
    std::vector<int> fold(labels.size(), -1);
    std::size_t next = 0;  // continues across classes, so that the fold sizes stay within one
    for (std::size_t c = 0; c < byClass.size(); ++c) {
        const auto& members = byClass[c];
        if (members.empty())
            continue;
        const std::vector<int> order = shuffledIndices(int(members.size()), mix64(seed ^ mix64(c + 0xF01Dull)));
        for (int j : order)
            fold[std::size_t(members[std::size_t(j)])] = int(next++ % std::size_t(k));
    }
    return fold;
}

std::pair<Dataset, Dataset> foldSplit(const Dataset& data, const std::vector<int>& folds, int f)
{
    if (folds.size() != std::size_t(data.size()))
        throw Error("the folds are for " + std::to_string(folds.size()) + " images, the data have " +
                    std::to_string(data.size()));
    std::vector<int> train, val;
    for (int i = 0; i < data.size(); ++i)
        (folds[std::size_t(i)] == f ? val : train).push_back(i);
    return {data.subset(train), data.subset(val)};
}

// ---- Successive halving ----------------------------------------------------------

std::vector<int> halvingRungs(int maxEpochs, int eta, int minEpochs)
{
    if (eta < 2)
        throw Error("successive halving needs eta of at least 2, got " + std::to_string(eta));
    if (minEpochs < 1)
        throw Error("the first rung needs at least 1 epoch, got " + std::to_string(minEpochs));
    std::vector<int> rungs;
    for (long long r = minEpochs; r < maxEpochs; r *= eta)
        rungs.push_back(int(r));
    rungs.push_back(maxEpochs);
    return rungs;
}

int halvingKeep(int n, int eta) { return std::max(1, (n + eta - 1) / eta); }

SearchBudget parseBudget(const std::string& text)
{
    SearchBudget b;
    const std::string bad = "--budget: '" + text + "' is not a time (30m, 90s, 1h30m) or a number of epochs (40e)";
    if (text.empty())
        throw Error(bad);
    std::size_t i = 0;
    double seconds = 0;
    bool any = false;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && (std::isdigit((unsigned char)text[j]) || text[j] == '.'))
            ++j;
        double v = 0;
        if (j == i || !parseDouble(text.substr(i, j - i), v))
            throw Error(bad);
        std::size_t u = j;
        while (u < text.size() && std::isalpha((unsigned char)text[u]))
            ++u;
        const std::string unit = text.substr(j, u - j);
        if (unit == "e" || unit == "epoch" || unit == "epochs") {
            if (any || u != text.size() || v != std::floor(v) || v < 1)
                throw Error(bad);
            b.epochs = (long long)v;
            return b;
        }
        if (unit.empty() || unit == "s")
            seconds += v;
        else if (unit == "m" || unit == "min")
            seconds += 60 * v;
        else if (unit == "h")
            seconds += 3600 * v;
        else
            throw Error(bad);
        any = true;
        i = u;
    }
    if (!(seconds > 0))
        throw Error(bad);
    b.seconds = seconds;
    return b;
}

// ---- Ranking -------------------------------------------------------------------------

std::pair<double, double> meanStd(const std::vector<double>& values)
{
    double sum = 0;
    int n = 0;
    for (double v : values)
        if (v >= 0) {
            sum += v;
            ++n;
        }
    if (n == 0)
        return {-1.0, 0.0};
    const double mean = sum / n;
    double ss = 0;
    for (double v : values)
        if (v >= 0)
            ss += (v - mean) * (v - mean);
    return {mean, n > 1 ? std::sqrt(ss / (n - 1)) : 0.0};
}

void rankTrials(std::vector<TrialOutcome>& trials)
{
    std::stable_sort(trials.begin(), trials.end(), [](const TrialOutcome& a, const TrialOutcome& b) {
        const bool am = a.mean >= 0, bm = b.mean >= 0;
        if (am != bm)
            return am;
        if (a.epochs != b.epochs)
            return a.epochs > b.epochs;
        if (a.mean != b.mean)
            return a.mean > b.mean;
        if (a.std != b.std)
            return a.std < b.std;
        return a.trial < b.trial;
    });
}

// ---- The search ------------------------------------------------------------------------

namespace {

struct FoldData {
    std::shared_ptr<const Dataset> train, validation;
};

// One fold of one trial across rungs: its record so far and its checkpoint.
struct FoldRun {
    RunRecord record;
    bool started = false, recorded = false;
    std::string checkpoint;
};

struct TrialState {
    TrialOutcome outcome;
    std::vector<FoldRun> folds;
    bool alive = true;
};

}  // namespace

SearchResult runSearch(const SearchRequest& req, const SearchEvents& ev, SearchControl* control)
{
    const auto start = Clock::now();
    SearchControl ownControl;
    SearchControl& ctl = control ? *control : ownControl;
    if (req.trials.empty())
        throw Error("the search has no trials");
    if (!req.data || req.data->size() == 0)
        throw Error("the search has no images to train on");
    const int R = req.base.config.epochs;
    if (R < 1)
        throw Error("a trial needs at least 1 epoch");
    const bool halving = req.halvingEta > 0;
    const std::vector<int> rungs = halving ? halvingRungs(R, req.halvingEta, std::min(req.minEpochs, R))
                                           : std::vector<int>{R};
    if (halving && req.workDir.empty())
        throw Error("successive halving needs a folder for its checkpoints");
    const int K = std::max(1, req.folds);
    const auto log = [&](const std::string& line) {
        if (ev.log)
            ev.log(line);
    };

    // The data of every fold, made once.
    std::vector<FoldData> splits;
    std::vector<std::string> splitText;
    if (K >= 2) {
        const std::vector<int> folds = stratifiedFolds(req.data->labels, K, req.foldSeed);
        for (int f = 0; f < K; ++f) {
            auto [t, v] = foldSplit(*req.data, folds, f);
            splitText.push_back(req.dataLabel + ", fold " + std::to_string(f + 1) + " of " + std::to_string(K) + ": " +
                                std::to_string(t.size()) + " training, " + std::to_string(v.size()) +
                                " validation images");
            splits.push_back({std::make_shared<const Dataset>(std::move(t)), std::make_shared<const Dataset>(std::move(v))});
        }
    } else {
        auto [t, v] = req.data->splitValidation(req.validationFraction, req.foldSeed);
        if (v.size() == 0)
            throw Error("the search needs a validation set: " + std::to_string(req.data->size()) +
                        " images with a validation fraction of " + shortest(req.validationFraction) +
                        " leave none (use folds, or more images)");
        splitText.push_back(req.dataLabel + ": " + std::to_string(t.size()) + " training, " +
                            std::to_string(v.size()) + " validation images");
        splits.push_back({std::make_shared<const Dataset>(std::move(t)), std::make_shared<const Dataset>(std::move(v))});
    }
    for (const FoldData& s : splits)
        if (s.train->size() == 0 || s.validation->size() == 0)
            throw Error("too few images (" + std::to_string(req.data->size()) + ") for " + std::to_string(K) + " folds");

    std::vector<TrialState> trials(req.trials.size());
    for (std::size_t i = 0; i < trials.size(); ++i) {
        TrialState& t = trials[i];
        t.outcome.trial = int(i);
        t.outcome.point = req.trials[i];
        t.outcome.foldAccuracy.assign(std::size_t(K), -1.0);
        t.outcome.runIds.assign(std::size_t(K), 0);
        t.folds.resize(std::size_t(K));
        // Checked now: a setting the engine refuses fails the search before any training.
        TrialSetup setup{req.base.spec, req.base.dropout, req.base.config};
        applyTrial(req.trials[i], setup);
        specWithDropout(setup.spec, setup.dropout, true);
    }

    SearchResult result;
    result.planned = int(trials.size());
    const auto finalize = [&](TrialState& t, int f, const std::string& message) {
        FoldRun& fr = t.folds[std::size_t(f)];
        if (!fr.started || fr.recorded)
            return;
        if (!message.empty())
            fr.record.message = message;
        fr.recorded = true;
        if (ev.record)
            t.outcome.runIds[std::size_t(f)] = ev.record(fr.record);
        if (!fr.checkpoint.empty()) {
            std::error_code ec;
            std::filesystem::remove(fr.checkpoint, ec);
        }
    };
    const auto spent = [&](long long nextCost) {
        if (req.budget.seconds > 0 && secondsSince(start) >= req.budget.seconds)
            return true;
        return req.budget.epochs > 0 && result.epochsTrained + nextCost > req.budget.epochs;
    };

    bool stop = false;
    for (std::size_t r = 0; r < rungs.size() && !stop; ++r) {
        const int from = r == 0 ? 0 : rungs[r - 1];
        const int to = rungs[r];
        const bool lastRung = r + 1 == rungs.size();
        std::vector<int> alive;
        for (std::size_t i = 0; i < trials.size(); ++i)
            if (trials[i].alive)
                alive.push_back(int(i));
        if (halving)
            log("rung " + std::to_string(r + 1) + " of " + std::to_string(rungs.size()) + ": " +
                std::to_string(alive.size()) + (alive.size() == 1 ? " trial" : " trials") + " to " +
                std::to_string(to) + (to == 1 ? " epoch" : " epochs"));
        std::vector<int> done;  // trials that completed this rung
        for (int ti : alive) {
            const long long cost = (long long)(to - from) * K;
            if (ctl.afterTrialRequested()) {
                result.interrupted = true;
                stop = true;
                break;
            }
            if (spent(cost)) {
                result.budgetSpent = true;
                stop = true;
                log("the budget is spent: no further trials");
                break;
            }
            TrialState& t = trials[std::size_t(ti)];
            const auto trialStart = Clock::now();
            bool discarded = false, diverged = false;
            std::vector<double> acc(std::size_t(K), -1.0);
            for (int f = 0; f < K && !discarded && !diverged; ++f) {
                FoldRun& fr = t.folds[std::size_t(f)];
                SessionRequest sr = req.base;
                TrialSetup setup{req.base.spec, req.base.dropout, req.base.config};
                applyTrial(t.outcome.point, setup);
                sr.spec = setup.spec;
                sr.dropout = setup.dropout;
                sr.config = setup.config;
                sr.config.epochs = R;
                sr.trainOverride = splits[std::size_t(f)].train;
                sr.validationOverride = splits[std::size_t(f)].validation;
                sr.evaluateTest = false;
                sr.evaluateAfterStop = false;
                sr.userTrain.reset();
                sr.userHeldOut.reset();
                sr.baseline.reset();
                sr.checkpoint.clear();  // never the base's (the Train page's own checkpoint)
                sr.resume = false;
                if (halving && !(lastRung && r == 0)) {
                    if (fr.checkpoint.empty())
                        fr.checkpoint = (std::filesystem::path(req.workDir) /
                                         ("trial" + std::to_string(ti) + "-fold" + std::to_string(f) + ".ckpt"))
                                            .string();
                    sr.checkpoint = fr.checkpoint;
                    sr.resume = r > 0;
                }
                if (ev.runStarted)
                    ev.runStarted(t.outcome.point, ti, f, int(r), to);
                RunControl runControl;
                double lastVal = -1;
                SessionEvents se;
                se.batch = [&](const BatchReport& b) {
                    if (ctl.nowRequested())
                        runControl.requestStop();
                    if (ev.batch)
                        ev.batch(b);
                };
                se.epoch = [&](const EpochReport& e) {
                    lastVal = e.valAccuracy;
                    if (ev.epoch)
                        ev.epoch(e);
                    if (e.epoch + 1 >= to && to < R)
                        runControl.requestStop();  // the rung's end; the checkpoint is written
                    if (ctl.nowRequested())
                        runControl.requestStop();
                };
                se.keepEvaluating = [&] { return !ctl.nowRequested(); };
                TrainingSession session(std::move(sr), std::move(se), &runControl);
                SessionResult out = session.run();
                const bool partial = out.epochsCompleted < to && out.status == TrainResult::Stopped;
                if (ctl.nowRequested() && partial) {
                    discarded = true;
                    break;
                }
                result.epochsTrained += out.epochsCompleted - from;
                RunRecord rec = std::move(out.record);
                rec.data = splitText[std::size_t(f)];
                rec.searchId = req.searchId;
                rec.searchTrial = ti;
                rec.searchFold = K >= 2 ? f : -1;
                if (rec.valAccuracy < 0)
                    rec.valAccuracy = lastVal;
                if (fr.started) {
                    appendContinuation(fr.record, rec);
                } else {
                    fr.record = std::move(rec);
                    fr.started = true;
                }
                if (out.status == TrainResult::Diverged) {
                    diverged = true;
                    t.outcome.message = toString(out.message);
                } else {
                    acc[std::size_t(f)] = lastVal;
                }
            }
            if (discarded) {
                // A trial with no finished rung leaves nothing behind: its
                // finished folds are not recorded either.
                if (t.outcome.status.empty())
                    for (FoldRun& fr : t.folds) {
                        fr.recorded = true;
                        if (!fr.checkpoint.empty()) {
                            std::error_code ec;
                            std::filesystem::remove(fr.checkpoint, ec);
                        }
                    }
                result.interrupted = true;
                result.discarded = "trial " + std::to_string(ti + 1) + " (" + t.outcome.point.describe() + ")";
                stop = true;
                log("stopped: " + result.discarded + " was discarded");
                break;
            }
            t.outcome.seconds += secondsSince(trialStart);
            t.outcome.epochs = to;
            t.outcome.foldAccuracy = acc;
            std::tie(t.outcome.mean, t.outcome.std) = meanStd(acc);
            if (diverged) {
                t.outcome.status = "diverged";
                t.outcome.mean = -1;
                t.outcome.std = 0;
                t.alive = false;
                for (int f = 0; f < K; ++f)
                    finalize(t, f, {});
            } else {
                t.outcome.status = lastRung ? "finished" : "running";
                if (lastRung)
                    for (int f = 0; f < K; ++f)
                        finalize(t, f, {});
                done.push_back(ti);
            }
            if (ev.trialEnded)
                ev.trialEnded(t.outcome);
        }
        if (stop || lastRung)
            break;
        // Successive halving: the best 1/eta of this rung go on.
        std::vector<TrialOutcome> ranked;
        for (int ti : done)
            ranked.push_back(trials[std::size_t(ti)].outcome);
        rankTrials(ranked);
        const int keep = halvingKeep(int(ranked.size()), req.halvingEta);
        for (std::size_t k = 0; k < ranked.size(); ++k) {
            if (int(k) < keep)
                continue;
            TrialState& t = trials[std::size_t(ranked[k].trial)];
            t.alive = false;
            t.outcome.status = "halved";
            t.outcome.message = "stopped by successive halving after " + std::to_string(to) +
                                (to == 1 ? " epoch" : " epochs") + ": not in the best " + std::to_string(keep) +
                                " of " + std::to_string(ranked.size());
            for (int f = 0; f < K; ++f)
                finalize(t, f, t.outcome.message);
            if (ev.trialEnded)
                ev.trialEnded(t.outcome);
        }
    }

    // Trials cut short by a stop or the budget keep what they trained.
    for (TrialState& t : trials) {
        std::string message;
        if (t.outcome.status == "running") {
            t.outcome.status = "stopped";
            t.outcome.message = message = "the search ended after this trial's " + std::to_string(t.outcome.epochs) +
                                          (t.outcome.epochs == 1 ? " epoch" : " epochs") +
                                          (result.budgetSpent ? " (its budget was spent)" : " (it was interrupted)");
        }
        for (int f = 0; f < K; ++f)
            finalize(t, f, message);
        if (!t.outcome.status.empty())
            result.trials.push_back(t.outcome);
    }
    rankTrials(result.trials);
    result.seconds = secondsSince(start);
    return result;
}

}  // namespace nn
