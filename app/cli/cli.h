#pragma once
// digitpad-cli: the command-line front end. run() dispatches to one function
// per subcommand; each takes its arguments (after the command name) and the
// output streams, so tests can call them in-process. Errors of the engine
// (nn::Error) and of the command line (UsageError) are turned into
// "digitpad-cli: <message>" on the error stream and a non-zero exit code.
#include <QStringList>

#include <iosfwd>

namespace app::cli {

enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1,      // an error, or (predict) some file could not be read
    ExitUsage = 2,        // a mistake on the command line
    ExitDiverged = 3,     // train: the loss became NaN; the last good weights were saved
    ExitInterrupted = 130 // train: stopped by Ctrl-C; the model was saved
};

struct Io {
    std::ostream& out;
    std::ostream& err;
    bool errIsTerminal = false;  // draw the training progress bar with '\r'
    int terminalWidth = 80;
};

// arguments: as QCoreApplication::arguments(), i.e. starting with the program.
int run(const QStringList& arguments, const Io& io);

int trainCommand(const QStringList& args, const Io& io);
int evalCommand(const QStringList& args, const Io& io);
int predictCommand(const QStringList& args, const Io& io);
int infoCommand(const QStringList& args, const Io& io);
int benchCommand(const QStringList& args, const Io& io);
int calibrateCommand(const QStringList& args, const Io& io);
int exportCommand(const QStringList& args, const Io& io);
int runsCommand(const QStringList& args, const Io& io);
int robustnessCommand(const QStringList& args, const Io& io);
int sweepCommand(const QStringList& args, const Io& io);

}  // namespace app::cli
