#include "cli.h"

#include "docgen.h"
#include "options.h"

#include <nn/errors.h>

#include <QCoreApplication>

#include <exception>
#include <new>
#include <ostream>

namespace app::cli {

namespace {

using CommandFn = int (*)(const QStringList&, const Io&);

CommandFn commandFunction(const QString& name)
{
    if (name == QLatin1String("train"))
        return trainCommand;
    if (name == QLatin1String("eval"))
        return evalCommand;
    if (name == QLatin1String("predict"))
        return predictCommand;
    if (name == QLatin1String("info"))
        return infoCommand;
    if (name == QLatin1String("bench"))
        return benchCommand;
    if (name == QLatin1String("calibrate"))
        return calibrateCommand;
    if (name == QLatin1String("export"))
        return exportCommand;
    if (name == QLatin1String("runs"))
        return runsCommand;
    if (name == QLatin1String("robustness"))
        return robustnessCommand;
    if (name == QLatin1String("sweep"))
        return sweepCommand;
    return nullptr;
}

// "train, eval, ...": from the command table, so a new command is never left out.
std::string commandNames()
{
    std::string s;
    for (const CommandDef& c : commands())
        s += (s.empty() ? "" : ", ") + c.name.toStdString();
    return s;
}

}  // namespace

int run(const QStringList& arguments, const Io& io)
{
    const QStringList args = arguments.mid(1);
    if (args.isEmpty()) {
        io.err << globalHelp();
        return ExitUsage;
    }
    const QString& first = args.front();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        // "help --man" and "help --bash-completion" write the man page and
        // the completion script (the build installs both).
        if (first == QLatin1String("help") && args.size() > 1 && args[1] == QLatin1String("--man")) {
            io.out << manPage(QCoreApplication::applicationVersion().toStdString(), DIGITPAD_RELEASE_DATE);
            return ExitOk;
        }
        if (first == QLatin1String("help") && args.size() > 1 && args[1] == QLatin1String("--bash-completion")) {
            io.out << bashCompletion();
            return ExitOk;
        }
        // "help CMD" is the same as "CMD --help".
        if (first == QLatin1String("help") && args.size() > 1) {
            if (const CommandDef* def = findCommand(args[1])) {
                io.out << commandHelp(*def);
                return ExitOk;
            }
        }
        io.out << globalHelp();
        return ExitOk;
    }
    if (first == QLatin1String("--version")) {
        io.out << "digitpad-cli " << QCoreApplication::applicationVersion().toStdString() << "\n";
        return ExitOk;
    }
    const CommandFn fn = commandFunction(first);
    if (!fn) {
        io.err << "digitpad-cli: unknown command '" << first.toStdString()
               << "' (commands: " << commandNames() << "; see 'digitpad-cli --help')\n";
        return ExitUsage;
    }
    try {
        return fn(args.mid(1), io);
    } catch (const UsageError& e) {
        io.out.flush();
        io.err << "digitpad-cli: " << e.what() << " (see 'digitpad-cli " << first.toStdString() << " --help')\n";
        return ExitUsage;
    } catch (const nn::Error& e) {
        io.out.flush();
        io.err << "digitpad-cli: " << e.what() << "\n";
        return ExitFailure;
    } catch (const std::bad_alloc&) {
        io.out.flush();
        io.err << "digitpad-cli: out of memory\n";
        return ExitFailure;
    } catch (const std::exception& e) {
        // Not one of ours: still say what it was rather than a bare type name.
        io.out.flush();
        io.err << "digitpad-cli: internal error: " << e.what() << "\n";
        return ExitFailure;
    }
}

}  // namespace app::cli
