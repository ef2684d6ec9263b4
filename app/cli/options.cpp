#include "options.h"

#include <nn/augment.h>
#include <nn/model.h>
#include <nn/optim.h>
#include <nn/search.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace app::cli {

namespace {

OptionDef opt(const char* name, const char* valueName, const char* help)
{
    return {QString::fromLatin1(name), QString::fromLatin1(valueName), QString::fromUtf8(help)};
}

const OptionDef kData = opt("data", "DIR", "MNIST directory (default: $DIGITPAD_DATA, else ~/.local/share/DigitPad/mnist)");
const OptionDef kThreads = opt("threads", "N", "worker threads (default 0: one per hardware thread)");
const OptionDef kRunsDb =
    opt("runs-db", "FILE", "the run history (default: $DIGITPAD_RUNS_DB, else ~/.local/share/DigitPad/runs.sqlite)");

std::vector<CommandDef> makeCommands()
{
    std::vector<CommandDef> c;
    c.push_back({QStringLiteral("train"), QStringLiteral("[options]"),
                 QStringLiteral("train a model on MNIST and save it"),
                 QStringLiteral(
                     "Trains a model on the MNIST training set, prints one line per epoch (train loss,\n"
                     "validation loss and accuracy), evaluates it on the test set and saves it with its\n"
                     "training metadata. A progress bar is drawn on stderr. Ctrl-C (or SIGTERM, SIGHUP)\n"
                     "stops after the current batch and still saves (exit code 130). A diverging run (a NaN\n"
                     "loss, or one grown 1000-fold) stops, saves the last good weights and exits with code\n"
                     "3; it never replaces an existing --out model unless --overwrite-diverged is given."),
                 {opt("preset", "NAME", "architecture preset: mlp, lenet5, cnn (default), ref"),
                  opt("arch", "SPEC", "architecture spec, e.g. \"conv 32 5 pad=2 | relu | maxpool 2 | dense 10\""),
                  opt("init-from", "FILE", "fine-tune: start from this model's architecture and weights"),
                  opt("epochs", "N", "epochs (default 10)"),
                  opt("batch", "N", "batch size (default 64)"),
                  opt("lr", "RATE", "learning rate (default 0.001 for adam/adamw/rmsprop, 0.01 for sgd)"),
                  opt("optimizer", "NAME", "sgd, adam (default), adamw or rmsprop"),
                  opt("momentum", "M", "momentum for sgd (default 0.9) and rmsprop (default 0)"),
                  opt("nesterov", "", "SGD with Nesterov momentum"),
                  opt("rho", "R", "rmsprop: decay of the mean square of the gradient (default 0.9)"),
                  opt("weight-decay", "W", "L2 weight decay, decoupled for adamw (default 0)"),
                  opt("l1", "L", "L1 regularisation of the weights: adds L * sign(w) to their gradient (default 0)"),
                  opt("schedule", "NAME", "learning-rate schedule: constant (default), step, cosine, plateau"),
                  opt("step-epochs", "N", "step schedule: multiply by --gamma every N epochs (default 5)"),
                  opt("gamma", "G", "step schedule factor (default 0.5)"),
                  opt("min-lr", "RATE", "cosine schedule floor (default 0)"),
                  opt("plateau-patience", "N", "plateau schedule: epochs without improvement before halving (default 2)"),
                  opt("warmup", "N", "linear learning-rate warm-up over N batches (default 0)"),
                  opt("loss", "NAME", "ce (softmax cross-entropy, default) or mse"),
                  opt("augment", "SPEC",
                      "augmentation: none (default), standard (also a bare --augment), or keys such as\n"
                      "\"rot=10,scale=0.9:1.1,shift=2,shear=10,elastic=8:4,thick=-0.5:1,contrast=0.7:1,noise=0.05\""),
                  opt("val", "FRACTION", "fraction of the training images held out for validation (default 0.1)"),
                  opt("patience", "N", "early stop after N epochs without validation improvement (default 0: off)"),
                  opt("limit", "N", "use only the first N training images (quick runs)"),
                  opt("styles", "N",
                      "add N synthetic digits in styles MNIST lacks (a 1 with a long flag or a base serif,\n"
                      "a crossed 7, an open or a closed 4, a straight-stemmed 9, a looped 2), drawn as\n"
                      "strokes and preprocessed as the pad does, to the training set (default 0)"),
                  opt("outliers", "N",
                      "outlier exposure: synthesise N non-digits (letters, shapes, scribbles, hatching,\n"
                      "crossed-out digits) and train towards a uniform softmax on them, so that \"not a\n"
                      "digit\" flags such drawings (default 0: off)"),
                  opt("outlier-batch", "N", "non-digits added to every batch with --outliers (default 32)"),
                  opt("outlier-weight", "W",
                      "weight of the non-digits' loss against the digits' (default 0.5; 0.1 with --outlier-loss energy)"),
                  opt("outlier-loss", "KIND",
                      "what --outliers trains: uniform (the non-digits' softmax towards uniform, the default) or\n"
                      "energy (Liu et al. 2020: the score logsumexp of the logits, which \"not a digit\"\n"
                      "thresholds, pushed above IN for digits and below OUT for non-digits)"),
                  opt("energy-margins", "IN:OUT", "--outlier-loss energy: the two margins (default 10:3)"),
                  opt("adversarial", "EPS",
                      "adversarial training (Madry et al. 2018): replace --adversarial-fraction of every\n"
                      "batch's digits by L-inf adversarial versions within EPS (pixels in [0, 1]; default 0: off)"),
                  opt("adversarial-steps", "N", "--adversarial: 1 for FGSM (default), more for PGD with N steps"),
                  opt("adversarial-fraction", "F", "--adversarial: share of each batch's digits attacked (default 0.5)"),
                  opt("synth-seed", "N", "seed of the synthetic styles and non-digits (default 1)"),
                  opt("seed", "N", "random seed for initialisation, shuffling, augmentation, dropout (default 1)"),
                  opt("checkpoint", "FILE", "write a checkpoint (weights, optimizer state, settings) after every epoch"),
                  opt("resume", "CKPT",
                      "continue the run saved in this checkpoint with its own architecture and settings\n"
                      "(the options that describe the run are then ignored); it keeps being updated"),
                  kThreads, kData,
                  opt("out", "FILE", "where to save the model (default model.dpm)"),
                  opt("overwrite-diverged", "",
                      "let a diverged run replace an existing --out model (otherwise it is saved beside\n"
                      "it as NAME.diverged.dpm)"),
                  opt("no-record", "", "do not record the run in the run history"), kRunsDb}});
    c.push_back({QStringLiteral("eval"), QStringLiteral("[options]"),
                 QStringLiteral("accuracy, confusion matrix and per-class metrics of a model"),
                 QStringLiteral("Evaluates a model (the embedded default model unless --model is given) on an MNIST\n"
                                "split and prints its accuracy, confusion matrix (rows = true label) and per-class\n"
                                "precision, recall and F1. With --json, prints one JSON object instead."),
                 {opt("model", "FILE", "model file (default: the embedded default model)"),
                  opt("split", "NAME", "test (default) or train"), kData,
                  opt("json", "", "print only a JSON object: accuracy, loss, confusion, per_class, macro, weighted"),
                  kThreads}});
    c.push_back({QStringLiteral("predict"), QStringLiteral("[options] IMAGE..."),
                 QStringLiteral("recognise the digit in image files"),
                 QStringLiteral(
                     "Reads each image (PNG, JPEG, ... of any size), preprocesses it the way MNIST was\n"
                     "made and prints the digit, its probability and all ten probabilities. An image\n"
                     "without ink is reported as empty. When the model is calibrated (digitpad-cli\n"
                     "calibrate; the default model is) and the image scores as no digit, it is reported\n"
                     "as \"not a digit\" with the probabilities still shown. With --csv, prints the header\n"
                     "file,digit,probability,p0,...,p9 and one row per readable image in the order given;\n"
                     "an empty image has digit \"empty\" and blank probability fields, a non-digit has\n"
                     "digit \"none\" and the probabilities as usual. An unreadable file\n"
                     "gets a message on stderr and no row, the others are still predicted, and the exit\n"
                     "code is 1.\n"
                     "With --number, each image holds a number of one or more digits (\"42\"): it is split\n"
                     "into its digits (by gaps, and by cuts where touching digits' ink is thinnest) and\n"
                     "prints the number, its probability (the product of the digits') and each digit with\n"
                     "its probability, marked when it scores as no digit. With --csv too, the header\n"
                     "is file,number,probability,digits,probabilities (digits' probabilities separated by\n"
                     "spaces)."),
                 {opt("model", "FILE", "model file (default: the embedded default model)"),
                  opt("csv", "", "CSV output"),
                  opt("number", "", "read a number of several digits in each image")}});
    c.push_back({QStringLiteral("calibrate"), QStringLiteral("[options] --out FILE"),
                 QStringLiteral("fit the temperature and the not-a-digit threshold of a model"),
                 QStringLiteral(
                     "Fits temperature scaling (the temperature that minimises the negative log-likelihood)\n"
                     "and the not-a-digit threshold (the score below which --rate of the digits fall) on a\n"
                     "fixed, seeded half of the MNIST test set, stores both in the model's metadata and saves\n"
                     "it to --out; the weights are not changed. The other half is never fitted on: the\n"
                     "fraction of its digits flagged and its ECE before and after are printed. (The test set\n"
                     "is used because DigitPad's models may have trained on every training image.)"),
                 {opt("model", "FILE", "model file (default: the embedded default model)"),
                  opt("out", "FILE", "where to save the calibrated model (required)"),
                  opt("rate", "FRACTION", "fraction of the fitted digits that may be flagged (default 0.01)"),
                  kData, kThreads}});
    // export: its own options, then train's that describe a run (one table).
    std::vector<OptionDef> exportOptions{
        opt("onnx", "FILE", "write the model (--model, default: the embedded default model) as ONNX (opset 13)"),
        opt("model", "FILE", "model to export with --onnx (a .dpm or .onnx file); with --torch, its architecture"),
        opt("softmax", "", "--onnx: end with a Softmax, so that the output is probabilities instead of logits"),
        opt("torch", "DIR", "write a PyTorch project (train.py for torchrun, README.md) into DIR, a new or empty folder"),
        opt("force", "", "--torch: write into a folder that is not empty, replacing its train.py and README.md\n"
                         "(everything else in it stays)")};
    // train's options that do not describe the run (or that the project takes when it runs: --data, --threads).
    for (const OptionDef& o : c.front().options)
        if (!QStringList{"init-from", "checkpoint", "resume", "threads", "data", "out", "overwrite-diverged",
                         "no-record", "runs-db", "adversarial", "adversarial-steps", "adversarial-fraction"}
                 .contains(o.name))
            exportOptions.push_back(o);
    c.push_back({QStringLiteral("export"), QStringLiteral("--onnx FILE | --torch DIR [options]"),
                 QStringLiteral("write a model as ONNX, or a PyTorch project to train one with torchrun"),
                 QStringLiteral(
                     "--onnx FILE writes the model as ONNX (opset 13, the model's metadata as metadata_props),\n"
                     "for Netron, ONNX Runtime, OpenCV and the like.\n"
                     "--torch DIR writes a self-contained PyTorch project for the architecture (--arch or\n"
                     "--preset, else --model's, else the default CNN) with the training options given here\n"
                     "(the same defaults as train): train.py runs under torchrun --nnodes N --nproc_per_node M\n"
                     "with DistributedDataParallel and ends by writing model.onnx, which DigitPad opens\n"
                     "(File > Open Model, --model). DIR/README.md says where PyTorch differs. Settings the\n"
                     "project cannot reproduce (--styles, --outliers) are refused. The GUI writes the same\n"
                     "project for the Train page's settings (File > Export as PyTorch Project)."),
                 exportOptions});
    c.push_back({QStringLiteral("robustness"), QStringLiteral("[options]"),
                 QStringLiteral("accuracy under adversarial attack (FGSM, PGD) against eps"),
                 QStringLiteral(
                     "Attacks every MNIST test image (or the first --limit) away from its true label with\n"
                     "FGSM (--steps 1) or PGD (--steps N, step 2.5 eps / N) within an L-inf or L2 ball of\n"
                     "radius eps around it, pixels kept in [0, 1], and prints the accuracy that remains at\n"
                     "each eps. The objective is the logit margin; gradients come from the engine's own\n"
                     "backward pass. With --json, prints one JSON object instead."),
                 {opt("model", "FILE", "model file (default: the embedded default model)"),
                  opt("eps", "LIST", "comma-separated radii (default 0,0.02,0.05,0.1,0.15,0.2,0.3)"),
                  opt("steps", "N", "1 for FGSM (default), more for PGD"),
                  opt("norm", "NAME", "linf (default) or l2"),
                  opt("random-start", "", "PGD from a seeded random point of the ball"),
                  opt("seed", "N", "seed of the random start (default 1)"),
                  opt("limit", "N", "attack only the first N test images (default: all 10,000)"),
                  opt("json", "", "print only a JSON object: eps, accuracy, samples"), kData, kThreads}});
    c.push_back({QStringLiteral("info"), QStringLiteral("[FILE]"),
                 QStringLiteral("architecture, parameter count and metadata of a model"),
                 QStringLiteral("Prints a model file's architecture (layer, output shape, parameters), its\n"
                                "parameter count and its training metadata. Without FILE, the embedded default model."),
                 {}});
    c.push_back({QStringLiteral("bench"), QStringLiteral("[options]"),
                 QStringLiteral("training and inference speed on this machine"),
                 QStringLiteral(
                     "Measures, for one network: training throughput (img/s) over a fixed number of\n"
                     "batches after a warm-up (SGD, momentum 0.9, softmax cross-entropy); batch-1\n"
                     "inference latency (median and p99 over many calls); and inference throughput over\n"
                     "the test set. Uses MNIST when present, random images otherwise. Prints the thread\n"
                     "count and the CPU model."),
                 {opt("preset", "NAME", "network preset: mlp, lenet5, cnn (default), ref"),
                  opt("arch", "SPEC", "network spec instead of a preset"),
                  opt("batch", "N", "training batch size (default 64)"),
                  opt("batches", "N", "timed training batches (default 200)"),
                  opt("warmup", "N", "training batches before timing starts (default 20)"),
                  opt("calls", "N", "batch-1 inference calls for the latency figures (default 2000)"),
                  opt("repeats", "N", "test-set inference passes; the median is reported (default 3)"),
                  kThreads, kData,
                  opt("seed", "N", "random seed (default 1)"),
                  opt("scaling", "", "also time training on 1 thread and print the speed-up of --threads over it"),
                  opt("json", "", "print one JSON object instead of text")}});
    // sweep: its own options, then train's that describe the base run of every trial (one table).
    QString keys;
    for (const nn::SearchParam& p : nn::searchParams())
        keys += QStringLiteral("\n  %1  %2").arg(QString::fromLatin1(p.key), -8).arg(QString::fromUtf8(p.help));
    std::vector<OptionDef> sweepOptions{
        opt("grid", "SPEC",
            "grid dimensions, every combination tried: KEY=V1,V2,... separated by spaces,\n"
            "e.g. \"lr=1e-3,3e-3 batch=32,64\"; a value with spaces in quotes (arch='dense 10')"),
        opt("random", "SPEC",
            "random dimensions, one value drawn per trial: KEY=LOW:HIGH (uniform), KEY=log:LOW:HIGH\n"
            "(log-uniform) or KEY=V1,V2,... (one of them), e.g. \"wd=log:1e-6:1e-3 dropout=0:0.5\""),
        opt("trials", "N",
            "configurations to try (default: the grid's size, 10 with --random alone); trial i takes\n"
            "grid point i mod the grid's size and its own random draw"),
        opt("folds", "K", "stratified K-fold cross-validation (default 1: --val held out once)"),
        opt("halving", "ETA",
            "successive halving: train every trial to --min-epochs, keep the best 1/ETA, train those\n"
            "ETA times as long, and so on up to --epochs; the others stop early"),
        opt("min-epochs", "N", "--halving: the first rung's epochs (default 1)"),
        opt("budget", "LIMIT",
            "start no trial once this much time (30m, 90s, 1h30m) or this many epochs (40e, each fold\n"
            "counted) is spent"),
        opt("search-seed", "N", "seed of the random draws and of the folds (default: --seed)"),
        opt("json", "", "print the results as JSON on stdout (the per-trial lines go to stderr)"),
        opt("csv", "FILE", "also write the results table as CSV to FILE")};
    for (const OptionDef& o : c.front().options)
        if (!QStringList{"init-from", "checkpoint", "resume", "out", "overwrite-diverged", "styles", "outliers",
                         "outlier-batch", "outlier-weight", "outlier-loss", "energy-margins", "synth-seed"}
                 .contains(o.name))
            sweepOptions.push_back(o);
    c.push_back({QStringLiteral("sweep"), QStringLiteral("--grid SPEC | --random SPEC [options]"),
                 QStringLiteral("hyperparameter search: grid or random, k-fold, successive halving"),
                 QStringLiteral(
                     "Trains one configuration per trial on MNIST's training images (the first --limit) and\n"
                     "ranks them by validation accuracy: with --folds K, each trial trains K times, once per\n"
                     "stratified fold, and its mean and standard deviation across the folds are shown. Every\n"
                     "fold is a normal training run recorded in the run history with the search's id, its\n"
                     "trial and its fold (see 'digitpad-cli runs' and the Runs page); no model file is saved.\n"
                     "The train options below set what the trials do not change. A progress line shows the\n"
                     "trial, fold and batch on stderr, a line per finished trial goes to stdout, and the\n"
                     "results table, best first, at the end (trials that got further under --halving rank\n"
                     "first; diverged ones last). Ctrl-C (or SIGTERM, SIGHUP) stops after the current trial\n"
                     "and prints the results so far (exit code 130); a second one stops at once and discards\n"
                     "the unfinished trial. KEYs:") +
                     keys,
                 sweepOptions});
    c.push_back({QStringLiteral("runs"), QStringLiteral("list|show ID|compare ID ID...|export [options]"),
                 QStringLiteral("the run history: list, show, compare and export recorded runs"),
                 QStringLiteral(
                     "Every 'digitpad-cli train' and every training run in the GUI is recorded in the run\n"
                     "history (an SQLite database shared by both). 'runs list' prints one line per run, newest\n"
                     "first; 'runs show ID' a run's settings, metrics, per-epoch curve, per-class error and the\n"
                     "pad's prediction latency; 'runs compare ID ID...' the settings that differ and the metrics\n"
                     "side by side; 'runs export' the table as CSV (to --csv FILE or stdout) and, with --curves\n"
                     "FILE, every run's per-epoch and per-batch curves."),
                 {opt("json", "", "list, show, compare: print JSON instead of text"),
                  opt("csv", "FILE", "export: write the table to FILE instead of stdout"),
                  opt("curves", "FILE", "export: also write the curves of every run to FILE"),
                  opt("status", "NAME", "list, export: only runs that ended so (finished, stopped, early-stopped, diverged)"),
                  opt("filter", "WORDS", "list, export: only runs whose settings or columns contain every word"),
                  kRunsDb}});
    return c;
}

}  // namespace

const std::vector<CommandDef>& commands()
{
    static const std::vector<CommandDef> c = makeCommands();
    return c;
}

const CommandDef* findCommand(const QString& name)
{
    for (const auto& c : commands())
        if (c.name == name)
            return &c;
    return nullptr;
}

std::string globalHelp()
{
    QString s = QStringLiteral(
        "digitpad-cli: train, evaluate and run DigitPad's handwritten-digit CNN.\n\n"
        "Usage: digitpad-cli COMMAND [options]\n\nCommands:\n");
    for (const auto& c : commands())
        s += QStringLiteral("  %1  %2\n").arg(c.name, -8).arg(c.summary);
    s += QStringLiteral(
        "\nRun 'digitpad-cli COMMAND --help' for a command's options.\n"
        "The MNIST directory is --data DIR, else $DIGITPAD_DATA, else ~/.local/share/DigitPad/mnist\n"
        "(scripts/fetch-mnist puts the files there).\n"
        "Exit codes: 0 success, 1 error, 2 usage error, 3 training diverged, 130 training interrupted\n"
        "(the model is still saved).\n");
    return s.toStdString();
}

std::string commandHelp(const CommandDef& def)
{
    QString s = QStringLiteral("Usage: digitpad-cli %1 %2\n\n%3\n").arg(def.name, def.synopsis, def.description);
    std::vector<OptionDef> all = def.options;
    all.push_back({QStringLiteral("help"), {}, QStringLiteral("show this help")});
    int width = 0;
    QStringList heads;
    for (const auto& o : all) {
        QString h = QStringLiteral("  --") + o.name;
        if (!o.valueName.isEmpty())
            h += QLatin1Char(' ') + o.valueName;
        width = std::max(width, int(h.size()));
        heads << h;
    }
    s += QStringLiteral("\nOptions:\n");
    for (std::size_t i = 0; i < all.size(); ++i) {
        const QStringList lines = all[i].help.split(QLatin1Char('\n'));
        s += heads[int(i)].leftJustified(width + 2) + lines.front() + QLatin1Char('\n');
        for (int l = 1; l < lines.size(); ++l)
            s += QString(width + 2, QLatin1Char(' ')) + lines[l] + QLatin1Char('\n');
    }
    return s.toStdString();
}

// ---- ParsedArgs ---------------------------------------------------------------

ParsedArgs::ParsedArgs(const CommandDef& def, const QStringList& args)
    : m_def(def), m_parser(std::make_unique<QCommandLineParser>())
{
    m_parser->setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser->addOption(QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}));
    for (const auto& o : def.options) {
        QCommandLineOption q(o.name);
        if (!o.valueName.isEmpty())
            q.setValueName(o.valueName);
        m_parser->addOption(q);
    }
    QStringList full{QStringLiteral("digitpad-cli")};
    full += def.name == QLatin1String("train") || def.name == QLatin1String("export") || def.name == QLatin1String("sweep") ? expandOptionalAugment(args) : args;
    if (!m_parser->parse(full)) {
        // Qt's messages look like "Unknown option 'foo'." -- keep them, minus the final dot.
        QString e = m_parser->errorText();
        if (e.endsWith(QLatin1Char('.')))
            e.chop(1);
        throw UsageError(def.name.toStdString() + ": " + e.toStdString());
    }
    if (helpRequested())
        return;
    if (def.synopsis == QLatin1String("[options]") && !m_parser->positionalArguments().isEmpty())
        throw UsageError(def.name.toStdString() + ": unexpected argument '" +
                         m_parser->positionalArguments().front().toStdString() + "'");
}

ParsedArgs::~ParsedArgs() = default;

bool ParsedArgs::helpRequested() const { return m_parser->isSet(QStringLiteral("help")); }
bool ParsedArgs::isSet(const QString& name) const { return m_parser->isSet(name); }

QString ParsedArgs::value(const QString& name, const QString& fallback) const
{
    return m_parser->isSet(name) ? m_parser->value(name) : fallback;
}

int ParsedArgs::intValue(const QString& name, int fallback, int min, int max) const
{
    if (!m_parser->isSet(name))
        return fallback;
    const QString v = m_parser->value(name).trimmed();
    bool ok = false;
    const qlonglong x = v.toLongLong(&ok);
    if (!ok)
        throw UsageError("--" + name.toStdString() + ": expected a whole number, got '" + v.toStdString() + "'");
    if (x < min || x > max)
        throw UsageError("--" + name.toStdString() + ": " + v.toStdString() + " is out of range (" +
                         std::to_string(min) + " to " + std::to_string(max) + ")");
    return int(x);
}

std::uint64_t ParsedArgs::seedValue(const QString& name, std::uint64_t fallback) const
{
    if (!m_parser->isSet(name))
        return fallback;
    const QString v = m_parser->value(name).trimmed();
    bool ok = false;
    const std::uint64_t x = v.toULongLong(&ok);
    if (!ok)
        throw UsageError("--" + name.toStdString() + ": expected a non-negative whole number, got '" + v.toStdString() +
                         "'");
    return x;
}

double ParsedArgs::doubleValue(const QString& name, double fallback, double min, double max) const
{
    if (!m_parser->isSet(name))
        return fallback;
    const QString v = m_parser->value(name).trimmed();
    bool ok = false;
    const double x = v.toDouble(&ok);
    if (!ok || !std::isfinite(x))
        throw UsageError("--" + name.toStdString() + ": expected a number, got '" + v.toStdString() + "'");
    if (x < min || x > max)
        throw UsageError("--" + name.toStdString() + ": " + v.toStdString() + " is out of range (" +
                         QString::number(min).toStdString() + " to " + QString::number(max).toStdString() + ")");
    return x;
}

QStringList ParsedArgs::positional() const { return m_parser->positionalArguments(); }

// ---- train ------------------------------------------------------------------------

QStringList withoutOptions(const QStringList& args, const std::vector<OptionDef>& own)
{
    QStringList out;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if (a == QLatin1String("--")) {
            out += args.mid(i);
            break;
        }
        QString name = a;
        while (name.startsWith(QLatin1Char('-')))
            name.remove(0, 1);
        const QString key = name.section(QLatin1Char('='), 0, 0);
        const auto it = std::find_if(own.begin(), own.end(), [&](const OptionDef& o) { return o.name == key; });
        if (!a.startsWith(QLatin1Char('-')) || it == own.end()) {
            out << a;
            continue;
        }
        if (!it->valueName.isEmpty() && !name.contains(QLatin1Char('=')))
            ++i;  // its value
    }
    return out;
}

QStringList expandOptionalAugment(const QStringList& args)
{
    QStringList out;
    for (int i = 0; i < args.size(); ++i) {
        out << args[i];
        if (args[i] == QLatin1String("--"))
        {
            out += args.mid(i + 1);
            break;
        }
        if (args[i] == QLatin1String("--augment") || args[i] == QLatin1String("-augment")) {
            const bool last = i + 1 == args.size();
            if (last || args[i + 1].startsWith(QLatin1Char('-')))
                out << QStringLiteral("standard");
        }
    }
    return out;
}

nn::AugmentParams augmentFromText(const QString& text)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("none") || t == QLatin1String("off")) {
        nn::AugmentParams p;
        p.enabled = false;
        return p;
    }
    if (t.isEmpty() || t == QLatin1String("standard")) {
        nn::AugmentParams p = nn::AugmentParams::standard();
        p.enabled = true;
        return p;
    }
    try {
        nn::AugmentParams p = nn::AugmentParams::parse(t.toStdString());
        p.enabled = true;
        return p;
    } catch (const nn::Error& e) {
        throw UsageError(std::string("--augment: ") + e.what());
    }
}

std::string resolveArch(const ParsedArgs& args, std::string* label)
{
    const bool preset = args.isSet(QStringLiteral("preset"));
    const bool arch = args.isSet(QStringLiteral("arch"));
    if (preset && arch)
        throw UsageError("give either --arch or --preset, not both");
    try {
        if (preset) {
            const QString name = args.value(QStringLiteral("preset")).trimmed();
            if (label)
                *label = name.toStdString();
            return nn::Model::presetSpec(name.toStdString());
        }
        if (arch) {
            const std::string spec = args.value(QStringLiteral("arch")).toStdString();
            if (label)
                *label = "custom";
            // Parse and shape-check now so that a typo is reported before any data is loaded.
            return nn::Model::fromSpec(spec).spec();
        }
    } catch (const nn::SpecError& e) {
        throw UsageError(std::string(preset ? "--preset: " : "--arch: ") + e.what());
    }
    return {};
}

TrainOptions trainOptions(const ParsedArgs& a)
{
    TrainOptions o;
    nn::TrainConfig& c = o.config;
    o.spec = resolveArch(a, &o.archLabel);
    o.initFrom = a.value(QStringLiteral("init-from"));
    if (o.spec.empty() && o.initFrom.isEmpty()) {
        o.archLabel = "cnn";
        o.spec = nn::Model::presetSpec("cnn");
    }
    o.out = a.value(QStringLiteral("out"), o.out);
    if (o.out.trimmed().isEmpty())
        throw UsageError("--out: empty file name");
    o.dataDir = a.value(QStringLiteral("data"));

    c.epochs = a.intValue(QStringLiteral("epochs"), 10, 1, 100000);
    c.batchSize = a.intValue(QStringLiteral("batch"), 64, 1, 65536);
    try {
        c.optimizer.kind = nn::OptimizerConfig::parseKind(a.value(QStringLiteral("optimizer"), QStringLiteral("adam"))
                                                              .trimmed().toLower().toStdString());
        c.schedule.kind = nn::ScheduleConfig::parseKind(
            a.value(QStringLiteral("schedule"), QStringLiteral("constant")).trimmed().toLower().toStdString());
    } catch (const nn::Error& e) {
        throw UsageError(e.what());
    }
    const double defaultLr = c.optimizer.kind == nn::OptimizerConfig::SGD ? 0.01 : 0.001;
    c.learningRate = float(a.doubleValue(QStringLiteral("lr"), defaultLr, 1e-12, 100.0));
    if (!(c.learningRate > 0.0f))
        throw UsageError("--lr: must be greater than 0");
    const nn::OptimizerConfig::Kind kind = c.optimizer.kind;
    if (a.isSet(QStringLiteral("momentum")) && !nn::OptimizerConfig::usesMomentum(kind))
        throw UsageError("--momentum applies to --optimizer sgd and rmsprop only");
    c.optimizer.momentum = float(
        a.doubleValue(QStringLiteral("momentum"), nn::OptimizerConfig::defaultMomentum(kind), 0.0, 0.9999));
    c.optimizer.nesterov = a.isSet(QStringLiteral("nesterov"));
    if (c.optimizer.nesterov && kind != nn::OptimizerConfig::SGD)
        throw UsageError("--nesterov applies to --optimizer sgd only");
    if (a.isSet(QStringLiteral("rho")) && kind != nn::OptimizerConfig::RMSprop)
        throw UsageError("--rho applies to --optimizer rmsprop only");
    c.optimizer.rho = float(a.doubleValue(QStringLiteral("rho"), c.optimizer.rho, 0.0, 0.9999));
    c.optimizer.weightDecay = float(a.doubleValue(QStringLiteral("weight-decay"), 0.0, 0.0, 1.0));
    c.optimizer.l1 = float(a.doubleValue(QStringLiteral("l1"), 0.0, 0.0, 1.0));
    c.schedule.stepEpochs = a.intValue(QStringLiteral("step-epochs"), c.schedule.stepEpochs, 1, 100000);
    c.schedule.gamma = float(a.doubleValue(QStringLiteral("gamma"), c.schedule.gamma, 1e-6, 1.0));
    c.schedule.minLr = float(a.doubleValue(QStringLiteral("min-lr"), 0.0, 0.0, 100.0));
    c.schedule.patience = a.intValue(QStringLiteral("plateau-patience"), c.schedule.patience, 1, 100000);
    c.schedule.warmupBatches = a.intValue(QStringLiteral("warmup"), 0, 0, 100000000);

    const QString loss = a.value(QStringLiteral("loss"), QStringLiteral("ce")).trimmed().toLower();
    if (loss == QLatin1String("ce") || loss == QLatin1String("cross-entropy"))
        c.loss = nn::LossKind::CrossEntropy;
    else if (loss == QLatin1String("mse"))
        c.loss = nn::LossKind::MSE;
    else
        throw UsageError("--loss: unknown loss '" + loss.toStdString() + "' (known: ce, mse)");

    c.augment = augmentFromText(a.value(QStringLiteral("augment"), QStringLiteral("none")));
    o.valFraction = a.doubleValue(QStringLiteral("val"), 0.1, 0.0, 0.9);
    c.earlyStopPatience = a.intValue(QStringLiteral("patience"), 0, 0, 100000);
    if (c.earlyStopPatience > 0 && o.valFraction <= 0.0)
        throw UsageError("--patience needs a validation set (--val greater than 0)");
    o.limit = a.intValue(QStringLiteral("limit"), 0, 0, std::numeric_limits<int>::max());
    o.styles = a.intValue(QStringLiteral("styles"), 0, 0, 1000000);
    o.outliers = a.intValue(QStringLiteral("outliers"), 0, 0, 1000000);
    if (o.outliers > 0) {
        c.outlierBatch = a.intValue(QStringLiteral("outlier-batch"), 32, 1, 65536);
        if (c.loss != nn::LossKind::CrossEntropy)
            throw UsageError("--outliers needs --loss ce");
        const QString kind = a.value(QStringLiteral("outlier-loss"), QStringLiteral("uniform"));
        if (kind != QLatin1String("uniform") && kind != QLatin1String("energy"))
            throw UsageError("--outlier-loss: unknown kind '" + kind.toStdString() + "' (known: uniform, energy)");
        c.outlierLoss = nn::TrainConfig::parseOutlierLoss(kind.toStdString());
        // Liu et al.'s weight for the energy hinges; the uniform target's own default otherwise.
        const double defaultWeight = c.outlierLoss == nn::TrainConfig::OutlierLoss::Energy ? 0.1 : 0.5;
        c.outlierWeight = float(a.doubleValue(QStringLiteral("outlier-weight"), defaultWeight, 0.0, 100.0));
        if (a.isSet(QStringLiteral("energy-margins"))) {
            if (c.outlierLoss != nn::TrainConfig::OutlierLoss::Energy)
                throw UsageError("--energy-margins needs --outlier-loss energy");
            const QString text = a.value(QStringLiteral("energy-margins"), QString());
            const QStringList parts = text.split(QLatin1Char(':'));
            bool okIn = false, okOut = false;
            const double in = parts.size() == 2 ? parts[0].toDouble(&okIn) : 0.0;
            const double out = parts.size() == 2 ? parts[1].toDouble(&okOut) : 0.0;
            if (!okIn || !okOut || !std::isfinite(in) || !std::isfinite(out) || !(out < in) || std::abs(in) > 1e4 ||
                std::abs(out) > 1e4)
                throw UsageError("--energy-margins: '" + text.toStdString() +
                                 "' is not IN:OUT with two numbers, OUT below IN (e.g. 10:3)");
            c.energyInMargin = float(in);
            c.energyOutMargin = float(out);
        }
    } else if (a.isSet(QStringLiteral("outlier-batch")) || a.isSet(QStringLiteral("outlier-weight")) ||
               a.isSet(QStringLiteral("outlier-loss")) || a.isSet(QStringLiteral("energy-margins"))) {
        throw UsageError("--outlier-batch, --outlier-weight, --outlier-loss and --energy-margins need --outliers N");
    }
    c.adversarialEps = float(a.doubleValue(QStringLiteral("adversarial"), 0.0, 0.0, nn::kMaxAdversarialEps));
    if (c.adversarialEps > 0) {
        c.adversarialSteps =
            a.intValue(QStringLiteral("adversarial-steps"), c.adversarialSteps, 1, nn::kMaxAdversarialSteps);
        c.adversarialFraction = float(a.doubleValue(QStringLiteral("adversarial-fraction"), c.adversarialFraction,
                                                    nn::kMinAdversarialFraction, 1.0));
    } else if (a.isSet(QStringLiteral("adversarial-steps")) || a.isSet(QStringLiteral("adversarial-fraction"))) {
        throw UsageError("--adversarial-steps and --adversarial-fraction need --adversarial EPS");
    }
    o.synthSeed = a.seedValue(QStringLiteral("synth-seed"), o.synthSeed);
    c.seed = a.seedValue(QStringLiteral("seed"), c.seed);
    c.threads = a.intValue(QStringLiteral("threads"), 0, 0, 1024);
    o.overwriteDiverged = a.isSet(QStringLiteral("overwrite-diverged"));
    o.record = !a.isSet(QStringLiteral("no-record"));
    o.runsDb = a.value(QStringLiteral("runs-db"));
    if (a.isSet(QStringLiteral("runs-db")) && o.runsDb.trimmed().isEmpty())
        throw UsageError("--runs-db: empty file name");
    o.checkpoint = a.value(QStringLiteral("checkpoint"));
    o.resume = a.value(QStringLiteral("resume"));
    if (a.isSet(QStringLiteral("resume")) && o.resume.trimmed().isEmpty())
        throw UsageError("--resume: empty file name");
    if (!o.resume.isEmpty() && !o.checkpoint.isEmpty())
        throw UsageError("give either --checkpoint (a new run) or --resume (which keeps writing its checkpoint)");
    return o;
}

nn::SessionRequest sessionRequest(const TrainOptions& o)
{
    nn::SessionRequest r;
    r.spec = o.spec;
    r.config = o.config;
    r.mnistLimit = o.limit;
    r.styles = o.styles;
    r.outliers = o.outliers;
    r.synthSeed = o.synthSeed;
    r.validationFraction = o.valFraction;
    return r;
}

}  // namespace app::cli
