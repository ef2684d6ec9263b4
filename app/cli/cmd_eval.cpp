// digitpad-cli eval
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include <nn/metrics.h>

#include <ostream>

namespace app::cli {

int evalCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("eval"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QString splitName = a.value(QStringLiteral("split"), QStringLiteral("test")).trimmed().toLower();
    nn::Split split;
    if (splitName == QLatin1String("test"))
        split = nn::Split::Test;
    else if (splitName == QLatin1String("train"))
        split = nn::Split::Train;
    else
        throw UsageError("--split: unknown split '" + splitName.toStdString() + "' (known: test, train)");
    const int threads = a.intValue(QStringLiteral("threads"), 0, 0, 1024);
    const bool json = a.isSet(QStringLiteral("json"));
    const QString modelPath = a.value(QStringLiteral("model"));

    const auto model = loadModelOption(modelPath);
    std::string dir;
    const nn::Dataset data = loadMnistSplit(a.value(QStringLiteral("data")), split, &dir);
    const nn::Evaluation e = nn::evaluate(*model, data, threads);
    const nn::Metrics m = nn::computeMetrics(e);

    if (json) {
        io.out << nn::metricsJson(m, e.loss) << "\n";
        return ExitOk;
    }
    const int correct = int(std::llround(m.accuracy * e.size()));
    io.out << "model: " << modelName(modelPath) << "\n";
    io.out << "data: " << dir << " (" << splitName.toStdString() << " split, " << formatCount(e.size()) << " images)\n";
    io.out << "accuracy: " << formatPercent(m.accuracy) << " (" << formatCount(correct) << "/" << formatCount(e.size())
           << "), loss " << formatFixed(e.loss, 4) << "\n\n";
    io.out << "confusion matrix (rows: true label, columns: prediction):\n" << nn::formatConfusion(m) << "\n";
    io.out << nn::formatPerClass(m);
    return ExitOk;
}

}  // namespace app::cli
