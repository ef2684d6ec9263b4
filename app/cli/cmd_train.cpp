// digitpad-cli train
#include "cli.h"
#include "format.h"
#include "options.h"
#include "sigint.h"
#include "util.h"

#include "common/defaultmodel.h"

#include <nn/metrics.h>
#include <nn/serialize.h>
#include <nn/trainer.h>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <ostream>

namespace app::cli {

namespace {

using Clock = std::chrono::steady_clock;

// The progress bar on stderr: redrawn in place on a terminal, otherwise one
// plain line every ~2 seconds so that logs stay readable.
class ProgressPrinter {
public:
    ProgressPrinter(std::ostream& err, bool terminal, int width)
        : m_err(err), m_terminal(terminal), m_width(width), m_last(Clock::now())
    {
    }

    void batch(const nn::BatchReport& r)
    {
        const auto now = Clock::now();
        if (m_terminal) {
            const std::string line = progressLine(r, true, m_width);
            m_err << '\r' << line;
            if (line.size() < m_shown)
                m_err << std::string(m_shown - line.size(), ' ');
            m_err.flush();
            m_shown = line.size();
            return;
        }
        if (now - m_last < std::chrono::seconds(2))
            return;
        m_last = now;
        m_err << progressLine(r, false, 0) << '\n';
        m_err.flush();
    }

    // Erases the bar before something is printed on stdout (which may share the terminal).
    void clear()
    {
        if (!m_terminal || m_shown == 0)
            return;
        m_err << '\r' << std::string(m_shown, ' ') << '\r';
        m_err.flush();
        m_shown = 0;
    }

private:
    std::ostream& m_err;
    bool m_terminal;
    int m_width;
    std::size_t m_shown = 0;
    Clock::time_point m_last;  // of the last plain line
};

// Fails early (before any training) when the model could not be saved.
void checkOutputPath(const QString& out)
{
    const QFileInfo fi(out);
    if (fi.isDir())
        throw nn::FileError(out.toStdString(), "is a directory; --out needs a file name");
    const QDir dir = fi.absoluteDir();
    if (!dir.exists() && !QDir().mkpath(dir.absolutePath()))
        throw nn::FileError(out.toStdString(), "cannot create the directory " + dir.absolutePath().toStdString());
    if (!QFileInfo(dir.absolutePath()).isWritable())
        throw nn::FileError(out.toStdString(), "the directory " + dir.absolutePath().toStdString() + " is not writable");
}

nn::Model buildModel(const TrainOptions& o)
{
    if (o.initFrom.isEmpty())
        return nn::Model::fromSpec(o.spec);
    nn::Model m = app::loadModelFile(o.initFrom);
    if (!o.spec.empty() && o.spec != m.spec())
        throw UsageError("--init-from " + o.initFrom.toStdString() + " has architecture '" + m.spec() +
                         "', which differs from the one given ('" + o.spec + "'); leave out --arch/--preset to keep it");
    return m;
}

std::string statusName(nn::TrainResult::Status s)
{
    switch (s) {
    case nn::TrainResult::Finished: return "finished";
    case nn::TrainResult::Stopped: return "stopped";
    case nn::TrainResult::EarlyStopped: return "early-stopped";
    case nn::TrainResult::Diverged: return "diverged";
    }
    return "unknown";
}

}  // namespace

int trainCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("train"));
    const ParsedArgs parsed(def, args);
    if (parsed.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const TrainOptions o = trainOptions(parsed);
    checkOutputPath(o.out);

    nn::Model model = buildModel(o);
    if (o.initFrom.isEmpty())
        model.initialize(o.config.seed);

    std::string dir;
    nn::Dataset all = loadMnistSplit(o.dataDir, nn::Split::Train, &dir);
    const nn::Dataset test = loadMnistSplit(o.dataDir, nn::Split::Test);
    if (o.limit > 0 && o.limit < all.size()) {
        std::vector<int> first(static_cast<std::size_t>(o.limit));
        std::iota(first.begin(), first.end(), 0);
        all = all.subset(first);
    }
    auto [train, val] = all.splitValidation(o.valFraction, o.config.seed);
    all = nn::Dataset{};  // the two halves hold copies
    if (train.size() == 0)
        throw nn::Error("no training images left after the validation split (--val " +
                        formatFixed(o.valFraction, 3) + ", " + std::to_string(val.size()) + " images)");

    nn::TrainConfig cfg = o.config;
    cfg.progressIntervalSec = io.errIsTerminal ? 0.1 : 0.5;
    const int threads = effectiveThreads(cfg.threads);

    io.out << "model: " << (o.initFrom.isEmpty() ? o.archLabel : "fine-tuning " + o.initFrom.toStdString()) << ": "
           << model.spec() << " (" << formatCount((long long)model.params().size()) << " parameters)\n";
    io.out << "data: " << dir << ": " << formatCount(train.size()) << " training, " << formatCount(val.size())
           << " validation, " << formatCount(test.size()) << " test images"
           << (o.limit > 0 ? " (--limit " + std::to_string(o.limit) + ")" : std::string()) << "\n";
    io.out << "training: " << cfg.describe() << ", " << threads << (threads == 1 ? " thread" : " threads") << "\n";
    io.out.flush();

    nn::Trainer trainer(model, cfg);
    nn::RunControl control;
    ProgressPrinter progress(io.err, io.errIsTerminal, io.terminalWidth);
    nn::TrainResult result;
    std::optional<nn::Metrics> testMetrics;
    double testLoss = 0;
    std::optional<double> valAccuracy;
    const auto start = Clock::now();
    double trainSeconds = 0;
    int interrupts = 0;
    {
        const SigintStop sigint(control);
        result = trainer.run(
            train, val, [&](const nn::BatchReport& r) { progress.batch(r); },
            [&](const nn::EpochReport& r, const nn::TrainState&) {
                progress.clear();
                io.out << epochLine(r) << std::endl;
            },
            &control);
        progress.clear();
        trainSeconds = std::chrono::duration<double>(Clock::now() - start).count();

        switch (result.status) {
        case nn::TrainResult::Finished:
        case nn::TrainResult::EarlyStopped:
            io.out << result.message << " in " << formatDuration(trainSeconds) << " ("
                   << formatCount(std::llround(result.imagesPerSecond)) << " img/s)\n";
            break;
        case nn::TrainResult::Stopped:
            io.err << "interrupted: " << result.message << "; evaluating and saving (Ctrl-C again to skip the evaluation)\n";
            break;
        case nn::TrainResult::Diverged:
            io.err << "digitpad-cli: " << result.message << "\n";
            break;
        }
        io.out.flush();

        // A second Ctrl-C skips the evaluation; the model is saved either way.
        bool cancelled = false;
        const auto keepGoing = [&](int, int) {
            cancelled = cancelled || sigint.interrupts() >= 2;
            return !cancelled;
        };
        if (val.size() > 0) {
            const nn::Evaluation e = nn::evaluate(model, val, cfg.threads, keepGoing);
            if (!cancelled)
                valAccuracy = nn::computeMetrics(e).accuracy;
        }
        if (!cancelled) {
            const nn::Evaluation e = nn::evaluate(model, test, cfg.threads, keepGoing);
            if (!cancelled) {
                testMetrics = nn::computeMetrics(e);
                testLoss = e.loss;
            }
        }
        interrupts = sigint.interrupts();
    }

    if (testMetrics) {
        io.out << "test accuracy " << formatPercent(testMetrics->accuracy) << " (loss " << formatFixed(testLoss, 4)
               << ") on " << formatCount(test.size()) << " images\n";
        if (!std::isfinite(testLoss))
            io.err << "warning: the saved weights give a non-finite test loss; retrain with a lower learning rate\n";
    }
    else
        io.err << "evaluation skipped; the model is saved without a test accuracy\n";

    auto& meta = model.metadata();
    meta.clear();
    meta["data"] = "MNIST " + dir + ": " + std::to_string(train.size()) + " training images, " +
                   std::to_string(val.size()) + " validation, " + std::to_string(test.size()) + " test";
    meta["epochs"] = std::to_string(result.epochsCompleted);
    meta["hyperparameters"] = cfg.describe();
    if (testMetrics)
        meta["test_accuracy"] = formatFixed(testMetrics->accuracy, 4);
    if (valAccuracy)
        meta["val_accuracy"] = formatFixed(*valAccuracy, 4);
    meta["date"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    std::vector<std::string> argv{"digitpad-cli", "train"};
    for (const QString& s : args)
        argv.push_back(s.toStdString());
    meta["command"] = joinCommand(argv);
    if (!o.initFrom.isEmpty())
        meta["init_from"] = o.initFrom.toStdString();
    if (result.status != nn::TrainResult::Finished)
        meta["status"] = statusName(result.status) + ": " + result.message;
    meta["train_seconds"] = formatFixed(trainSeconds, 1);
    meta["train_images_per_second"] = std::to_string(std::llround(result.imagesPerSecond));

    nn::saveModel(model, o.out.toStdString());
    io.out << "saved " << o.out.toStdString() << "\n";
    io.out.flush();

    if (result.status == nn::TrainResult::Diverged)
        return ExitDiverged;
    if (result.status == nn::TrainResult::Stopped || interrupts > 0)
        return ExitInterrupted;
    return ExitOk;
}

}  // namespace app::cli
