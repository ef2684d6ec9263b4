// digitpad-cli calibrate
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include <nn/calibration.h>
#include <nn/errors.h>
#include <nn/metrics.h>
#include <nn/notdigit.h>
#include <nn/serialize.h>

#include <ostream>

namespace app::cli {

int calibrateCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("calibrate"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QString out = a.value(QStringLiteral("out"));
    if (out.isEmpty())
        throw UsageError("calibrate: --out FILE is required (where to save the calibrated model)");
    const double rate = a.doubleValue(QStringLiteral("rate"), 0.01, 0.0, 0.5);
    const int threads = effectiveThreads(a.intValue(QStringLiteral("threads"), 0, 0, 1024));
    const QString modelPath = a.value(QStringLiteral("model"));
    const auto loaded = loadModelOption(modelPath);
    if (std::string why; !nn::isDigitModel(*loaded, &why))
        throw nn::ShapeError(why);

    std::string dir;
    const nn::Dataset test = loadMnistSplit(a.value(QStringLiteral("data")), nn::Split::Test, &dir);
    const auto [tuning, heldOut] = nn::calibrationHalves(test);

    nn::Model model = *loaded;
    nn::NotDigitCalibration c = nn::calibrateNotDigit(model, tuning, rate, threads);
    c.data = "MNIST test, tuning half (" + std::to_string(tuning.size()) + " digits, seeded split)";
    nn::storeNotDigit(model, c);

    // What it does on the half it was not fitted on.
    const std::vector<float> z = nn::datasetLogits(model, heldOut, threads);
    int flagged = 0;
    for (int i = 0; i < heldOut.size(); ++i)
        flagged += nn::isNotDigit(z.data() + std::size_t(i) * nn::kClasses, nn::kClasses, c) ? 1 : 0;
    const nn::Evaluation e = nn::evaluate(model, heldOut, threads);
    const double nll1 = nn::temperatureNll(z.data(), heldOut.labels.data(), heldOut.size(), nn::kClasses, 1.0);
    const double nllT = nn::temperatureNll(z.data(), heldOut.labels.data(), heldOut.size(), nn::kClasses, c.temperature);

    nn::saveModel(model, out.toStdString());

    io.out << "model: " << modelName(modelPath) << "\n";
    io.out << "data: " << dir << " (test split: " << formatCount(tuning.size()) << " digits to fit on, "
           << formatCount(heldOut.size()) << " held out)\n";
    io.out << "temperature: " << formatFixed(c.temperature, 4) << "\n";
    io.out << "not-a-digit threshold: score " << formatFixed(c.threshold, 4) << " (flags "
           << formatPercent(c.validationRate) << " of the digits fitted on)\n";
    io.out << "held out: " << formatPercent(double(flagged) / std::max(1, heldOut.size())) << " of digits flagged ("
           << flagged << "/" << formatCount(heldOut.size()) << "), NLL " << formatFixed(nll1, 4) << " -> "
           << formatFixed(nllT, 4) << ", ECE " << formatPercent(nn::calibration(e, 15).ece) << " -> "
           << formatPercent(nn::calibrationAtTemperature(e, c.temperature, 15).ece) << "\n";
    io.out << "saved: " << out.toStdString() << "\n";
    return ExitOk;
}

}  // namespace app::cli
