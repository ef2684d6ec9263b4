#pragma once
// Command-line definitions and parsing for digitpad-cli. Each subcommand is
// described by a table (CommandDef) that drives both the parser and its
// --help text, so the two cannot drift apart.
#include <nn/errors.h>
#include <nn/session.h>
#include <nn/trainer.h>

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace app::cli {

// A mistake on the command line: printed with a pointer to --help, exit code 2.
class UsageError : public nn::Error {
public:
    using nn::Error::Error;
};

struct OptionDef {
    QString name;       // long name without dashes, e.g. "epochs"
    QString valueName;  // e.g. "N"; empty for a flag
    QString help;       // one line; mention the default
};

struct CommandDef {
    QString name;         // "train"
    QString synopsis;     // "[options] IMAGE..."
    QString summary;      // one line for `digitpad-cli --help`
    QString description;  // shown by `digitpad-cli CMD --help`, may be several lines
    std::vector<OptionDef> options;
};

// The subcommands, in the order `--help` lists them.
const std::vector<CommandDef>& commands();
const CommandDef* findCommand(const QString& name);

std::string globalHelp();
std::string commandHelp(const CommandDef& def);

class ParsedArgs {
public:
    // Throws UsageError for unknown options, missing values and the like.
    ParsedArgs(const CommandDef& def, const QStringList& args);
    ~ParsedArgs();

    bool helpRequested() const;
    bool isSet(const QString& name) const;
    QString value(const QString& name, const QString& fallback = {}) const;
    // Typed values; throw UsageError naming the option, the value and the range.
    int intValue(const QString& name, int fallback, int min, int max) const;
    // A seed: any non-negative whole number that fits 64 bits.
    std::uint64_t seedValue(const QString& name, std::uint64_t fallback) const;
    double doubleValue(const QString& name, double fallback, double min, double max) const;
    QStringList positional() const;

private:
    const CommandDef& m_def;
    std::unique_ptr<QCommandLineParser> m_parser;
};

// Everything `train` needs, resolved from its options.
struct TrainOptions {
    std::string spec;       // architecture spec to build; empty with --init-from and no --arch/--preset
    std::string archLabel;  // preset name or "custom"
    QString initFrom;       // model file to fine-tune, or empty
    QString out = QStringLiteral("model.dpm");
    QString dataDir;        // as given with --data (resolved later)
    double valFraction = 0.1;
    int limit = 0;          // 0: all training images
    int styles = 0;         // synthetic digit styles added to the training set
    int outliers = 0;       // synthetic non-digits for outlier exposure (config.outlierBatch per batch)
    std::uint64_t synthSeed = 1;
    QString checkpoint;     // --checkpoint: written after every epoch
    QString resume;         // --resume: continue this checkpoint (and keep writing it)
    bool overwriteDiverged = false;  // a diverged run may replace an existing --out
    bool record = true;     // --no-record: keep it out of the run history
    QString runsDb;         // --runs-db; empty: RunStore::defaultPath()
    nn::TrainConfig config;
};

// Throws UsageError. Learning rate defaults to 0.001 for adam/adamw and 0.01 for sgd.
TrainOptions trainOptions(const ParsedArgs& args);

// The run the options describe, as the engine takes it: architecture,
// settings and data settings (train adds the data folder, the model to
// fine-tune, checkpoints and metadata). train and export --torch both start here.
nn::SessionRequest sessionRequest(const TrainOptions& o);

// "none" -> disabled; "standard" (or an empty value) -> AugmentParams::standard();
// anything else -> AugmentParams::parse(). Throws UsageError.
nn::AugmentParams augmentFromText(const QString& text);

// `--augment` may be given without a value: inserts "standard" after a bare
// --augment that is last or followed by another option.
QStringList expandOptionalAugment(const QStringList& args);

// `args` without the options of `own` (and their values): what is left for
// another command's parser (export and sweep hand the rest to train's).
QStringList withoutOptions(const QStringList& args, const std::vector<OptionDef>& own);

// The architecture spec for --arch/--preset (at most one may be given).
// Returns empty when neither is set. Throws UsageError.
std::string resolveArch(const ParsedArgs& args, std::string* label = nullptr);

}  // namespace app::cli
