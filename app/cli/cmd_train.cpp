// digitpad-cli train
#include "cli.h"
#include "format.h"
#include "options.h"
#include "progress.h"
#include "sigint.h"
#include "util.h"

#include "common/defaultmodel.h"
#include "common/run_store.h"

#include <nn/serialize.h>
#include <nn/session.h>

#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <cmath>
#include <ostream>

namespace app::cli {

namespace {

// Fails early (before any training) when the model could not be saved: a
// device (/dev/full), a folder or "new.dpm/", a folder that cannot be written.
// Creates nothing; missing folders are made when the model is saved.
void checkOutputPath(const QString& out) { nn::checkWritable(out.toStdString(), true); }

// "model.dpm" -> "model.diverged.dpm" (in the same folder).
QString divergedPath(const QString& out)
{
    const QFileInfo fi(out);
    const QString base = fi.suffix().isEmpty() ? fi.fileName() : fi.completeBaseName();
    const QString suffix = fi.suffix().isEmpty() ? QStringLiteral("dpm") : fi.suffix();
    return QDir(fi.path()).filePath(base + QStringLiteral(".diverged.") + suffix);
}

// Saves the model, creating the folders of `out` first.
void saveOutput(const nn::Model& model, const QString& out)
{
    const QString dir = QFileInfo(out).absolutePath();
    if (!QDir().mkpath(dir))
        throw nn::FileError(out.toStdString(), "cannot create the folder " + dir.toStdString());
    nn::saveModel(model, out.toStdString());
}

// Adds the run to the run history. A failure is only a warning: the model is saved.
void recordRun(nn::RunRecord record, const TrainOptions& o, const std::string& command, const QString& model,
               const Io& io)
{
    record.frontEnd = "cli";
    record.command = command;
    record.modelPath = QFileInfo(model).absoluteFilePath().toStdString();
    record.cpu = cpuModelFromCpuinfo(readCpuinfo()) + "; " + record.cpu;  // the model, then the engine level
    try {
        RunStore store(o.runsDb.isEmpty() ? RunStore::defaultPath() : o.runsDb);
        if (!store.notice().isEmpty())
            io.err << "digitpad-cli: " << store.notice().toStdString() << "\n";
        store.add(record);
        io.out << "recorded as run " << record.id << " in " << store.path().toStdString() << "\n";
    } catch (const nn::Error& e) {
        io.err << "digitpad-cli: warning: the run was not recorded in the run history: " << e.what() << "\n";
    }
}

std::shared_ptr<const nn::Model> initialModel(const TrainOptions& o)
{
    if (o.initFrom.isEmpty())
        return nullptr;
    nn::Model m = app::loadModelFile(o.initFrom);
    if (!o.spec.empty() && o.spec != m.spec())
        throw UsageError("--init-from " + o.initFrom.toStdString() + " has architecture '" + m.spec() +
                         "', which differs from the one given ('" + o.spec + "'); leave out --arch/--preset to keep it");
    return std::make_shared<const nn::Model>(std::move(m));
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

    nn::SessionRequest req = sessionRequest(o);
    req.initial = initialModel(o);
    req.dataDir = app::resolveDataDir(o.dataDir).toStdString();
    req.mnistRequired = true;
    req.evaluateAfterStop = true;  // Ctrl-C still evaluates and saves
    req.checkpoint = (o.resume.isEmpty() ? o.checkpoint : o.resume).toStdString();
    req.resume = !o.resume.isEmpty();
    req.frontEnd = "with digitpad-cli";
    std::vector<std::string> argv{"digitpad-cli", "train"};
    for (const QString& s : args)
        argv.push_back(s.toStdString());
    const std::string command = joinCommand(argv);
    req.extraMetadata["command"] = command;
    if (!o.initFrom.isEmpty())
        req.extraMetadata["init_from"] = o.initFrom.toStdString();
    if (req.resume)
        req.extraMetadata["resumed_from"] = o.resume.toStdString();

    nn::RunControl control;
    ProgressPrinter progress(io.err, io.errIsTerminal, io.terminalWidth);
    nn::SessionResult result;
    int interrupts = 0;
    {
        const SigintStop sigint(control);
        nn::SessionEvents ev;
        ev.started = [&](const nn::SessionInfo& i) {
            const std::string label = i.resumed ? "resuming " + o.resume.toStdString() + " at epoch " +
                                                      std::to_string(i.firstEpoch + 1) + " of " + std::to_string(i.epochs)
                                      : o.initFrom.isEmpty() ? o.archLabel
                                                             : "fine-tuning " + o.initFrom.toStdString();
            io.out << "model: " << label << ": " << i.spec << " (" << formatCount(i.parameters) << " parameters)\n";
            io.out << "data: " << i.dataDir << ": " << formatCount(i.trainSize) << " training, "
                   << formatCount(i.validationSize) << " validation, " << formatCount(i.testSize) << " test images"
                   << (o.limit > 0 ? " (--limit " + std::to_string(o.limit) + ")" : std::string()) << "\n";
            if (i.styles > 0 || i.outliers > 0)
                io.out << "synthetic: " << formatCount(i.styles) << " digits in other styles (in the training images), "
                       << formatCount(i.outliers) << " non-digits for outlier exposure\n";
            io.out << "training: " << i.hyperparameters << ", " << i.threads << (i.threads == 1 ? " thread" : " threads")
                   << "\n";
            io.out.flush();
        };
        ev.log = [](const nn::UiText&) {};  // the lines below say it for the terminal
        ev.warning = [&](const nn::UiText& line) {
            progress.clear();
            io.err << nn::toString(line) << "\n";
        };
        ev.batch = [&](const nn::BatchReport& r) { progress.batch(r); };
        ev.epoch = [&](const nn::EpochReport& r) {
            progress.clear();
            io.out << epochLine(r) << std::endl;
        };
        ev.trained = [&](const nn::TrainResult& r, double seconds) {
            progress.clear();
            switch (r.status) {
            case nn::TrainResult::Finished:
            case nn::TrainResult::EarlyStopped:
                io.out << nn::toString(r.message) << " in " << formatDuration(seconds) << " ("
                       << formatCount(std::llround(r.imagesPerSecond)) << " img/s)\n";
                break;
            case nn::TrainResult::Stopped:
                io.err << "interrupted: " << nn::toString(r.message)
                       << "; evaluating and saving (Ctrl-C again to skip the evaluation)\n";
                break;
            case nn::TrainResult::Diverged:
                io.err << "digitpad-cli: " << nn::toString(r.message) << "\n";
                break;
            }
            io.out.flush();
        };
        // A second Ctrl-C skips the evaluation; the model is saved either way.
        ev.keepEvaluating = [&] { return sigint.interrupts() < 2; };
        nn::TrainingSession session(std::move(req), std::move(ev), &control);
        result = session.run();
        interrupts = sigint.interrupts();
    }

    if (result.testAccuracy >= 0) {
        io.out << "test accuracy " << formatPercent(result.testAccuracy) << " (loss " << formatFixed(result.testLoss, 4)
               << ") on " << formatCount(result.testSize) << " images\n";
        if (!std::isfinite(result.testLoss))
            io.err << "warning: the saved weights give a non-finite test loss; retrain with a lower learning rate\n";
    }
    else
        io.err << "evaluation skipped; the model is saved without a test accuracy\n";

    const nn::Model& model = *result.model;
    // A diverged model never silently replaces a good one.
    const QString out = result.status == nn::TrainResult::Diverged && !o.overwriteDiverged && QFileInfo::exists(o.out)
                            ? divergedPath(o.out)
                            : o.out;
    saveOutput(model, out);
    io.out << "saved " << out.toStdString() << "\n";
    if (out != o.out)
        io.err << "digitpad-cli: " << o.out.toStdString() << " was kept: the diverged model is saved beside it as "
               << out.toStdString() << " (--overwrite-diverged replaces it)\n";
    if (o.record)
        recordRun(std::move(result.record), o, command, out, io);
    io.out.flush();

    if (result.status == nn::TrainResult::Diverged)
        return ExitDiverged;
    if (result.status == nn::TrainResult::Stopped || interrupts > 0)
        return ExitInterrupted;
    return ExitOk;
}

}  // namespace app::cli
