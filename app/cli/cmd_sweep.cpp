// digitpad-cli sweep: hyperparameter search over the shared training session.
#include "cli.h"
#include "format.h"
#include "options.h"
#include "progress.h"
#include "sigint.h"

#include "common/defaultmodel.h"
#include "common/run_store.h"

#include <nn/search.h>
#include <nn/session.h>

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTemporaryDir>

#include <algorithm>
#include <memory>
#include <optional>
#include <ostream>

namespace app::cli {

namespace {

struct SweepOptions {
    nn::SearchSpace space;
    int trials = 0;
    int folds = 1;
    int halving = 0;
    int minEpochs = 1;
    nn::SearchBudget budget;
    std::uint64_t searchSeed = 1;
    bool json = false;
    QString csv;
};

SweepOptions sweepOptions(const ParsedArgs& a, const TrainOptions& t)
{
    SweepOptions o;
    const QString grid = a.value(QStringLiteral("grid")), random = a.value(QStringLiteral("random"));
    if (grid.trimmed().isEmpty() && random.trimmed().isEmpty())
        throw UsageError("sweep needs --grid or --random (e.g. --grid \"lr=1e-3,3e-3 batch=32,64\")");
    try {
        o.space = nn::SearchSpace::parse(grid.toStdString(), random.toStdString());
    } catch (const nn::Error& e) {
        throw UsageError(e.what());
    }
    const int gridSize = int(std::min<std::size_t>(o.space.gridSize(), 1000000));
    const int fallback = o.space.grid().empty() ? 10 : gridSize;
    o.trials = a.intValue(QStringLiteral("trials"), fallback, 1, 100000);
    if (!o.space.hasRandom() && o.trials > gridSize)
        throw UsageError("--trials: the grid has only " + std::to_string(gridSize) + " points, so " +
                         std::to_string(o.trials) + " trials would repeat some (add --random dimensions to draw more)");
    o.folds = a.intValue(QStringLiteral("folds"), 1, 1, 100);
    o.halving = a.intValue(QStringLiteral("halving"), 0, 2, 100);
    o.minEpochs = a.intValue(QStringLiteral("min-epochs"), 1, 1, 100000);
    if (a.isSet(QStringLiteral("min-epochs")) && o.halving == 0)
        throw UsageError("--min-epochs applies to --halving only");
    if (o.halving > 0 && o.minEpochs >= t.config.epochs)
        throw UsageError("--halving: --min-epochs (" + std::to_string(o.minEpochs) + ") must be below --epochs (" +
                         std::to_string(t.config.epochs) + ") for a trial to stop early");
    if (a.isSet(QStringLiteral("budget"))) {
        try {
            o.budget = nn::parseBudget(a.value(QStringLiteral("budget")).trimmed().toStdString());
        } catch (const nn::Error& e) {
            throw UsageError(e.what());
        }
    }
    o.searchSeed = t.config.seed;
    if (a.isSet(QStringLiteral("search-seed"))) {
        bool ok = false;
        const QString v = a.value(QStringLiteral("search-seed")).trimmed();
        o.searchSeed = v.toULongLong(&ok);
        if (!ok)
            throw UsageError("--search-seed: expected a non-negative whole number, got '" + v.toStdString() + "'");
    }
    if (o.folds == 1 && t.valFraction <= 0)
        throw UsageError("sweep ranks trials by validation accuracy: give --val above 0 or --folds 2 or more");
    o.json = a.isSet(QStringLiteral("json"));
    o.csv = a.value(QStringLiteral("csv"));
    if (a.isSet(QStringLiteral("csv")) && o.csv.trimmed().isEmpty())
        throw UsageError("--csv: empty file name");
    return o;
}

// The keys the trials vary, in the space's order.
std::vector<std::string> searchKeys(const nn::SearchSpace& s)
{
    std::vector<std::string> keys;
    for (const auto* dims : {&s.grid(), &s.random()})
        for (const nn::SearchDim& d : *dims)
            keys.push_back(d.key);
    return keys;
}

std::string accuracyText(const nn::TrialOutcome& t, int folds)
{
    if (t.mean < 0)
        return "-";
    std::string s = formatPercent(t.mean);
    if (folds > 1)
        s += " ± " + formatPercent(t.std);
    return s;
}

std::string runIdsText(const std::vector<long long>& ids)
{
    std::vector<long long> v;
    for (long long id : ids)
        if (id > 0)
            v.push_back(id);
    if (v.empty())
        return "-";
    std::sort(v.begin(), v.end());
    bool consecutive = true;
    for (std::size_t i = 1; i < v.size(); ++i)
        consecutive = consecutive && v[i] == v[i - 1] + 1;
    if (v.size() > 1 && consecutive)
        return std::to_string(v.front()) + "-" + std::to_string(v.back());
    std::string s;
    for (long long id : v)
        s += (s.empty() ? "" : ",") + std::to_string(id);
    return s;
}

// The results table, best first, in aligned columns.
std::string resultsTable(const nn::SearchResult& r, const std::vector<std::string>& keys, int folds)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head{"rank", "trial"};
    head.insert(head.end(), keys.begin(), keys.end());
    for (const char* h : {"val accuracy", "epochs", "status", "time", "runs"})
        head.push_back(h);
    rows.push_back(head);
    for (std::size_t i = 0; i < r.trials.size(); ++i) {
        const nn::TrialOutcome& t = r.trials[i];
        std::vector<std::string> row{std::to_string(i + 1), std::to_string(t.trial + 1)};
        for (const std::string& k : keys)
            row.push_back(t.point.value(k));
        row.push_back(accuracyText(t, folds));
        row.push_back(std::to_string(t.epochs));
        row.push_back(t.status);
        row.push_back(formatDuration(t.seconds));
        row.push_back(runIdsText(t.runIds));
        rows.push_back(row);
    }
    // Widths in characters, not bytes ("±" is two bytes).
    const auto width = [](const std::string& s) {
        return (long)std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    };
    std::vector<long> w(head.size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            w[c] = std::max(w[c], width(row[c]));
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(std::size_t(w[c] - width(row[c])), ' ');
            const bool right = c < 2;  // rank and trial
            line += (c ? "  " : "") + (right ? pad + row[c] : row[c] + (c + 1 < row.size() ? pad : ""));
        }
        out += line + "\n";
    }
    return out;
}

std::string resultsCsv(const nn::SearchResult& r, const std::vector<std::string>& keys, int folds)
{
    std::string s = "rank,trial";
    for (const std::string& k : keys)
        s += "," + csvField(k);
    s += ",mean_val_accuracy,std_val_accuracy";
    for (int f = 0; f < folds; ++f)
        s += ",fold_" + std::to_string(f + 1);
    s += ",epochs,status,seconds,run_ids\n";
    const auto field = [&s](const std::string& v) {
        s += ',';
        s += v;
    };
    for (std::size_t i = 0; i < r.trials.size(); ++i) {
        const nn::TrialOutcome& t = r.trials[i];
        s += std::to_string(i + 1);
        field(std::to_string(t.trial + 1));
        for (const std::string& k : keys)
            field(csvField(t.point.value(k)));
        field(t.mean >= 0 ? formatFixed(t.mean, 6) : std::string());
        field(t.mean >= 0 ? formatFixed(t.std, 6) : std::string());
        for (int f = 0; f < folds; ++f) {
            const double a = f < int(t.foldAccuracy.size()) ? t.foldAccuracy[std::size_t(f)] : -1;
            field(a >= 0 ? formatFixed(a, 6) : std::string());
        }
        std::string ids;
        for (long long id : t.runIds)
            if (id > 0) {
                if (!ids.empty())
                    ids += ' ';
                ids += std::to_string(id);
            }
        field(std::to_string(t.epochs));
        field(t.status);
        field(formatFixed(t.seconds, 1));
        field(ids);
        s += '\n';
    }
    return s;
}

std::string resultsJson(const nn::SearchResult& r, const std::string& id, const std::vector<std::string>& keys,
                        int folds)
{
    std::string s = "{\"search_id\": " + jsonString(id) + ", \"metric\": \"val_accuracy\", \"folds\": " +
                    std::to_string(folds) + ", \"planned\": " + std::to_string(r.planned) +
                    ", \"ran\": " + std::to_string(r.trials.size()) +
                    ", \"interrupted\": " + (r.interrupted ? "true" : "false") +
                    ", \"budget_spent\": " + (r.budgetSpent ? "true" : "false") +
                    ", \"discarded\": " + (r.discarded.empty() ? "null" : jsonString(r.discarded)) +
                    ", \"seconds\": " + jsonNumber(r.seconds) + ", \"epochs_trained\": " +
                    std::to_string(r.epochsTrained) + ", \"trials\": [";
    for (std::size_t i = 0; i < r.trials.size(); ++i) {
        const nn::TrialOutcome& t = r.trials[i];
        s += i ? ", " : "";
        s += "{\"rank\": " + std::to_string(i + 1) + ", \"trial\": " + std::to_string(t.trial + 1) + ", \"settings\": {";
        for (std::size_t k = 0; k < keys.size(); ++k)
            s += (k ? ", " : "") + jsonString(keys[k]) + ": " + jsonString(t.point.value(keys[k]));
        s += "}, \"mean\": " + (t.mean >= 0 ? jsonNumber(t.mean) : std::string("null")) +
             ", \"std\": " + (t.mean >= 0 ? jsonNumber(t.std) : std::string("null")) + ", \"folds\": [";
        for (std::size_t f = 0; f < t.foldAccuracy.size(); ++f)
            s += (f ? ", " : "") + (t.foldAccuracy[f] >= 0 ? jsonNumber(t.foldAccuracy[f]) : std::string("null"));
        s += "], \"epochs\": " + std::to_string(t.epochs) + ", \"status\": " + jsonString(t.status) +
             ", \"message\": " + jsonString(t.message) + ", \"seconds\": " + jsonNumber(t.seconds) + ", \"run_ids\": [";
        bool first = true;
        for (long long id : t.runIds)
            if (id > 0) {
                s += (first ? "" : ", ") + std::to_string(id);
                first = false;
            }
        s += "]}";
    }
    return s + "]}\n";
}

std::string newSearchId()
{
    return "sweep-" + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString() + "-" +
           QString::number(QRandomGenerator::global()->bounded(0x10000), 16).rightJustified(4, QLatin1Char('0')).toStdString();
}

}  // namespace

int sweepCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("sweep"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    if (!a.positional().isEmpty())
        throw UsageError("sweep: unexpected argument '" + a.positional().front().toStdString() + "'");
    std::vector<OptionDef> own;
    for (const OptionDef& o : def.options)
        if (QStringList{"grid", "random", "trials", "folds", "halving", "min-epochs", "budget", "search-seed", "json",
                        "csv"}
                .contains(o.name))
            own.push_back(o);
    const ParsedArgs trainArgs(*findCommand(QStringLiteral("train")), withoutOptions(args, own));
    const TrainOptions t = trainOptions(trainArgs);
    const SweepOptions o = sweepOptions(a, t);
    std::ostream& lines = o.json ? io.err : io.out;  // the per-trial lines

    std::vector<std::string> argv{"digitpad-cli", "sweep"};
    for (const QString& s : args)
        argv.push_back(s.toStdString());
    const std::string command = joinCommand(argv);

    // The data: MNIST's training images (the first --limit), loaded once for every trial.
    const std::string dataDir = app::resolveDataDir(t.dataDir).toStdString();
    auto all = std::make_shared<nn::Dataset>(nn::Dataset::loadMnist(dataDir, nn::Split::Train));
    std::string dataLabel = "MNIST";
    if (t.limit > 0 && t.limit < all->size()) {
        std::vector<int> first(std::size_t(t.limit));
        for (int i = 0; i < t.limit; ++i)
            first[std::size_t(i)] = i;
        all = std::make_shared<nn::Dataset>(all->subset(first));
        dataLabel = "MNIST (first " + formatCount(t.limit) + ")";
    }

    nn::SearchRequest req;
    req.base.spec = t.spec;
    req.base.config = t.config;
    req.base.frontEnd = "with digitpad-cli sweep";
    req.base.extraMetadata["command"] = command;
    req.trials = o.space.trials(o.trials, o.searchSeed);
    req.data = all;
    req.dataLabel = dataLabel;
    req.folds = o.folds;
    req.validationFraction = t.valFraction;
    req.foldSeed = o.searchSeed;
    req.halvingEta = o.halving;
    req.minEpochs = o.minEpochs;
    req.budget = o.budget;
    req.searchId = newSearchId();
    std::optional<QTemporaryDir> work;
    if (o.halving > 0) {
        work.emplace();
        if (!work->isValid())
            throw nn::FileError(work->path().toStdString(), "cannot create a folder for the rungs' checkpoints");
        req.workDir = work->path().toStdString();
    }

    std::unique_ptr<RunStore> store;
    if (t.record) {
        try {
            store = std::make_unique<RunStore>(t.runsDb.isEmpty() ? RunStore::defaultPath() : t.runsDb);
            if (!store->notice().isEmpty())
                io.err << "digitpad-cli: " << store->notice().toStdString() << "\n";
        } catch (const nn::Error& e) {
            io.err << "digitpad-cli: warning: the trials will not be recorded in the run history: " << e.what() << "\n";
        }
    }
    const std::string cpu = cpuModelFromCpuinfo(readCpuinfo());

    const int total = int(req.trials.size());
    lines << "search " << req.searchId << ": " << total << (total == 1 ? " trial" : " trials") << " of "
          << t.archLabel << " (" << t.spec << "), " << t.config.epochs << (t.config.epochs == 1 ? " epoch" : " epochs")
          << (o.halving > 0 ? " at most, successive halving with eta " + std::to_string(o.halving) : std::string())
          << ", on " << dataLabel << " in " << dataDir << ", "
          << (o.folds > 1 ? std::to_string(o.folds) + " stratified folds"
                          : formatFixed(100 * t.valFraction, 0) + "% held out for validation")
          << "\n";
    lines.flush();

    nn::SearchControl control;
    ProgressPrinter progress(io.err, io.errIsTerminal, io.terminalWidth);
    int noticed = 0;  // interrupts already announced
    nn::SearchResult result;
    {
        const SigintStop sigint([&control](int n) {
            if (n == 1)
                control.stopAfterTrial();
            else
                control.stopNow();
        });
        // Said on this thread (the signal's watcher must not write to the streams).
        const auto announce = [&] {
            const int n = sigint.interrupts();
            if (n == noticed)
                return;
            noticed = n;
            progress.clear();
            if (n == 1)
                io.err << "interrupted: finishing the current trial, then stopping (Ctrl-C again to stop now and "
                          "discard it)\n";
            else
                io.err << "interrupted again: stopping now; the unfinished trial is discarded\n";
            io.err.flush();
        };
        nn::SearchEvents ev;
        ev.runStarted = [&](const nn::TrialPoint& p, int trial, int fold, int rung, int epochs) {
            announce();
            std::string prefix = "trial " + std::to_string(trial + 1) + "/" + std::to_string(total);
            if (o.folds > 1)
                prefix += " fold " + std::to_string(fold + 1) + "/" + std::to_string(o.folds);
            if (o.halving > 0)
                prefix += " rung " + std::to_string(rung + 1) + " (to " + std::to_string(epochs) + ")";
            progress.setPrefix(prefix + " " + p.describe() + "  ");
        };
        ev.batch = [&](const nn::BatchReport& r) {
            announce();
            progress.batch(r);
        };
        ev.record = [&](nn::RunRecord& r) -> long long {
            if (!store)
                return 0;
            r.frontEnd = "cli";
            r.command = command;
            r.cpu = cpu + "; " + r.cpu;  // the model, then the engine level
            r.dataDir = dataDir;
            try {
                return store->add(r);
            } catch (const nn::Error& e) {
                progress.clear();
                io.err << "digitpad-cli: warning: a trial was not recorded in the run history: " << e.what() << "\n";
                store.reset();
                return 0;
            }
        };
        ev.trialEnded = [&](const nn::TrialOutcome& r) {
            progress.clear();
            lines << "trial " << r.trial + 1 << "/" << total << "  " << r.point.describe() << "  ";
            if (r.status == "diverged")
                lines << "diverged: " << r.message;
            else if (r.status == "halved")
                lines << r.message;
            else
                lines << "val " << accuracyText(r, o.folds) << "  (" << r.epochs << (r.epochs == 1 ? " epoch" : " epochs")
                      << (o.folds > 1 ? ", " + std::to_string(o.folds) + " folds" : std::string()) << ", "
                      << formatDuration(r.seconds) << ")";
            lines << std::endl;
        };
        ev.log = [&](const std::string& line) {
            if (line.rfind("rung ", 0) == 0) {
                progress.clear();
                lines << line << std::endl;
            }
        };
        result = nn::runSearch(req, ev, &control);
        announce();
    }
    progress.clear();

    const std::vector<std::string> keys = searchKeys(o.space);
    std::string summary = "search " + req.searchId + ": " + std::to_string(result.trials.size()) + " of " +
                          std::to_string(total) + " trials in " + formatDuration(result.seconds) + ", " +
                          std::to_string(result.epochsTrained) + " epochs trained";
    if (result.budgetSpent)
        summary += "; the budget was spent";
    if (result.interrupted)
        summary += "; interrupted" + (result.discarded.empty() ? std::string() : ", " + result.discarded + " discarded");
    if (store)
        summary += "; recorded in " + store->path().toStdString();
    if (o.json) {
        io.err << summary << "\n";
        io.out << resultsJson(result, req.searchId, keys, o.folds);
    } else {
        io.out << "\n" << summary << "\n" << resultsTable(result, keys, o.folds);
        if (!result.trials.empty() && result.trials.front().mean >= 0)
            io.out << "best: " << result.trials.front().point.describe() << " (val "
                   << accuracyText(result.trials.front(), o.folds) << ")\n";
    }
    io.out.flush();
    if (!o.csv.isEmpty()) {
        QSaveFile f(o.csv);
        const std::string text = resultsCsv(result, keys, o.folds);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
            !f.commit())
            throw nn::FileError(o.csv.toStdString(), "cannot write the results: " + f.errorString().toStdString());
        if (!o.json)
            io.out << "wrote " << o.csv.toStdString() << "\n";
    }
    return result.interrupted ? ExitInterrupted : ExitOk;
}

}  // namespace app::cli
