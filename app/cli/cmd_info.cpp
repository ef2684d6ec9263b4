// digitpad-cli info
#include "cli.h"
#include "format.h"
#include "options.h"
#include "util.h"

#include <nn/cpu.h>

#include <ostream>

namespace app::cli {

int infoCommand(const QStringList& args, const Io& io)
{
    const CommandDef& def = *findCommand(QStringLiteral("info"));
    const ParsedArgs a(def, args);
    if (a.helpRequested()) {
        io.out << commandHelp(def);
        return ExitOk;
    }
    const QStringList files = a.positional();
    if (files.size() > 1)
        throw UsageError("info: one model file at a time (got " + std::to_string(files.size()) + ")");
    const QString path = files.isEmpty() ? QString() : files.front();
    const auto model = loadModelOption(path);
    io.out << modelInfoText(*model, modelName(path));
    // Which engine build runs here (nn/cpu.h), as bench and the About box say.
    io.out << "engine: " << nn::cpu::summary() << "\n";
    return ExitOk;
}

}  // namespace app::cli
