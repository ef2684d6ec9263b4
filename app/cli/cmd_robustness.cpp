// digitpad-cli robustness
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include <nn/adversarial.h>
#include <nn/errors.h>

#include <QStringList>

#include <ostream>
#include <sstream>

namespace app::cli {

int robustnessCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("robustness"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    std::vector<float> eps;
    const QString epsText = a.value(QStringLiteral("eps"), QStringLiteral("0,0.02,0.05,0.1,0.15,0.2,0.3"));
    for (const QString& part : epsText.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok || !(v >= 0) || v > 100)
            throw UsageError("--eps: expected numbers from 0 to 100 separated by commas, got '" +
                             part.trimmed().toStdString() + "'");
        eps.push_back(float(v));
    }
    if (eps.empty())
        throw UsageError("--eps: no radius given");
    nn::AttackOptions o;
    o.steps = a.intValue(QStringLiteral("steps"), 1, 1, 10000);
    const QString norm = a.value(QStringLiteral("norm"), QStringLiteral("linf")).trimmed().toLower();
    if (norm == QLatin1String("linf") || norm == QLatin1String("l-inf"))
        o.norm = nn::AttackNorm::Linf;
    else if (norm == QLatin1String("l2"))
        o.norm = nn::AttackNorm::L2;
    else
        throw UsageError("--norm: unknown norm '" + norm.toStdString() + "' (known: linf, l2)");
    o.randomStart = a.isSet(QStringLiteral("random-start"));
    o.seed = a.seedValue(QStringLiteral("seed"), o.seed);
    const int limit = a.intValue(QStringLiteral("limit"), 0, 0, 100000000);
    const int threads = effectiveThreads(a.intValue(QStringLiteral("threads"), 0, 0, 1024));
    const bool json = a.isSet(QStringLiteral("json"));
    const QString modelPath = a.value(QStringLiteral("model"));
    const auto model = loadModelOption(modelPath);
    if (std::string why; !nn::isDigitModel(*model, &why))
        throw nn::ShapeError(why);
    std::string dir;
    const nn::Dataset test = loadMnistSplit(a.value(QStringLiteral("data")), nn::Split::Test, &dir);
    const nn::RobustnessCurve c = nn::accuracyAgainstEpsilon(*model, test, eps, o, limit, {}, nullptr, threads);

    if (json) {
        std::ostringstream s;
        s << "{\"attack\": \"" << o.describe() << "\", \"samples\": " << c.samples << ", \"eps\": [";
        for (std::size_t i = 0; i < c.eps.size(); ++i)
            s << (i ? ", " : "") << c.eps[i];
        s << "], \"accuracy\": [";
        for (std::size_t i = 0; i < c.accuracy.size(); ++i)
            s << (i ? ", " : "") << formatFixed(c.accuracy[i], 4);
        s << "]}";
        io.out << s.str() << "\n";
        return ExitOk;
    }
    io.out << "model: " << modelName(modelPath) << "\n";
    io.out << "data: " << dir << " (test split, " << formatCount(c.samples) << " images)\n";
    io.out << "attack: " << o.describe() << " (logit margin, away from the true label)\n";
    io.out << "eps      accuracy\n";
    for (std::size_t i = 0; i < c.eps.size(); ++i)
        io.out << formatFixed(c.eps[i], 3) << "    " << formatPercent(c.accuracy[i]) << "\n";
    return ExitOk;
}

}  // namespace app::cli
