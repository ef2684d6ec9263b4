// digitpad-cli predict
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include "common/imageconvert.h"

#include <nn/errors.h>
#include <nn/metrics.h>
#include <nn/notdigit.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>

namespace app::cli {

int predictCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("predict"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QStringList files = a.positional();
    if (files.isEmpty())
        throw UsageError("predict: no image files given");
    const bool csv = a.isSet(QStringLiteral("csv"));
    const bool number = a.isSet(QStringLiteral("number"));
    const auto model = loadModelOption(a.value(QStringLiteral("model")));
    if (std::string why; !nn::isDigitModel(*model, &why))
        throw nn::ShapeError(why);

    if (csv)
        io.out << (number ? numberCsvHeader() : predictionCsvHeader()) << "\n";
    bool failed = false;
    std::array<float, nn::kClasses> probs{};
    bool notDigit = false;
    // A file that gets no prediction: a message on stderr, the others go on,
    // the exit code says so.
    const auto refuse = [&](const std::string& message) {
        io.out.flush();
        io.err << "digitpad-cli: " << message << "\n";
        io.err.flush();
        failed = true;
    };
    // An overflow inside the network is no answer: say so instead of "digit 0 (p=nan)".
    const auto notFinite = [&](const std::string& name) {
        refuse(name + ": the model's output for this image is NaN or infinite (its weights overflow); no prediction");
    };
    for (const QString& file : files) {
        const std::string name = file.toStdString();
        nn::PreprocessResult pre;
        nn::NumberReading reading;
        try {
            if (number)
                reading = app::readNumberImage(*model, app::loadImageFile(file));
            else
                pre = app::preprocessImageFile(file);
        } catch (const nn::Error& e) {
            refuse(e.what());
            continue;
        }
        if (number) {
            if (!std::all_of(reading.digits.begin(), reading.digits.end(),
                             [](const nn::NumberDigit& d) { return std::isfinite(d.confidence); })) {
                notFinite(name);
                continue;
            }
            io.out << (csv ? numberCsvRow(name, reading) + "\n" : numberText(name, reading));
            continue;
        }
        notDigit = false;
        if (!pre.empty) {
            const nn::DigitReading r = nn::readDigit(*model, pre.input.data());
            std::copy(r.probabilities.begin(), r.probabilities.end(), probs.begin());
            notDigit = r.notDigit;
            if (!std::all_of(probs.begin(), probs.end(), [](float p) { return std::isfinite(p); })) {
                notFinite(name);
                continue;
            }
        }
        io.out << (csv ? predictionCsvRow(name, pre.empty, probs.data(), notDigit) + "\n"
                     : predictionText(name, pre.empty, probs.data(), notDigit));
    }
    io.out.flush();
    return failed ? ExitFailure : ExitOk;
}

}  // namespace app::cli
